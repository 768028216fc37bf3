// Calls untruncatedGradient twice (without clipping, then at θ = 0.01) on parameters and
// minibatches drawn from the run's secret, and leaves the results for the grader.
var gradingGenerator = Engine.RandomGenerator(seed: Engine.GradingArtifact.secret ?? 0)
let gradingParameters = makeRNNParameters(using: &gradingGenerator)
// Recurrent weights near the edge of stability, so that gradients cross minibatch boundaries.
gradingParameters[1].data = (0..<gradingParameters[1].count).map { _ in 1.5 / Float(hiddenSize).squareRoot() * gradingGenerator.nextNormal() }
let gradingCount = 2 + Int(gradingGenerator.next() % 3)
let gradingOffset = Int(gradingGenerator.next() % 2000)
let gradingBatches = Array(Engine.consecutiveBatches(corpus: Array(corpus.indices[gradingOffset...]), batchSize: 8, steps: 20).prefix(gradingCount))
var gradingArchive = Engine.TensorArchive()
let gradingPlain = untruncatedGradient(gradingParameters, gradingBatches, clipTo: nil)
gradingArchive.numbers["loss"] = Double(gradingPlain.loss)
gradingArchive.numbers["norm"] = Double(gradingPlain.norm)
for (i, parameter) in gradingParameters.enumerated() { gradingArchive["gradient.\(i)"] = parameter.grad }
let gradingClipped = untruncatedGradient(gradingParameters, gradingBatches, clipTo: 0.01)
gradingArchive.numbers["clippedNorm"] = Double(gradingClipped.norm)
for (i, parameter) in gradingParameters.enumerated() { gradingArchive["clipped.\(i)"] = parameter.grad }
try Engine.GradingArtifact.leave(gradingArchive)
