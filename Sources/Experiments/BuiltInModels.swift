import Engine

/// The concise models: a built-in recurrent layer over one-hot inputs, then a linear layer.
func builtInModel(_ kind: Experiment.BuiltIn, vocabSize: Int, hidden: Int) -> RecurrentModel {
    switch kind {
    case let .gru(layers, bidirectional):
        let gru = GRU(inputSize: vocabSize, hiddenSize: hidden, numLayers: layers, bidirectional: bidirectional)
        return RecurrentModel(layer: gru, vocabSize: vocabSize)
    case let .lstm(layers):
        let lstm = LSTM(inputSize: vocabSize, hiddenSize: hidden, numLayers: layers)
        return RecurrentModel(lstm: lstm, vocabSize: vocabSize)
    }
}
