// Calls bookStep on a ScratchGRU and inputs drawn from the run's secret; leaves the new state
// and the gradients it let through.
var gradingGenerator = Engine.RandomGenerator(seed: Engine.GradingArtifact.secret ?? 0)
let gradingInputSize = 4 + Int(gradingGenerator.next() % 5), gradingHidden = 3 + Int(gradingGenerator.next() % 4)
let gradingRows = 2 + Int(gradingGenerator.next() % 3)
let gradingGRU = ScratchGRU(vocabSize: gradingInputSize, hiddenSize: gradingHidden)
for parameter in gradingGRU.parameters { parameter.data = (0..<parameter.count).map { _ in 0.8 * gradingGenerator.nextNormal() } }
let gradingX = Engine.Tensor((0..<(gradingRows * gradingInputSize)).map { _ in gradingGenerator.nextNormal() }, shape: [gradingRows, gradingInputSize])
let gradingH = Engine.Tensor((0..<(gradingRows * gradingHidden)).map { _ in gradingGenerator.nextNormal() }, shape: [gradingRows, gradingHidden], requiresGrad: true)
let gradingWeights = (0..<(gradingRows * gradingHidden)).map { _ in gradingGenerator.nextNormal() }
let gradingState = gradingGRU.bookStep(gradingX, gradingH)
var gradingArchive = Engine.TensorArchive()
gradingArchive["state"] = gradingState
if gradingState.count == gradingWeights.count, gradingState.requiresGrad {
    (gradingState * Engine.Tensor(gradingWeights, shape: gradingState.shape)).sum().backward()
    for (i, parameter) in gradingGRU.parameters.enumerated() { gradingArchive["gradient.\(i)"] = parameter.grad }
    gradingArchive["gradient.h"] = gradingH.grad
}
try Engine.GradingArtifact.leave(gradingArchive)
