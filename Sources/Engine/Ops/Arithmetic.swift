/// Elementwise + − × ÷ with broadcasting; each op's gradient rule sits right under its forward.

extension Tensor {
    /// Applies `forward` elementwise over the broadcast of `a` and `b`. The backward rules get
    /// (upstream gradient, a, b) and return the local contribution to dA and dB; contributions
    /// to a broadcast operand are summed, as the chain rule requires.
    @inline(__always)
    static func broadcastOp(_ a: Tensor, _ b: Tensor,
                            _ forward: (Float, Float) -> Float,
                            dA: @escaping (Float, Float, Float) -> Float,
                            dB: @escaping (Float, Float, Float) -> Float) -> Tensor {
        let plan = BroadcastPlan(a.shape, b.shape)
        var out = [Float](repeating: 0, count: plan.count)
        a.data.withUnsafeBufferPointer { x in
            b.data.withUnsafeBufferPointer { y in
                out.withUnsafeMutableBufferPointer { o in
                    plan.forEach { i, ia, ib in o[i] = forward(x[ia], y[ib]) }
                }
            }
        }
        return record(plan.shape, out, inputs: [a, b]) { result in
            let g = result.grad!.data
            a.data.withUnsafeBufferPointer { x in
                b.data.withUnsafeBufferPointer { y in
                    g.withUnsafeBufferPointer { g in
                        a.accumulateGrad { da in plan.forEach { i, ia, ib in da[ia] += dA(g[i], x[ia], y[ib]) } }
                        b.accumulateGrad { db in plan.forEach { i, ia, ib in db[ib] += dB(g[i], x[ia], y[ib]) } }
                    }
                }
            }
        }
    }

    public static func + (a: Tensor, b: Tensor) -> Tensor {
        broadcastOp(a, b, { $0 + $1 }, dA: { g, _, _ in g }, dB: { g, _, _ in g })
    }

    public static func - (a: Tensor, b: Tensor) -> Tensor {
        broadcastOp(a, b, { $0 - $1 }, dA: { g, _, _ in g }, dB: { g, _, _ in -g })
    }

    /// Elementwise (Hadamard) product, ⊙ in the chapters' equations.
    public static func * (a: Tensor, b: Tensor) -> Tensor {
        broadcastOp(a, b, { $0 * $1 }, dA: { g, _, y in g * y }, dB: { g, x, _ in g * x })
    }

    public static func / (a: Tensor, b: Tensor) -> Tensor {
        broadcastOp(a, b, { $0 / $1 }, dA: { g, _, y in g / y }, dB: { g, x, y in -g * x / (y * y) })
    }

    public static prefix func - (a: Tensor) -> Tensor { a * -1 }
}

// MARK: - With a scalar

extension Tensor {
    /// `y = scale · x + shift`, the one affine map the scalar operators below reduce to.
    func affine(scale: Float, shift: Float) -> Tensor {
        var out = data
        out.withUnsafeMutableBufferPointer { o in
            for i in 0..<o.count { o[i] = scale * o[i] + shift }
        }
        return Tensor.record(shape, out, inputs: [self]) { result in
            let g = result.grad!.data
            self.accumulateGrad { d in for i in 0..<d.count { d[i] += scale * g[i] } }
        }
    }

    public static func + (a: Tensor, s: Float) -> Tensor { a.affine(scale: 1, shift: s) }
    public static func + (s: Float, a: Tensor) -> Tensor { a.affine(scale: 1, shift: s) }
    public static func - (a: Tensor, s: Float) -> Tensor { a.affine(scale: 1, shift: -s) }
    public static func - (s: Float, a: Tensor) -> Tensor { a.affine(scale: -1, shift: s) }
    public static func * (a: Tensor, s: Float) -> Tensor { a.affine(scale: s, shift: 0) }
    public static func * (s: Float, a: Tensor) -> Tensor { a.affine(scale: s, shift: 0) }
    public static func / (a: Tensor, s: Float) -> Tensor { a.affine(scale: 1 / s, shift: 0) }
    public static func / (s: Float, a: Tensor) -> Tensor { s * a.reciprocal() }
}

// MARK: - In place, off the tape (optimizer updates, gradient scaling)

extension Tensor {
    /// `a -= b` changes `a`'s values in place, untracked (e.g. `w -= lr * w.grad!`).
    public static func -= (a: Tensor, b: Tensor) {
        precondition(a.shape == b.shape, "-= needs equal shapes, got \(a.shape) and \(b.shape)")
        a.data.withUnsafeMutableBufferPointer { x in
            b.data.withUnsafeBufferPointer { y in for i in 0..<x.count { x[i] -= y[i] } }
        }
    }

    public static func += (a: Tensor, b: Tensor) {
        precondition(a.shape == b.shape, "+= needs equal shapes, got \(a.shape) and \(b.shape)")
        a.data.withUnsafeMutableBufferPointer { x in
            b.data.withUnsafeBufferPointer { y in for i in 0..<x.count { x[i] += y[i] } }
        }
    }

    /// `a *= s` scales `a`'s values in place, untracked (e.g. clipping a gradient).
    public static func *= (a: Tensor, s: Float) {
        a.data.withUnsafeMutableBufferPointer { x in for i in 0..<x.count { x[i] *= s } }
    }
}
