// Leaves the tuned model's sizes and parameters for the grader.
var gradingArchive = Engine.TensorArchive()
gradingArchive.numbers["embedding"] = Double(tunedEmbedding.weight.shape[1])
gradingArchive.numbers["hidden"] = Double(tunedLSTM.hiddenSize)
gradingArchive.numbers["layers"] = Double(tunedLSTM.numLayers * tunedLSTM.directions)
gradingArchive.numbers["lstmInput"] = Double(tunedLSTM.inputSize)
gradingArchive.add(tunedEmbedding.parameters + tunedLSTM.parameters + tunedDecoder.parameters, prefix: "model")
try Engine.GradingArtifact.leave(gradingArchive)
