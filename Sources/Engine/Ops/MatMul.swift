/// Matrix product and row lookup.

extension Tensor {
    /// (m, k) · (k, n) → (m, n), on OpenBLAS sgemm.
    ///
    /// When `self` is a one-hot matrix (from `oneHot`), the product is a row lookup of `other`
    /// and its gradient a scatter-add: same values and gradients, a fraction of the work.
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
        return Tensor.record([m, n], out, inputs: [self, other]) { result in
            let g = result.grad!.data
            g.withUnsafeBufferPointer { dC in
                // dA (m, k) += dC (m, n) · Bᵀ (n, k)
                if self.requiresGrad {
                    other.data.withUnsafeBufferPointer { b in
                        self.accumulateGrad(writing: { dA, isFresh in
                            sgemm(dC.baseAddress!, b.baseAddress!, dA.baseAddress!, m: m, n: k, k: n,
                                  transposeB: true, beta: isFresh ? 0 : 1)
                        })
                    }
                }
                // dB (k, n) += Aᵀ (k, m) · dC (m, n). For a parameter, put off until the end of
                // the backward pass: an RNN multiplies the same W by 35 small (B, H) states, and
                // one (H, T·B)·(T·B, H) product runs far faster than 35 (H, B)·(B, H) ones.
                if other.requiresGrad && other.backwardRule == nil {
                    other.deferredProducts.append((self.data, g, m))
                } else if other.requiresGrad {
                    self.data.withUnsafeBufferPointer { a in
                        other.accumulateGrad(writing: { dB, isFresh in
                            sgemm(a.baseAddress!, dC.baseAddress!, dB.baseAddress!, m: k, n: n, k: m,
                                  transposeA: true, beta: isFresh ? 0 : 1)
                        })
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
}

extension Tensor {
    /// dB += Σᵢ Aᵢᵀ dCᵢ for the products deferred during `backward()`, as one sgemm over the
    /// stacked Aᵢ (Σm, k) and dCᵢ (Σm, n).
    func flushDeferredProducts() {
        let (k, n) = (shape[0], shape[1])
        let rows = deferredProducts.reduce(0) { $0 + $1.rows }
        var lhs = [Float](), outputGrad = [Float]()
        if deferredProducts.count == 1 {  // nothing to stack (e.g. the output layer's weight)
            (lhs, outputGrad) = (deferredProducts[0].lhs, deferredProducts[0].outputGrad)
        } else {
            lhs.reserveCapacity(rows * k)
            outputGrad.reserveCapacity(rows * n)
            for product in deferredProducts {
                lhs.append(contentsOf: product.lhs)
                outputGrad.append(contentsOf: product.outputGrad)
            }
        }
        deferredProducts = []
        lhs.withUnsafeBufferPointer { a in
            outputGrad.withUnsafeBufferPointer { dC in
                accumulateGrad(writing: { dB, isFresh in
                    sgemm(a.baseAddress!, dC.baseAddress!, dB.baseAddress!, m: k, n: n, k: rows,
                          transposeA: true, beta: isFresh ? 0 : 1)
                })
            }
        }
    }
}
