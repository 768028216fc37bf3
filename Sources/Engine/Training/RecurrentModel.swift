/// A character- or word-level language model as the training loop sees it: parameters, a fresh
/// state, and a forward pass from a minibatch of token indices to next-token logits.
public struct RecurrentModel {
    public let vocabSize: Int
    public let parameters: [Tensor]
    /// A zero state for `batchSize` sequences: [H] for RNN and GRU, [H, C] for LSTM, each (B, H)
    /// (or (L·D, B, H) for the built-in layers).
    public let initialState: (_ batchSize: Int) -> [Tensor]
    /// inputs (B, T) token indices, state → logits (T·B, V) in time-major order, new state.
    public let forward: (_ inputs: [[Int]], _ state: [Tensor]) -> (logits: Tensor, state: [Tensor])

    public init(vocabSize: Int, parameters: [Tensor],
                initialState: @escaping (_ batchSize: Int) -> [Tensor],
                forward: @escaping (_ inputs: [[Int]], _ state: [Tensor]) -> (logits: Tensor, state: [Tensor])) {
        self.vocabSize = vocabSize
        self.parameters = parameters
        self.initialState = initialState
        self.forward = forward
    }

    /// A model written from scratch as a function of one-hot inputs, as in the chapters:
    /// `cell(inputs, state)` gets T one-hot matrices (B, V) and returns logits (T·B, V) and the new state.
    public init(vocabSize: Int, parameters: [Tensor],
                initialState: @escaping (_ batchSize: Int) -> [Tensor],
                cell: @escaping (_ inputs: [Tensor], _ state: [Tensor]) -> (Tensor, [Tensor])) {
        self.init(vocabSize: vocabSize, parameters: parameters, initialState: initialState) { batch, state in
            let (logits, newState) = cell(oneHot(batch, vocabSize), state)
            return (logits, newState)
        }
    }
}

/// Targets (B, T) in the time-major order of the logits: step 0 of every sequence, then step 1…
/// (d2l's `Y.T` flattened).
public func timeMajor(_ targets: [[Int]]) -> [Int] {
    let steps = targets.first?.count ?? 0
    return (0..<steps).flatMap { t in targets.map { $0[t] } }
}
