import Foundation
import XCTest
@testable import Engine
import Experiments

/// Faults found by comparing Engine with PyTorch float32 on the same inputs; each test failed
/// before its fix.

final class OneHotMutationTests: XCTestCase {
    let w = Tensor([[1], [2], [3]])   // (3, 1)

    /// A one-hot matrix changed in place is an ordinary matrix: its product must use its values.
    func testScaledInPlace() {
        let x = oneHot([1], 3)
        x *= 2
        XCTAssertEqual(x.matmul(w).data, [4])
    }

    func testValuesReplaced() {
        let x = oneHot([1], 3)
        x.data = [0, 0, 1]
        XCTAssertEqual(x.matmul(w).data, [3])
    }

    func testOneElementWrittenAndTensorAdded() {
        let poked = oneHot([0], 3)
        poked.data[2] = 5                                   // [1, 0, 5]
        XCTAssertEqual(poked.matmul(w).data, [16])
        let summed = oneHot([0], 3)
        summed += Tensor([[0, 1, 0]])                       // [1, 1, 0]
        XCTAssertEqual(summed.matmul(w).data, [3])
        let subtracted = oneHot([2], 3)
        subtracted -= Tensor([[1, 0, 0]])                   // [-1, 0, 1]
        XCTAssertEqual(subtracted.matmul(w).data, [2])
    }

    /// Reshaping or detaching a changed one-hot keeps the changed values, not the indices.
    func testReshapeAndDetachAfterAChange() {
        let x = oneHot([1, 0], 3)
        x *= 3
        XCTAssertEqual(x.reshaped([2, 3]).matmul(w).data, [6, 3])
        XCTAssertEqual(x.detach().matmul(w).data, [6, 3])
    }

    /// A GRU over a one-hot sequence scaled in place gives what it gives on the same values held
    /// in a plain tensor.
    func testRecurrentLayerOnAScaledOneHot() {
        let (T, B, V) = (3, 2, 5)
        let x = oneHotSequence([[0, 3, 4], [2, 2, 1]], V)   // (T, B, V)
        x *= 2
        let plain = Tensor(shape: [T, B, V], data: x.data)
        var g = RandomGenerator(seed: 4)
        let gru = GRU(inputSize: V, hiddenSize: 3, using: &g)
        let (fromOneHot, hOneHot) = gru(x)
        let (fromPlain, hPlain) = gru(plain)
        assertClose(fromOneHot, fromPlain, tolerance: 1e-6)
        assertClose(hOneHot, hPlain, tolerance: 1e-6)
    }
}
