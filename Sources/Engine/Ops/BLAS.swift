import CBLAS

/// The one place that calls OpenBLAS. C = alpha·op(A)·op(B) + beta·C, all row-major.
/// A is m×k after `transposeA`, B is k×n after `transposeB`, C is m×n.
func sgemm(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ c: UnsafeMutablePointer<Float>,
           m: Int, n: Int, k: Int, transposeA: Bool = false, transposeB: Bool = false,
           alpha: Float = 1, beta: Float = 0) {
    guard m > 0, n > 0 else { return }
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

/// How many threads OpenBLAS uses (e.g. for a fair comparison with PyTorch's setting).
public func blasThreads() -> Int { Int(openblas_get_num_threads()) }
public func setBLASThreads(_ n: Int) { openblas_set_num_threads(Int32(n)) }
