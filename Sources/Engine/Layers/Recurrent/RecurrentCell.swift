/// The cell a recurrent layer repeats at every step, and its per-step kernels: forward and
/// backward side by side, in the style of llm.c. A kernel handles one step for the whole batch;
/// the matrix products around it (the input projection of all steps, the recurrent product of
/// each step, the weight gradients) belong to the driver in `RecurrentLayer`.
///
/// Shapes: B batch rows, H hidden units, G gates (1 RNN, 3 GRU, 4 LSTM); every buffer is
/// row-major and contiguous. Gates are stacked in blocks of H columns in PyTorch's order:
/// GRU r, z, n; LSTM i, f, g, o.
enum RecurrentCell {
    case rnnTanh, rnnReLU, gru, lstm

    /// G: how many H-wide blocks of pre-activations one step computes.
    var gateCount: Int {
        switch self {
        case .rnnTanh, .rnnReLU: return 1
        case .gru: return 3
        case .lstm: return 4
        }
    }

    /// Floats kept per batch row and step for backward, in units of H (see each kernel).
    var savedWidth: Int {
        switch self {
        case .rnnTanh, .rnnReLU: return 1
        case .gru: return 4
        case .lstm: return 5
        }
    }

    /// The GRU needs W_hh·h + b_hh apart from the input part (r multiplies only the recurrent
    /// part of n); the other cells just add the two, so the driver sums them in one buffer.
    var keepsRecurrentPartApart: Bool { self == .gru }

    var hasCellState: Bool { self == .lstm }
}

/// What one step reads and keeps: the same pointers in forward and in backward.
struct StepState {
    let batch: Int, hidden: Int
    /// (B, H) the hidden state this step starts from; (B, H) the LSTM cell state, else nil.
    let hPrev: UnsafeMutablePointer<Float>
    let cPrev: UnsafeMutablePointer<Float>?
    /// (B, savedWidth·H) activations forward keeps for backward.
    let saved: UnsafeMutablePointer<Float>
}

/// What one step's forward computes from and into.
struct StepForward {
    /// (B, G·H) pre-activations. RNN/LSTM: x·W_ih + b_ih + h·W_hh + b_hh; GRU: x·W_ih + b_ih.
    /// Kernels may overwrite it.
    let pre: UnsafeMutablePointer<Float>
    /// (B, 3H) GRU only: h·W_hh, and b_hh (3H), which the kernel adds.
    let recurrent: UnsafeMutablePointer<Float>?
    let recurrentBias: UnsafePointer<Float>?
    /// (B, H) the new hidden state, and the new LSTM cell state.
    let h: UnsafeMutablePointer<Float>
    let c: UnsafeMutablePointer<Float>?
}

/// The gradient buffers of one step's backward.
struct StepGradients {
    /// (B, H) in: dL/dh of this step's output, all paths summed. Out: the part of dL/dh_prev
    /// that does not go through W_hh (GRU: z ⊙ dh; others 0); the driver then adds dGh·W_hhᵀ.
    let dh: UnsafeMutablePointer<Float>
    /// (B, H) LSTM only. In: dL/dc of this step's cell state; out: dL/dc_prev.
    let dc: UnsafeMutablePointer<Float>?
    /// (B, G·H) out: dL/d(input pre-activations), feeding dW_ih, db_ih and dx.
    let dGi: UnsafeMutablePointer<Float>
    /// (B, G·H) out: dL/d(recurrent pre-activations), feeding dW_hh, db_hh and dh_prev.
    /// The same buffer as dGi except for the GRU, where they differ in the n block.
    let dGh: UnsafeMutablePointer<Float>
}

extension RecurrentCell {
    func forward(_ s: StepState, _ f: StepForward) {
        switch self {
        case .rnnTanh: rnnForward(s, f, relu: false)
        case .rnnReLU: rnnForward(s, f, relu: true)
        case .gru: gruForward(s, f)
        case .lstm: lstmForward(s, f)
        }
    }

    func backward(_ s: StepState, _ g: StepGradients) {
        switch self {
        case .rnnTanh: rnnBackward(s, g, relu: false)
        case .rnnReLU: rnnBackward(s, g, relu: true)
        case .gru: gruBackward(s, g)
        case .lstm: lstmBackward(s, g)
        }
    }
}

// Inside the loops every buffer is indexed by j alone, through per-gate pointers set up
// outside them: index arithmetic like `2 * H + j` is overflow-checked in Swift, and those
// checks keep the compiler from vectorizing the loop.

// MARK: - RNN: h' = act(pre); saved (B, H) = h'

private func rnnForward(_ s: StepState, _ f: StepForward, relu: Bool) {
    let n = s.batch * s.hidden
    if relu {
        for i in 0..<n { f.h[i] = max(f.pre[i], 0) }
    } else {
        tanhVector(f.pre, into: f.h, count: n)
    }
    s.saved.update(from: f.h, count: n)
}

private func rnnBackward(_ s: StepState, _ g: StepGradients, relu: Bool) {
    let y = s.saved, dh = g.dh, dPre = g.dGi
    for i in 0..<(s.batch * s.hidden) {
        // tanh' = 1 − y²; relu' = 1 where the output is positive (0 at 0, as in PyTorch).
        dPre[i] = dh[i] * (relu ? (y[i] > 0 ? 1 : 0) : 1 - y[i] * y[i])
        dh[i] = 0
    }
}

// MARK: - GRU: r, z = σ(…), n = tanh(x_n + r ⊙ hn), h' = (1 − z) ⊙ n + z ⊙ h
// saved (B, 4H) = [r, z, n, hn] with hn = W_hn·h + b_hn.

private func gruForward(_ s: StepState, _ f: StepForward) {
    let H = s.hidden
    for b in 0..<s.batch {
        let pre = f.pre + b * 3 * H, rec = f.recurrent! + b * 3 * H, saved = s.saved + b * 4 * H
        let (r, z, n, hn) = (saved, saved + H, saved + 2 * H, saved + 3 * H)
        let (preN, recN, bias, biasN) = (pre + 2 * H, rec + 2 * H, f.recurrentBias!, f.recurrentBias! + 2 * H)
        let hPrev = s.hPrev + b * H, h = f.h + b * H
        for j in 0..<(2 * H) { pre[j] += rec[j] + bias[j] }   // r and z pre-activations
        sigmoidVector(pre, into: r, count: 2 * H)              // r, z
        for j in 0..<H {
            hn[j] = recN[j] + biasN[j]
            preN[j] += r[j] * hn[j]                            // x_n + b_in + r ⊙ hn
        }
        tanhVector(preN, into: n, count: H)
        for j in 0..<H { h[j] = (1 - z[j]) * n[j] + z[j] * hPrev[j] }
    }
}

private func gruBackward(_ s: StepState, _ g: StepGradients) {
    let H = s.hidden
    for b in 0..<s.batch {
        let saved = s.saved + b * 4 * H, hPrev = s.hPrev + b * H, dh = g.dh + b * H
        let (r, z, n, hn) = (saved, saved + H, saved + 2 * H, saved + 3 * H)
        let dGi = g.dGi + b * 3 * H, dGh = g.dGh + b * 3 * H
        let (dR, dZ, dN, dNh) = (dGi, dGi + H, dGi + 2 * H, dGh + 2 * H)
        for j in 0..<H {
            let d = dh[j]
            let dnPre = d * (1 - z[j]) * (1 - n[j] * n[j])
            dR[j] = dnPre * hn[j] * r[j] * (1 - r[j])
            dZ[j] = d * (hPrev[j] - n[j]) * z[j] * (1 - z[j])
            dN[j] = dnPre
            dNh[j] = dnPre * r[j]       // the recurrent n part is scaled by r
            dh[j] = d * z[j]
        }
        dGh.update(from: dGi, count: 2 * H)  // r and z: the same for both parts
    }
}

// MARK: - LSTM: i, f, o = σ(…), g = tanh(…), c' = f ⊙ c + i ⊙ g, h' = o ⊙ tanh(c')
// saved (B, 5H) = [i, f, g, o, tanh(c')].

private func lstmForward(_ s: StepState, _ f: StepForward) {
    let H = s.hidden
    for b in 0..<s.batch {
        let pre = f.pre + b * 4 * H, saved = s.saved + b * 5 * H
        let (i, fg, g, o, tc) = (saved, saved + H, saved + 2 * H, saved + 3 * H, saved + 4 * H)
        sigmoidVector(pre, into: i, count: 2 * H)                  // i, f
        tanhVector(pre + 2 * H, into: g, count: H)
        sigmoidVector(pre + 3 * H, into: o, count: H)
        let c = f.c! + b * H, cPrev = s.cPrev! + b * H, h = f.h + b * H
        for j in 0..<H { c[j] = fg[j] * cPrev[j] + i[j] * g[j] }
        tanhVector(c, into: tc, count: H)
        for j in 0..<H { h[j] = o[j] * tc[j] }
    }
}

private func lstmBackward(_ s: StepState, _ g: StepGradients) {
    let H = s.hidden
    for b in 0..<s.batch {
        let saved = s.saved + b * 5 * H, dGi = g.dGi + b * 4 * H
        let (i, f, gg, o, tc) = (saved, saved + H, saved + 2 * H, saved + 3 * H, saved + 4 * H)
        let (dI, dF, dG, dO) = (dGi, dGi + H, dGi + 2 * H, dGi + 3 * H)
        let dh = g.dh + b * H, dc = g.dc! + b * H, cPrev = s.cPrev! + b * H
        for j in 0..<H {
            let d = dh[j]
            let dcTotal = dc[j] + d * o[j] * (1 - tc[j] * tc[j])
            dI[j] = dcTotal * gg[j] * i[j] * (1 - i[j])
            dF[j] = dcTotal * cPrev[j] * f[j] * (1 - f[j])
            dG[j] = dcTotal * i[j] * (1 - gg[j] * gg[j])
            dO[j] = d * tc[j] * o[j] * (1 - o[j])
            dc[j] = dcTotal * f[j]
            dh[j] = 0
        }
    }
}
