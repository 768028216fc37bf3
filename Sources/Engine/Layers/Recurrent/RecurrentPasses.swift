/// One layer-direction's pass over all steps for one part of the batch, forward and backward
/// side by side, then the weight gradients over all parts. Per step, the only matrix product is
/// the recurrent one, (B_p, H)·(H, G·H) with W_hh packed once; the input projection of all steps,
/// dx, dW_ih, dW_hh and the bias gradients are each one product or one loop outside the step loop.
/// Shapes: B_p the part's rows, every (T·B)-row buffer part by part (see `BatchPart`).

/// What forward keeps of one layer-direction for backward, indexed by time step t (not by
/// processing order, so the backward direction lines up with the input rows).
struct DirectionTape {
    /// (T·B, H): the hidden state each step starts from.
    let hPrev: FloatBuffer
    /// (T·B, H): the LSTM cell state each step starts from; nil for RNN and GRU.
    let cPrev: FloatBuffer?
    /// (T·B, G·H): the gate activations, in Engine's gate order (see `RecurrentCell`).
    let gates: FloatBuffer
    /// (T·B, H): the GRU's W_hn·h + b_hn, the LSTM's tanh(c'); nil for the RNN.
    let extra: FloatBuffer?

    /// Every step writes its rows of each buffer before anything reads them.
    init(_ cell: RecurrentCell, _ sizes: Sizes) {
        let (rows, H) = (sizes.steps * sizes.batch, sizes.hidden)
        hPrev = FloatBuffer(uninitialized: rows * H)
        cPrev = cell.hasCellState ? FloatBuffer(uninitialized: rows * H) : nil
        gates = FloatBuffer(uninitialized: rows * cell.gateCount * H)
        extra = cell.hasExtra ? FloatBuffer(uninitialized: rows * H) : nil
    }
}

/// The products of one step for one layer-direction, W_hh packed once for B_p-row products:
/// one per entry of `RecurrentCell.stepProducts`, with where its output goes.
struct StepProducts {
    struct Product {
        let matrix: PackedMatrix
        /// Where in a row of the gate buffer its output starts; nil: into `extra`.
        let gateOffset: Int?
    }
    let products: [Product]
}

/// d(loss)/d(pre-activations) of one layer-direction, kept from BPTT for the weight gradients.
struct GateGradients {
    /// (T·B, G·H): of the input part, feeding dW_ih, db_ih and dx.
    let input: FloatBuffer
    /// (T·B, G·H): of the recurrent part, feeding dW_hh and db_hh; the same buffer as `input`
    /// except for the GRU, where they differ in the n block.
    let recurrent: FloatBuffer

    init(_ cell: RecurrentCell, _ sizes: Sizes) {
        let count = sizes.steps * sizes.batch * cell.gateCount * sizes.hidden
        input = FloatBuffer(uninitialized: count)
        recurrent = cell.keepsRecurrentPartApart ? FloatBuffer(uninitialized: count) : input
    }
}

extension RecurrentLayer {
    /// Runs direction `direction` (0 forward in time, 1 backward) of one layer for `part`'s rows.
    /// - steps: the step's products, packed for B_p rows.
    /// - orderedInputWeights: W_ih (I, G·H) with its blocks in Engine's gate order, when that
    ///   differs from PyTorch's and the input is dense (see `gateOrdered`).
    /// - output: (T·B, D·H); this direction fills columns d·H..<(d+1)·H of the part's rows.
    /// - hInit, cInit: (B, H) initial states; hLast, cLast: (B, H) filled with the final ones.
    func forwardDirection(_ w: RecurrentWeights, _ steps: StepProducts, orderedInputWeights: FloatBuffer?, _ sizes: Sizes,
                          _ part: BatchPart, direction: Int, input: LayerInput, output: LayerOutput, tape: DirectionTape,
                          hInit: UnsafePointer<Float>, cInit: UnsafePointer<Float>?,
                          hLast: UnsafeMutablePointer<Float>, cLast: UnsafeMutablePointer<Float>?) {
        let (T, B, H, D) = (sizes.steps, sizes.batch, sizes.hidden, sizes.directions)
        let (G, Bp, reverse) = (cell.gateCount, part.count, direction == 1)
        let GH = G * H
        let first = part.rows.lowerBound * H                                   // the part's rows of a (B, H) state
        let gi = tape.gates.pointer + part.firstRow * GH                        // (T·B_p, G·H) the part's gate rows
        let bias = UnsafeMutablePointer<Float>.allocate(capacity: GH)          // (G·H), Engine's order
        defer { bias.deallocate() }

        w.ih.data.withUnsafeBufferPointer { wih in
        w.biasIH.data.withUnsafeBufferPointer { bih in
        w.biasHH.data.withUnsafeBufferPointer { bhh in
            // The input part of every step at once: gi = x·W_ih + b_ih (+ b_hh where the cell
            // just adds the recurrent part), in Engine's gate order.
            for (k, block) in cell.gateOrder.enumerated() {   // (G iterations)
                let withHH = cell.addsRecurrentBiasUpFront(block: block)
                for j in 0..<H { bias[k * H + j] = bih[block * H + j] + (withHH ? bhh[block * H + j] : 0) }
            }
            switch input {
            case .oneHot(let indices):   // one-hot rows: x·W_ih is a row lookup of W_ih, block by block
                let order = cell.gateOrder
                for t in 0..<T {
                    for b in 0..<Bp {
                        let row = gi + (t * Bp + b) * GH, source = wih.baseAddress! + indices[part.standardRow(t, b, batch: B)] * GH
                        for (k, block) in order.enumerated() {
                            let (to, from, add) = (row + k * H, source + block * H, bias + k * H)
                            for j in 0..<H { to[j] = add[j] + from[j] }
                        }
                    }
                }
            case .dense(let x, let I):
                let weights = orderedInputWeights.map { UnsafePointer($0.pointer) } ?? wih.baseAddress!
                sgemm(x + part.firstRow * I, weights, gi, m: T * Bp, n: GH, k: I, bias: bias, part: part.index)
            }

            let firstStep = reverse ? T - 1 : 0
            (tape.hPrev.pointer + part.row(firstStep) * H).update(from: hInit + first, count: Bp * H)
            if let cPrev = tape.cPrev { (cPrev.pointer + part.row(firstStep) * H).update(from: cInit! + first, count: Bp * H) }
            for s in 0..<T {
                let t = reverse ? T - 1 - s : s, next = reverse ? t - 1 : t + 1
                let state = StepState(batch: Bp, hidden: H, hPrev: tape.hPrev.pointer + part.row(t) * H,
                                      cPrev: tape.cPrev.map { $0.pointer + part.row(t) * H },
                                      gates: tape.gates.pointer + part.row(t) * GH,
                                      extra: tape.extra.map { $0.pointer + part.row(t) * H })
                // The gates' activations, act(input part + h·W_hh), come out of the products.
                for product in steps.products {
                    let into = product.gateOffset.map { state.gates + $0 } ?? state.extra!
                    product.matrix.multiply(state.hPrev, into: into, part: part.index)
                }
                // The new state goes where the next step reads it, or out as the final state.
                let h = s == T - 1 ? hLast + first : tape.hPrev.pointer + part.row(next) * H
                let c = s == T - 1 ? cLast.map { $0 + first } : tape.cPrev.map { $0.pointer + part.row(next) * H }
                cell.forward(state, StepForward(h: h, c: c, recurrentBias: cell == .gru ? bhh.baseAddress! + 2 * H : nil))
                for b in 0..<Bp {
                    (output.row(part, t, b, batch: B, width: D * H) + direction * H).update(from: h + b * H, count: H)
                }
            }
        } } }
    }

    /// Backpropagation through time for one layer-direction and `part`'s rows: fills the part's
    /// rows of `gradients` and hands d(input) down. Walks the steps in the reverse of forward's order.
    /// - packed: W_hhᵀ (G·H, H) packed for B_p-row products.
    /// - dOutput: (T·B, D·H) d(loss)/d(layer output); this direction reads its H columns.
    /// - dhLast, dcLast: (B, H) d(loss)/d(final states).
    /// - dInput: (T·B, I) d(loss)/d(layer input), added to; nil when not needed.
    /// - dhInit, dcInit: (B, H), the part's rows filled with d(loss)/d(initial states).
    func backwardDirection(_ w: RecurrentWeights, _ packed: PackedMatrix, _ sizes: Sizes, _ part: BatchPart,
                           direction: Int, tape: DirectionTape, gradients: GateGradients, inputWidth I: Int,
                           dOutput: LayerOutput, dhLast: UnsafePointer<Float>, dcLast: UnsafePointer<Float>?,
                           dInput: UnsafeMutablePointer<Float>?,
                           dhInit: UnsafeMutablePointer<Float>, dcInit: UnsafeMutablePointer<Float>) {
        let (T, B, H, D) = (sizes.steps, sizes.batch, sizes.hidden, sizes.directions)
        let (GH, Bp, reverse) = (cell.gateCount * H, part.count, direction == 1)
        let first = part.rows.lowerBound * H
        let (dGi, dGh) = (gradients.input.pointer, gradients.recurrent.pointer)
        let dh = UnsafeMutablePointer<Float>.allocate(capacity: Bp * H)        // (B_p, H) carried back
        let dc = UnsafeMutablePointer<Float>.allocate(capacity: Bp * H)        // (B_p, H) LSTM only
        defer { dh.deallocate(); dc.deallocate() }
        dh.initialize(from: dhLast + first, count: Bp * H)
        if let dcLast { dc.initialize(from: dcLast + first, count: Bp * H) }

        for s in 0..<T {
            let t = reverse ? s : T - 1 - s
            for b in 0..<Bp {
                let from = dOutput.row(part, t, b, batch: B, width: D * H) + direction * H, to = dh + b * H
                for j in 0..<H { to[j] += from[j] }
            }
            let state = StepState(batch: Bp, hidden: H, hPrev: tape.hPrev.pointer + part.row(t) * H,
                                  cPrev: tape.cPrev.map { $0.pointer + part.row(t) * H },
                                  gates: tape.gates.pointer + part.row(t) * GH,
                                  extra: tape.extra.map { $0.pointer + part.row(t) * H })
            let (stepGi, stepGh) = (dGi + part.row(t) * GH, dGh + part.row(t) * GH)
            cell.backward(state, StepGradients(dh: dh, dc: dcLast == nil ? nil : dc, dGi: stepGi, dGh: stepGh))
            // dh_prev (B_p, H) += dGh (B_p, G·H) · W_hhᵀ (G·H, H)
            packed.multiply(stepGh, into: dh, part: part.index)
        }
        (dhInit + first).update(from: dh, count: Bp * H)
        if dcLast != nil { (dcInit + first).update(from: dc, count: Bp * H) }

        // dx (T·B_p, I) += dGi (T·B_p, G·H) · W_ihᵀ (G·H, I)
        if let dInput {
            w.ih.data.withUnsafeBufferPointer { wih in
                sgemm(dGi + part.firstRow * GH, wih.baseAddress!, dInput + part.firstRow * I, m: T * Bp, n: I, k: GH,
                      transposeB: true, beta: 1, part: part.index)
            }
        }
    }

    /// dW_ih, dW_hh and the biases' gradients of one layer-direction, from every part's rows:
    /// each a sum over all T·B rows, computed once both parts are done, split over the cores by
    /// columns.
    func accumulateWeightGradients(_ w: RecurrentWeights, _ sizes: Sizes, input: LayerInput,
                                   tape: DirectionTape, gradients: GateGradients) {
        let (GH, rows, H) = (cell.gateCount * sizes.hidden, sizes.steps * sizes.batch, sizes.hidden)
        let (dGi, dGh) = (UnsafePointer(gradients.input.pointer), UnsafePointer(gradients.recurrent.pointer))
        // dW_hh (H, G·H) += hPrevᵀ (H, T·B) · dGh (T·B, G·H)
        w.hh.accumulateProduct { dW, beta in
            sgemm(tape.hPrev.pointer, dGh, dW, m: H, n: GH, k: rows, transposeA: true, beta: beta)
        }
        // Σ_rows dGi (G·H): the gradient of b_ih, and of b_hh but for the GRU's n block.
        var sums = [Float](repeating: 0, count: GH)
        sums.withUnsafeMutableBufferPointer { sums in
            let sums = sums.baseAddress!
            switch input {
            case .oneHot(let indices):   // dW_ih += a scatter-add of dGi's rows into the rows of their tokens
                let parts = BatchPart.parts(of: sizes)
                w.ih.accumulateGrad { dW in
                    Parallel.run { p in   // each core takes half of the columns, of every row
                        let columns = Parallel.share(of: GH, part: p, alignment: 16)
                        for part in parts {
                            for t in 0..<sizes.steps {
                                for b in 0..<part.count {
                                    let target = dW.baseAddress! + indices[part.standardRow(t, b, batch: sizes.batch)] * GH
                                    let source = dGi + part.row(t, b) * GH
                                    for j in columns { target[j] += source[j]; sums[j] += source[j] }
                                }
                            }
                        }
                    }
                }
            case .dense(let x, let I):   // dW_ih (I, G·H) += xᵀ (I, T·B) · dGi (T·B, G·H)
                w.ih.accumulateProduct { dW, beta in
                    sgemm(x, dGi, dW, m: I, n: GH, k: rows, transposeA: true, beta: beta)
                }
                addColumnSums(dGi, rows: rows, columns: GH, into: sums)
            }
            w.biasIH.accumulateGrad { db in for j in 0..<GH { db[j] += sums[j] } }
            w.biasHH.accumulateGrad { db in
                let nBlock = cell.keepsRecurrentPartApart ? 2 * H : GH
                for j in 0..<nBlock { db[j] += sums[j] }
                if nBlock < GH { addColumnSums(dGh + nBlock, rows: rows, columns: GH - nBlock, stride: GH, into: db.baseAddress! + nBlock) }
            }
        }
    }
}
