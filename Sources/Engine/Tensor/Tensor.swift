/// A dense, contiguous, row-major Float32 tensor that records the operations made on it,
/// so that `backward()` can compute gradients (reverse-mode autograd, one tape per graph).
///
/// Shapes follow one vocabulary across the project: `B` batch, `T` steps, `V` vocabulary,
/// `H` hidden, `L` layers, `D` directions.
public final class Tensor {
    /// The size of each axis; `[]` for a scalar.
    public internal(set) var shape: [Int]
    /// The values, row-major. Mutating them in place is how optimizers update parameters.
    /// Any change to them, in place or by assignment, makes a one-hot matrix an ordinary one.
    public var data: [Float] {
        didSet { oneHotIndices = nil }
    }
    /// d(loss)/d(self), filled by `backward()` on tensors that require gradients.
    public var grad: Tensor?
    /// Whether gradients flow to (and are kept for) this tensor.
    public var requiresGrad: Bool

    // The tape: the inputs of the op that made this tensor and its local chain rule, which
    // reads `self.grad` and accumulates into the inputs' gradients.
    var parents: [Tensor] = []
    var backwardRule: BackwardRule?
    /// Set on one-hot matrices (one index per row) so `matmul` can use a row lookup instead;
    /// cleared by any change to `data`, so the lookup never disagrees with the values.
    var oneHotIndices: [Int]?
    /// Used by the iterative topological sort in `backward()`.
    var visitMark = 0

    public init(shape: [Int], data: [Float], requiresGrad: Bool = false) {
        precondition(shape.allSatisfy { $0 >= 0 }, "negative size in shape \(shape)")
        precondition(shape.reduce(1, *) == data.count,
                     "shape \(shape) needs \(shape.reduce(1, *)) values, got \(data.count)")
        self.shape = shape
        self.data = data
        self.requiresGrad = requiresGrad
    }

    /// A tensor from flat values; a vector when `shape` is omitted.
    public convenience init(_ values: [Float], shape: [Int]? = nil, requiresGrad: Bool = false) {
        self.init(shape: shape ?? [values.count], data: values, requiresGrad: requiresGrad)
    }

    /// A matrix from its rows.
    public convenience init(_ rows: [[Float]], requiresGrad: Bool = false) {
        let columns = rows.first?.count ?? 0
        precondition(rows.allSatisfy { $0.count == columns }, "rows of different lengths")
        self.init(shape: [rows.count, columns], data: rows.flatMap { $0 }, requiresGrad: requiresGrad)
    }

    /// A scalar.
    public convenience init(_ value: Float) {
        self.init(shape: [], data: [value])
    }

    public var count: Int { data.count }
    public var rank: Int { shape.count }

    /// The value of a one-element tensor.
    public var item: Float {
        precondition(data.count == 1, "item needs a one-element tensor, this one has shape \(shape)")
        return data[0]
    }

    /// The values as rows of a matrix (for printing and tests).
    public var rows: [[Float]] {
        precondition(rank == 2, "rows needs a matrix, shape is \(shape)")
        return (0..<shape[0]).map { Array(data[($0 * shape[1])..<(($0 + 1) * shape[1])]) }
    }
}

// MARK: - Creation

extension Tensor {
    public static func zeros(_ shape: [Int], requiresGrad: Bool = false) -> Tensor {
        full(shape, 0, requiresGrad: requiresGrad)
    }

    public static func ones(_ shape: [Int], requiresGrad: Bool = false) -> Tensor {
        full(shape, 1, requiresGrad: requiresGrad)
    }

    public static func full(_ shape: [Int], _ value: Float, requiresGrad: Bool = false) -> Tensor {
        Tensor(shape: shape, data: [Float](repeating: value, count: shape.reduce(1, *)), requiresGrad: requiresGrad)
    }

    /// Values drawn from Normal(mean, std²) with `generator` (default: the global one, seeded by `manualSeed`).
    public static func normal(_ shape: [Int], mean: Float = 0, std: Float = 1, requiresGrad: Bool = false,
                              using generator: inout RandomGenerator) -> Tensor {
        let values = (0..<shape.reduce(1, *)).map { _ in mean + std * generator.nextNormal() }
        return Tensor(shape: shape, data: values, requiresGrad: requiresGrad)
    }

    public static func normal(_ shape: [Int], mean: Float = 0, std: Float = 1, requiresGrad: Bool = false) -> Tensor {
        normal(shape, mean: mean, std: std, requiresGrad: requiresGrad, using: &RandomGenerator.global)
    }

    /// Values drawn from Uniform(low, high) with `generator`.
    public static func uniform(_ shape: [Int], low: Float, high: Float, requiresGrad: Bool = false,
                               using generator: inout RandomGenerator) -> Tensor {
        let values = (0..<shape.reduce(1, *)).map { _ in low + (high - low) * generator.nextUniform() }
        return Tensor(shape: shape, data: values, requiresGrad: requiresGrad)
    }

    public static func uniform(_ shape: [Int], low: Float, high: Float, requiresGrad: Bool = false) -> Tensor {
        uniform(shape, low: low, high: high, requiresGrad: requiresGrad, using: &RandomGenerator.global)
    }

    /// 0, 1, …, n-1 as floats.
    public static func arange(_ n: Int) -> Tensor {
        Tensor((0..<n).map(Float.init))
    }
}
