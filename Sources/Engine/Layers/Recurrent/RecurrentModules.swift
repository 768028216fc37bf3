/// The chapters' "concise implementation" layers, with the semantics of PyTorch's `nn.RNN`,
/// `nn.GRU` and `nn.LSTM` (sequence-first input, no dropout between layers, biases on):
///
///     let gru = GRU(inputSize: V, hiddenSize: 256)
///     let (output, state) = gru(x, state)     // x (T, B, V) → output (T, B, H), state (1, B, H)
///
/// Shapes: input (T, B, I); output (T, B, D·H), both directions side by side, forward first;
/// states (L·D, B, H) ordered layer 0 forward, layer 0 backward, layer 1 forward, … A missing
/// initial state means zeros. A one-hot input keeps its indices through the reshape and makes
/// the first layer's input projection a row lookup of W_ih: for a (B, T) minibatch of tokens,
/// `oneHot(timeMajor(tokens), V).reshaped([T, B, V])` (rows in time-major order, t·B + b).

/// Elman RNN: h' = act(x·W_ih + b_ih + h·W_hh + b_hh), act tanh or ReLU.
public final class RNN: RecurrentLayer {
    public enum Nonlinearity: Sendable { case tanh, relu }

    public let nonlinearity: Nonlinearity

    public init(inputSize: Int, hiddenSize: Int, numLayers: Int = 1, nonlinearity: Nonlinearity = .tanh,
                bidirectional: Bool = false, using generator: inout RandomGenerator) {
        self.nonlinearity = nonlinearity
        super.init(cell: nonlinearity == .tanh ? .rnnTanh : .rnnReLU, inputSize: inputSize,
                   hiddenSize: hiddenSize, numLayers: numLayers, bidirectional: bidirectional,
                   generator: &generator)
    }

    /// Initialized from `RandomGenerator.global`.
    public convenience init(inputSize: Int, hiddenSize: Int, numLayers: Int = 1,
                            nonlinearity: Nonlinearity = .tanh, bidirectional: Bool = false) {
        self.init(inputSize: inputSize, hiddenSize: hiddenSize, numLayers: numLayers,
                  nonlinearity: nonlinearity, bidirectional: bidirectional, using: &RandomGenerator.global)
    }

    /// input (T, B, I), state (L·D, B, H) or nil → output (T, B, D·H), final state (L·D, B, H).
    public func forward(_ input: Tensor, _ state: Tensor? = nil) -> (output: Tensor, state: Tensor) {
        let result = run(input, h0: state, c0: nil)
        return (result.output, result.h)
    }

    public func callAsFunction(_ input: Tensor, _ state: Tensor? = nil) -> (output: Tensor, state: Tensor) {
        forward(input, state)
    }
}

/// Gated recurrent unit, PyTorch's equations (the reset gate multiplies W_hn·h + b_hn):
/// r = σ(x·W_ir + b_ir + h·W_hr + b_hr), z = σ(x·W_iz + b_iz + h·W_hz + b_hz),
/// n = tanh(x·W_in + b_in + r ⊙ (h·W_hn + b_hn)), h' = (1 − z) ⊙ n + z ⊙ h.
public final class GRU: RecurrentLayer {
    public init(inputSize: Int, hiddenSize: Int, numLayers: Int = 1, bidirectional: Bool = false,
                using generator: inout RandomGenerator) {
        super.init(cell: .gru, inputSize: inputSize, hiddenSize: hiddenSize, numLayers: numLayers,
                   bidirectional: bidirectional, generator: &generator)
    }

    /// Initialized from `RandomGenerator.global`.
    public convenience init(inputSize: Int, hiddenSize: Int, numLayers: Int = 1, bidirectional: Bool = false) {
        self.init(inputSize: inputSize, hiddenSize: hiddenSize, numLayers: numLayers,
                  bidirectional: bidirectional, using: &RandomGenerator.global)
    }

    /// input (T, B, I), state (L·D, B, H) or nil → output (T, B, D·H), final state (L·D, B, H).
    public func forward(_ input: Tensor, _ state: Tensor? = nil) -> (output: Tensor, state: Tensor) {
        let result = run(input, h0: state, c0: nil)
        return (result.output, result.h)
    }

    public func callAsFunction(_ input: Tensor, _ state: Tensor? = nil) -> (output: Tensor, state: Tensor) {
        forward(input, state)
    }
}

/// Long short-term memory, PyTorch's equations: i, f, o = σ(x·W_i• + b_i• + h·W_h• + b_h•),
/// g = tanh(…), c' = f ⊙ c + i ⊙ g, h' = o ⊙ tanh(c'). The state is the pair (h, c).
public final class LSTM: RecurrentLayer {
    public init(inputSize: Int, hiddenSize: Int, numLayers: Int = 1, bidirectional: Bool = false,
                using generator: inout RandomGenerator) {
        super.init(cell: .lstm, inputSize: inputSize, hiddenSize: hiddenSize, numLayers: numLayers,
                   bidirectional: bidirectional, generator: &generator)
    }

    /// Initialized from `RandomGenerator.global`.
    public convenience init(inputSize: Int, hiddenSize: Int, numLayers: Int = 1, bidirectional: Bool = false) {
        self.init(inputSize: inputSize, hiddenSize: hiddenSize, numLayers: numLayers,
                  bidirectional: bidirectional, using: &RandomGenerator.global)
    }

    /// input (T, B, I), state (h, c) each (L·D, B, H), or nil → output (T, B, D·H), final (h, c).
    public func forward(_ input: Tensor, _ state: (h: Tensor, c: Tensor)? = nil)
        -> (output: Tensor, state: (h: Tensor, c: Tensor)) {
        let result = run(input, h0: state?.h, c0: state?.c)
        return (result.output, (result.h, result.c!))
    }

    public func callAsFunction(_ input: Tensor, _ state: (h: Tensor, c: Tensor)? = nil)
        -> (output: Tensor, state: (h: Tensor, c: Tensor)) {
        forward(input, state)
    }
}
