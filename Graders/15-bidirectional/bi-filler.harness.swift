// Leaves the filler's shape and parameters for the grader.
var gradingArchive = Engine.TensorArchive()
gradingArchive.numbers["hidden"] = Double(myFiller.layer.hiddenSize)
gradingArchive.numbers["layers"] = Double(myFiller.layer.numLayers)
gradingArchive.numbers["bidirectional"] = myFiller.layer.bidirectional ? 1 : 0
gradingArchive.numbers["radius"] = Double(radius)
gradingArchive.add(myFiller.parameters, prefix: "filler")
try Engine.GradingArtifact.leave(gradingArchive)
