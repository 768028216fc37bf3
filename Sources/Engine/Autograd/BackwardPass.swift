/// State that lives for one `backward()` call and no longer: the weight-gradient products that
/// the pass puts off to its end.
///
/// An RNN multiplies the same weight W by 35 small (B, H) states per batch. Each product's
/// contribution to dW is Aᵀ·dC; instead of 35 (H, B)·(B, H) products as the rules run, the pass
/// queues each (A, dC) pair and, once every rule has run, computes dW += [A₁; A₂; …]ᵀ·[dC₁; dC₂; …]
/// as one (H, Σm)·(Σm, H) product, which runs far faster. Only leaves (parameters) are deferred:
/// nothing downstream reads their gradient during the pass.
final class BackwardPass {
    /// One deferred product: dW (k, n) += lhsᵀ (k, rows) · outputGrad (rows, n).
    private struct Product {
        let lhs: [Float]
        let outputGrad: [Float]
        let rows: Int
    }

    /// Weights in the order their first product was queued, and their queued products.
    private var weights: [Tensor] = []
    private var products: [ObjectIdentifier: [Product]] = [:]

    /// Queues dW += lhsᵀ · outputGrad for a leaf `weight` (k, n); lhs is (rows, k), outputGrad (rows, n).
    func deferWeightGradient(_ weight: Tensor, lhs: [Float], outputGrad: [Float], rows: Int) {
        precondition(weight.backwardRule == nil, "only leaves have their gradient deferred")
        let key = ObjectIdentifier(weight)
        if products[key] == nil { weights.append(weight) }
        products[key, default: []].append(Product(lhs: lhs, outputGrad: outputGrad, rows: rows))
    }

    /// Runs every queued product, one sgemm per weight over its stacked operands.
    ///
    /// Stacking copies every queued operand once (for a GRU, 3 weights × 2 × (T·B, H) floats a
    /// batch, some 3% of its time): the copies are split over the cores, and a list of left
    /// operands that an earlier weight already stacked is reused (a GRU's or LSTM's hidden
    /// weights all multiply the same states h₀ … h_{T−1}).
    func finish() {
        var stackedLHS: [(parts: [[Float]], stacked: [Float])] = []
        for weight in weights {
            let queued = products[ObjectIdentifier(weight)]!
            let (k, n) = (weight.shape[0], weight.shape[1])
            let rows = queued.reduce(0) { $0 + $1.rows }
            var lhs: [Float], outputGrad: [Float]
            if queued.count == 1 {  // nothing to stack (e.g. the output layer's weight)
                (lhs, outputGrad) = (queued[0].lhs, queued[0].outputGrad)
            } else {
                // == on arrays is true at once for one shared buffer, and compares values otherwise
                let parts = queued.map(\.lhs)
                if let earlier = stackedLHS.first(where: { $0.parts == parts }) {
                    lhs = earlier.stacked
                } else {
                    lhs = BackwardPass.stack(parts, count: rows * k)
                    stackedLHS.append((parts, lhs))
                }
                outputGrad = BackwardPass.stack(queued.map(\.outputGrad), count: rows * n)
            }
            lhs.withUnsafeBufferPointer { a in
                outputGrad.withUnsafeBufferPointer { dC in
                    weight.accumulateProduct { dW, beta in
                        sgemm(a.baseAddress!, dC.baseAddress!, dW, m: k, n: n, k: rows, transposeA: true, beta: beta)
                    }
                }
            }
        }
        weights = []
        products = [:]
    }

    /// [parts₀; parts₁; …] as one array of `count` floats, the copies split over the cores.
    private static func stack(_ parts: [[Float]], count: Int) -> [Float] {
        var offsets = [Int](repeating: 0, count: parts.count)
        for i in parts.indices.dropFirst() { offsets[i] = offsets[i - 1] + parts[i - 1].count }
        var out = uninitializedFloats(count)
        out.withUnsafeMutableBufferPointer { out in
            guard let out = out.baseAddress else { return }  // nothing to stack
            Parallel.forEachShare(of: parts.count, grain: 8, alignment: 1) { _, range in
                for i in range {
                    parts[i].withUnsafeBufferPointer { part in
                        if let part = part.baseAddress { (out + offsets[i]).update(from: part, count: parts[i].count) }
                    }
                }
            }
        }
        return out
    }
}
