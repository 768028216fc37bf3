/// The part RNN, GRU and LSTM share: parameters, PyTorch's initialization and the fused
/// forward/backward over layers, directions and steps. The cells differ only in their per-step
/// kernels (`RecurrentCell`).

/// One layer-direction's parameters, stored transposed from PyTorch's so that every product is
/// a plain row-major sgemm: `ih` is (I, G·H) and `hh` (H, G·H), whose H-wide column blocks are
/// the gates in PyTorch's order (RNN: one; GRU: r, z, n; LSTM: i, f, g, o). PyTorch's
/// `weight_ih_l{k}` (G·H, I) is `ih` transposed; the biases (G·H) are the same.
public struct RecurrentWeights {
    public let ih: Tensor
    public let hh: Tensor
    public let biasIH: Tensor
    public let biasHH: Tensor

    /// In PyTorch's parameter order: weight_ih, weight_hh, bias_ih, bias_hh.
    public var all: [Tensor] { [ih, hh, biasIH, biasHH] }
}

/// A stack of recurrent layers over a (T, B, I) sequence, run as ONE tape node: the forward pass
/// computes every layer, direction and step, and its backward rule does the whole
/// backpropagation through time. Not subclassable outside Engine; use `RNN`, `GRU` or `LSTM`.
public class RecurrentLayer {
    let cell: RecurrentCell
    public let inputSize: Int
    public let hiddenSize: Int
    public let numLayers: Int
    public let bidirectional: Bool
    /// One entry per layer and direction in PyTorch's order: layer 0 forward, layer 0 backward
    /// (when bidirectional), layer 1 forward, … Layer l > 0 reads the (T, B, D·H) output below.
    public let weights: [RecurrentWeights]

    /// D: 2 when bidirectional, else 1.
    public var directions: Int { bidirectional ? 2 : 1 }

    /// Every weight and bias, layer by layer and direction by direction, in PyTorch's order.
    public var parameters: [Tensor] { weights.flatMap(\.all) }

    /// PyTorch's default initialization: every weight and bias from Uniform(−1/√H, 1/√H).
    init(cell: RecurrentCell, inputSize: Int, hiddenSize: Int, numLayers: Int, bidirectional: Bool,
         generator: inout RandomGenerator) {
        precondition(inputSize > 0 && hiddenSize > 0 && numLayers > 0,
                     "recurrent layer needs positive sizes, got I \(inputSize), H \(hiddenSize), L \(numLayers)")
        self.cell = cell
        self.inputSize = inputSize
        self.hiddenSize = hiddenSize
        self.numLayers = numLayers
        self.bidirectional = bidirectional
        let (H, D, GH) = (hiddenSize, bidirectional ? 2 : 1, cell.gateCount * hiddenSize)
        let bound = 1 / Float(H).squareRoot()
        var weights: [RecurrentWeights] = []
        for layer in 0..<numLayers {
            let I = layer == 0 ? inputSize : D * H
            for _ in 0..<D {
                let shapes = [[I, GH], [H, GH], [GH], [GH]]
                let t = shapes.map {
                    Tensor.uniform($0, low: -bound, high: bound, requiresGrad: true, using: &generator)
                }
                weights.append(RecurrentWeights(ih: t[0], hh: t[1], biasIH: t[2], biasHH: t[3]))
            }
        }
        self.weights = weights
    }

    /// Runs every layer over `input` (T, B, I) from the initial states `h0` (and the LSTM's
    /// `c0`), each (L·D, B, H), zeros when nil. Returns the last layer's output (T, B, D·H),
    /// both directions side by side (forward first) at each step, and the final states
    /// (L·D, B, H) in the same layer-direction order as `weights`.
    ///
    /// The batch rows are independent of each other through every step and layer, so the two
    /// cores each take half of them (`BatchPart`) and run the whole stack on their half without
    /// waiting for each other; only the weight gradients, which sum over all rows, meet.
    func run(_ input: Tensor, h0: Tensor?, c0: Tensor?) -> (output: Tensor, h: Tensor, c: Tensor?) {
        precondition(input.rank == 3 && input.shape[2] == inputSize,
                     "recurrent layer expects input (T, B, \(inputSize)), got \(input.shape)")
        let (T, B, H, D, L) = (input.shape[0], input.shape[1], hiddenSize, directions, numLayers)
        precondition(T > 0 && B > 0, "recurrent layer needs at least one step and one row, got \(input.shape)")
        let stateShape = [L * D, B, H]
        for state in [h0, c0] {
            if let state { precondition(state.shape == stateShape, "state must be \(stateShape), got \(state.shape)") }
        }
        // A (T·B, V) one-hot reshaped to (T, B, V) keeps its indices: then layer 0's input
        // projection is a row lookup of W_ih instead of a (T·B, V)·(V, G·H) product.
        let oneHot = input.oneHotIndices
        if let oneHot { precondition(oneHot.count == T * B, "one-hot indices do not match \(input.shape)") }

        let sizes = Sizes(steps: T, batch: B, hidden: H, directions: D)
        let parts = BatchPart.parts(of: sizes)
        let (outputCount, stateCount) = (T * B * D * H, L * D * B * H)
        let hInit = FloatBuffer(copying: h0?.data, count: stateCount)
        let cInit = cell.hasCellState ? FloatBuffer(copying: c0?.data, count: stateCount) : nil
        // Layer 0's dense input, part by part (see `BatchPart`); a one-hot input needs none.
        let x0 = oneHot == nil ? BatchPart.partMajorCopy(input.data, sizes: sizes, width: inputSize) : nil
        // Layer l's output, part by part, for layers below the top: the input of layer l + 1.
        let outputs = (0..<(L - 1)).map { _ in FloatBuffer(uninitialized: T * B * D * H) }
        let tapes = weights.map { _ in DirectionTape(cell, sizes) }
        // Per layer-direction: W_ih in Engine's gate order where that differs (a one-hot input
        // is looked up block by block instead), and the step's products, W_hh packed once for
        // all T steps of both parts.
        let inputWeights = weights.enumerated().map { k, w in
            cell.reordersGates && (k >= D || oneHot == nil) ? gateOrdered(w.ih) : nil
        }
        let stepProducts = weights.map { w in byRowCount(parts) { rows in self.stepProducts(w, rows: rows) } }

        // The value of the one tape node: [output | h_n | c_n], filled in place by the parts.
        var value = uninitializedFloats(outputCount + stateCount * (cell.hasCellState ? 2 : 1))
        value.withUnsafeMutableBufferPointer { value in
            let (output, hLast) = (value.baseAddress!, value.baseAddress! + outputCount)
            let cLast = cell.hasCellState ? hLast + stateCount : nil
            PhaseLog.measure(.recurrentPasses) { BatchPart.forEach(parts) { part in
                for layer in 0..<L {
                    let input = layerInput(layer, oneHot: oneHot, x0: x0, outputs: outputs)
                    let out: LayerOutput = layer < L - 1 ? .partMajor(outputs[layer].pointer) : .standard(output)
                    for d in 0..<D {
                        let k = layer * D + d, offset = k * B * H
                        forwardDirection(weights[k], stepProducts[k][part.count]!, orderedInputWeights: inputWeights[k], sizes, part,
                                         direction: d, input: input, output: out, tape: tapes[k],
                                         hInit: hInit.pointer + offset, cInit: cInit.map { $0.pointer + offset },
                                         hLast: hLast + offset, cLast: cLast.map { $0 + offset })
                    }
                }
            } }
        }

        let states = [h0, c0].compactMap { $0 }
        let node = Tensor.record([value.count], value, inputs: [input] + states + parameters) { result in
            self.backward(result.grad!.data, input: input, oneHot: oneHot, x0: x0, h0: h0, c0: c0,
                          sizes: sizes, outputs: outputs, tapes: tapes)
        }
        return (slice(node, offset: 0, shape: [T, B, D * H]),
                slice(node, offset: outputCount, shape: stateShape),
                cell.hasCellState ? slice(node, offset: outputCount + stateCount, shape: stateShape) : nil)
    }

    /// BPTT for the whole stack. `grad` is d(loss)/d[output | h_n | c_n]. Each part walks its
    /// rows through the layers top to bottom, each direction handing d(its input) down as the
    /// next layer's d(output); then the weight gradients sum over every row.
    private func backward(_ grad: [Float], input: Tensor, oneHot: [Int]?, x0: FloatBuffer?, h0: Tensor?, c0: Tensor?,
                          sizes: Sizes, outputs: [FloatBuffer], tapes: [DirectionTape]) {
        let (T, B, H, D, L) = (sizes.steps, sizes.batch, sizes.hidden, sizes.directions, numLayers)
        let (GH, parts) = (cell.gateCount * H, BatchPart.parts(of: sizes))
        let stateCount = L * D * B * H
        let dhInit = FloatBuffer(uninitialized: stateCount), dcInit = FloatBuffer(uninitialized: stateCount)
        // d(loss)/d(layer l's input), part by part: d(output) of layer l − 1; for layer 0 only
        // when the input itself needs a gradient.
        let dInputs = (0..<L).map { layer in
            layer > 0 || input.requiresGrad ? FloatBuffer(zeros: T * B * (layer == 0 ? inputSize : D * H)) : nil
        }
        // W_hhᵀ (G·H, H), for dh_prev += dGh·W_hhᵀ, packed once for all T steps of both parts.
        let packed = weights.map { w in
            w.hh.data.withUnsafeBufferPointer { whh in
                byRowCount(parts) { rows in PackedMatrix(whh.baseAddress!, k: GH, n: H, transposed: true, rows: rows, beta: 1) }
            }
        }
        let gradients = weights.map { _ in GateGradients(cell, sizes) }
        grad.withUnsafeBufferPointer { g in
            let dhLast = g.baseAddress! + T * B * D * H      // (L·D, B, H)
            let dcLast = dhLast + stateCount                 // (L·D, B, H), LSTM only
            PhaseLog.measure(.recurrentPasses) { BatchPart.forEach(parts) { part in
                for layer in (0..<L).reversed() {
                    let dOutput: LayerOutput = layer == L - 1 ? .standard(UnsafeMutablePointer(mutating: g.baseAddress!))
                        : .partMajor(dInputs[layer + 1]!.pointer)
                    for d in 0..<D {
                        let k = layer * D + d, offset = k * B * H
                        backwardDirection(weights[k], packed[k][part.count]!, sizes, part, direction: d, tape: tapes[k],
                                          gradients: gradients[k], inputWidth: layer == 0 ? inputSize : D * H, dOutput: dOutput,
                                          dhLast: dhLast + offset, dcLast: cell.hasCellState ? dcLast + offset : nil,
                                          dInput: dInputs[layer]?.pointer,
                                          dhInit: dhInit.pointer + offset, dcInit: dcInit.pointer + offset)
                    }
                }
            } }
        }
        PhaseLog.measure(.weightGradients) {
            for layer in 0..<L {
                let input = layerInput(layer, oneHot: oneHot, x0: x0, outputs: outputs)
                for d in 0..<D {
                    let k = layer * D + d
                    accumulateWeightGradients(weights[k], sizes, input: input, tape: tapes[k], gradients: gradients[k])
                }
            }
        }
        if let dX = dInputs[0] {
            input.accumulateGrad { d in BatchPart.addStandard(from: dX.pointer, into: d.baseAddress!, sizes: sizes, width: inputSize) }
        }
        h0?.accumulateGrad { d in for i in 0..<d.count { d[i] += dhInit.pointer[i] } }
        c0?.accumulateGrad { d in for i in 0..<d.count { d[i] += dcInit.pointer[i] } }
    }

    /// What layer `layer` reads: the one-hot indices or dense input for layer 0 (part by part),
    /// the output of the layer below for the others.
    private func layerInput(_ layer: Int, oneHot: [Int]?, x0: FloatBuffer?, outputs: [FloatBuffer]) -> LayerInput {
        if layer > 0 { return .dense(UnsafePointer(outputs[layer - 1].pointer), width: directions * hiddenSize) }
        return oneHot.map { .oneHot($0) } ?? .dense(UnsafePointer(x0!.pointer), width: inputSize)
    }

    /// `make(rows)` for each distinct row count of `parts` (one value when the parts are even):
    /// packed weights are made for the m of their products.
    private func byRowCount<Value>(_ parts: [BatchPart], _ make: (Int) -> Value) -> [Int: Value] {
        Dictionary(uniqueKeysWithValues: Set(parts.map(\.count)).map { ($0, make($0)) })
    }

    /// A weight (rows, G·H) with its column blocks in Engine's gate order: the gate order of the
    /// activations the step's products write (see `RecurrentCell.gateOrder`).
    func gateOrdered(_ weight: Tensor) -> FloatBuffer {
        let (rows, H) = (weight.shape[0], hiddenSize)
        let GH = cell.gateCount * H
        return weight.data.withUnsafeBufferPointer { w in
            let (ordered, order) = (FloatBuffer(uninitialized: rows * GH), cell.gateOrder)
            for r in 0..<rows {
                for (k, block) in order.enumerated() {
                    (ordered.pointer + r * GH + k * H).update(from: w.baseAddress! + r * GH + block * H, count: H)
                }
            }
            return ordered
        }
    }

    /// The step's products for one layer-direction and `rows`-row parts: each a block of W_hh's
    /// columns (in Engine's gate order) packed once, with the activation it applies.
    private func stepProducts(_ w: RecurrentWeights, rows: Int) -> StepProducts {
        let (H, GH) = (hiddenSize, cell.gateCount * hiddenSize)
        let ordered = cell.reordersGates ? gateOrdered(w.hh) : nil
        return w.hh.data.withUnsafeBufferPointer { original in
            let whh = ordered.map { UnsafePointer($0.pointer) } ?? original.baseAddress!   // (H, G·H)
            return StepProducts(products: cell.stepProducts.map { step in
                let matrix = PackedMatrix(whh + step.blocks.lowerBound * H, k: H, n: step.blocks.count * H,
                                          transposed: false, rows: rows, beta: step.intoGates ? 1 : 0, sourceLD: GH,
                                          outputLD: step.intoGates ? GH : H, activation: step.activation)
                return StepProducts.Product(matrix: matrix, gateOffset: step.intoGates ? step.blocks.lowerBound * H : nil)
            })
        }
    }

    /// `count` elements of `packed` from `offset`, as a tensor of `shape`, on the tape.
    private func slice(_ packed: Tensor, offset: Int, shape: [Int]) -> Tensor {
        let count = shape.reduce(1, *)
        return Tensor.record(shape, Array(packed.data[offset..<(offset + count)]), inputs: [packed]) { result in
            result.grad!.data.withUnsafeBufferPointer { g in
                packed.accumulateGrad { d in
                    let target = d.baseAddress! + offset
                    for i in 0..<count { target[i] += g[i] }
                }
            }
        }
    }
}

/// T, B, H, D of one call.
struct Sizes {
    let steps: Int, batch: Int, hidden: Int, directions: Int
}

/// Floats owned by one forward pass and kept for its backward. Raw pointers keep the step
/// loops free of nested `withUnsafe…` closures; the memory goes when the tape lets go of it.
final class FloatBuffer {
    let pointer: UnsafeMutablePointer<Float>
    let count: Int

    /// Uninitialized memory, for buffers that are written in full before they are read.
    init(uninitialized count: Int) {
        self.count = count
        pointer = .allocate(capacity: Swift.max(count, 1))
    }

    convenience init(zeros count: Int) {
        self.init(uninitialized: count)
        pointer.initialize(repeating: 0, count: count)
    }

    /// A copy of `values`, or zeros when nil.
    convenience init(copying values: [Float]?, count: Int) {
        self.init(zeros: count)
        if let values { pointer.update(from: values, count: count) }
    }

    deinit { pointer.deallocate() }
}
