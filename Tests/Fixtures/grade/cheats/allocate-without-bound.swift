// Allocates until something stops it.
let bigramLogits = Tensor.zeros([letters, letters])
var blocks: [[UInt8]] = []
while true { blocks.append([UInt8](repeating: 1, count: 256 << 20)) }
