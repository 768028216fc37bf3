// Leaves both models' sizes and parameters, and the answer, for the grader.
var gradingArchive = Engine.TensorArchive()
gradingArchive.numbers["gruHidden"] = Double(budgetGRU.hiddenSize)
gradingArchive.numbers["gruLayers"] = Double(budgetGRU.numLayers * budgetGRU.directions)
gradingArchive.add(budgetGRUModel.parameters, prefix: "gru")
gradingArchive.numbers["lstmHidden"] = Double(budgetLSTM.hiddenSize)
gradingArchive.numbers["lstmLayers"] = Double(budgetLSTM.numLayers * budgetLSTM.directions)
gradingArchive.add(budgetLSTMModel.parameters, prefix: "lstm")
gradingArchive.texts["lowerPerplexity"] = lowerPerplexity
try Engine.GradingArtifact.leave(gradingArchive)
