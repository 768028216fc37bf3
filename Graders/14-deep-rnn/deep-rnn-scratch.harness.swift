// Calls deepRNNForward on sizes and inputs drawn from the run's secret; leaves its results, the
// gradients it let through, and the trained parameters.
var gradingGenerator = Engine.RandomGenerator(seed: Engine.GradingArtifact.secret ?? 0)
let gradingVocab = 5 + Int(gradingGenerator.next() % 6), gradingHidden = 3 + Int(gradingGenerator.next() % 4)
let gradingSteps = 2 + Int(gradingGenerator.next() % 4), gradingBatch = 2 + Int(gradingGenerator.next() % 3)
let gradingShapes = [[gradingVocab, gradingHidden], [gradingHidden, gradingHidden], [gradingHidden],
                     [gradingHidden, gradingHidden], [gradingHidden, gradingHidden], [gradingHidden],
                     [gradingHidden, gradingVocab], [gradingVocab]]
let gradingParameters = gradingShapes.map { shape in
    Engine.Tensor((0..<shape.reduce(1, *)).map { _ in gradingGenerator.nextNormal() }, shape: shape, requiresGrad: true)
}
let gradingTokens = (0..<gradingBatch).map { _ in (0..<gradingSteps).map { _ in Int(gradingGenerator.next() % UInt64(gradingVocab)) } }
let gradingStart = (0..<2).map { _ in
    Engine.Tensor((0..<(gradingBatch * gradingHidden)).map { _ in gradingGenerator.nextNormal() }, shape: [gradingBatch, gradingHidden])
}
let gradingWeights = (0..<(gradingSteps * gradingBatch * gradingVocab)).map { _ in gradingGenerator.nextNormal() }
let (gradingLogits, gradingState) = deepRNNForward(Engine.oneHot(gradingTokens, gradingVocab), gradingStart, gradingParameters)
var gradingArchive = Engine.TensorArchive()
gradingArchive["logits"] = gradingLogits
for (i, state) in gradingState.prefix(2).enumerated() { gradingArchive["state.\(i)"] = state }
if gradingLogits.count == gradingWeights.count, gradingLogits.requiresGrad {
    (gradingLogits * Engine.Tensor(gradingWeights, shape: gradingLogits.shape)).sum().backward()
    for (i, parameter) in gradingParameters.enumerated() { gradingArchive["gradient.\(i)"] = parameter.grad }
}
gradingArchive.add(deepRNNParameters, prefix: "trained")
try Engine.GradingArtifact.leave(gradingArchive)
