import XCTest
@testable import Engine

/// The fused backward (BPTT in one tape node) against central finite differences, with respect
/// to the input, the initial states and every parameter, for every cell, depth and direction.
final class RecurrentGradientTests: XCTestCase {
    let (T, B, I, H) = (3, 2, 4, 3)

    /// ReLU has a kink at 0: a finite difference that steps across it is wrong, so the ReLU
    /// check takes a smaller step (Float32 noise is still far below the tolerance).
    func checkGradients(_ kind: RecurrentKind, file: StaticString = #filePath, line: UInt = #line) {
        let step: Float = kind == .rnnReLU ? 1e-3 : 1e-2
        for (layers, bidirectional) in recurrentConfigurations {
            let layer = kind.make(inputSize: I, hiddenSize: H, numLayers: layers,
                                  bidirectional: bidirectional, seed: 5)
            let stateShape = [layers * layer.directions, B, H]
            let x = randomTensor([T, B, I], seed: 1)
            let h0 = randomTensor(stateShape, seed: 2, scale: 0.5)
            let c0 = kind == .lstm ? randomTensor(stateShape, seed: 3, scale: 0.5) : nil
            let inputs = [x, h0] + (c0.map { [$0] } ?? []) + layer.parameters
            // Named per configuration so a failure says which one broke.
            labelled("\(kind) L=\(layers) bidirectional=\(bidirectional)") {
                assertGradientsMatch(inputs, step: step, file: file, line: line) {
                    recurrentLoss(runRecurrent(layer, x, h0: h0, c0: c0))
                }
            }
        }
    }

    func testRNNTanhGradients() { checkGradients(.rnnTanh) }
    func testRNNReLUGradients() { checkGradients(.rnnReLU) }
    func testGRUGradients() { checkGradients(.gru) }
    func testLSTMGradients() { checkGradients(.lstm) }

    /// Without an initial state the layer starts from zeros, and gradients still reach the
    /// input and the parameters.
    func testGradientsWithoutInitialState() {
        for kind in RecurrentKind.allCases {
            let layer = kind.make(inputSize: I, hiddenSize: H, numLayers: 2, bidirectional: true, seed: 8)
            let x = randomTensor([T, B, I], seed: 4)
            assertGradientsMatch([x] + layer.parameters, step: kind == .rnnReLU ? 1e-3 : 1e-2) {
                recurrentLoss(runRecurrent(layer, x, h0: nil, c0: nil))
            }
        }
    }
}
