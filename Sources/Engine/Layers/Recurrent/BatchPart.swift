/// One core's share of a recurrent layer's batch: rows `rows` of every step.
///
/// Inside the layer every buffer of T·B rows is laid out part by part: part 0's T·B₀ rows in
/// step order (t·B₀ + b), then part 1's. Each part's rows then form one contiguous matrix, so
/// its products over all steps are plain matrix products and the two cores never write the same
/// cache lines. The layer's own input, output and states keep the usual (T, B) order.
struct BatchPart {
    /// The `Parallel` part that runs it.
    let index: Int
    /// Its rows of the batch.
    let rows: Range<Int>
    let steps: Int

    var count: Int { rows.count }
    /// Where its rows start in a part-by-part buffer.
    var firstRow: Int { steps * rows.lowerBound }

    /// Step t, local row b, in a part-by-part buffer.
    func row(_ t: Int, _ b: Int = 0) -> Int { firstRow + t * count + b }

    /// Step t, local row b, in the (T, B) order of a batch of `batch` rows.
    func standardRow(_ t: Int, _ b: Int, batch: Int) -> Int { t * batch + rows.lowerBound + b }

    /// The batch shared out over the cores (one part when B = 1).
    static func parts(of sizes: Sizes) -> [BatchPart] {
        let n = Swift.min(Parallel.parts, sizes.batch)
        return (0..<n).map { BatchPart(index: $0, rows: Parallel.share(of: sizes.batch, part: $0, parts: n), steps: sizes.steps) }
    }

    /// Runs `body` for every part, each on its own core.
    static func forEach(_ parts: [BatchPart], _ body: (BatchPart) -> Void) {
        if parts.count == 1 { body(parts[0]); return }
        Parallel.run { p in body(parts[p]) }
    }

    /// A (T, B, width) tensor's values rearranged part by part.
    static func partMajorCopy(_ standard: [Float], sizes: Sizes, width: Int) -> FloatBuffer {
        let copy = FloatBuffer(uninitialized: standard.count)
        standard.withUnsafeBufferPointer { x in
            for part in parts(of: sizes) {
                for t in 0..<sizes.steps {
                    let source = x.baseAddress! + part.standardRow(t, 0, batch: sizes.batch) * width
                    (copy.pointer + part.row(t) * width).update(from: source, count: part.count * width)
                }
            }
        }
        return copy
    }

    /// standard (T, B, width) += partMajor, the inverse arrangement of `partMajorCopy`.
    static func addStandard(from partMajor: UnsafePointer<Float>, into standard: UnsafeMutablePointer<Float>,
                            sizes: Sizes, width: Int) {
        for part in parts(of: sizes) {
            for t in 0..<sizes.steps {
                let target = standard + part.standardRow(t, 0, batch: sizes.batch) * width
                let source = partMajor + part.row(t) * width
                for i in 0..<(part.count * width) { target[i] += source[i] }
            }
        }
    }
}

/// What a layer reads: one-hot token indices (T·B, in (T, B) order), or dense rows (T·B, width)
/// part by part.
enum LayerInput {
    case oneHot([Int])
    case dense(UnsafePointer<Float>, width: Int)
}

/// Where a layer's (T·B, D·H) output (or the gradient of one) lives: part by part, for the
/// layers below the top, or in (T, B) order, for the top one.
enum LayerOutput {
    case partMajor(UnsafeMutablePointer<Float>)
    case standard(UnsafeMutablePointer<Float>)

    /// The start of step t, local row b of `part`, in a layout `width` floats wide.
    func row(_ part: BatchPart, _ t: Int, _ b: Int, batch: Int, width: Int) -> UnsafeMutablePointer<Float> {
        switch self {
        case .partMajor(let base): return base + part.row(t, b) * width
        case .standard(let base): return base + part.standardRow(t, b, batch: batch) * width
        }
    }
}
