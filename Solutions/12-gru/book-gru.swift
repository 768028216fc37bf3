extension ScratchGRU {
    /// One step with the textbook's candidate: (R ⊙ H) W_hh.
    func bookStep(_ x: Tensor, _ h: Tensor) -> Tensor {
        let update = sigmoid(x.matmul(W_xz) + h.matmul(W_hz) + b_z)
        let reset = sigmoid(x.matmul(W_xr) + h.matmul(W_hr) + b_r)
        let candidate = tanh(x.matmul(W_xh) + (reset * h).matmul(W_hh) + b_h)
        return update * h + (1 - update) * candidate
    }
}
