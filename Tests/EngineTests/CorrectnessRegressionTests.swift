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

final class AdamStepCountTests: XCTestCase {
    /// torch.optim.Adam counts steps per parameter: a parameter without a gradient at a step is
    /// skipped, and its own count (for the bias correction) does not advance.
    func testParameterWithoutGradientKeepsItsOwnStepCount() {
        let (a, b) = (Tensor([1], requiresGrad: true), Tensor([1], requiresGrad: true))
        let adam = Adam([a, b], learningRate: 0.1)
        a.grad = Tensor([1])                                // step 1: only a has a gradient
        adam.step()
        XCTAssertEqual(b.data, [1], "a parameter without gradient is left alone")
        a.grad = Tensor([1]); b.grad = Tensor([2])          // step 2: b's first step
        adam.step()
        // b at its own step 1: m̂ = g, v̂ = g², so the update is lr·g/(|g| + eps) = 0.1.
        XCTAssertEqual(Double(b.data[0]), 1 - 0.1 * 2 / (2 + 1e-8), accuracy: 1e-7)
        // a at step 2 with the same gradient twice: m̂ = 1, v̂ = 1, update 0.1 again.
        XCTAssertEqual(Double(a.data[0]), 1 - 0.1 - 0.1 / (1 + 1e-8), accuracy: 1e-6)
    }
}

final class FastMathAccuracyTests: XCTestCase {
    /// tanh in relative terms, from the smallest subnormal to where it rounds to ±1.
    func testTanhRelativeErrorOverTheWholeRange() {
        var inputs: [Float] = [Float.leastNonzeroMagnitude, Float.leastNormalMagnitude, 1e-30, 1e-8, 1e-6, 1e-4]
        var x: Float = 1e-7
        while x < 20 { inputs.append(x); x *= 1.01 }
        inputs += inputs.map { -$0 }
        let output = Tensor(inputs).tanh().data
        for (i, x) in inputs.enumerated() {
            let exact = Foundation.tanh(Double(x))
            XCTAssertEqual(Double(output[i]), exact, accuracy: abs(exact) * 3e-7, "tanh(\(x))")
        }
    }

    /// σ(x) for x ≤ −88: the correctly rounded value while it is representable, else 0 (where
    /// e^(−x) overflows float32, as PyTorch's float32 σ gives); never one constant for all x.
    func testSigmoidFarBelowZero() {
        let inputs: [Float] = [-80, -87, -87.5, -88, -88.5, -88.7, -89, -100, -1000, -.infinity]
        let output = Tensor(inputs).sigmoid().data
        for (i, x) in inputs.enumerated() {
            let exact = Float(1 / (1 + Foundation.exp(-Double(x))))   // correctly rounded in float32
            if output[i] != 0 || x > -88.7 {
                // within one unit in the last place (subnormals have a fixed spacing)
                XCTAssertEqual(output[i], exact, accuracy: Swift.max(exact.ulp, Float.leastNonzeroMagnitude),
                               "σ(\(x))")
            }
        }
        XCTAssertLessThan(output[4], output[3], "σ keeps decreasing below −88")
        XCTAssertEqual(output[8], 0)
        XCTAssertEqual(output[9], 0)
        XCTAssertEqual(Tensor([1000, .infinity]).sigmoid().data, [1, 1])
        XCTAssertEqual(Tensor([-.infinity, .infinity]).tanh().data, [-1, 1])
    }
}

final class GreedyPredictionTests: XCTestCase {
    /// A stateless model whose logits favour the successor of its input token (a → b → c …):
    /// greedy decoding must walk the alphabet, which it does only if every prediction is fed
    /// back as the next input.
    func testEachPredictionIsFedBack() {
        let corpus = Corpus(characters: "abcdefgh")
        let V = corpus.vocab.count
        let successor = RecurrentModel(vocabSize: V, parameters: [], initialState: { _ in [] }) { batch, state in
            let token = batch[0][0]
            return (oneHot([(token + 1) % V], V), state)
        }
        XCTAssertEqual(predict("a", length: 5, model: successor, vocab: corpus.vocab), "abcdef")
        // The prefix warms the state up and is kept as given; prediction starts after its last token.
        XCTAssertEqual(predict("ca", length: 3, model: successor, vocab: corpus.vocab), "cabcd")
    }

    /// The state is carried from step to step: a model that adds a step counter kept in its state
    /// to the input token.
    func testStateIsCarriedThroughTheContinuation() {
        let corpus = Corpus(characters: "abcdefghijklmnop")
        let V = corpus.vocab.count
        let counting = RecurrentModel(vocabSize: V, parameters: [], initialState: { _ in [Tensor([0])] }) { batch, state in
            let steps = Int(state[0].item) + 1
            return (oneHot([(batch[0][0] + steps) % V], V), [Tensor([Float(steps)])])
        }
        // a(0) +1 → b, +2 → d, +3 → g, +4 → k
        XCTAssertEqual(predict("a", length: 4, model: counting, vocab: corpus.vocab), "abdgk")
    }
}

final class AllocatorTests: XCTestCase {
    /// The allocator tuning is an explicit start-up call, and glibc accepts both settings.
    func testConfigureAllocatorSucceeds() {
        XCTAssertTrue(configureAllocator())
        XCTAssertTrue(configureAllocator(), "calling it again is harmless")
    }
}
