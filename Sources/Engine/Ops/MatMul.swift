/// Matrix product and row lookup.

extension Tensor {
    /// (m, k) · (k, n) → (m, n), on sgemm.
    ///
    /// When `self` is a one-hot matrix (from `oneHot`, unchanged since), the product is a row
    /// lookup of `other` and its gradient a scatter-add: same values and gradients, a fraction
    /// of the work.
    public func matmul(_ other: Tensor) -> Tensor {
        precondition(rank == 2 && other.rank == 2 && shape[1] == other.shape[0],
                     "matmul: shapes \(shape) and \(other.shape) do not chain")
        if let indices = oneHotIndices, !requiresGrad {
            return other.gatherRows(indices)
        }
        let (m, k, n) = (shape[0], shape[1], other.shape[1])
        var out = uninitializedFloats(m * n)
        data.withUnsafeBufferPointer { a in
            other.data.withUnsafeBufferPointer { b in
                out.withUnsafeMutableBufferPointer { c in
                    sgemm(a.baseAddress!, b.baseAddress!, c.baseAddress!, m: m, n: n, k: k)
                }
            }
        }
        return Tensor.record([m, n], out, inputs: [self, other]) { result, pass in
            let g = result.grad!.data
            g.withUnsafeBufferPointer { dC in
                // dA (m, k) += dC (m, n) · Bᵀ (n, k)
                other.data.withUnsafeBufferPointer { b in
                    self.accumulateProduct { dA, beta in
                        sgemm(dC.baseAddress!, b.baseAddress!, dA, m: m, n: k, k: n, transposeB: true, beta: beta)
                    }
                }
                // dB (k, n) += Aᵀ (k, m) · dC (m, n); for a parameter, put off to the end of the
                // pass and done for all its products at once (see `BackwardPass`).
                if other.requiresGrad && other.backwardRule == nil {
                    pass.deferWeightGradient(other, lhs: self.data, outputGrad: g, rows: m)
                } else {
                    self.data.withUnsafeBufferPointer { a in
                        other.accumulateProduct { dB, beta in
                            sgemm(a.baseAddress!, dC.baseAddress!, dB, m: k, n: n, k: m, transposeA: true, beta: beta)
                        }
                    }
                }
            }
        }
    }

    /// Rows `indices` of this (n, d) matrix → (indices.count, d). Backward adds each output
    /// row's gradient into the row it came from (an embedding lookup).
    public func gatherRows(_ indices: [Int]) -> Tensor {
        precondition(rank == 2, "gatherRows needs a matrix, shape is \(shape)")
        let (rows, width) = (shape[0], shape[1])
        var out = uninitializedFloats(indices.count * width)
        data.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                for (i, row) in indices.enumerated() {
                    precondition(row >= 0 && row < rows, "row index \(row) out of range 0..<\(rows)")
                    (dst.baseAddress! + i * width).update(from: src.baseAddress! + row * width, count: width)
                }
            }
        }
        return Tensor.record([indices.count, width], out, inputs: [self]) { result in
            result.grad!.data.withUnsafeBufferPointer { g in
                self.accumulateGrad { dW in
                    for (i, row) in indices.enumerated() {
                        for j in 0..<width { dW[row * width + j] += g[i * width + j] }
                    }
                }
            }
        }
    }

    /// grad += a matrix product that `product(dst, beta)` computes as dst = op(A)·op(B) + beta·dst:
    /// straight into a fresh gradient with beta 0 (no zero fill), else added with beta 1.
    func accumulateProduct(_ product: (_ dst: UnsafeMutablePointer<Float>, _ beta: Float) -> Void) {
        guard requiresGrad else { return }
        if grad == nil {
            var fresh = uninitializedFloats(count)
            fresh.withUnsafeMutableBufferPointer { product($0.baseAddress!, 0) }
            accumulateGrad(fresh)
        } else {
            accumulateGrad { product($0.baseAddress!, 1) }
        }
    }
}
