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
    func finish() {
        for weight in weights {
            let queued = products[ObjectIdentifier(weight)]!
            let (k, n) = (weight.shape[0], weight.shape[1])
            let rows = queued.reduce(0) { $0 + $1.rows }
            var lhs = [Float](), outputGrad = [Float]()
            if queued.count == 1 {  // nothing to stack (e.g. the output layer's weight)
                (lhs, outputGrad) = (queued[0].lhs, queued[0].outputGrad)
            } else {
                lhs.reserveCapacity(rows * k)
                outputGrad.reserveCapacity(rows * n)
                for product in queued {
                    lhs.append(contentsOf: product.lhs)
                    outputGrad.append(contentsOf: product.outputGrad)
                }
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
}
