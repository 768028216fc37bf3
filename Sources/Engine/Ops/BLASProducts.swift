#if !oneDNN   // built with `swift build --disable-default-traits`; by default DNNL.swift does this
import CBLAS

/// Engine's matrix products without oneDNN, for a machine that has no libdnnl: the same four
/// functions as DNNL.swift (Products.swift names them), with the same meaning, on OpenBLAS's
/// cblas_sgemm and plain loops.
/// Results agree with the oneDNN build up to float rounding; training is slower (README,
/// "Benchmarks"): OpenBLAS packs B again at every call, so a `PackedMatrix` here is just a dense
/// copy, and the bias and the activation are passes of their own over C. `scripts/test-fallback`
/// builds this path and runs EngineTests on it.
///
/// Threads as with oneDNN: OpenBLAS runs single-threaded and `Parallel` gives each core its
/// share of the rows (or columns), so OpenBLAS's thread pool never competes with ours.

/// A right-hand operand B (k, n) multiplied many times: the recurrent weights. oneDNN packs it
/// once into its kernel's layout; here it is a dense copy, (k, n) row-major, since OpenBLAS
/// packs B itself at every call. Made from B as stored (k, n) with rows `sourceLD` apart, or from
/// a stored (n, k) matrix when `transposed`; `rows` is the m of the products it takes part in,
/// whose results c (rows `outputLD` apart) are act(beta·c + a·B). Both parts of a parallel
/// section may multiply by it at once.
final class PackedMatrix {
    let rows: Int, k: Int, n: Int
    private let b: [Float]   // (k, n), rows n apart
    private let beta: Float, outputLD: Int, activation: Activation

    init(_ b: UnsafePointer<Float>, k: Int, n: Int, transposed: Bool, rows: Int, beta: Float,
         sourceLD: Int? = nil, outputLD: Int? = nil, activation: Activation = .none) {
        precondition(rows > 0 && k > 0 && n > 0, "PackedMatrix needs positive sizes")
        precondition(beta == 0 || beta == 1, "beta must be 0 or 1, got \(beta)")
        (self.rows, self.k, self.n) = (rows, k, n)
        (self.beta, self.outputLD, self.activation) = (beta, outputLD ?? n, activation)
        let ld = sourceLD ?? (transposed ? k : n)
        var dense = [Float](repeating: 0, count: k * n)
        for i in 0..<k {
            for j in 0..<n { dense[i * n + j] = transposed ? b[j * ld + i] : b[i * ld + j] }
        }
        self.b = dense
    }

    /// c (rows, n) = act(a (rows, k) · B + beta·c); on `part`'s thread.
    func multiply(_ a: UnsafePointer<Float>, into c: UnsafeMutablePointer<Float>, part: Int) {
        MatmulLog.record(MatmulLog.Shape(m: rows, n: n, k: k, transposeA: false, transposeB: false, packed: true,
                                         onOnePart: true))
        b.withUnsafeBufferPointer { b in
            productOnOneThread(a, b.baseAddress!, c, m: rows, n: n, k: k, transposeA: false, transposeB: false, beta: beta,
                               bias: nil, activation: activation, lda: k, ldb: n, ldc: outputLD, part: part)
        }
    }
}

/// y (rows, columns) = the softmax of each row of x, on `part`'s thread: e^(x − the row's
/// maximum), so that large inputs do not overflow, divided by the row's sum.
func softmaxRows(_ x: UnsafePointer<Float>, into y: UnsafeMutablePointer<Float>, rows: Int, columns: Int, part: Int) {
    guard rows > 0, columns > 0 else { return }
    for r in 0..<rows {
        let (xr, yr) = (x + r * columns, y + r * columns)   // one row, (columns)
        let rowMax = vectorMax(xr, count: columns)
        for j in 0..<columns { yr[j] = fastExp(xr[j] - rowMax) }
        let sum = vectorSum(yr, count: columns)
        for j in 0..<columns { yr[j] /= sum }
    }
}

/// Makes OpenBLAS single-threaded (in Debian's pthread build, a setting of the whole process):
/// `Parallel` spreads the work over the cores, not the library.
func useSingleThreadedProducts() { openblas_set_num_threads(1) }

/// Set before the first product: `Parallel`'s worker sets it when it starts, but a product on
/// the calling thread may come first.
private let singleThreaded: Void = useSingleThreadedProducts()

/// One product on the calling thread, with the meaning `sgemm` (Products.swift) gives it: A
/// (m, k) after `transposeA` with rows `lda` apart, B (k, n) after `transposeB` with rows `ldb`
/// apart, C (m, n) with rows `ldc` apart, bias (n). The bias goes into C first, then one
/// cblas_sgemm adds A·B, then the activation.
func productOnOneThread(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ c: UnsafeMutablePointer<Float>,
                        m: Int, n: Int, k: Int, transposeA: Bool, transposeB: Bool, beta: Float,
                        bias: UnsafePointer<Float>?, activation: Activation, lda: Int, ldb: Int, ldc: Int, part: Int) {
    precondition(beta == 0 || beta == 1, "beta must be 0 or 1, got \(beta)")
    _ = singleThreaded
    guard k > 0 else {   // A·B is empty: C is 0, or stays
        if beta == 0 { for r in 0..<m { (c + r * ldc).update(repeating: 0, count: n) } }
        return
    }
    if let bias {   // C = bias + beta·C, row by row
        for r in 0..<m {
            let row = c + r * ldc
            if beta == 0 { row.update(from: bias, count: n) } else { for j in 0..<n { row[j] += bias[j] } }
        }
    }
    // C = A·B + C, or A·B alone when C holds nothing to keep (OpenBLAS then zeroes C first)
    let keepsC: Float = beta == 1 || bias != nil ? 1 : 0
    cblas_sgemm(CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
                Int32(m), Int32(n), Int32(k), 1, a, Int32(lda), b, Int32(ldb), keepsC, c, Int32(ldc))
    guard activation != .none else { return }
    for r in 0..<m {   // C = act(C), row by row
        let row = c + r * ldc
        switch activation {
        case .none: break
        case .sigmoid: sigmoidVector(row, into: row, count: n)
        case .tanh: tanhVector(row, into: row, count: n)
        case .relu: for j in 0..<n { row[j] = Swift.max(row[j], 0) }
        }
    }
}
#endif
