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
            Tensor.productBackward(self, other, result.grad!.data, m: m, k: k, n: n, pass: pass)
        }
    }

    /// The gradients of C = A·B (A (m, k), B (k, n)) from g = dC.
    private static func productBackward(_ a: Tensor, _ b: Tensor, _ g: [Float], m: Int, k: Int, n: Int,
                                        pass: BackwardPass) {
        g.withUnsafeBufferPointer { dC in
            // dA (m, k) += dC (m, n) · Bᵀ (n, k)
            b.data.withUnsafeBufferPointer { bData in
                a.accumulateProduct { dA, beta in
                    sgemm(dC.baseAddress!, bData.baseAddress!, dA, m: m, n: k, k: n, transposeB: true, beta: beta)
                }
            }
            // dB (k, n) += Aᵀ (k, m) · dC (m, n); for a parameter, put off to the end of the
            // pass and done for all its products at once (see `BackwardPass`).
            if b.requiresGrad && b.backwardRule == nil {
                pass.deferWeightGradient(b, lhs: a.data, outputGrad: g, rows: m)
            } else {
                a.data.withUnsafeBufferPointer { aData in
                    b.accumulateProduct { dB, beta in
                        sgemm(aData.baseAddress!, dC.baseAddress!, dB, m: k, n: n, k: m, transposeA: true, beta: beta)
                    }
                }
            }
        }
    }

    /// (m, k) · (k, n) + bias (n) added to every row, as one product: the bias is added on the
    /// product's way out instead of in a pass of its own (a linear layer). Gradients as for
    /// `matmul` followed by `+`; the bias's is the column sums of the output's.
    func matmul(_ other: Tensor, plusRow bias: Tensor) -> Tensor {
        precondition(bias.shape == [other.shape[1]], "bias \(bias.shape) does not match the product's \(other.shape[1]) columns")
        if oneHotIndices != nil && !requiresGrad { return matmul(other) + bias }
        precondition(rank == 2 && other.rank == 2 && shape[1] == other.shape[0],
                     "matmul: shapes \(shape) and \(other.shape) do not chain")
        let (m, k, n) = (shape[0], shape[1], other.shape[1])
        var out = uninitializedFloats(m * n)
        data.withUnsafeBufferPointer { a in
            other.data.withUnsafeBufferPointer { b in
                bias.data.withUnsafeBufferPointer { bias in
                    out.withUnsafeMutableBufferPointer { c in
                        sgemm(a.baseAddress!, b.baseAddress!, c.baseAddress!, m: m, n: n, k: k, bias: bias.baseAddress!)
                    }
                }
            }
        }
        return Tensor.record([m, n], out, inputs: [self, other, bias]) { result, pass in
            let g = result.grad!.data
            Tensor.productBackward(self, other, g, m: m, k: k, n: n, pass: pass)
            g.withUnsafeBufferPointer { dC in
                bias.accumulateGrad { db in addColumnSums(dC.baseAddress!, rows: m, columns: n, into: db.baseAddress!) }
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
                    // through raw row pointers: with the index arithmetic checked for overflow
                    // at every element, this loop stayed scalar
                    let (g, dW) = (g.baseAddress!, dW.baseAddress!)
                    for (i, row) in indices.enumerated() {
                        let (source, target) = (g + i * width, dW + row * width)
                        for j in 0..<width { target[j] += source[j] }
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
