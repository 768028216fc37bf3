/// Gradient clipping by the global L2 norm of all gradients together: when ‖g‖ > maxNorm, every
/// gradient is scaled by maxNorm/‖g‖, so the update keeps its direction (PyTorch's
/// `clip_grad_norm_`, without its 1e-6 in the denominator). Returns the norm before clipping.
/// Missing gradients count as zero.
@discardableResult
public func clipGradNorm(_ parameters: [Tensor], maxNorm: Float) -> Float {
    let norm = gradientNorm(parameters)
    let scale = clippingScale(norm: norm, maxNorm: maxNorm)
    if scale != 1 {
        for p in parameters { if let g = p.grad { g *= scale } }
    }
    return norm
}

/// ‖g‖ over every parameter's gradient together (missing ones count as zero).
func gradientNorm(_ parameters: [Tensor]) -> Float {
    var squares: Double = 0
    for p in parameters {
        guard let g = p.grad else { continue }
        squares += sumOfSquares(g.data)
    }
    return Float(squares.squareRoot())
}

/// What clipping to `maxNorm` multiplies every gradient by: maxNorm/‖g‖ when ‖g‖ exceeds it, else 1.
func clippingScale(norm: Float, maxNorm: Float) -> Float {
    norm > maxNorm ? maxNorm / norm : 1
}
