import CBLAS

/// OpenBLAS's dot product, single-threaded at these sizes. Matrix products run on oneDNN
/// (`DNNL.swift`), or on OpenBLAS in a build without the oneDNN trait (`BLASProducts.swift`, the
/// only other file that calls OpenBLAS).

/// Σ xᵢ², in blocks of Float sums (BLAS sdot, vectorized) added up in Double; a large x is
/// split over the cores.
func sumOfSquares(_ x: [Float]) -> Double {
    let block = 4096
    var partTotals = [Double](repeating: 0, count: Parallel.parts)
    x.withUnsafeBufferPointer { x in
        partTotals.withUnsafeMutableBufferPointer { totals in
            Parallel.forEachShare(of: x.count, grain: 1 << 16, alignment: block) { part, range in
                totals[part] = stride(from: range.lowerBound, to: range.upperBound, by: block).reduce(0.0) { total, start in
                    let n = Int32(Swift.min(block, range.upperBound - start))
                    return total + Double(cblas_sdot(n, x.baseAddress! + start, 1, x.baseAddress! + start, 1))
                }
            }
        }
    }
    return partTotals.reduce(0, +)
}
