import Foundation
import XCTest
@testable import Engine

/// Engine against golden values from PyTorch (`Tests/EngineTests/Fixtures/*.json`, written by
/// `bench/pytorch_fixtures.py`; torch is not needed here). The fixtures' inputs are float32
/// values and their results were computed in float64, so each tolerance below bounds Engine's
/// own float32 error: |engine − reference| ≤ tolerance · max(1, |reference|).
final class PyTorchFixtureTests: XCTestCase {
    /// Outputs, final states and gradients of the recurrent layers: float32 rounding over a few
    /// steps and layers, and e^x to 3e-7, stay far below this.
    let recurrentTolerance: Float = 5e-6
    let optimizerTolerance: Float = 1e-6
    let lossTolerance: Float = 1e-6

    // MARK: recurrent layers

    func testRecurrentLayersMatchPyTorch() throws {
        let fixture = try loadFixture(RecurrentFixture.self, "recurrent.json")
        XCTAssertEqual(fixture.cases.count, 16, "RNN tanh/ReLU, GRU, LSTM × 1–2 layers × 1–2 directions")
        for c in fixture.cases {
            labelled(c.name) { checkRecurrentCase(c) }
        }
    }

    private func checkRecurrentCase(_ c: RecurrentCase) {
        let kind: RecurrentKind = ["rnn_tanh": .rnnTanh, "rnn_relu": .rnnReLU, "gru": .gru, "lstm": .lstm][c.kind]!
        let layer = kind.make(inputSize: c.input_size, hiddenSize: c.hidden, numLayers: c.layers,
                              bidirectional: c.bidirectional, seed: 0)
        let D = layer.directions
        XCTAssertEqual(layer.parameters.count, c.parameters.count, "one Engine parameter per PyTorch parameter")
        // PyTorch's weights are (G·H, in); Engine's are the transpose, (in, G·H). Biases are the same.
        for (mine, theirs) in zip(layer.parameters, c.parameters) {
            mine.data = theirs.shape.count == 2 ? transposed(theirs.values, rows: theirs.shape[0], columns: theirs.shape[1])
                                                : theirs.values.map(Float.init)
            XCTAssertEqual(mine.shape, theirs.shape.count == 2 ? [theirs.shape[1], theirs.shape[0]] : theirs.shape, theirs.name)
        }
        let stateShape = [c.layers * D, c.batch, c.hidden]
        let x = Tensor(c.x.map(Float.init), shape: [c.steps, c.batch, c.input_size], requiresGrad: true)
        let h0 = Tensor(c.h0.map(Float.init), shape: stateShape, requiresGrad: true)
        let c0 = c.c0.map { Tensor($0.map(Float.init), shape: stateShape, requiresGrad: true) }
        let result = runRecurrent(layer, x, h0: h0, c0: c0)

        XCTAssertEqual(result.output.shape, [c.steps, c.batch, D * c.hidden])
        assertMatches(result.output, c.output, "output")
        assertMatches(result.h, c.h_n, "h_n")
        XCTAssertEqual(result.c == nil, c.c_n == nil)
        if let cn = result.c, let expected = c.c_n { assertMatches(cn, expected, "c_n") }

        var loss = (result.output * Tensor(c.loss_weights.output.map(Float.init), shape: result.output.shape)).sum()
            + (result.h * Tensor(c.loss_weights.h.map(Float.init), shape: stateShape)).sum()
        if let cn = result.c, let w = c.loss_weights.c { loss = loss + (cn * Tensor(w.map(Float.init), shape: stateShape)).sum() }
        XCTAssertEqual(Double(loss.item), c.loss, accuracy: 1e-4 * max(1, abs(c.loss)), "loss")
        loss.backward()

        assertGradient(x, c.grad["x"], "x")
        assertGradient(h0, c.grad["h0"], "h0")
        if let c0 { assertGradient(c0, c.grad["c0"], "c0") }
        for (mine, theirs) in zip(layer.parameters, c.parameters) {
            guard let expected = c.grad[theirs.name] else { XCTFail("fixture lacks the gradient of \(theirs.name)"); continue }
            let engineLayout = theirs.shape.count == 2
                ? transposed(expected, rows: theirs.shape[0], columns: theirs.shape[1]).map(Double.init) : expected
            assertGradient(mine, engineLayout, theirs.name)
        }
    }

    private func assertGradient(_ t: Tensor, _ expected: [Double]?, _ what: String,
                                file: StaticString = #filePath, line: UInt = #line) {
        guard let expected else { XCTFail("fixture lacks d\(what)", file: file, line: line); return }
        guard let grad = t.grad else { XCTFail("no gradient for \(what)", file: file, line: line); return }
        assertMatches(grad, expected, "d\(what)", file: file, line: line)
    }

    private func assertMatches(_ t: Tensor, _ expected: [Double], _ what: String, tolerance: Float? = nil,
                               file: StaticString = #filePath, line: UInt = #line) {
        assertClose(t, Tensor(expected.map(Float.init), shape: t.shape), tolerance: tolerance ?? recurrentTolerance,
                    file: file, line: line)
        XCTAssertEqual(t.count, expected.count, "\(what): element count", file: file, line: line)
    }

    // MARK: optimizers and clipping

    func testOptimizerStepsMatchPyTorch() throws {
        let fixture = try loadFixture(OptimizerFixture.self, "optimizers.json")
        XCTAssertEqual(Set(fixture.cases.map(\.optimizer)), ["sgd", "adam"])
        for c in fixture.cases {
            let parameters = zip(c.initial, c.shapes).map { Tensor($0.map(Float.init), shape: $1, requiresGrad: true) }
            let optimizer: Optimizer = c.optimizer == "sgd"
                ? SGD(parameters, learningRate: Float(c.lr))
                : Adam(parameters, learningRate: Float(c.lr), betas: (Float(c.betas![0]), Float(c.betas![1])), eps: Float(c.eps!))
            XCTAssertTrue(c.steps.contains { $0.grads.contains { $0 == nil } }, "the fixture skips a gradient somewhere")
            for (n, step) in c.steps.enumerated() {
                for (p, g) in zip(parameters, step.grads) {
                    p.grad = g.map { Tensor($0.map(Float.init), shape: p.shape) }
                }
                optimizer.step()
                for (i, (p, expected)) in zip(parameters, step.after).enumerated() {
                    labelled("\(c.name), step \(n + 1), parameter \(i)") {
                        assertClose(p, Tensor(expected.map(Float.init), shape: p.shape), tolerance: optimizerTolerance)
                    }
                }
            }
        }
    }

    /// PyTorch scales by maxNorm/(norm + 1e-6), Engine (as d2l) by maxNorm/norm: with these norms
    /// (about 3) the two differ by 3e-7 relative, inside the tolerance.
    func testClippingMatchesPyTorch() throws {
        let fixture = try loadFixture(OptimizerFixture.self, "optimizers.json")
        XCTAssertEqual(fixture.clipping.count, 2)
        for c in fixture.clipping {
            let parameters = c.grads.map { g -> Tensor in
                let p = Tensor.zeros([g.count], requiresGrad: true)
                p.grad = Tensor(g.map(Float.init))
                return p
            }
            let norm = clipGradNorm(parameters, maxNorm: Float(c.max_norm))
            XCTAssertEqual(Double(norm), c.norm, accuracy: 1e-6 * c.norm, "norm, maxNorm \(c.max_norm)")
            for (p, expected) in zip(parameters, c.clipped) {
                assertClose(p.grad!, Tensor(expected.map(Float.init)), tolerance: optimizerTolerance)
            }
        }
    }

    // MARK: softmax and cross-entropy

    func testSoftmaxCrossEntropyMatchesPyTorch() throws {
        let fixture = try loadFixture(LossFixture.self, "loss.json")
        let ce = fixture.cross_entropy
        let logits = Tensor(ce.logits.map(Float.init), shape: ce.shape, requiresGrad: true)
        let loss = softmaxCrossEntropy(logits, ce.targets)
        // The loss sums rows whose logits reach 1e4 in float32: relative, not absolute, precision.
        XCTAssertEqual(Double(loss.item), ce.loss, accuracy: 1e-6 * max(1, abs(ce.loss)))
        loss.backward()
        assertClose(logits.grad!, Tensor(ce.grad.map(Float.init), shape: ce.shape), tolerance: lossTolerance)
        assertClose(withNoGrad { logits.softmax() }, Tensor(ce.softmax.map(Float.init), shape: ce.shape), tolerance: lossTolerance)

        let s = fixture.softmax
        let x = Tensor(s.x.map(Float.init), shape: s.shape, requiresGrad: true)
        let y = x.softmax()
        assertClose(y, Tensor(s.y.map(Float.init), shape: s.shape), tolerance: lossTolerance)
        (y * Tensor(s.weights.map(Float.init), shape: s.shape)).sum().backward()
        assertClose(x.grad!, Tensor(s.grad.map(Float.init), shape: s.shape), tolerance: lossTolerance)
    }
}

// MARK: - Fixture files

private func loadFixture<T: Decodable>(_ type: T.Type, _ name: String) throws -> T {
    let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures").appendingPathComponent(name)
    let data = try Data(contentsOf: url)
    let header = try JSONDecoder().decode(GeneratedHeader.self, from: data)
    XCTAssertTrue(header._generated.contains("pytorch_fixtures.py"), "\(name) is not a generated fixture")
    return try JSONDecoder().decode(type, from: data)
}

/// (rows, columns) row-major values → their transpose (columns, rows), as floats.
private func transposed(_ values: [Double], rows: Int, columns: Int) -> [Float] {
    precondition(values.count == rows * columns, "\(values.count) values for a \(rows)×\(columns) matrix")
    var out = [Float](repeating: 0, count: values.count)
    for r in 0..<rows { for c in 0..<columns { out[c * rows + r] = Float(values[r * columns + c]) } }
    return out
}

// Field names are the fixtures' own (the script's Python names).
private struct GeneratedHeader: Decodable { let _generated: String }

private struct RecurrentFixture: Decodable { let cases: [RecurrentCase] }

private struct RecurrentCase: Decodable {
    struct Parameter: Decodable { let name: String; let shape: [Int]; let values: [Double] }
    struct LossWeights: Decodable { let output: [Double]; let h: [Double]; let c: [Double]? }
    let name, kind: String
    let layers, steps, batch, input_size, hidden: Int
    let bidirectional: Bool
    let x, h0: [Double]
    let c0: [Double]?
    let loss_weights: LossWeights
    let parameters: [Parameter]
    let output, h_n: [Double]
    let c_n: [Double]?
    let loss: Double
    let grad: [String: [Double]]
}

private struct OptimizerFixture: Decodable {
    struct Step: Decodable { let grads: [[Double]?]; let after: [[Double]] }
    struct Case: Decodable {
        let name, optimizer: String
        let lr: Double
        let betas: [Double]?
        let eps: Double?
        let shapes: [[Int]]
        let initial: [[Double]]
        let steps: [Step]
    }
    struct Clipping: Decodable { let max_norm: Double; let grads: [[Double]]; let norm: Double; let clipped: [[Double]] }
    let cases: [Case]
    let clipping: [Clipping]
}

private struct LossFixture: Decodable {
    struct CrossEntropy: Decodable {
        let logits: [Double]; let shape: [Int]; let targets: [Int]; let loss: Double; let grad: [Double]; let softmax: [Double]
    }
    struct Softmax: Decodable { let x: [Double]; let shape: [Int]; let weights: [Double]; let y: [Double]; let grad: [Double] }
    let cross_entropy: CrossEntropy
    let softmax: Softmax
}
