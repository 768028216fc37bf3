/// Elementwise + − × ÷ with broadcasting. Each op's loops are written out (no per-element
/// closures, which the optimizer does not always inline) with its gradient rule right after.

extension Tensor {
    enum BinaryOp { case add, subtract, multiply, divide }

    static func binary(_ op: BinaryOp, _ a: Tensor, _ b: Tensor) -> Tensor {
        let plan = BroadcastPlan(a.shape, b.shape)
        var out = uninitializedFloats(plan.count)
        a.data.withUnsafeBufferPointer { x in
            b.data.withUnsafeBufferPointer { y in
                out.withUnsafeMutableBufferPointer { o in
                    let (x, y, o) = (x.baseAddress!, y.baseAddress!, o.baseAddress!)
                    switch op {
                    case .add: binaryLoops(op, plan, x, y, o) { $0 + $1 }
                    case .subtract: binaryLoops(op, plan, x, y, o) { $0 - $1 }
                    case .multiply: binaryLoops(op, plan, x, y, o) { $0 * $1 }
                    case .divide: binaryLoops(op, plan, x, y, o) { $0 / $1 }
                    }
                }
            }
        }
        return record(plan.shape, out, inputs: [a, b]) { result in
            binaryBackward(op, a, b, result.grad!, plan)
        }
    }

    /// o[i] = f(x[ia], y[ib]) over the plan's output. The common layouts (same shape, a row
    /// such as a bias (n) over (m, n), a scalar) are plain loops over raw pointers, which the
    /// compiler vectorizes; written through `forEach`'s index closure they stayed scalar, the
    /// output's base reloaded at every element. A large output is split over the cores by rows.
    /// `f` is `op` as a function; the parallel paths name `op` instead (see `rowLoops`).
    @inline(__always)
    private static func binaryLoops(_ op: BinaryOp, _ plan: BroadcastPlan, _ x: UnsafePointer<Float>, _ y: UnsafePointer<Float>,
                                    _ o: UnsafeMutablePointer<Float>, _ f: (Float, Float) -> Float) {
        let (count, rowLength) = (plan.count, Swift.max(plan.rowLength, 1))
        switch (plan.a, plan.b) {
        case (.same, .same), (.same, .row), (.row, .same):   // rows of `rowLength` elements
            let (xRow, yRow) = (plan.a.isRow, plan.b.isRow)
            let rowCount = count / rowLength
            if count >= 1 << 16 && rowCount >= 2 {
                Parallel.forEachShare(of: rowCount, grain: 0, alignment: 1) { _, range in
                    rowLoops(op, range, rowLength, x, xRow, y, yRow, o)
                }
            } else if count >= 1 << 16 {   // one long row of same-shape operands: split its elements
                Parallel.forEachShare(of: count, grain: 0) { _, r in
                    rowLoops(op, 0..<1, r.count, x + r.lowerBound, false, y + r.lowerBound, false, o + r.lowerBound)
                }
            } else {
                rowLoops(0..<rowCount, rowLength, x, xRow, y, yRow, o, f)
            }
        case (.same, .scalar):
            let s = y[0]
            for i in 0..<count { o[i] = f(x[i], s) }
        case (.scalar, .same):
            let s = x[0]
            for i in 0..<count { o[i] = f(s, y[i]) }
        default:
            plan.forEach { i, ia, ib in o[i] = f(x[ia], y[ib]) }
        }
    }

    /// Rows `range` of `binaryLoops`' row layouts; a `.row` operand restarts at 0 on every row.
    /// A function of its own, always inlined, so that `f` is inlined into the loop (as a nested
    /// function capturing `f` it was called indirectly per element).
    @inline(__always)
    private static func rowLoops(_ range: Range<Int>, _ rowLength: Int, _ x: UnsafePointer<Float>, _ xRow: Bool,
                                 _ y: UnsafePointer<Float>, _ yRow: Bool, _ o: UnsafeMutablePointer<Float>,
                                 _ f: (Float, Float) -> Float) {
        for r in range {
            let base = r &* rowLength
            let (xr, yr, or) = (x + (xRow ? 0 : base), y + (yRow ? 0 : base), o + base)
            for j in 0..<rowLength { or[j] = f(xr[j], yr[j]) }
        }
    }

    /// `rowLoops` for `op`, each case with its function written out: inside a closure handed to
    /// `Parallel` (compiled on its own), a captured `f` stays an indirect call per element — the
    /// output layer's `+ b_q` over (T·B, V) took 3% of lstm-scratch that way.
    @inline(__always)
    private static func rowLoops(_ op: BinaryOp, _ range: Range<Int>, _ rowLength: Int, _ x: UnsafePointer<Float>,
                                 _ xRow: Bool, _ y: UnsafePointer<Float>, _ yRow: Bool, _ o: UnsafeMutablePointer<Float>) {
        switch op {
        case .add: rowLoops(range, rowLength, x, xRow, y, yRow, o) { $0 + $1 }
        case .subtract: rowLoops(range, rowLength, x, xRow, y, yRow, o) { $0 - $1 }
        case .multiply: rowLoops(range, rowLength, x, xRow, y, yRow, o) { $0 * $1 }
        case .divide: rowLoops(range, rowLength, x, xRow, y, yRow, o) { $0 / $1 }
        }
    }

    /// Accumulates dA and dB; sums over broadcast axes, as the chain rule requires.
    private static func binaryBackward(_ op: BinaryOp, _ a: Tensor, _ b: Tensor, _ grad: Tensor, _ plan: BroadcastPlan) {
        if case .same = plan.a, case .same = plan.b {
            sameShapeBackward(op, a, b, grad.data)
            return
        }
        // A bias added to every row: the full-size operand's gradient is g itself, handed over,
        // and the bias's the column sums of g.
        var (aDone, bDone) = (false, false)
        if case .same = plan.a, op == .add || op == .subtract { a.accumulateGrad(grad.data); aDone = true }
        if case .same = plan.b, op == .add { b.accumulateGrad(grad.data); bDone = true }
        if case .same = plan.a, case .row = plan.b, op == .add, b.requiresGrad, plan.rowLength > 0 {
            grad.data.withUnsafeBufferPointer { g in
                b.accumulateGrad { db in
                    addColumnSums(g.baseAddress!, rows: plan.count / plan.rowLength, columns: plan.rowLength, into: db.baseAddress!)
                }
            }
            bDone = true
        }
        grad.data.withUnsafeBufferPointer { g in
            a.data.withUnsafeBufferPointer { x in
                b.data.withUnsafeBufferPointer { y in
                    if !aDone { a.accumulateGrad { da in
                        switch op {
                        case .add, .subtract: plan.forEach { i, ia, _ in da[ia] += g[i] }
                        case .multiply: plan.forEach { i, ia, ib in da[ia] += g[i] * y[ib] }
                        case .divide: plan.forEach { i, ia, ib in da[ia] += g[i] / y[ib] }
                        }
                    } }
                    if !bDone { b.accumulateGrad { db in
                        switch op {
                        case .add: plan.forEach { i, _, ib in db[ib] += g[i] }
                        case .subtract: plan.forEach { i, _, ib in db[ib] -= g[i] }
                        case .multiply: plan.forEach { i, ia, ib in db[ib] += g[i] * x[ia] }
                        case .divide: plan.forEach { i, ia, ib in db[ib] -= g[i] * x[ia] / (y[ib] * y[ib]) }
                        }
                    } }
                }
            }
        }
    }

    /// The common case, operands of one shape: each input's gradient is a fresh array (for a
    /// sum, the output's gradient itself, shared), handed over without a zero-filled buffer.
    private static func sameShapeBackward(_ op: BinaryOp, _ a: Tensor, _ b: Tensor, _ g: [Float]) {
        let (x, y) = (a.data, b.data)
        if a.requiresGrad {
            switch op {
            case .add, .subtract: a.accumulateGrad(g)
            case .multiply: a.accumulateGrad(elementwise(g, y) { g, y in g * y })
            case .divide: a.accumulateGrad(elementwise(g, y) { g, y in g / y })
            }
        }
        if b.requiresGrad {
            switch op {
            case .add: b.accumulateGrad(g)
            case .subtract: b.accumulateGrad(elementwise(g) { -$0 })
            case .multiply: b.accumulateGrad(elementwise(g, x) { g, x in g * x })
            case .divide: b.accumulateGrad(elementwise(g, elementwise(x, y) { x, y in x / (y * y) }) { g, q in -g * q })
            }
        }
    }

    public static func + (a: Tensor, b: Tensor) -> Tensor { binary(.add, a, b) }
    public static func - (a: Tensor, b: Tensor) -> Tensor { binary(.subtract, a, b) }
    /// Elementwise (Hadamard) product, ⊙ in the chapters' equations.
    public static func * (a: Tensor, b: Tensor) -> Tensor { binary(.multiply, a, b) }
    public static func / (a: Tensor, b: Tensor) -> Tensor { binary(.divide, a, b) }
    public static prefix func - (a: Tensor) -> Tensor { a * -1 }
}

// MARK: - With a scalar

extension Tensor {
    /// `y = scale · x + shift`, the one affine map the scalar operators below reduce to.
    func affine(scale: Float, shift: Float) -> Tensor {
        let out = elementwise(data) { scale * $0 + shift }   // one pass, not a copy and a pass
        return Tensor.record(shape, out, inputs: [self]) { result in
            let g = result.grad!.data
            self.accumulateGrad(scale == 1 ? g : elementwise(g) { scale * $0 })
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
        a.data.withUnsafeMutableBufferPointer { x in
            let x = x.baseAddress!
            Parallel.forEachShare(of: a.count, grain: 1 << 16) { _, range in for i in range { x[i] *= s } }
        }
    }
}

/// [f(u₀), f(u₁), …], in a loop the compiler vectorizes.
@inline(__always)
func elementwise(_ u: [Float], _ f: (Float) -> Float) -> [Float] {
    var out = uninitializedFloats(u.count)
    u.withUnsafeBufferPointer { u in
        out.withUnsafeMutableBufferPointer { o in for i in 0..<o.count { o[i] = f(u[i]) } }
    }
    return out
}

/// [f(u₀, v₀), f(u₁, v₁), …] for two arrays of one length, in a loop the compiler vectorizes.
@inline(__always)
func elementwise(_ u: [Float], _ v: [Float], _ f: (Float, Float) -> Float) -> [Float] {
    var out = uninitializedFloats(u.count)
    u.withUnsafeBufferPointer { u in
        v.withUnsafeBufferPointer { v in
            out.withUnsafeMutableBufferPointer { o in for i in 0..<o.count { o[i] = f(u[i], v[i]) } }
        }
    }
    return out
}
