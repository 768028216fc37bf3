import Foundation

/// y = x·W + b, for x of shape (N, inFeatures).
/// Unlike PyTorch, `weight` is stored as (inFeatures, outFeatures), so the forward pass is a
/// plain `x.matmul(weight)`; the initialisation is PyTorch's: Uniform(−1/√in, 1/√in) for both.
public final class Linear {
    public let weight: Tensor  // (in, out)
    public let bias: Tensor    // (out)

    public init(_ inFeatures: Int, _ outFeatures: Int, using generator: inout RandomGenerator) {
        let bound = 1 / Float(inFeatures).squareRoot()
        weight = .uniform([inFeatures, outFeatures], low: -bound, high: bound, requiresGrad: true, using: &generator)
        bias = .uniform([outFeatures], low: -bound, high: bound, requiresGrad: true, using: &generator)
    }

    public convenience init(_ inFeatures: Int, _ outFeatures: Int) {
        self.init(inFeatures, outFeatures, using: &RandomGenerator.global)
    }

    /// (N, in) → (N, out): x·W + b as one product, the bias added on its way out.
    public func callAsFunction(_ x: Tensor) -> Tensor { x.matmul(weight, plusRow: bias) }

    public var parameters: [Tensor] { [weight, bias] }
}

/// A lookup table of `count` vectors of size `dimension`, initialised Normal(0, 1) as in PyTorch.
public final class Embedding {
    public let weight: Tensor  // (count, dimension)

    public init(_ count: Int, _ dimension: Int, using generator: inout RandomGenerator) {
        weight = .normal([count, dimension], requiresGrad: true, using: &generator)
    }

    public convenience init(_ count: Int, _ dimension: Int) {
        self.init(count, dimension, using: &RandomGenerator.global)
    }

    /// (N) indices → (N, dimension)
    public func callAsFunction(_ indices: [Int]) -> Tensor { weight.gatherRows(indices) }

    public var parameters: [Tensor] { [weight] }
}
