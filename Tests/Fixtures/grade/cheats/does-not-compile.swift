// A typo: the contract's name is misspelt and a type does not exist.
let bigramLogit = Tensor.zeros([letters, letters])
let extra: NoSuchType = 3
