/// Gradient clipping by the global L2 norm of all gradients together: when ‖g‖ > maxNorm, every
/// gradient is scaled by maxNorm/‖g‖, so the update keeps its direction (PyTorch's
/// `clip_grad_norm_`). Returns the norm before clipping. Missing gradients count as zero.
@discardableResult
public func clipGradNorm(_ parameters: [Tensor], maxNorm: Float) -> Float {
    var squares: Double = 0
    for p in parameters {
        guard let g = p.grad else { continue }
        squares += sumOfSquares(g.data)
    }
    let norm = Float(squares.squareRoot())
    if norm > maxNorm {
        let scale = maxNorm / norm
        for p in parameters { if let g = p.grad { g *= scale } }
    }
    return norm
}
