/// One minibatch for a language model: `inputs` holds `B` rows of `T` token indices and
/// `targets` the same positions shifted one token ahead (d2l's `X, Y`; `B` batch, `T` steps).
public struct Batch: Equatable, Sendable {
    /// Shape `B × T`, row-major: `inputs[b][t]`.
    public let inputs: [[Int]]
    /// Shape `B × T`: `targets[b][t]` is the token that follows `inputs[b][t]` in the corpus.
    public let targets: [[Int]]

    public init(inputs: [[Int]], targets: [[Int]]) {
        precondition(inputs.count == targets.count
                     && zip(inputs, targets).allSatisfy { $0.count == $1.count },
                     "inputs and targets must have the same shape")
        self.inputs = inputs
        self.targets = targets
    }

    /// `B`, the number of rows.
    public var batchSize: Int { inputs.count }
    /// `T`, the number of time steps in each row.
    public var steps: Int { inputs.first?.count ?? 0 }
}

// The three d2l samplers. Each call returns one epoch's minibatches; the random ones draw
// from the generator passed in, so a seeded generator repeats an epoch exactly. The integer
// arithmetic (Swift's `/` on non-negative Ints is Python's `//`) follows the sources, which
// is what makes batch counts and contents match theirs.

/// Random sampling (d2l v1 `data_iter_random`): the corpus is cut into
/// `numExamples = (count - 1) / steps` non-overlapping examples, example `j` being
/// `corpus[j*steps ..< (j+1)*steps]`; their order is shuffled, and batch `i` takes the
/// shuffled examples `i*batchSize ..< (i+1)*batchSize`, for `numExamples / batchSize` batches.
/// Adjacent batches are not adjacent in the text, so a model's state must be reset per batch.
public func randomBatches(corpus: [Int], batchSize: Int, steps: Int,
                          using generator: inout some RandomNumberGenerator) -> [Batch] {
    precondition(batchSize > 0 && steps > 0, "batchSize and steps must be positive")
    let numExamples = max(corpus.count - 1, 0) / steps
    let epochSize = numExamples / batchSize
    var exampleIndices = Array(0..<numExamples)
    exampleIndices.shuffle(using: &generator)

    func example(startingAt start: Int) -> [Int] { Array(corpus[start ..< start + steps]) }
    return (0..<epochSize).map { i in
        let batchIndices = exampleIndices[i * batchSize ..< (i + 1) * batchSize]
        return Batch(inputs: batchIndices.map { example(startingAt: $0 * steps) },
                     targets: batchIndices.map { example(startingAt: $0 * steps + 1) })
    }
}

/// Random sampling drawing from `RandomGenerator.global` (seeded by `manualSeed`).
public func randomBatches(corpus: [Int], batchSize: Int, steps: Int) -> [Batch] {
    randomBatches(corpus: corpus, batchSize: batchSize, steps: steps, using: &RandomGenerator.global)
}

/// Consecutive sampling (d2l v1 `data_iter_consecutive`): the first
/// `batchSize * batchLen` tokens, `batchLen = count / batchSize`, are laid out as `batchSize`
/// rows of `batchLen`; batch `i` is columns `i*steps ..< (i+1)*steps`, its targets the columns
/// one further, for `(batchLen - 1) / steps` batches. Row `b` of each batch continues row `b`
/// of the one before, so a model may carry its state across batches.
public func consecutiveBatches(corpus: [Int], batchSize: Int, steps: Int) -> [Batch] {
    precondition(batchSize > 0 && steps > 0, "batchSize and steps must be positive")
    let batchLen = corpus.count / batchSize
    let epochSize = max(batchLen - 1, 0) / steps
    return columnBatches(corpus, start: 0, rows: batchSize, rowLength: batchLen,
                         steps: steps, count: epochSize)
}

/// Sequential sampling (d2l v2 `seq_data_iter_sequential`) from a given `offset`: take
/// `numTokens = ((count - offset - 1) / batchSize) * batchSize` tokens from `offset` as inputs
/// and the same shifted by one as targets, lay each out as `batchSize` rows, and cut
/// `(numTokens / batchSize) / steps` batches of `steps` columns. Like consecutive sampling,
/// row `b` continues from batch to batch.
public func sequentialBatches(corpus: [Int], batchSize: Int, steps: Int, offset: Int) -> [Batch] {
    precondition(batchSize > 0 && steps > 0, "batchSize and steps must be positive")
    precondition(offset >= 0, "offset must not be negative")
    let numTokens = (max(corpus.count - offset - 1, 0) / batchSize) * batchSize
    let rowLength = numTokens / batchSize
    return columnBatches(corpus, start: offset, rows: batchSize, rowLength: rowLength,
                         steps: steps, count: rowLength / steps)
}

/// Sequential sampling with d2l v2's random start: the offset is drawn uniformly from
/// `0...steps` (Python's `random.randint(0, num_steps)`), so each epoch sees the text cut at
/// different places.
public func sequentialBatches(corpus: [Int], batchSize: Int, steps: Int,
                              using generator: inout some RandomNumberGenerator) -> [Batch] {
    let offset = Int.random(in: 0...steps, using: &generator)
    return sequentialBatches(corpus: corpus, batchSize: batchSize, steps: steps, offset: offset)
}

/// Sequential sampling drawing its offset from `RandomGenerator.global`.
public func sequentialBatches(corpus: [Int], batchSize: Int, steps: Int) -> [Batch] {
    sequentialBatches(corpus: corpus, batchSize: batchSize, steps: steps, using: &RandomGenerator.global)
}

/// `count` batches of `steps` columns cut from `corpus[start...]` laid out as `rows` rows of
/// `rowLength` (row `b` starts at `start + b*rowLength`). Targets are the same cells shifted
/// one token along the corpus; both samplers guarantee that this stays in bounds.
private func columnBatches(_ corpus: [Int], start: Int, rows: Int, rowLength: Int,
                           steps: Int, count: Int) -> [Batch] {
    func slice(row: Int, column: Int, shift: Int) -> [Int] {
        let from = start + row * rowLength + column + shift
        return Array(corpus[from ..< from + steps])
    }
    return (0..<count).map { i in
        let column = i * steps
        return Batch(inputs: (0..<rows).map { slice(row: $0, column: column, shift: 0) },
                     targets: (0..<rows).map { slice(row: $0, column: column, shift: 1) })
    }
}
