// Leaves the contract's value for the grader.
var gradingArchive = Engine.TensorArchive()
gradingArchive["logits"] = bigramLogits
try Engine.GradingArtifact.leave(gradingArchive)
