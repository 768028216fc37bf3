import XCTest
@testable import Engine

/// The four cells under test, and a uniform way to build and run each through the public API.
enum RecurrentKind: CaseIterable, CustomStringConvertible {
    case rnnTanh, rnnReLU, gru, lstm

    var description: String {
        switch self {
        case .rnnTanh: return "RNN(tanh)"
        case .rnnReLU: return "RNN(relu)"
        case .gru: return "GRU"
        case .lstm: return "LSTM"
        }
    }

    func make(inputSize: Int, hiddenSize: Int, numLayers: Int, bidirectional: Bool,
              seed: UInt64) -> RecurrentLayer {
        var g = RandomGenerator(seed: seed)
        switch self {
        case .rnnTanh:
            return RNN(inputSize: inputSize, hiddenSize: hiddenSize, numLayers: numLayers,
                       nonlinearity: .tanh, bidirectional: bidirectional, using: &g)
        case .rnnReLU:
            return RNN(inputSize: inputSize, hiddenSize: hiddenSize, numLayers: numLayers,
                       nonlinearity: .relu, bidirectional: bidirectional, using: &g)
        case .gru:
            return GRU(inputSize: inputSize, hiddenSize: hiddenSize, numLayers: numLayers,
                       bidirectional: bidirectional, using: &g)
        case .lstm:
            return LSTM(inputSize: inputSize, hiddenSize: hiddenSize, numLayers: numLayers,
                        bidirectional: bidirectional, using: &g)
        }
    }
}

/// Calls the layer's public forward; `c` is nil except for the LSTM.
func runRecurrent(_ layer: RecurrentLayer, _ x: Tensor, h0: Tensor?, c0: Tensor?)
    -> (output: Tensor, h: Tensor, c: Tensor?) {
    switch layer {
    case let lstm as LSTM:
        let state = h0.map { ($0, c0!) }
        let (output, (h, c)) = lstm(x, state)
        return (output, h, c)
    case let rnn as RNN:
        let (output, h) = rnn(x, h0)
        return (output, h, nil)
    case let gru as GRU:
        let (output, h) = gru(x, h0)
        return (output, h, nil)
    default:
        fatalError("unknown recurrent layer \(layer)")
    }
}

/// Every (numLayers, bidirectional) combination the tests cover.
let recurrentConfigurations: [(layers: Int, bidirectional: Bool)] =
    [(1, false), (1, true), (2, false), (2, true)]

// MARK: - The same cells written from Engine ops, one step at a time

/// Columns k·H..<(k+1)·H of a weight (rows, G·H), or entries of a bias (G·H): gate k's block.
func gateBlock(_ w: Tensor, _ k: Int, _ H: Int) -> Tensor {
    w.rank == 1 ? w[(k * H)..<((k + 1) * H)] : w.T[(k * H)..<((k + 1) * H)].T
}

/// One step of `kind` from Engine ops, PyTorch's equations, with weights `w` (gates stacked as
/// documented on `RecurrentWeights`).
func referenceStep(_ kind: RecurrentKind, _ w: RecurrentWeights, x: Tensor, h: Tensor, c: Tensor?,
                   hidden H: Int) -> (h: Tensor, c: Tensor?) {
    // x·W_i,k + b_i,k and h·W_h,k + b_h,k for gate k.
    func inputPart(_ k: Int) -> Tensor { x.matmul(gateBlock(w.ih, k, H)) + gateBlock(w.biasIH, k, H) }
    func hiddenPart(_ k: Int) -> Tensor { h.matmul(gateBlock(w.hh, k, H)) + gateBlock(w.biasHH, k, H) }
    switch kind {
    case .rnnTanh:
        return (tanh(inputPart(0) + hiddenPart(0)), nil)
    case .rnnReLU:
        return (relu(inputPart(0) + hiddenPart(0)), nil)
    case .gru:
        let r = sigmoid(inputPart(0) + hiddenPart(0))
        let z = sigmoid(inputPart(1) + hiddenPart(1))
        let n = tanh(inputPart(2) + r * hiddenPart(2))
        return ((1 - z) * n + z * h, nil)
    case .lstm:
        let i = sigmoid(inputPart(0) + hiddenPart(0))
        let f = sigmoid(inputPart(1) + hiddenPart(1))
        let g = tanh(inputPart(2) + hiddenPart(2))
        let o = sigmoid(inputPart(3) + hiddenPart(3))
        let cNew = f * c! + i * g
        return (o * tanh(cNew), cNew)
    }
}

/// The whole stack, step by step from Engine ops: (T, B, D·H) output and (L·D, B, H) states.
func referenceRun(_ kind: RecurrentKind, _ layer: RecurrentLayer, _ x: Tensor, h0: Tensor?, c0: Tensor?)
    -> (output: Tensor, h: Tensor, c: Tensor?) {
    let (T, B, H, D) = (x.shape[0], x.shape[1], layer.hiddenSize, layer.directions)
    var inputs = (0..<T).map { x[$0] }                  // T × (B, I)
    var hFinal: [Tensor] = [], cFinal: [Tensor] = []
    for l in 0..<layer.numLayers {
        var outputs = [[Tensor]](repeating: [], count: T)   // per step, one (B, H) per direction
        for d in 0..<D {
            let k = l * D + d
            var h = h0.map { $0[k] } ?? Tensor.zeros([B, H])
            var c: Tensor? = kind == .lstm ? (c0.map { $0[k] } ?? Tensor.zeros([B, H])) : nil
            for t in (d == 0 ? Array(0..<T) : Array((0..<T).reversed())) {
                (h, c) = referenceStep(kind, layer.weights[k], x: inputs[t], h: h, c: c, hidden: H)
                outputs[t].append(h)
            }
            hFinal.append(h)
            if let c { cFinal.append(c) }
        }
        inputs = outputs.map { concat($0, axis: 1) }
    }
    return (stack(inputs), stack(hFinal), cFinal.isEmpty ? nil : stack(cFinal))
}

/// A loss over the output and every final state, each element weighted differently.
func recurrentLoss(_ r: (output: Tensor, h: Tensor, c: Tensor?)) -> Tensor {
    var loss = weightedSum(r.output, seed: 11) + weightedSum(r.h, seed: 12)
    if let c = r.c { loss = loss + weightedSum(c, seed: 13) }
    return loss
}

extension XCTestCase {
    /// Runs `body`; if it recorded failures, adds one naming `context` (XCTContext's activities
    /// are not on Linux), so a failing configuration is identified.
    func labelled(_ context: String, _ body: () -> Void) {
        let before = testRun?.totalFailureCount ?? 0
        body()
        if (testRun?.totalFailureCount ?? 0) > before { XCTFail("the failures above are from \(context)") }
    }
}
