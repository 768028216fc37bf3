/// The cell a recurrent layer repeats at every step: which gate activations the step's products
/// compute (fused into them as oneDNN post-ops; a pass over each product's output in the build
/// without oneDNN), and the per-step kernels for the rest, forward and backward side by side,
/// in the style of llm.c. A kernel handles one step for one part of the batch; the matrix
/// products around it belong to the driver in `RecurrentPasses`.
///
/// Shapes: B_p rows (the part's), H hidden units, G gates (1 RNN, 3 GRU, 4 LSTM); every buffer
/// is row-major and contiguous. The parameters stack the gates in blocks of H columns in
/// PyTorch's order (GRU r, z, n; LSTM i, f, g, o), and so do the gradients the kernels write.
/// The gate activations the tape keeps are in Engine's order, `gateOrder`: the LSTM's is
/// i, f, o, g, so that one product applies σ to three gates and another tanh to the fourth.
/// Those activations are oneDNN's (Engine's own σ and tanh without oneDNN): measured against
/// libm, tanh within 8e-8 relative everywhere, σ within 4e-7 relative down to −80 and 0 from
/// about −87 on (where it is below 2e−38).
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

    /// gateOrder[k]: the PyTorch block that Engine's gate block k holds.
    var gateOrder: [Int] {
        self == .lstm ? [0, 1, 3, 2] : Array(0..<gateCount)
    }

    var reordersGates: Bool { self == .lstm }

    /// The products of a step, h·W_hh over consecutive blocks of Engine's gate order, each with
    /// the activation it applies on its way out. `intoGates`: added to the input part held in
    /// the gate buffer (else written alone, to `extra`: the GRU's W_hn·h, which r multiplies).
    var stepProducts: [(blocks: Range<Int>, activation: Activation, intoGates: Bool)] {
        switch self {
        case .rnnTanh: return [(0..<1, .tanh, true)]
        case .rnnReLU: return [(0..<1, .relu, true)]
        case .gru: return [(0..<2, .sigmoid, true), (2..<3, .none, false)]
        case .lstm: return [(0..<3, .sigmoid, true), (3..<4, .tanh, true)]
        }
    }

    /// Whether the bias of the recurrent part joins the input part's before the products: all
    /// blocks but the GRU's n, whose b_hn the kernel adds to W_hn·h.
    func addsRecurrentBiasUpFront(block: Int) -> Bool { !(self == .gru && block == 2) }

    /// Whether dL/d(recurrent pre-activations) differs from dL/d(input ones): the GRU's does in
    /// the n block, where r multiplies only the recurrent part.
    var keepsRecurrentPartApart: Bool { self == .gru }

    /// A second (B_p, H) kept per step: the GRU's W_hn·h + b_hn, the LSTM's tanh(c').
    var hasExtra: Bool { self == .gru || self == .lstm }

    var hasCellState: Bool { self == .lstm }
}

/// What one step reads and keeps: the same pointers in forward and in backward.
struct StepState {
    let batch: Int, hidden: Int
    /// (B_p, H) the hidden state this step starts from; (B_p, H) the LSTM cell state, else nil.
    let hPrev: UnsafeMutablePointer<Float>
    let cPrev: UnsafeMutablePointer<Float>?
    /// (B_p, G·H) the gate activations, in Engine's order (forward fills them through the
    /// products; the GRU kernel turns its n block into n itself).
    let gates: UnsafeMutablePointer<Float>
    /// (B_p, H) see `RecurrentCell.hasExtra`; nil for the RNN.
    let extra: UnsafeMutablePointer<Float>?
}

/// What one step's forward writes.
struct StepForward {
    /// (B_p, H) the new hidden state, and the new LSTM cell state.
    let h: UnsafeMutablePointer<Float>
    let c: UnsafeMutablePointer<Float>?
    /// (H) GRU only: b_hn.
    let recurrentBias: UnsafePointer<Float>?
}

/// The gradient buffers of one step's backward.
struct StepGradients {
    /// (B_p, H) in: dL/dh of this step's output, all paths summed. Out: the part of dL/dh_prev
    /// that does not go through W_hh (GRU: z ⊙ dh; others 0); the driver then adds dGh·W_hhᵀ.
    let dh: UnsafeMutablePointer<Float>
    /// (B_p, H) LSTM only. In: dL/dc of this step's cell state; out: dL/dc_prev.
    let dc: UnsafeMutablePointer<Float>?
    /// (B_p, G·H) out, PyTorch's order: dL/d(input pre-activations), feeding dW_ih, db_ih and dx.
    let dGi: UnsafeMutablePointer<Float>
    /// (B_p, G·H) out, PyTorch's order: dL/d(recurrent pre-activations), feeding dW_hh, db_hh
    /// and dh_prev. The same buffer as dGi except for the GRU, where they differ in the n block.
    let dGh: UnsafeMutablePointer<Float>
}

extension RecurrentCell {
    func forward(_ s: StepState, _ f: StepForward) {
        switch self {
        case .rnnTanh, .rnnReLU: f.h.update(from: s.gates, count: s.batch * s.hidden)  // the product's output is h
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

// MARK: - RNN: h' = act(x·W_ih + b_ih + h·W_hh + b_hh), all in the product; gates (B_p, H) = h'

private func rnnBackward(_ s: StepState, _ g: StepGradients, relu: Bool) {
    let y = s.gates, dh = g.dh, dPre = g.dGi
    for i in 0..<(s.batch * s.hidden) {
        // tanh' = 1 − y²; relu' = 1 where the output is positive (0 at 0, as in PyTorch).
        dPre[i] = dh[i] * (relu ? (y[i] > 0 ? 1 : 0) : 1 - y[i] * y[i])
        dh[i] = 0
    }
}

// MARK: - GRU: r, z = σ(…) from the product, n = tanh(x_n + r ⊙ hn), h' = (1 − z) ⊙ n + z ⊙ h
// gates (B_p, 3H) = [r, z, x_n + b_in → n], extra (B_p, H) = hn = W_hn·h (+ b_hn, added here).

private func gruForward(_ s: StepState, _ f: StepForward) {
    let H = s.hidden
    for b in 0..<s.batch {
        let gates = s.gates + b * 3 * H, hn = s.extra! + b * H, biasN = f.recurrentBias!
        let (r, z, n) = (gates, gates + H, gates + 2 * H)
        let hPrev = s.hPrev + b * H, h = f.h + b * H
        for j in 0..<H {
            hn[j] += biasN[j]
            n[j] += r[j] * hn[j]                           // x_n + b_in + r ⊙ hn
        }
        tanhVector(n, into: n, count: H)
        for j in 0..<H { h[j] = (1 - z[j]) * n[j] + z[j] * hPrev[j] }
    }
}

private func gruBackward(_ s: StepState, _ g: StepGradients) {
    let H = s.hidden
    for b in 0..<s.batch {
        let gates = s.gates + b * 3 * H, hn = s.extra! + b * H, hPrev = s.hPrev + b * H, dh = g.dh + b * H
        let (r, z, n) = (gates, gates + H, gates + 2 * H)
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

// MARK: - LSTM: i, f, o = σ(…), g = tanh(…) from the products, c' = f ⊙ c + i ⊙ g, h' = o ⊙ tanh(c')
// gates (B_p, 4H) = [i, f, o, g] (Engine's order), extra (B_p, H) = tanh(c').

private func lstmForward(_ s: StepState, _ f: StepForward) {
    let H = s.hidden
    for b in 0..<s.batch {
        let gates = s.gates + b * 4 * H, tc = s.extra! + b * H
        let (i, fg, o, g) = (gates, gates + H, gates + 2 * H, gates + 3 * H)
        let c = f.c! + b * H, cPrev = s.cPrev! + b * H, h = f.h + b * H
        for j in 0..<H { c[j] = fg[j] * cPrev[j] + i[j] * g[j] }
        tanhVector(c, into: tc, count: H)
        for j in 0..<H { h[j] = o[j] * tc[j] }
    }
}

private func lstmBackward(_ s: StepState, _ g: StepGradients) {
    let H = s.hidden
    for b in 0..<s.batch {
        let gates = s.gates + b * 4 * H, tc = s.extra! + b * H, dGi = g.dGi + b * 4 * H
        let (i, f, o, gg) = (gates, gates + H, gates + 2 * H, gates + 3 * H)
        let (dI, dF, dG, dO) = (dGi, dGi + H, dGi + 2 * H, dGi + 3 * H)   // PyTorch's order
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
