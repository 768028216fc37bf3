import Engine

// The scratch models of chapters 10, 12 and 13, written from Engine ops exactly as the chapters
// write them, for `lessons bench`. Parameters: Normal(0, 0.01) weights, zero biases.
// Shapes: B batch, V vocabulary, H hidden; inputs are T one-hot matrices (B, V).

func weight(_ rows: Int, _ columns: Int) -> Tensor {
    Tensor.normal([rows, columns], std: 0.01, requiresGrad: true)
}

func bias(_ size: Int) -> Tensor { Tensor.zeros([size], requiresGrad: true) }

/// h_t = tanh(x_t W_xh + h_{t−1} W_hh + b_h);  o_t = h_t W_hq + b_q
public func scratchRNN(vocabSize V: Int, hidden H: Int) -> RecurrentModel {
    let (W_xh, W_hh, b_h) = (weight(V, H), weight(H, H), bias(H))
    let (W_hq, b_q) = (weight(H, V), bias(V))
    return RecurrentModel(vocabSize: V, parameters: [W_xh, W_hh, b_h, W_hq, b_q],
                          initialState: { B in [Tensor.zeros([B, H])] }) { inputs, state in
        var h = state[0]                      // (B, H)
        var hiddens: [Tensor] = []
        for x in inputs {                     // x: (B, V) one-hot
            h = tanh(x.matmul(W_xh) + h.matmul(W_hh) + b_h)
            hiddens.append(h)
        }
        return (concat(hiddens).matmul(W_hq) + b_q, [h])  // (T·B, V): one product for all steps
    }
}

/// The GRU of source 000, reset gate applied after the hidden product: R ⊙ (H W_hh).
public func scratchGRU(vocabSize V: Int, hidden H: Int) -> RecurrentModel {
    let (W_xz, W_hz, b_z) = (weight(V, H), weight(H, H), bias(H))  // update gate
    let (W_xr, W_hr, b_r) = (weight(V, H), weight(H, H), bias(H))  // reset gate
    let (W_xh, W_hh, b_h) = (weight(V, H), weight(H, H), bias(H))  // candidate state
    let (W_hq, b_q) = (weight(H, V), bias(V))
    let parameters = [W_xz, W_hz, b_z, W_xr, W_hr, b_r, W_xh, W_hh, b_h, W_hq, b_q]
    return RecurrentModel(vocabSize: V, parameters: parameters,
                          initialState: { B in [Tensor.zeros([B, H])] }) { inputs, state in
        var h = state[0]
        var hiddens: [Tensor] = []
        for x in inputs {
            let updateGate = sigmoid(x.matmul(W_xz) + h.matmul(W_hz) + b_z)
            let resetGate = sigmoid(x.matmul(W_xr) + h.matmul(W_hr) + b_r)
            let candidate = tanh(x.matmul(W_xh) + resetGate * h.matmul(W_hh) + b_h)
            h = updateGate * h + (1 - updateGate) * candidate
            hiddens.append(h)
        }
        return (concat(hiddens).matmul(W_hq) + b_q, [h])
    }
}

/// LSTM: input, forget and output gates, candidate memory, memory cell C and hidden state H.
public func scratchLSTM(vocabSize V: Int, hidden H: Int) -> RecurrentModel {
    let (W_xi, W_hi, b_i) = (weight(V, H), weight(H, H), bias(H))
    let (W_xf, W_hf, b_f) = (weight(V, H), weight(H, H), bias(H))
    let (W_xo, W_ho, b_o) = (weight(V, H), weight(H, H), bias(H))
    let (W_xc, W_hc, b_c) = (weight(V, H), weight(H, H), bias(H))
    let (W_hq, b_q) = (weight(H, V), bias(V))
    let parameters = [W_xi, W_hi, b_i, W_xf, W_hf, b_f, W_xo, W_ho, b_o, W_xc, W_hc, b_c, W_hq, b_q]
    return RecurrentModel(vocabSize: V, parameters: parameters,
                          initialState: { B in [Tensor.zeros([B, H]), Tensor.zeros([B, H])] }) { inputs, state in
        var (h, c) = (state[0], state[1])
        var hiddens: [Tensor] = []
        for x in inputs {
            let inputGate = sigmoid(x.matmul(W_xi) + h.matmul(W_hi) + b_i)
            let forgetGate = sigmoid(x.matmul(W_xf) + h.matmul(W_hf) + b_f)
            let outputGate = sigmoid(x.matmul(W_xo) + h.matmul(W_ho) + b_o)
            let candidate = tanh(x.matmul(W_xc) + h.matmul(W_hc) + b_c)
            c = forgetGate * c + inputGate * candidate
            h = outputGate * tanh(c)
            hiddens.append(h)
        }
        return (concat(hiddens).matmul(W_hq) + b_q, [h, c])
    }
}
