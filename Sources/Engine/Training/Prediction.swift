/// Text generation from a trained model: greedy, always the most likely next token (d2l's
/// `predict_rnn`).

/// Continues `prefix` by `length` tokens. The prefix warms the state up one token at a time; then
/// each prediction is fed back as the next input. Returns prefix + continuation as tokens.
public func predict(_ prefix: [String], length: Int, model: RecurrentModel, vocab: Vocab) -> [String] {
    precondition(!prefix.isEmpty, "predict needs a non-empty prefix")
    return withNoGrad {
        var state = model.initialState(1)
        let prefixIndices = prefix.map { token -> Int in
            guard let index = vocab.index(of: token) else {
                preconditionFailure("prefix token \(token.debugDescription) is not in the vocabulary")
            }
            return index
        }
        var output = [prefixIndices[0]]
        for t in 0..<(prefix.count - 1 + length) {
            let (logits, newState) = model.forward([[output.last!]], state)
            state = newState
            if t < prefix.count - 1 {
                output.append(prefixIndices[t + 1])
            } else {
                output.append(logits.argmax()[0])
            }
        }
        return output.map { vocab[$0] }
    }
}

/// Character-level convenience: `predict("分开", length: 50, …)` → "分开…".
public func predict(_ prefix: String, length: Int, model: RecurrentModel, vocab: Vocab) -> String {
    predict(prefix.map { String($0) }, length: length, model: model, vocab: vocab).joined()
}

/// An index drawn with probability proportional to `weights` (which need not sum to 1), for
/// decoding by sampling, as chapter 16 does: `sampleCategorical(logits.softmax().data, using: &g)`.
public func sampleCategorical(_ weights: [Float], using generator: inout RandomGenerator) -> Int {
    let total = weights.reduce(0, +)
    var target = generator.nextUniform() * total
    for (i, w) in weights.enumerated() {
        target -= w
        if target < 0 { return i }
    }
    // Rounding can leave a sliver of `target`: the last index that could be drawn at all.
    return weights.lastIndex(where: { $0 > 0 }) ?? 0
}
