// Calls the contract's function on inputs drawn from the run's secret.
var gradingGenerator = Engine.RandomGenerator(seed: Engine.GradingArtifact.secret ?? 0)
let gradingInput = Engine.Tensor.normal([3, 5], std: 2, requiresGrad: true, using: &gradingGenerator)
let gradingWeights = Engine.Tensor.normal([3, 5], using: &gradingGenerator)
let gradingOutput = squash(gradingInput)
var gradingArchive = Engine.TensorArchive()
gradingArchive["output"] = gradingOutput
if gradingOutput.shape == gradingWeights.shape, gradingOutput.requiresGrad {
    (gradingOutput * gradingWeights).sum().backward()
    gradingArchive["gradient"] = gradingInput.grad
}
try Engine.GradingArtifact.leave(gradingArchive)
