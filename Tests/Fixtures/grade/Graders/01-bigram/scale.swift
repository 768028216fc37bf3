// Recomputes the function on the same secret inputs and compares.
var generator = RandomGenerator(seed: Grading.secret)
let input = Tensor.normal([3, 5], std: 2, requiresGrad: true, using: &generator)
let weights = Tensor.normal([3, 5], using: &generator)
let reference = input * sigmoid(input)
(reference * weights).sum().backward()
let output = Grading.tensor("output")
Grading.measure("values", Grading.difference(output, reference), Grading.describeDifference(output, reference, what: "the values"))
let gradient = Grading.artifact["gradient"]
Grading.measure("gradient", Grading.difference(gradient, input.grad!),
                gradient == nil ? "no gradient reached x: build the result from Engine's operations"
                                : Grading.describeDifference(gradient, input.grad!, what: "the gradient"))
