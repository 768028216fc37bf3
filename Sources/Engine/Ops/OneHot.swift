/// One-hot encoding. The matrices remember their indices, so `oneHot(x, V).matmul(W)` costs a
/// row lookup of W instead of a (B, V)·(V, H) product.

/// (N) indices → (N, depth) with a 1 at each row's index.
public func oneHot(_ indices: [Int], _ depth: Int) -> Tensor {
    var values = [Float](repeating: 0, count: indices.count * depth)
    for (row, index) in indices.enumerated() {
        precondition(index >= 0 && index < depth, "one-hot index \(index) out of range 0..<\(depth)")
        values[row * depth + index] = 1
    }
    let t = Tensor(shape: [indices.count, depth], data: values)
    t.oneHotIndices = indices
    return t
}

/// A minibatch (B, T) of indices → T matrices of shape (B, depth), one per time step
/// (d2l's `to_onehot`).
public func oneHot(_ batch: [[Int]], _ depth: Int) -> [Tensor] {
    let steps = batch.first?.count ?? 0
    return (0..<steps).map { t in oneHot(batch.map { $0[t] }, depth) }
}

/// A minibatch (B, T) of indices → one-hot (T, B, V), time-major like the layers' input; it keeps
/// its indices, so the layer's input projection is a row lookup.
public func oneHotSequence(_ batch: [[Int]], _ depth: Int) -> Tensor {
    let steps = batch.first?.count ?? 0
    return oneHot(timeMajor(batch), depth).reshaped([steps, batch.count, depth])
}
