/// Sums, means and argmax.

extension Tensor {
    /// The sum of every element, a scalar.
    public func sum() -> Tensor {
        let total = data.reduce(0, +)
        return Tensor.record([], [total], inputs: [self]) { result in
            let g = result.grad!.data[0]
            self.accumulateGrad { d in for i in 0..<d.count { d[i] += g } }
        }
    }

    /// The mean of every element, a scalar.
    public func mean() -> Tensor { sum() / Float(Swift.max(count, 1)) }

    /// Sums over `axis`, which disappears from the shape (or stays as 1 with `keepDim`).
    public func sum(axis: Int, keepDim: Bool = false) -> Tensor {
        let axis = axis < 0 ? axis + rank : axis
        precondition(axis >= 0 && axis < rank, "sum: axis \(axis) out of range for shape \(shape)")
        let outer = shape[..<axis].reduce(1, *), length = shape[axis], inner = shape[(axis + 1)...].reduce(1, *)
        var out = [Float](repeating: 0, count: outer * inner)
        for o in 0..<outer {
            for k in 0..<length {
                let base = (o * length + k) * inner
                for i in 0..<inner { out[o * inner + i] += data[base + i] }
            }
        }
        var outShape = shape
        if keepDim { outShape[axis] = 1 } else { outShape.remove(at: axis) }
        return Tensor.record(outShape, out, inputs: [self]) { result in
            let g = result.grad!.data
            self.accumulateGrad { d in
                for o in 0..<outer {
                    for k in 0..<length {
                        let base = (o * length + k) * inner
                        for i in 0..<inner { d[base + i] += g[o * inner + i] }
                    }
                }
            }
        }
    }

    public func mean(axis: Int, keepDim: Bool = false) -> Tensor {
        let axis = axis < 0 ? axis + rank : axis
        return sum(axis: axis, keepDim: keepDim) / Float(shape[axis])
    }

    /// The index of the largest element along the last axis, for each row (not differentiable).
    public func argmax() -> [Int] {
        precondition(rank >= 1 && shape.last! > 0, "argmax needs a non-empty last axis")
        let width = shape.last!
        return (0..<(count / width)).map { r in
            var best = r * width
            for i in (r * width)..<((r + 1) * width) where data[i] > data[best] { best = i }
            return best - r * width
        }
    }
}

/// into[j] += Σ_r m[r, j] for an (rows, columns) matrix m whose rows are `stride` apart (bias
/// gradients), the columns split over the cores when there are many rows.
func addColumnSums(_ m: UnsafePointer<Float>, rows: Int, columns: Int, stride: Int? = nil,
                   into: UnsafeMutablePointer<Float>) {
    let stride = stride ?? columns
    Parallel.forEachShare(of: columns, grain: rows * columns >= 1 << 16 ? 32 : Int.max) { _, mine in
        for r in 0..<rows {
            let row = m + r &* stride
            for j in mine { into[j] += row[j] }
        }
    }
}
