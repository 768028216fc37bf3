/// One layer-direction's pass over all steps, forward and backward side by side. Per step, the
/// only matrix product is the recurrent one, (B, H)·(H, G·H); everything that can be batched
/// over the T steps (the input projection, dW_ih, dW_hh, dx, the bias gradients) is one sgemm
/// or one loop outside the step loop.
///
/// The two cores are used through OpenBLAS's own threads inside each product. Running halves of
/// the batch on threads of our own was measured slower: each thread repacks all of W_hh at
/// every step, and OpenBLAS's idle threads keep spinning for a while after any threaded call
/// (the output layer's, say), competing for the same two cores.

/// What forward keeps of one layer-direction for backward, indexed by time step t (not by
/// processing order, so the backward direction lines up with the input rows).
struct DirectionTape {
    /// (T, B, H): the hidden state each step starts from.
    let hPrev: FloatBuffer
    /// (T, B, H): the LSTM cell state each step starts from; nil for RNN and GRU.
    let cPrev: FloatBuffer?
    /// (T, B, savedWidth·H): the cell's activations (see `RecurrentCell`).
    let saved: FloatBuffer
}

extension RecurrentLayer {
    /// Runs direction `direction` (0 forward in time, 1 backward) of one layer.
    /// - x: (T·B, I) the layer's input rows; ignored when `oneHot` gives their indices.
    /// - output: (T, B, D·H) the layer's output; this direction fills columns d·H..<(d+1)·H.
    /// - hInit, cInit: (B, H) initial states; hLast, cLast: (B, H) filled with the final ones.
    func forwardDirection(_ w: RecurrentWeights, _ sizes: Sizes, direction: Int,
                          x: UnsafePointer<Float>, inputWidth I: Int, oneHot: [Int]?,
                          output: UnsafeMutablePointer<Float>,
                          hInit: UnsafePointer<Float>, cInit: UnsafePointer<Float>?,
                          hLast: UnsafeMutablePointer<Float>, cLast: UnsafeMutablePointer<Float>?) -> DirectionTape {
        let (T, B, H, D) = (sizes.steps, sizes.batch, sizes.hidden, sizes.directions)
        let (GH, rows, reverse) = (cell.gateCount * H, T * B, direction == 1)
        let apart = cell.keepsRecurrentPartApart
        // Every step writes its slot of each tape buffer before anything reads it.
        let tape = DirectionTape(hPrev: FloatBuffer(uninitialized: rows * H),
                                 cPrev: cell.hasCellState ? FloatBuffer(uninitialized: rows * H) : nil,
                                 saved: FloatBuffer(uninitialized: rows * cell.savedWidth * H))
        let gi = UnsafeMutablePointer<Float>.allocate(capacity: rows * GH)    // (T·B, G·H)
        let gh = UnsafeMutablePointer<Float>.allocate(capacity: B * GH)       // (B, G·H), GRU only
        let bias = UnsafeMutablePointer<Float>.allocate(capacity: GH)         // (G·H)
        defer { gi.deallocate(); gh.deallocate(); bias.deallocate() }

        w.ih.data.withUnsafeBufferPointer { wih in
        w.hh.data.withUnsafeBufferPointer { whh in
        w.biasIH.data.withUnsafeBufferPointer { bih in
        w.biasHH.data.withUnsafeBufferPointer { bhh in
            // gi = x·W_ih + bias for all steps at once; bias is b_ih, plus b_hh when the cell
            // just adds the recurrent part (then the step's product can accumulate into gi).
            for j in 0..<GH { bias[j] = apart ? bih[j] : bih[j] + bhh[j] }
            if let oneHot {   // one-hot rows: x·W_ih is a row lookup of W_ih
                for r in 0..<rows {
                    let row = gi + r * GH, source = wih.baseAddress! + oneHot[r] * GH
                    for j in 0..<GH { row[j] = bias[j] + source[j] }
                }
            } else {
                for r in 0..<rows { (gi + r * GH).initialize(from: bias, count: GH) }
                sgemm(x, wih.baseAddress!, gi, m: rows, n: GH, k: I, beta: 1)
            }

            let first = reverse ? T - 1 : 0
            tape.hPrev.pointer.advanced(by: first * B * H).update(from: hInit, count: B * H)
            if let cPrev = tape.cPrev { (cPrev.pointer + first * B * H).update(from: cInit!, count: B * H) }
            for s in 0..<T {
                let t = reverse ? T - 1 - s : s, next = reverse ? t - 1 : t + 1
                let state = StepState(batch: B, hidden: H, hPrev: tape.hPrev.pointer + t * B * H,
                                      cPrev: tape.cPrev.map { $0.pointer + t * B * H },
                                      saved: tape.saved.pointer + t * B * cell.savedWidth * H)
                let pre = gi + t * B * GH
                // GRU: gh (B, G·H) = h·W_hh (the kernel adds b_hh); others: pre (B, G·H) += h·W_hh.
                sgemm(state.hPrev, whh.baseAddress!, apart ? gh : pre, m: B, n: GH, k: H, beta: apart ? 0 : 1)
                // The new state goes where the next step reads it, or out as the final state.
                let h = s == T - 1 ? hLast : tape.hPrev.pointer + next * B * H
                let c = s == T - 1 ? cLast : tape.cPrev.map { $0.pointer + next * B * H }
                cell.forward(state, StepForward(pre: pre, recurrent: apart ? gh : nil,
                                                recurrentBias: apart ? bhh.baseAddress! : nil, h: h, c: c))
                for b in 0..<B {
                    (output + (t * B + b) * D * H + direction * H).update(from: h + b * H, count: H)
                }
            }
        } } } }
        return tape
    }

    /// Backpropagation through time for one layer-direction, accumulating into the gradients of
    /// its weights. Walks the steps in the reverse of forward's order.
    /// - x: (T·B, I) the layer's input rows (unused when `oneHot` is set).
    /// - dOutput: (T, B, D·H) d(loss)/d(layer output); this direction reads its H columns.
    /// - dhLast, dcLast: (B, H) d(loss)/d(final states).
    /// - dX: (T·B, I) d(loss)/d(x), added to; nil when not needed.
    /// - dhInit, dcInit: (B, H) filled with d(loss)/d(initial states).
    func backwardDirection(_ w: RecurrentWeights, _ sizes: Sizes, direction: Int, tape: DirectionTape,
                           x: UnsafePointer<Float>, inputWidth I: Int, oneHot: [Int]?,
                           dOutput: UnsafePointer<Float>,
                           dhLast: UnsafePointer<Float>, dcLast: UnsafePointer<Float>?,
                           dX: UnsafeMutablePointer<Float>?,
                           dhInit: UnsafeMutablePointer<Float>, dcInit: UnsafeMutablePointer<Float>) {
        let (T, B, H, D) = (sizes.steps, sizes.batch, sizes.hidden, sizes.directions)
        let (GH, rows, reverse) = (cell.gateCount * H, T * B, direction == 1)
        let apart = cell.keepsRecurrentPartApart
        let dh = UnsafeMutablePointer<Float>.allocate(capacity: B * H)        // (B, H) carried back
        let dc = UnsafeMutablePointer<Float>.allocate(capacity: B * H)        // (B, H) LSTM only
        let dGi = UnsafeMutablePointer<Float>.allocate(capacity: rows * GH)   // (T·B, G·H)
        let dGh = apart ? UnsafeMutablePointer<Float>.allocate(capacity: rows * GH) : dGi  // (T·B, G·H)
        defer { dh.deallocate(); dc.deallocate(); dGi.deallocate(); if apart { dGh.deallocate() } }
        dh.initialize(from: dhLast, count: B * H)
        if let dcLast { dc.initialize(from: dcLast, count: B * H) }

        w.hh.data.withUnsafeBufferPointer { whh in
            for s in 0..<T {
                let t = reverse ? s : T - 1 - s
                for b in 0..<B {
                    let from = dOutput + (t * B + b) * D * H + direction * H, to = dh + b * H
                    for j in 0..<H { to[j] += from[j] }
                }
                let state = StepState(batch: B, hidden: H, hPrev: tape.hPrev.pointer + t * B * H,
                                      cPrev: tape.cPrev.map { $0.pointer + t * B * H },
                                      saved: tape.saved.pointer + t * B * cell.savedWidth * H)
                cell.backward(state, StepGradients(dh: dh, dc: dcLast == nil ? nil : dc,
                                                   dGi: dGi + t * B * GH, dGh: dGh + t * B * GH))
                // dh_prev (B, H) += dGh (B, G·H) · W_hhᵀ (G·H, H)
                sgemm(dGh + t * B * GH, whh.baseAddress!, dh, m: B, n: H, k: GH, transposeB: true, beta: 1)
            }
        }
        dhInit.update(from: dh, count: B * H)
        if dcLast != nil { dcInit.update(from: dc, count: B * H) }

        // dW_hh (H, G·H) += hPrevᵀ (H, T·B) · dGh (T·B, G·H); the biases get column sums.
        w.hh.accumulateGrad { dW in
            sgemm(tape.hPrev.pointer, dGh, dW.baseAddress!, m: H, n: GH, k: rows, transposeA: true, beta: 1)
        }
        // db_ih (G·H) += Σ_rows dGi; db_hh the same but for the GRU's n block, Σ_rows dGh there.
        let biasGrad = UnsafeMutablePointer<Float>.allocate(capacity: GH)
        defer { biasGrad.deallocate() }
        biasGrad.initialize(repeating: 0, count: GH)
        addColumnSums(dGi, rows: rows, columns: GH, stride: GH, into: biasGrad)
        w.biasIH.accumulateGrad { db in for j in 0..<GH { db[j] += biasGrad[j] } }
        if apart {
            let nBlock = 2 * H
            (biasGrad + nBlock).update(repeating: 0, count: H)
            addColumnSums(dGh + nBlock, rows: rows, columns: H, stride: GH, into: biasGrad + nBlock)
        }
        w.biasHH.accumulateGrad { db in for j in 0..<GH { db[j] += biasGrad[j] } }
        // dW_ih (I, G·H) += xᵀ (I, T·B) · dGi (T·B, G·H); for one-hot rows, a scatter-add.
        w.ih.accumulateGrad { dW in
            if let oneHot {
                for r in 0..<rows {
                    let target = dW.baseAddress! + oneHot[r] * GH, source = dGi + r * GH
                    for j in 0..<GH { target[j] += source[j] }
                }
            } else {
                sgemm(x, dGi, dW.baseAddress!, m: I, n: GH, k: rows, transposeA: true, beta: 1)
            }
        }
        // dx (T·B, I) += dGi (T·B, G·H) · W_ihᵀ (G·H, I)
        if let dX {
            w.ih.data.withUnsafeBufferPointer { wih in
                sgemm(dGi, wih.baseAddress!, dX, m: rows, n: I, k: GH, transposeB: true, beta: 1)
            }
        }
    }
}

/// into[j] += Σ_r m[r, j] for an (rows, columns) matrix m whose rows are `stride` apart.
private func addColumnSums(_ m: UnsafePointer<Float>, rows: Int, columns: Int, stride: Int,
                           into: UnsafeMutablePointer<Float>) {
    for r in 0..<rows {
        let row = m + r * stride
        for j in 0..<columns { into[j] += row[j] }
    }
}
