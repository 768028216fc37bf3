import XCTest
@testable import Engine

final class OptimizerTests: XCTestCase {
    func testSGDStepIsLearningRateTimesGradient() {
        let w = Tensor([1, -2], requiresGrad: true)
        w.grad = Tensor([0.5, 4])
        SGD([w], learningRate: 0.1).step()
        XCTAssertEqual(w.data[0], 0.95, accuracy: 1e-7)
        XCTAssertEqual(w.data[1], -2.4, accuracy: 1e-7)
    }

    /// Two Adam steps computed by hand from the update rule with PyTorch's defaults.
    func testAdamStepsMatchHandComputedValues() {
        let w = Tensor([1], requiresGrad: true)
        let adam = Adam([w], learningRate: 0.1)
        w.grad = Tensor([2])
        adam.step()
        // m = 0.2, v = 0.004; m̂ = 2, v̂ = 4; w = 1 − 0.1·2/(2 + 1e-8)
        XCTAssertEqual(w.data[0], 0.9, accuracy: 1e-6)
        w.grad = Tensor([-1])
        adam.step()
        let m = 0.9 * 0.2 + 0.1 * -1.0, v = 0.999 * 0.004 + 0.001 * 1.0
        let expected = 0.9 - 0.1 * (m / (1 - 0.81)) / ((v / (1 - 0.999 * 0.999)).squareRoot() + 1e-8)
        XCTAssertEqual(Double(w.data[0]), expected, accuracy: 1e-6)
    }

    func testAdamAndSGDDifferOnTheSameGradients() {
        let a = Tensor([1], requiresGrad: true), b = Tensor([1], requiresGrad: true)
        a.grad = Tensor([0.001]); b.grad = Tensor([0.001])
        Adam([a], learningRate: 0.1).step()
        SGD([b], learningRate: 0.1).step()
        XCTAssertEqual(a.data[0], 0.9, accuracy: 1e-4)  // Adam's step is ≈ lr whatever the scale
        XCTAssertEqual(b.data[0], 0.9999, accuracy: 1e-6)
    }

    func testClippingScalesExactlyWhenNormExceedsTheta() {
        let a = Tensor([0, 0], requiresGrad: true), b = Tensor([0], requiresGrad: true)
        a.grad = Tensor([3, 0]); b.grad = Tensor([4])  // global norm 5
        let norm = clipGradNorm([a, b], maxNorm: 1)
        XCTAssertEqual(norm, 5, accuracy: 1e-6)
        XCTAssertEqual(a.grad!.data[0], 0.6, accuracy: 1e-6)
        XCTAssertEqual(b.grad!.data[0], 0.8, accuracy: 1e-6)
    }

    func testClippingLeavesSmallGradientsAlone() {
        let a = Tensor([0, 0], requiresGrad: true)
        a.grad = Tensor([0.3, 0.4])  // norm 0.5
        XCTAssertEqual(clipGradNorm([a], maxNorm: 1), 0.5, accuracy: 1e-6)
        XCTAssertEqual(a.grad!.data, [0.3, 0.4])
        XCTAssertEqual(clipGradNorm([a], maxNorm: 0.5), 0.5, accuracy: 1e-6)  // equal: not scaled
        XCTAssertEqual(a.grad!.data, [0.3, 0.4])
    }

    /// The training loop's fused clip-and-update gives exactly what clipGradNorm then step() gives.
    func testScaledStepEqualsClippingThenStepping() {
        for makeOptimizer in [{ (p: [Tensor]) -> Optimizer in SGD(p, learningRate: 100) },
                              { (p: [Tensor]) -> Optimizer in Adam(p, learningRate: 0.01) }] {
            let (fused, reference) = (randomTensor([3, 70_000], seed: 41), randomTensor([3, 70_000], seed: 41))
            let (fusedOptimizer, referenceOptimizer) = (makeOptimizer([fused]), makeOptimizer([reference]))
            for step in 0..<3 {
                let gradient = randomTensor([3, 70_000], seed: 50 + UInt64(step), scale: 0.1)
                fused.grad = Tensor(gradient.data, shape: gradient.shape)
                reference.grad = Tensor(gradient.data, shape: gradient.shape)
                let norm = clipGradNorm([reference], maxNorm: 0.01)
                XCTAssertGreaterThan(norm, 0.01, "the gradients are clipped")
                referenceOptimizer.step()
                fusedOptimizer.step(scalingGradientsBy: clippingScale(norm: gradientNorm([fused]), maxNorm: 0.01))
                XCTAssertEqual(fused.data, reference.data, "\(type(of: fusedOptimizer)), step \(step)")
            }
        }
    }

    func testLinearAndEmbeddingGradients() {
        var generator = RandomGenerator(seed: 3)
        let linear = Linear(4, 3, using: &generator)
        let x = randomTensor([2, 4], seed: 4)
        assertGradientsMatch([x] + linear.parameters) { weightedSum(linear(x)) }
        let embedding = Embedding(5, 2, using: &generator)
        assertGradientsMatch(embedding.parameters) { weightedSum(embedding([4, 1, 4])) }
        XCTAssertEqual(embedding([3]).data, Array(embedding.weight.data[6..<8]))
    }

    /// A tiny regression solved by each optimizer really uses that optimizer.
    func testOptimizersReduceALoss() {
        for makeOptimizer in [{ (p: [Tensor]) -> Optimizer in SGD(p, learningRate: 0.1) },
                              { (p: [Tensor]) -> Optimizer in Adam(p, learningRate: 0.05) }] {
            let w = Tensor([0, 0], requiresGrad: true)
            let optimizer = makeOptimizer([w])
            let target = Tensor([1, -1])
            func loss() -> Tensor { (w - target).square().sum() }
            let before = loss().item
            for _ in 0..<100 {
                optimizer.zeroGrad()
                loss().backward()
                optimizer.step()
            }
            XCTAssertLessThan(loss().item, before * 0.01, "\(type(of: optimizer))")
        }
    }
}
