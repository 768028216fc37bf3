/// How two operands of an elementwise op line up with its output (NumPy broadcasting rules).
/// The common cases get their own loops; anything else goes through index tables.
struct BroadcastPlan {
    /// How one operand maps onto the output.
    enum Layout {
        case same          // same shape as the output
        case scalar        // one value for every output element
        case row           // a suffix of the output's shape, repeated over the leading axes
        case table([Int])  // any other broadcast: the operand index of each output element

        var isRow: Bool { if case .row = self { return true } else { return false } }
    }

    let shape: [Int]
    let count: Int
    let a: Layout
    let b: Layout
    /// The row length for `.row` layouts.
    let rowLength: Int

    init(_ aShape: [Int], _ bShape: [Int]) {
        shape = BroadcastPlan.resultShape(aShape, bShape)
        count = shape.reduce(1, *)
        let aCount = aShape.reduce(1, *), bCount = bShape.reduce(1, *)
        if aShape == bShape {
            (a, b, rowLength) = (.same, .same, count)
        } else if aShape == shape && bCount == 1 {
            (a, b, rowLength) = (.same, .scalar, count)
        } else if bShape == shape && aCount == 1 {
            (a, b, rowLength) = (.scalar, .same, count)
        } else if aShape == shape && BroadcastPlan.isSuffix(bShape, of: shape) {
            (a, b, rowLength) = (.same, .row, bCount)
        } else if bShape == shape && BroadcastPlan.isSuffix(aShape, of: shape) {
            (a, b, rowLength) = (.row, .same, aCount)
        } else {
            a = .table(BroadcastPlan.indexTable(aShape, into: shape))
            b = .table(BroadcastPlan.indexTable(bShape, into: shape))
            rowLength = count
        }
    }

    /// Calls `body(outIndex, aIndex, bIndex)` for every output element.
    @inline(__always)
    func forEach(_ body: (Int, Int, Int) -> Void) {
        switch (a, b) {
        case (.same, .same): for i in 0..<count { body(i, i, i) }
        case (.same, .scalar): for i in 0..<count { body(i, i, 0) }
        case (.scalar, .same): for i in 0..<count { body(i, 0, i) }
        // Wrapping arithmetic (indices are far below Int.max): an overflow check per element
        // would keep these loops from vectorizing.
        case (.same, .row):
            for r in 0..<(count / max(rowLength, 1)) {
                let base = r &* rowLength
                for j in 0..<rowLength { body(base &+ j, base &+ j, j) }
            }
        case (.row, .same):
            for r in 0..<(count / max(rowLength, 1)) {
                let base = r &* rowLength
                for j in 0..<rowLength { body(base &+ j, j, base &+ j) }
            }
        case let (.table(ta), .table(tb)): for i in 0..<count { body(i, ta[i], tb[i]) }
        default: fatalError("unreachable broadcast layout")
        }
    }

    static func resultShape(_ a: [Int], _ b: [Int]) -> [Int] {
        let rank = max(a.count, b.count)
        let pa = [Int](repeating: 1, count: rank - a.count) + a
        let pb = [Int](repeating: 1, count: rank - b.count) + b
        return (0..<rank).map { i in
            precondition(pa[i] == pb[i] || pa[i] == 1 || pb[i] == 1,
                         "shapes \(a) and \(b) cannot be broadcast together")
            return pa[i] == 1 ? pb[i] : pa[i]
        }
    }

    /// True when `small`, without leading 1s, is the trailing part of `shape`.
    static func isSuffix(_ small: [Int], of shape: [Int]) -> Bool {
        let trimmed = Array(small.drop(while: { $0 == 1 }))
        return trimmed.count <= shape.count && Array(shape.suffix(trimmed.count)) == trimmed
    }

    /// For each element of `shape`, the index of the element of `operand` it reads.
    static func indexTable(_ operand: [Int], into shape: [Int]) -> [Int] {
        let padded = [Int](repeating: 1, count: shape.count - operand.count) + operand
        var strides = [Int](repeating: 0, count: shape.count)
        var step = 1
        for axis in stride(from: shape.count - 1, through: 0, by: -1) {
            strides[axis] = padded[axis] == 1 ? 0 : step
            step *= padded[axis]
        }
        let total = shape.reduce(1, *)
        var table = [Int](repeating: 0, count: total)
        var position = [Int](repeating: 0, count: shape.count)
        for i in 0..<total {
            table[i] = zip(position, strides).reduce(0) { $0 + $1.0 * $1.1 }
            var axis = shape.count - 1
            while axis >= 0 {
                position[axis] += 1
                if position[axis] < shape[axis] { break }
                position[axis] = 0
                axis -= 1
            }
        }
        return table
    }
}
