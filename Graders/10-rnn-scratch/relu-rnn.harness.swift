// Calls reluRNNForward on sizes, parameters and inputs drawn from the run's secret, and leaves
// what it returned, and the gradients it let through, for the grader.
var gradingGenerator = Engine.RandomGenerator(seed: Engine.GradingArtifact.secret ?? 0)
let gradingVocab = 6 + Int(gradingGenerator.next() % 6), gradingHidden = 3 + Int(gradingGenerator.next() % 5)
let gradingSteps = 2 + Int(gradingGenerator.next() % 4), gradingBatch = 2 + Int(gradingGenerator.next() % 3)
let gradingParameters = RNNParameters(vocabSize: gradingVocab, hiddenSize: gradingHidden)
for parameter in gradingParameters.all {
    parameter.data = (0..<parameter.count).map { _ in gradingGenerator.nextNormal() }
}
let gradingTokens = (0..<gradingBatch).map { _ in (0..<gradingSteps).map { _ in Int(gradingGenerator.next() % UInt64(gradingVocab)) } }
let gradingStart = Engine.Tensor((0..<(gradingBatch * gradingHidden)).map { _ in gradingGenerator.nextNormal() }, shape: [gradingBatch, gradingHidden])
let gradingWeights = (0..<(gradingSteps * gradingBatch * gradingVocab)).map { _ in gradingGenerator.nextNormal() }
let (gradingLogits, gradingState) = reluRNNForward(Engine.oneHot(gradingTokens, gradingVocab), [gradingStart], gradingParameters)
var gradingArchive = Engine.TensorArchive()
gradingArchive["logits"] = gradingLogits
gradingArchive["state"] = gradingState.first
if gradingLogits.count == gradingWeights.count, gradingLogits.requiresGrad {
    (gradingLogits * Engine.Tensor(gradingWeights, shape: gradingLogits.shape)).sum().backward()
    for (i, parameter) in gradingParameters.all.enumerated() { gradingArchive["gradient.\(i)"] = parameter.grad }
}
try Engine.GradingArtifact.leave(gradingArchive)
