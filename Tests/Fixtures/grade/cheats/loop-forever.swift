// Never finishes.
let bigramLogits = Tensor.zeros([letters, letters])
var spins = 0
while true { spins &+= 1 }
