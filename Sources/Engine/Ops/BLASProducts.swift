#if !oneDNN   // built with `swift build --disable-default-traits`; by default DNNL.swift does this
import CBLAS

/// Engine's matrix products without oneDNN, for a machine that has no libdnnl: the same four
/// functions as DNNL.swift, with the same meaning, on OpenBLAS's cblas_sgemm and plain loops.
/// Results agree with the oneDNN build up to float rounding; training is slower (README,
/// "Benchmarks"): OpenBLAS packs B again at every call, so a `PackedMatrix` here is just a dense
/// copy, and the bias and the activation are passes of their own over C. `scripts/test-fallback`
/// builds this path and runs EngineTests on it.
///
/// Threads as with oneDNN: OpenBLAS runs single-threaded and `Parallel` gives each core its
/// share of the rows (or columns), so OpenBLAS's thread pool never competes with ours.

/// C (m, n) = act(op(A)·op(B) + bias + beta·C), all row-major; A is (m, k) after `transposeA`, B
/// is (k, n) after `transposeB`; beta is 0 (C is overwritten, and may start uninitialized) or 1;
/// `bias` (n) is added to every row. Leading dimensions default to dense storage. Called with
/// `part` from inside a `Parallel.run` body, it runs on that part's thread alone; without, a
/// large product is split over the cores.
func sgemm(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ c: UnsafeMutablePointer<Float>,
           m: Int, n: Int, k: Int, transposeA: Bool = false, transposeB: Bool = false, beta: Float = 0,
           bias: UnsafePointer<Float>? = nil, activation: Activation = .none,
           lda: Int? = nil, ldb: Int? = nil, ldc: Int? = nil, part: Int? = nil) {
    guard m > 0, n > 0 else { return }
    let lda = lda ?? (transposeA ? m : k), ldb = ldb ?? (transposeB ? k : n), ldc = ldc ?? n
    MatmulLog.record(MatmulLog.Shape(m: m, n: n, k: k, transposeA: transposeA, transposeB: transposeB,
                                     onOnePart: part != nil))
    precondition(k > 0 || (bias == nil && activation == .none), "an empty product with a bias or activation")
    func product(_ m: Int, _ n: Int, _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>,
                 _ c: UnsafeMutablePointer<Float>, _ bias: UnsafePointer<Float>?) {
        blasProduct(a, b, c, m: m, n: n, k: k, transposeA: transposeA, transposeB: transposeB, beta: beta,
                    bias: bias, activation: activation, lda: lda, ldb: ldb, ldc: ldc)
    }
    // Below about a megaflop, handing half to the other core costs more than it saves.
    guard part == nil, Parallel.parts > 1, 2 * m * n * k >= 1 << 20 else { product(m, n, a, b, c, bias); return }
    if m >= 32 || m >= n {   // halves of the rows of A and C
        Parallel.run { part in
            let rows = Parallel.share(of: m, part: part)
            guard !rows.isEmpty else { return }
            let aPart = transposeA ? a + rows.lowerBound : a + rows.lowerBound * lda
            product(rows.count, n, aPart, b, c + rows.lowerBound * ldc, bias)
        }
    } else {                 // halves of the columns of B and C
        Parallel.run { part in
            let columns = Parallel.share(of: n, part: part, alignment: 16)
            guard !columns.isEmpty else { return }
            let bPart = transposeB ? b + columns.lowerBound * ldb : b + columns.lowerBound
            product(m, columns.count, a, bPart, c + columns.lowerBound, bias.map { $0 + columns.lowerBound })
        }
    }
}

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
            blasProduct(a, b.baseAddress!, c, m: rows, n: n, k: k, transposeA: false, transposeB: false, beta: beta,
                        bias: nil, activation: activation, lda: k, ldb: n, ldc: outputLD)
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

/// The product on the calling thread, same meaning as `sgemm`: A (m, k) after `transposeA` with
/// rows `lda` apart, B (k, n) after `transposeB` with rows `ldb` apart, C (m, n) with rows `ldc`
/// apart, bias (n). The bias goes into C first, then one cblas_sgemm adds A·B, then the activation.
private func blasProduct(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ c: UnsafeMutablePointer<Float>,
                         m: Int, n: Int, k: Int, transposeA: Bool, transposeB: Bool, beta: Float,
                         bias: UnsafePointer<Float>?, activation: Activation, lda: Int, ldb: Int, ldc: Int) {
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
