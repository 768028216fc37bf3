import Foundation
import XCTest
@testable import Engine

/// σ, tanh and the softmax run on our own vectorized e^x, not libm's: they must agree with libm
/// to within float rounding across the whole range, and saturate cleanly at the ends.
final class FastMathTests: XCTestCase {
    /// −100 … 100 in steps of 1/64, plus the values where clamping and rounding change regime.
    let grid: [Float] = stride(from: Float(-100), through: 100, by: 1.0 / 64) + [-87.5, -87, 88, 88.5, 1e-7, -1e-7, 0]

    func testExpMatchesLibmToAFewUlps() {
        for x in grid + [88.7, -86.5] where x >= -86.5 && x <= 88.7 {
            let (fast, exact) = (Double(fastExp(x)), Foundation.exp(Double(x)))
            XCTAssertEqual(fast, exact, accuracy: exact * 3e-7, "e^\(x)")
        }
        // Where float32 overflows, +∞; far below, the clamp's small normal value.
        XCTAssertEqual(fastExp(88.8), .infinity)
        XCTAssertEqual(fastExp(1000), .infinity)
        XCTAssertEqual(Double(fastExp(-1000)), Foundation.exp(-86.5), accuracy: 1e-44)
    }

    func testSigmoidAndTanhMatchLibm() {
        let input = Tensor(grid)
        let (sigmoid, tanh) = (input.sigmoid().data, input.tanh().data)
        for (i, x) in grid.enumerated() {
            XCTAssertEqual(Double(sigmoid[i]), 1 / (1 + Foundation.exp(-Double(x))), accuracy: 2e-7, "σ(\(x))")
            XCTAssertEqual(Double(tanh[i]), Foundation.tanh(Double(x)), accuracy: 3e-7, "tanh(\(x))")
        }
        // Far out: σ(−1000) is 0 (e^1000 overflows to ∞), no NaN.
        let saturated = Tensor([-1000, 1000])
        XCTAssertEqual(saturated.sigmoid().data[0], 0)
        XCTAssertEqual(saturated.sigmoid().data[1], 1)
        XCTAssertEqual(saturated.tanh().data, [-1, 1])
    }

    func testVectorSumAndMaxOverRaggedLengths() {
        for count in [0, 1, 7, 8, 9, 1027] {
            let values = (0..<count).map { Float(($0 * 37) % 101) - 50 }
            let storage = values + [99]  // one more, which neither may read
            storage.withUnsafeBufferPointer { p in
                XCTAssertEqual(vectorSum(p.baseAddress!, count: count), values.reduce(0, +), "sum of \(count)")
                XCTAssertEqual(vectorMax(p.baseAddress!, count: count), values.max() ?? -.infinity, "max of \(count)")
            }
        }
    }
}
