import Dispatch
import Synchronization

/// Counts the floating-point work done in matrix products, and which shapes did it, so that
/// `lessons bench` can report the GFLOP/s achieved over an epoch, replay the same products alone
/// for comparison, and measure the machine's practical peak beside them.
public enum MatmulLog {
    public struct Shape: Hashable, Sendable {
        public let m, n, k: Int
        public let transposeA, transposeB: Bool
        /// B was packed once and reused (`PackedMatrix`), as the recurrent weights are.
        public var packed = false
        /// Ran on one core inside a parallel section (the other core running its twin), rather
        /// than split over both cores by `sgemm` itself.
        public var onOnePart = false
        public var flops: Double { 2 * Double(m) * Double(n) * Double(k) }
    }
    nonisolated(unsafe) public static var isRecording = false
    private static let log = Mutex<(flops: Double, shapes: [Shape: Int])>((0, [:]))

    public static var flops: Double { log.withLock { $0.flops } }
    public static var shapes: [Shape: Int] { log.withLock { $0.shapes } }
    public static func reset() { log.withLock { $0 = (0, [:]) } }

    @inline(__always)
    static func record(_ shape: Shape) {
        guard isRecording else { return }
        log.withLock { log in
            log.flops += shape.flops
            log.shapes[shape, default: 0] += 1
        }
    }

    /// Runs `count` products of each shape on constant data, alone, the way they ran in training
    /// (a packed B is packed once per shape, inside the timing; products that ran on one core
    /// run on both cores at once, half of them on each), and returns the GFLOP/s.
    public static func replay(_ shapes: [Shape: Int]) -> Double {
        let was = isRecording
        isRecording = false
        defer { isRecording = was }
        var total = 0.0
        let start = DispatchTime.now().uptimeNanoseconds
        for (shape, count) in shapes {
            let a = [Float](repeating: 0.5, count: shape.m * shape.k)
            let b = [Float](repeating: 0.25, count: shape.k * shape.n)
            // one output per part: the parts run at once
            var c = [Float](repeating: 0, count: shape.m * shape.n * Parallel.parts)
            a.withUnsafeBufferPointer { a in
                b.withUnsafeBufferPointer { b in
                    c.withUnsafeMutableBufferPointer { c in
                        let (a, b, c) = (a.baseAddress!, b.baseAddress!, c.baseAddress!)
                        let packed = shape.packed
                            ? PackedMatrix(b, k: shape.k, n: shape.n, transposed: shape.transposeB, rows: shape.m, beta: 1) : nil
                        func one(part: Int?) {
                            let out = c + (part ?? 0) * shape.m * shape.n
                            if let packed {
                                packed.multiply(a, into: out, part: part ?? 0)
                            } else {
                                sgemm(a, b, out, m: shape.m, n: shape.n, k: shape.k, transposeA: shape.transposeA,
                                      transposeB: shape.transposeB, beta: 1, part: part)
                            }
                        }
                        if shape.onOnePart {
                            Parallel.run { part in
                                for _ in Parallel.share(of: count, part: part) { one(part: part) }
                            }
                        } else {
                            for _ in 0..<count { one(part: nil) }
                        }
                    }
                }
            }
            total += shape.flops * Double(count)
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        return total / seconds / 1e9
    }

    /// The machine's practical peak: GFLOP/s of a large square product (n × n)·(n × n) split over
    /// the cores, the best of `repeats` runs (the first also warms the kernel up).
    public static func practicalPeak(size n: Int = 2048, repeats: Int = 4) -> Double {
        let was = isRecording
        isRecording = false
        defer { isRecording = was }
        let a = [Float](repeating: 0.5, count: n * n), b = [Float](repeating: 0.25, count: n * n)
        var c = [Float](repeating: 0, count: n * n)
        var best = 0.0
        for _ in 0..<repeats {
            let start = DispatchTime.now().uptimeNanoseconds
            a.withUnsafeBufferPointer { a in
                b.withUnsafeBufferPointer { b in
                    c.withUnsafeMutableBufferPointer { c in
                        sgemm(a.baseAddress!, b.baseAddress!, c.baseAddress!, m: n, n: n, k: n)
                    }
                }
            }
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            best = Swift.max(best, 2 * Double(n) * Double(n) * Double(n) / seconds / 1e9)
        }
        return best
    }
}
