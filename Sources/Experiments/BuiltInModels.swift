import Engine

/// The concise models: a built-in recurrent layer over one-hot inputs, then a linear layer.
func builtInModel(_ kind: Experiment.BuiltIn, vocabSize: Int, hidden: Int) -> RecurrentModel {
    fatalError("built-in layers: not yet available")
}
