/// Every matrix product in Engine goes through `sgemm` here; the arithmetic is done by one of
/// two backends, chosen when the package is built: oneDNN (DNNL.swift, the default) or OpenBLAS
/// (BLASProducts.swift, `swift build --disable-default-traits`). Each provides
/// `productOnOneThread`, `PackedMatrix`, `softmaxRows` and `useSingleThreadedProducts`; what is
/// the same for both (the shape defaults, the log `lessons bench` counts FLOPs from, the split
/// over the cores) is written once, here.

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
    let shape = MatmulLog.Shape(m: m, n: n, k: k, transposeA: transposeA, transposeB: transposeB, onOnePart: part != nil)
    MatmulLog.record(shape)
    precondition(k > 0 || (bias == nil && activation == .none), "an empty product with a bias or activation")
    guard k > 0 else {
        if beta == 0 { for r in 0..<m { (c + r * ldc).update(repeating: 0, count: n) } }
        return
    }
    func product(_ m: Int, _ n: Int, _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>,
                 _ c: UnsafeMutablePointer<Float>, _ bias: UnsafePointer<Float>?, part: Int) {
        productOnOneThread(a, b, c, m: m, n: n, k: k, transposeA: transposeA, transposeB: transposeB, beta: beta,
                           bias: bias, activation: activation, lda: lda, ldb: ldb, ldc: ldc, part: part)
    }
    if let part { product(m, n, a, b, c, bias, part: part); return }
    // From outside a parallel section: split over the cores, but below about a megaflop
    // handing half to the other core costs more than it saves.
    func overTheCores() {
        guard Parallel.parts > 1, 2 * m * n * k >= 1 << 20 else { product(m, n, a, b, c, bias, part: 0); return }
        if m >= 32 || m >= n {   // halves of the rows of A and C
            Parallel.run { part in
                let rows = Parallel.share(of: m, part: part)
                guard !rows.isEmpty else { return }
                let aPart = transposeA ? a + rows.lowerBound : a + rows.lowerBound * lda
                product(rows.count, n, aPart, b, c + rows.lowerBound * ldc, bias, part: part)
            }
        } else {                 // halves of the columns of B and C
            Parallel.run { part in
                let columns = Parallel.share(of: n, part: part, alignment: 16)
                guard !columns.isEmpty else { return }
                let bPart = transposeB ? b + columns.lowerBound * ldb : b + columns.lowerBound
                product(m, columns.count, a, bPart, c + columns.lowerBound, bias.map { $0 + columns.lowerBound }, part: part)
            }
        }
    }
    PhaseLog.measure(.otherProducts, flops: shape.flops, overTheCores)
}
