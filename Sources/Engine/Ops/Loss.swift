import Foundation

/// Softmax and the fused, numerically stable softmax cross-entropy.

/// Mean cross-entropy between the softmax of each row of `logits` (N, V) and the class indices
/// `targets` (N): −(1/N) Σᵢ log softmax(logitsᵢ)[targetsᵢ]. The softmax subtracts each row's
/// maximum, so large logits do not overflow; where the target's probability rounds to (nearly) 0
/// its loss comes from the log-sum-exp of the logits instead. Gradient: (softmax − onehot)/N.
public func softmaxCrossEntropy(_ logits: Tensor, _ targets: [Int]) -> Tensor {
    precondition(logits.rank == 2 && logits.shape[0] == targets.count,
                 "softmaxCrossEntropy: logits \(logits.shape) vs \(targets.count) targets")
    let (n, v) = (logits.shape[0], logits.shape[1])
    var probabilities = uninitializedFloats(n * v)  // softmax, kept for the backward pass
    for target in targets { precondition(target >= 0 && target < v, "target \(target) out of range 0..<\(v)") }
    var partTotals = [Double](repeating: 0, count: Parallel.parts)
    logits.data.withUnsafeBufferPointer { x in
        probabilities.withUnsafeMutableBufferPointer { p in
            partTotals.withUnsafeMutableBufferPointer { totals in
                let (x, p) = (x.baseAddress!, p.baseAddress!)
                // rows split over the cores; each part sums its rows' losses
                Parallel.forEachShare(of: n, grain: 64, alignment: 1) { part, rows in
                    softmaxRows(x + rows.lowerBound * v, into: p + rows.lowerBound * v, rows: rows.count, columns: v, part: part)
                    var total: Double = 0
                    for r in rows {
                        let probability = p[r * v + targets[r]]
                        if probability >= 1e-30 {
                            total -= Double(Foundation.log(probability))
                        } else {   // it rounded to (nearly) 0: the log-sum-exp, from the logits
                            let xr = x + r * v
                            let rowMax = vectorMax(xr, count: v)
                            var sum: Float = 0
                            for j in 0..<v { sum += fastExp(xr[j] - rowMax) }
                            total += Double(rowMax + Foundation.log(sum) - xr[targets[r]])
                        }
                    }
                    totals[part] = total
                }
            }
        }
    }
    let total = partTotals.reduce(0, +)
    return Tensor.record([], [Float(total / Double(max(n, 1)))], inputs: [logits]) { result in
        // d logits = (softmax − onehot(targets)) · g / N, built in the softmax's own buffer
        let scale = result.grad!.data[0] / Float(max(n, 1))
        var d = probabilities
        probabilities = []  // d is now the only reference: scaled in place, not copied
        d.withUnsafeMutableBufferPointer { d in
            let d = d.baseAddress!
            Parallel.forEachShare(of: n, grain: 64, alignment: 1) { _, rows in
                for r in rows {
                    let row = d + r * v
                    for j in 0..<v { row[j] *= scale }
                    row[targets[r]] -= scale
                }
            }
        }
        logits.accumulateGrad(d)
    }
}

extension Tensor {
    /// Softmax over the last axis.
    public func softmax() -> Tensor {
        precondition(rank >= 1, "softmax needs at least one axis")
        let v = shape.last!, n = count / max(v, 1)
        var out = data
        for r in 0..<n {
            let row = r * v
            var rowMax = -Float.infinity
            for j in 0..<v { rowMax = max(rowMax, out[row + j]) }
            var sum: Float = 0
            for j in 0..<v { out[row + j] = Foundation.exp(out[row + j] - rowMax); sum += out[row + j] }
            for j in 0..<v { out[row + j] /= sum }
        }
        // dx = y ⊙ (g − Σ g⊙y) per row
        return Tensor.record(shape, out, inputs: [self]) { result in
            let g = result.grad!.data, y = result.data
            self.accumulateGrad { d in
                for r in 0..<n {
                    let row = r * v
                    var dot: Float = 0
                    for j in 0..<v { dot += g[row + j] * y[row + j] }
                    for j in 0..<v { d[row + j] += y[row + j] * (g[row + j] - dot) }
                }
            }
        }
    }
}
