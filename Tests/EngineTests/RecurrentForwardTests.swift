import XCTest
@testable import Engine

/// The fused layers against the same cells written step by step from Engine ops, the one-hot
/// fast path against a dense input, and the shapes of what they return.
final class RecurrentForwardTests: XCTestCase {
    let (T, B, I, H) = (4, 3, 5, 6)

    /// Outputs and final states equal the reference; so do the gradients of every parameter,
    /// the input and the initial states.
    func testMatchesCellsWrittenFromEngineOps() {
        for kind in RecurrentKind.allCases {
            for (layers, bidirectional) in recurrentConfigurations {
                let layer = kind.make(inputSize: I, hiddenSize: H, numLayers: layers,
                                      bidirectional: bidirectional, seed: 21)
                let stateShape = [layers * layer.directions, B, H]
                let x = randomTensor([T, B, I], seed: 22)
                let h0 = randomTensor(stateShape, seed: 23, scale: 0.5)
                let c0 = kind == .lstm ? randomTensor(stateShape, seed: 24, scale: 0.5) : nil
                let everything = [x, h0] + (c0.map { [$0] } ?? []) + layer.parameters

                zeroGrad(everything)
                let fused = runRecurrent(layer, x, h0: h0, c0: c0)
                recurrentLoss(fused).backward()
                let fusedGrads = everything.map { $0.grad! }

                zeroGrad(everything)
                let reference = referenceRun(kind, layer, x, h0: h0, c0: c0)
                recurrentLoss(reference).backward()

                let context = "\(kind) L=\(layers) bidirectional=\(bidirectional)"
                labelled(context) {
                    assertClose(fused.output, reference.output)
                    assertClose(fused.h, reference.h)
                    XCTAssertEqual(fused.c == nil, reference.c == nil)
                    if let c = fused.c, let expected = reference.c { assertClose(c, expected) }
                    for (n, tensor) in everything.enumerated() {
                        guard let expected = tensor.grad else { XCTFail("\(context): no gradient for \(n)"); continue }
                        assertClose(fusedGrads[n], expected, tolerance: 1e-4)
                    }
                }
            }
        }
    }

    /// A one-hot input (indices kept through the reshape) gives the same outputs and gradients
    /// as the same values in a plain dense tensor.
    func testOneHotInputMatchesDenseInput() {
        let V = 7
        var g = RandomGenerator(seed: 31)
        let indices = (0..<(T * B)).map { _ in Int(g.next() % UInt64(V)) }
        let sparse = oneHot(indices, V).reshaped([T, B, V])
        XCTAssertNotNil(sparse.oneHotIndices, "the reshape should keep the one-hot indices")
        let dense = Tensor(shape: [T, B, V], data: sparse.data)
        XCTAssertNil(dense.oneHotIndices)
        // Gradients with respect to the inputs themselves must agree too.
        sparse.requiresGrad = true
        dense.requiresGrad = true

        for kind in RecurrentKind.allCases {
            for (layers, bidirectional) in recurrentConfigurations {
                let layer = kind.make(inputSize: V, hiddenSize: H, numLayers: layers,
                                      bidirectional: bidirectional, seed: 32)
                let h0 = randomTensor([layers * layer.directions, B, H], seed: 33, scale: 0.5)
                let c0 = kind == .lstm ? randomTensor(h0.shape, seed: 34, scale: 0.5) : nil
                let tracked = [h0] + (c0.map { [$0] } ?? []) + layer.parameters

                zeroGrad(tracked + [sparse, dense])
                let fromOneHot = runRecurrent(layer, sparse, h0: h0, c0: c0)
                recurrentLoss(fromOneHot).backward()
                let oneHotGrads = tracked.map { $0.grad! }

                zeroGrad(tracked)
                let fromDense = runRecurrent(layer, dense, h0: h0, c0: c0)
                recurrentLoss(fromDense).backward()

                labelled("\(kind) L=\(layers) bidirectional=\(bidirectional)") {
                    assertClose(fromOneHot.output, fromDense.output, tolerance: 1e-6)
                    assertClose(fromOneHot.h, fromDense.h, tolerance: 1e-6)
                    if let c = fromOneHot.c { assertClose(c, fromDense.c!, tolerance: 1e-6) }
                    for (n, tensor) in tracked.enumerated() {
                        assertClose(oneHotGrads[n], tensor.grad!, tolerance: 1e-5)
                    }
                    if let a = sparse.grad, let b = dense.grad {
                        assertClose(a, b, tolerance: 1e-5)
                    } else {
                        XCTFail("an input got no gradient")
                    }
                }
            }
        }
    }

    /// One step of one row (as when sampling text), and without recording gradients.
    func testSingleStepSingleRowWithoutGradients() {
        for kind in RecurrentKind.allCases {
            let layer = kind.make(inputSize: I, hiddenSize: H, numLayers: 2, bidirectional: true, seed: 61)
            let x = randomTensor([1, 1, I], seed: 62)
            let fused = withNoGrad { runRecurrent(layer, x, h0: nil, c0: nil) }
            XCTAssertFalse(fused.output.requiresGrad, "\(kind)")
            let reference = withNoGrad { referenceRun(kind, layer, x, h0: nil, c0: nil) }
            assertClose(fused.output, reference.output)
            assertClose(fused.h, reference.h)
        }
    }

    func testShapesForTwoLayersBothDirections() {
        for kind in RecurrentKind.allCases {
            let layer = kind.make(inputSize: I, hiddenSize: H, numLayers: 2, bidirectional: true, seed: 41)
            let result = runRecurrent(layer, randomTensor([T, B, I], seed: 42), h0: nil, c0: nil)
            XCTAssertEqual(result.output.shape, [T, B, 2 * H], "\(kind)")
            XCTAssertEqual(result.h.shape, [4, B, H], "\(kind)")
            XCTAssertEqual(result.c?.shape, kind == .lstm ? [4, B, H] : nil, "\(kind)")

            let G = kind == .gru ? 3 : kind == .lstm ? 4 : 1
            XCTAssertEqual(layer.weights.count, 4)
            XCTAssertEqual(layer.parameters.count, 16)
            XCTAssertEqual(layer.weights[0].ih.shape, [I, G * H])
            XCTAssertEqual(layer.weights[2].ih.shape, [2 * H, G * H], "layer 1 reads both directions")
            XCTAssertEqual(layer.weights[3].hh.shape, [H, G * H])
            XCTAssertEqual(layer.weights[3].biasIH.shape, [G * H])
            XCTAssertTrue(layer.parameters.allSatisfy(\.requiresGrad))
        }
    }

    /// PyTorch's initialization: every weight and bias within ±1/√H, and not all the same.
    func testInitializationIsUniformWithinInverseSqrtHidden() {
        let layer = GRU(inputSize: 10, hiddenSize: 16, numLayers: 2, bidirectional: true)
        let values = layer.parameters.flatMap(\.data)
        XCTAssertTrue(values.allSatisfy { abs($0) <= 0.25 })
        XCTAssertGreaterThan(values.max()!, 0.2)
        XCTAssertLessThan(values.min()!, -0.2)
    }

    /// A missing initial state is the zero state.
    func testNilStateIsZeroState() {
        for kind in RecurrentKind.allCases {
            let layer = kind.make(inputSize: I, hiddenSize: H, numLayers: 2, bidirectional: true, seed: 51)
            let x = randomTensor([T, B, I], seed: 52)
            let zeros = Tensor.zeros([4, B, H])
            let implicit = runRecurrent(layer, x, h0: nil, c0: nil)
            let explicit = runRecurrent(layer, x, h0: zeros, c0: zeros)
            assertClose(implicit.output, explicit.output, tolerance: 0)
            assertClose(implicit.h, explicit.h, tolerance: 0)
        }
    }
}
