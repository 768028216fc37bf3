import XCTest
@testable import Engine

/// Compares autograd's gradient of `loss()` with central finite differences, for every element
/// of every input. Float32 differences are noisy, so the step is 1e-2 and the loss is summed in
/// Float; a wrong backward rule is off by far more than `tolerance`.
func assertGradientsMatch(_ inputs: [Tensor], tolerance: Float = 2e-2, step: Float = 1e-2,
                          file: StaticString = #filePath, line: UInt = #line,
                          _ loss: () -> Tensor) {
    zeroGrad(inputs)
    loss().backward()
    for (n, input) in inputs.enumerated() {
        guard let analytic = input.grad else {
            XCTFail("input \(n) got no gradient", file: file, line: line); continue
        }
        XCTAssertEqual(analytic.shape, input.shape, "gradient shape of input \(n)", file: file, line: line)
        for i in 0..<input.count {
            let saved = input.data[i]
            input.data[i] = saved + step
            let up = withNoGrad { loss().item }
            input.data[i] = saved - step
            let down = withNoGrad { loss().item }
            input.data[i] = saved
            let numeric = (up - down) / (2 * step)
            let scale = max(1, abs(numeric), abs(analytic.data[i]))
            if abs(numeric - analytic.data[i]) > tolerance * scale {
                XCTFail("input \(n)[\(i)]: autograd \(analytic.data[i]) vs finite difference \(numeric)",
                        file: file, line: line)
                return
            }
        }
    }
}

/// A fixed random tensor for tests, requiring gradients.
func randomTensor(_ shape: [Int], seed: UInt64, scale: Float = 1) -> Tensor {
    var generator = RandomGenerator(seed: seed)
    return Tensor.normal(shape, std: scale, requiresGrad: true, using: &generator)
}

/// A loss that weighs every output element differently, so that a backward rule that mixes up
/// positions cannot pass by symmetry.
func weightedSum(_ t: Tensor, seed: UInt64 = 99) -> Tensor {
    var generator = RandomGenerator(seed: seed)
    let weights = Tensor.normal(t.shape, using: &generator)
    return (t * weights).sum()
}

func assertClose(_ a: Tensor, _ b: Tensor, tolerance: Float = 1e-5,
                 file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(a.shape, b.shape, "shapes differ", file: file, line: line)
    guard a.shape == b.shape else { return }
    for i in 0..<a.count where abs(a.data[i] - b.data[i]) > tolerance * max(1, abs(b.data[i])) {
        XCTFail("element \(i): \(a.data[i]) vs \(b.data[i])", file: file, line: line)
        return
    }
}
