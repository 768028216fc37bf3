/// The concise models (d2l's `RNNModel`): one-hot inputs through a built-in recurrent layer,
/// then a linear layer from its D·H outputs to the vocabulary.

extension RecurrentModel {
    /// RNN or GRU layer; the state is one tensor (L·D, B, H).
    public init(layer: RecurrentLayer, vocabSize: Int) {
        precondition(!(layer is LSTM), "an LSTM carries two state tensors: use init(lstm:vocabSize:)")
        let output = Linear(layer.hiddenSize * layer.directions, vocabSize)
        let stateShape = { (B: Int) in [layer.numLayers * layer.directions, B, layer.hiddenSize] }
        self.init(vocabSize: vocabSize, parameters: layer.parameters + output.parameters,
                  initialState: { B in [Tensor.zeros(stateShape(B))] }) { batch, state in
            let x = oneHotSequence(batch, vocabSize)  // (T, B, V)
            let y: Tensor, h: Tensor
            switch layer {
            case let gru as GRU: (y, h) = gru(x, state[0])
            case let rnn as RNN: (y, h) = rnn(x, state[0])
            default: preconditionFailure("unsupported layer \(type(of: layer))")
            }
            return (output(y.reshaped([-1, y.shape[2]])), [h])  // (T·B, V)
        }
    }

    /// LSTM layer; the state is [h, c], each (L·D, B, H).
    public init(lstm layer: LSTM, vocabSize: Int) {
        let output = Linear(layer.hiddenSize * layer.directions, vocabSize)
        let stateShape = { (B: Int) in [layer.numLayers * layer.directions, B, layer.hiddenSize] }
        self.init(vocabSize: vocabSize, parameters: layer.parameters + output.parameters,
                  initialState: { B in [Tensor.zeros(stateShape(B)), Tensor.zeros(stateShape(B))] }) { batch, state in
            let (y, newState) = layer(oneHotSequence(batch, vocabSize), (state[0], state[1]))
            return (output(y.reshaped([-1, y.shape[2]])), [newState.h, newState.c])
        }
    }
}
