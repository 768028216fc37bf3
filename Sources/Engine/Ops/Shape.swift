/// Reshape, transpose, slicing along the first axis, concatenation and stacking.

extension Tensor {
    /// The same values with another shape; one axis may be -1 (inferred).
    public func reshaped(_ newShape: [Int]) -> Tensor {
        var newShape = newShape
        if let unknown = newShape.firstIndex(of: -1) {
            let known = newShape.filter { $0 != -1 }.reduce(1, *)
            newShape[unknown] = known == 0 ? 0 : count / known
        }
        precondition(newShape.reduce(1, *) == count, "cannot reshape \(shape) to \(newShape)")
        let out = Tensor.record(newShape, data, inputs: [self]) { result in
            self.accumulateGrad(result.grad!.data)
        }
        // A one-hot tensor stays one-hot while its rows stay whole.
        if let indices = oneHotIndices, newShape.last == shape.last { out.oneHotIndices = indices }
        return out
    }

    /// The transpose of a matrix: (m, n) → (n, m).
    public var T: Tensor { transposed() }

    public func transposed() -> Tensor {
        precondition(rank == 2, "transposed() needs a matrix, shape is \(shape)")
        let (m, n) = (shape[0], shape[1])
        var out = [Float](repeating: 0, count: count)
        for i in 0..<m { for j in 0..<n { out[j * m + i] = data[i * n + j] } }
        return Tensor.record([n, m], out, inputs: [self]) { result in
            let g = result.grad!.data
            self.accumulateGrad { d in for i in 0..<m { for j in 0..<n { d[i * n + j] += g[j * m + i] } } }
        }
    }

    /// Entry `index` along the first axis: (n, …) → (…).
    public subscript(index: Int) -> Tensor {
        let slice = self[index..<(index + 1)]
        return slice.reshaped(Array(shape.dropFirst()))
    }

    /// Entries `range` along the first axis: (n, …) → (range.count, …).
    public subscript(range: Range<Int>) -> Tensor {
        precondition(rank >= 1 && range.lowerBound >= 0 && range.upperBound <= shape[0],
                     "slice \(range) out of bounds for shape \(shape)")
        let inner = count / Swift.max(shape[0], 1)
        let start = range.lowerBound * inner
        let values = Array(data[start..<(start + range.count * inner)])
        var outShape = shape
        outShape[0] = range.count
        return Tensor.record(outShape, values, inputs: [self]) { result in
            let g = result.grad!.data
            self.accumulateGrad { d in for i in 0..<g.count { d[start + i] += g[i] } }
        }
    }
}

/// Joins tensors along an existing `axis`; every other axis must match.
public func concat(_ tensors: [Tensor], axis: Int = 0) -> Tensor {
    precondition(!tensors.isEmpty, "concat needs at least one tensor")
    let first = tensors[0]
    let axis = axis < 0 ? axis + first.rank : axis
    for t in tensors {
        precondition(t.rank == first.rank && (0..<t.rank).allSatisfy { $0 == axis || t.shape[$0] == first.shape[$0] },
                     "concat along axis \(axis): shapes \(tensors.map(\.shape)) do not match")
    }
    let outer = first.shape[..<axis].reduce(1, *)
    let widths = tensors.map { $0.shape[axis...].reduce(1, *) }  // elements per outer index
    let totalWidth = widths.reduce(0, +)
    var out = uninitializedFloats(outer * totalWidth)
    out.withUnsafeMutableBufferPointer { o in
        var offset = 0
        for (t, width) in zip(tensors, widths) {
            t.data.withUnsafeBufferPointer { src in
                for r in 0..<outer {
                    (o.baseAddress! + r * totalWidth + offset).update(from: src.baseAddress! + r * width, count: width)
                }
            }
            offset += width
        }
    }
    var shape = first.shape
    shape[axis] = tensors.map { $0.shape[axis] }.reduce(0, +)
    return Tensor.record(shape, out, inputs: tensors) { result in
        result.grad!.data.withUnsafeBufferPointer { g in
            var offset = 0
            for (t, width) in zip(tensors, widths) {
                defer { offset += width }
                guard t.requiresGrad else { continue }
                var d = uninitializedFloats(outer * width)  // this input's columns of g
                d.withUnsafeMutableBufferPointer { d in
                    for r in 0..<outer {
                        (d.baseAddress! + r * width).update(from: g.baseAddress! + r * totalWidth + offset, count: width)
                    }
                }
                t.accumulateGrad(d)
            }
        }
    }
}

/// Stacks equal-shaped tensors along a new first axis: k × (…) → (k, …).
public func stack(_ tensors: [Tensor]) -> Tensor {
    precondition(!tensors.isEmpty, "stack needs at least one tensor")
    return concat(tensors.map { $0.reshaped([1] + $0.shape) }, axis: 0)
}
