// The same matrix, its column means computed here.
var generator = RandomGenerator(seed: Grading.secret)
let matrix = Tensor.normal([4, 3], using: &generator)
let reference = matrix.mean(axis: 0)
let theirs = Grading.tensor("means")
Grading.measure("means", Grading.difference(theirs, reference), Grading.describeDifference(theirs, reference, what: "the means"))
