import CBLAS
import Dispatch

/// The one place that calls OpenBLAS. C = alpha·op(A)·op(B) + beta·C, all row-major.
/// A is m×k after `transposeA`, B is k×n after `transposeB`, C is m×n.
func sgemm(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ c: UnsafeMutablePointer<Float>,
           m: Int, n: Int, k: Int, transposeA: Bool = false, transposeB: Bool = false,
           alpha: Float = 1, beta: Float = 0) {
    guard m > 0, n > 0 else { return }
    MatmulLog.record(m: m, n: n, k: k, transposeA: transposeA, transposeB: transposeB)
    guard k > 0 else {
        if beta == 0 { c.update(repeating: 0, count: m * n) }
        return
    }
    cblas_sgemm(CblasRowMajor,
                transposeA ? CblasTrans : CblasNoTrans,
                transposeB ? CblasTrans : CblasNoTrans,
                Int32(m), Int32(n), Int32(k), alpha,
                a, Int32(transposeA ? m : k),
                b, Int32(transposeB ? k : n),
                beta, c, Int32(n))
}

/// Σ xᵢ², in blocks of Float sums (BLAS sdot, vectorized) added up in Double.
func sumOfSquares(_ x: [Float]) -> Double {
    let block = 4096
    return x.withUnsafeBufferPointer { x in
        stride(from: 0, to: x.count, by: block).reduce(0.0) { total, start in
            let n = Int32(Swift.min(block, x.count - start))
            return total + Double(cblas_sdot(n, x.baseAddress! + start, 1, x.baseAddress! + start, 1))
        }
    }
}

/// How many threads OpenBLAS uses (e.g. for a fair comparison with PyTorch's setting).
public func blasThreads() -> Int { Int(openblas_get_num_threads()) }
public func setBLASThreads(_ n: Int) { openblas_set_num_threads(Int32(n)) }

/// Counts the floating-point work done in sgemm, and which shapes did it, so `lessons bench`
/// can report achieved GFLOP/s and replay the same products alone for comparison.
public enum MatmulLog {
    public struct Shape: Hashable, Sendable {
        public let m, n, k: Int
        public let transposeA, transposeB: Bool
        public var flops: Double { 2 * Double(m) * Double(n) * Double(k) }
    }
    nonisolated(unsafe) public static var isRecording = false
    nonisolated(unsafe) public private(set) static var flops: Double = 0
    nonisolated(unsafe) public private(set) static var shapes: [Shape: Int] = [:]

    public static func reset() { flops = 0; shapes = [:] }

    @inline(__always)
    static func record(m: Int, n: Int, k: Int, transposeA: Bool, transposeB: Bool) {
        guard isRecording else { return }
        let shape = Shape(m: m, n: n, k: k, transposeA: transposeA, transposeB: transposeB)
        flops += shape.flops
        shapes[shape, default: 0] += 1
    }

    /// Runs `count` products of each shape on random data, alone, and returns the GFLOP/s.
    public static func replay(_ shapes: [Shape: Int]) -> Double {
        var total = 0.0
        let start = DispatchTime.now().uptimeNanoseconds
        for (shape, count) in shapes {
            let a = [Float](repeating: 0.5, count: shape.m * shape.k)
            let b = [Float](repeating: 0.25, count: shape.k * shape.n)
            var c = [Float](repeating: 0, count: shape.m * shape.n)
            for _ in 0..<count {
                sgemmUnlogged(a, b, &c, shape)
                total += shape.flops
            }
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        return total / seconds / 1e9
    }

    private static func sgemmUnlogged(_ a: [Float], _ b: [Float], _ c: inout [Float], _ s: Shape) {
        let was = isRecording
        isRecording = false
        defer { isRecording = was }
        a.withUnsafeBufferPointer { a in
            b.withUnsafeBufferPointer { b in
                c.withUnsafeMutableBufferPointer { c in
                    sgemm(a.baseAddress!, b.baseAddress!, c.baseAddress!, m: s.m, n: s.n, k: s.k,
                          transposeA: s.transposeA, transposeB: s.transposeB, beta: 1)
                }
            }
        }
    }
}
