import Foundation

/// Updates parameters from their gradients. `step()` reads `grad` and skips a parameter whose
/// gradient is nil, as PyTorch's optimizers do; `zeroGrad()` clears them for the next batch.
public protocol Optimizer: AnyObject {
    var parameters: [Tensor] { get }
    func step()
    /// `step()` with every gradient multiplied by `scale` first, as clipping would: the training
    /// loop's clipping and update in one pass over the gradients, with the same results as
    /// `clipGradNorm` followed by `step()`. The gradients themselves are left as they were.
    func step(scalingGradientsBy scale: Float)
}

extension Optimizer {
    public func zeroGrad() { Engine.zeroGrad(parameters) }

    /// Scales the gradients in place, then steps.
    public func step(scalingGradientsBy scale: Float) {
        if scale != 1 { for p in parameters { if let g = p.grad { g *= scale } } }
        step()
    }
}

/// Plain stochastic gradient descent, p ← p − lr·∇p (PyTorch's `SGD` without momentum).
public final class SGD: Optimizer {
    public let parameters: [Tensor]
    public var learningRate: Float

    public init(_ parameters: [Tensor], learningRate: Float) {
        self.parameters = parameters
        self.learningRate = learningRate
    }

    public func step() { step(scalingGradientsBy: 1) }

    public func step(scalingGradientsBy scale: Float) {
        for p in parameters {
            guard let g = p.grad else { continue }
            let lr = learningRate
            p.data.withUnsafeMutableBufferPointer { w in
                g.data.withUnsafeBufferPointer { g in
                    let (w, g) = (w.baseAddress!, g.baseAddress!)
                    Parallel.forEachShare(of: p.count, grain: 1 << 15) { _, range in
                        // (g·scale) first, rounded as the clipped gradient would be
                        for i in range { w[i] -= lr * (g[i] * scale) }
                    }
                }
            }
        }
    }
}

/// Adam (Kingma & Ba), with PyTorch's defaults: betas (0.9, 0.999), eps 1e-8, no weight decay.
/// m ← β₁m + (1−β₁)g;  v ← β₂v + (1−β₂)g²;  p ← p − lr·m̂ / (√v̂ + eps), with m̂ = m/(1−β₁ᵗ) and
/// v̂ = v/(1−β₂ᵗ). As in `torch.optim.Adam`, t counts the steps at which *this* parameter had a
/// gradient: a parameter without one is skipped, its moments and its count left as they are.
public final class Adam: Optimizer {
    public let parameters: [Tensor]
    public var learningRate: Float
    public let betas: (Float, Float)
    public let eps: Float
    private var firstMoments: [[Float]]
    private var secondMoments: [[Float]]
    /// t of each parameter: how many of its updates have been made.
    private var stepCounts: [Int]

    public init(_ parameters: [Tensor], learningRate: Float = 1e-3, betas: (Float, Float) = (0.9, 0.999),
                eps: Float = 1e-8) {
        self.parameters = parameters
        self.learningRate = learningRate
        self.betas = betas
        self.eps = eps
        firstMoments = parameters.map { [Float](repeating: 0, count: $0.count) }
        secondMoments = firstMoments
        stepCounts = [Int](repeating: 0, count: parameters.count)
    }

    public func step() { step(scalingGradientsBy: 1) }

    public func step(scalingGradientsBy scale: Float) {
        let (beta1, beta2) = betas
        let eps = self.eps
        for (n, p) in parameters.enumerated() {
            guard let grad = p.grad else { continue }
            stepCounts[n] += 1
            let correction1 = 1 - Foundation.pow(beta1, Float(stepCounts[n]))
            let correction2 = 1 - Foundation.pow(beta2, Float(stepCounts[n]))
            let stepSize = learningRate / correction1
            p.data.withUnsafeMutableBufferPointer { w in
                grad.data.withUnsafeBufferPointer { g in
                    firstMoments[n].withUnsafeMutableBufferPointer { m in
                        secondMoments[n].withUnsafeMutableBufferPointer { v in
                            let (w, g, m, v) = (w.baseAddress!, g.baseAddress!, m.baseAddress!, v.baseAddress!)
                            // memory-bound: the big matrices' elements split over the cores
                            Parallel.forEachShare(of: p.count, grain: 1 << 15) { _, range in
                                for i in range {
                                    let clipped = g[i] * scale
                                    m[i] = beta1 * m[i] + (1 - beta1) * clipped
                                    v[i] = beta2 * v[i] + (1 - beta2) * clipped * clipped
                                    // v̂ is never negative; saying so with max lets the loop use vector
                                    // square roots (else libm's errno path for x < 0 keeps it scalar)
                                    let vHat = Swift.max(v[i] / correction2, 0)
                                    w[i] -= stepSize * m[i] / (vHat.squareRoot() + eps)
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
