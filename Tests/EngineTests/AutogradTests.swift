import XCTest
@testable import Engine

final class AutogradTests: XCTestCase {
    func testLeafGradientsAccumulateAcrossBackwardCalls() {
        let w = Tensor([1, 2], requiresGrad: true)
        (w * 3).sum().backward()
        (w * 3).sum().backward()
        XCTAssertEqual(w.grad?.data, [6, 6])
        w.zeroGrad()
        XCTAssertNil(w.grad)
    }

    func testDetachAndNoGradStopTheTape() {
        let w = Tensor([2], requiresGrad: true)
        let h = (w * w).detach()
        XCTAssertFalse(h.requiresGrad)
        let y = withNoGrad { w * 5 }
        XCTAssertFalse(y.requiresGrad)
        let loss = (h * w).sum()  // d/dw (h·w) with h constant = h = 4
        loss.backward()
        XCTAssertEqual(w.grad?.data, [4])
    }

    /// A graph thousands of ops deep (an RNN unrolled over many steps) must not overflow the stack.
    func testDeepGraphBackward() {
        let w = Tensor([0.5], requiresGrad: true)
        var h = Tensor([1])
        for _ in 0..<50_000 { h = h * 0.9999 + w * 0.0001 }
        h.sum().backward()
        XCTAssertNotNil(w.grad)
        XCTAssertEqual(w.grad!.data[0], 1 - Float(pow(0.9999, 50_000.0)), accuracy: 1e-3)
    }

    func testNonLeafGradientsAreFreedAfterBackward() {
        let w = Tensor([1, 2], requiresGrad: true)
        let hidden = w * 2
        (hidden * hidden).sum().backward()
        XCTAssertNil(hidden.grad)
        XCTAssertEqual(w.grad?.data, [8, 16])  // d/dw 4w² = 8w
    }
}

final class OneHotTests: XCTestCase {
    func testOneHotRowsAndShapes() {
        let x = oneHot([0, 2], 1027)
        XCTAssertEqual(x.shape, [2, 1027])
        XCTAssertEqual(x.data[0], 1)
        XCTAssertEqual(x.data[1027 + 2], 1)
        XCTAssertEqual(x.sum().item, 2)
        let steps = oneHot([[0, 1, 2, 3, 4], [5, 6, 7, 8, 9]], 1027)
        XCTAssertEqual(steps.count, 5)
        XCTAssertEqual(steps.map(\.shape), Array(repeating: [2, 1027], count: 5))
        XCTAssertEqual(steps[1].argmax(), [1, 6])
    }

    /// The row-lookup path must give the dense product's values and gradients.
    func testOneHotMatmulEqualsDenseMatmul() {
        let w = randomTensor([7, 3], seed: 21)
        let indices = [4, 0, 4, 6]
        let fast = oneHot(indices, 7)
        let dense = Tensor(shape: fast.shape, data: fast.data)  // same values, no one-hot flag
        XCTAssertNil(dense.oneHotIndices)

        let fastOut = fast.matmul(w)
        weightedSum(fastOut).backward()
        let fastGrad = w.grad!
        w.zeroGrad()
        let denseOut = dense.matmul(w)
        weightedSum(denseOut).backward()
        assertClose(fastOut, denseOut, tolerance: 0)
        assertClose(fastGrad, w.grad!, tolerance: 1e-6)
    }
}
