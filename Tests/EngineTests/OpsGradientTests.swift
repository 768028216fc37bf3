import XCTest
@testable import Engine

/// Every differentiable op against finite differences.
final class OpsGradientTests: XCTestCase {
    func testArithmeticWithEqualShapes() {
        let a = randomTensor([3, 4], seed: 1), b = randomTensor([3, 4], seed: 2)
        assertGradientsMatch([a, b]) { weightedSum(a + b) }
        assertGradientsMatch([a, b]) { weightedSum(a - b) }
        assertGradientsMatch([a, b]) { weightedSum(a * b) }
        let positive = Tensor(b.data.map { abs($0) + 0.5 }, shape: [3, 4], requiresGrad: true)
        assertGradientsMatch([a, positive]) { weightedSum(a / positive) }
    }

    func testBroadcastingRowScalarAndGeneral() {
        let matrix = randomTensor([3, 4], seed: 3)
        let row = randomTensor([4], seed: 4)
        let scalar = randomTensor([], seed: 5)
        let column = randomTensor([3, 1], seed: 6)
        assertGradientsMatch([matrix, row]) { weightedSum(matrix + row) }
        assertGradientsMatch([matrix, row]) { weightedSum(row * matrix) }
        assertGradientsMatch([matrix, scalar]) { weightedSum(matrix - scalar) }
        assertGradientsMatch([matrix, column]) { weightedSum(matrix * column) }
        assertGradientsMatch([row, column]) { weightedSum(column - row) }  // (3,1) with (4) → (3,4)
    }

    func testBroadcastShapes() {
        XCTAssertEqual((Tensor.zeros([3, 1]) + Tensor.zeros([4])).shape, [3, 4])
        XCTAssertEqual((Tensor.zeros([2, 3, 4]) * Tensor.zeros([3, 1])).shape, [2, 3, 4])
        let sum = Tensor([[1, 2], [3, 4]]) + Tensor([10, 20])
        XCTAssertEqual(sum.data, [11, 22, 13, 24])
        let columnSum = Tensor([[1, 2], [3, 4]]) + Tensor([[10], [20]])
        XCTAssertEqual(columnSum.data, [11, 12, 23, 24])
    }

    func testScalarOperators() {
        let a = randomTensor([2, 3], seed: 7)
        assertGradientsMatch([a]) { weightedSum(2 * a + 1) }
        assertGradientsMatch([a]) { weightedSum(1 - a / 4) }
        assertGradientsMatch([a]) { weightedSum(-a) }
        XCTAssertEqual((1 - Tensor([0.25, 2])).data, [0.75, -1])
        XCTAssertEqual((Tensor([2, 4]) / 2).data, [1, 2])
    }

    func testActivations() {
        let a = randomTensor([3, 5], seed: 8)
        assertGradientsMatch([a]) { weightedSum(sigmoid(a)) }
        assertGradientsMatch([a]) { weightedSum(tanh(a)) }
        assertGradientsMatch([a]) { weightedSum(exp(a)) }
        assertGradientsMatch([a]) { weightedSum(a.square()) }
        // relu: keep inputs away from the kink, where finite differences are meaningless
        let away = Tensor(a.data.map { $0 >= 0 ? $0 + 0.1 : $0 - 0.1 }, shape: [3, 5], requiresGrad: true)
        assertGradientsMatch([away]) { weightedSum(relu(away)) }
        let positive = Tensor(a.data.map { abs($0) + 0.5 }, shape: [3, 5], requiresGrad: true)
        assertGradientsMatch([positive]) { weightedSum(log(positive)) }
        assertGradientsMatch([positive]) { weightedSum(positive.sqrt()) }
        assertGradientsMatch([positive]) { weightedSum(positive.reciprocal()) }
        XCTAssertEqual(sigmoid(Tensor([0])).item, 0.5)
        XCTAssertEqual(relu(Tensor([-1, 2])).data, [0, 2])
    }

    func testMatmul() {
        let a = randomTensor([3, 4], seed: 9), b = randomTensor([4, 5], seed: 10)
        assertGradientsMatch([a, b]) { weightedSum(a.matmul(b)) }
        let product = Tensor([[1, 2], [3, 4]]).matmul(Tensor([[5, 6], [7, 8]]))
        XCTAssertEqual(product.data, [19, 22, 43, 50])
    }

    /// A weight used by several products (as an RNN's W_hh is, once per step) gets the sum of
    /// their gradients, which the engine computes as one stacked product after the backward pass.
    func testWeightSharedAcrossProducts() {
        let w = randomTensor([4, 4], seed: 17, scale: 0.5), x = randomTensor([2, 4], seed: 18)
        assertGradientsMatch([w, x]) {
            var h = x
            for _ in 0..<3 { h = tanh(h.matmul(w)) }
            return weightedSum(h)
        }
        let first = randomTensor([3, 4], seed: 19)
        assertGradientsMatch([w, first]) { weightedSum(concat([first.matmul(w), first.matmul(w) * 2])) }
    }

    func testShapeOps() {
        let a = randomTensor([3, 4], seed: 11), b = randomTensor([2, 4], seed: 12), c = randomTensor([3, 2], seed: 13)
        assertGradientsMatch([a]) { weightedSum(a.reshaped([2, -1])) }
        assertGradientsMatch([a]) { weightedSum(a.T) }
        assertGradientsMatch([a]) { weightedSum(a[1]) }
        assertGradientsMatch([a]) { weightedSum(a[1..<3]) }
        assertGradientsMatch([a, b]) { weightedSum(concat([a, b], axis: 0)) }
        assertGradientsMatch([a, c]) { weightedSum(concat([a, c], axis: 1)) }
        assertGradientsMatch([a]) { weightedSum(stack([a, a * 2])) }
        XCTAssertEqual(concat([Tensor([[1, 2]]), Tensor([[3]])], axis: 1).data, [1, 2, 3])
        XCTAssertEqual(stack([Tensor([1, 2]), Tensor([3, 4])]).shape, [2, 2])
        XCTAssertEqual(Tensor([[1, 2, 3], [4, 5, 6]]).T.data, [1, 4, 2, 5, 3, 6])
    }

    func testReductions() {
        let a = randomTensor([2, 3, 4], seed: 14)
        assertGradientsMatch([a]) { a.sum() * 0.5 }
        assertGradientsMatch([a]) { a.mean() }
        assertGradientsMatch([a]) { weightedSum(a.sum(axis: 1)) }
        assertGradientsMatch([a]) { weightedSum(a.mean(axis: -1, keepDim: true)) }
        XCTAssertEqual(Tensor([[1, 2], [3, 4]]).sum(axis: 0).data, [4, 6])
        XCTAssertEqual(Tensor([[1, 9, 3], [7, 2, 5]]).argmax(), [1, 0])
    }

    func testSoftmaxCrossEntropy() {
        let logits = randomTensor([4, 6], seed: 15, scale: 3)
        let targets = [0, 5, 2, 2]
        assertGradientsMatch([logits]) { softmaxCrossEntropy(logits, targets) }
        assertGradientsMatch([logits]) { weightedSum(logits.softmax()) }
        // Uniform logits: loss is log(V) whatever the targets; huge logits do not overflow.
        XCTAssertEqual(softmaxCrossEntropy(Tensor.zeros([2, 6]), [1, 3]).item, Foundation.log(6), accuracy: 1e-6)
        XCTAssertEqual(softmaxCrossEntropy(Tensor([[1000, 0]]), [0]).item, 0, accuracy: 1e-6)
        XCTAssertEqual(softmaxCrossEntropy(Tensor([[1000, 0]]), [1]).item, 1000, accuracy: 1e-3)
    }

    /// A value used twice must receive both contributions (accumulation, not assignment).
    func testReusedValueAccumulates() {
        let a = randomTensor([2, 2], seed: 16)
        assertGradientsMatch([a]) { weightedSum(a * a + tanh(a)) }
        // The same tensor on both sides of each op, where a sum's gradient is handed over as is.
        assertGradientsMatch([a]) { weightedSum((a + a) * (a - a + 1) + a / (a * a + 2)) }
    }

    /// A sum hands its gradient to both inputs without copying; changing one must not change the other.
    func testGradientsHandedOverBySumAreIndependent() {
        let (a, b) = (Tensor([1, 2], requiresGrad: true), Tensor([3, 4], requiresGrad: true))
        (a + b).sum().backward()
        a.grad! *= 10
        XCTAssertEqual(a.grad?.data, [10, 10])
        XCTAssertEqual(b.grad?.data, [1, 1])
    }
}
