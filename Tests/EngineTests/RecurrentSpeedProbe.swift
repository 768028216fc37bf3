import Foundation
import XCTest
@testable import Engine

/// Not a test: prints how long the fused layers take on the chapters' language-model sizes
/// (one-hot V = 1027, H = 256, T = 35, B = 32). Skipped unless RNN_SPEED=1; asserts nothing
/// about time. Engine is built with -O in every configuration, so a debug `swift test` is fine.
final class RecurrentSpeedProbe: XCTestCase {
    func testSpeedProbe() throws {
        try XCTSkipUnless(ProcessInfo.processInfo.environment["RNN_SPEED"] == "1", "set RNN_SPEED=1 to run")
        let (V, H, T, B, iterations) = (1027, 256, 35, 32, 20)
        var g = RandomGenerator(seed: 1)
        let indices = (0..<(T * B)).map { _ in Int(g.next() % UInt64(V)) }
        let x = oneHot(indices, V).reshaped([T, B, V])
        print("BLAS threads: \(blasThreads())")
        for kind in [RecurrentKind.gru, .lstm, .rnnTanh] {
            let layer = kind.make(inputSize: V, hiddenSize: H, numLayers: 1, bidirectional: false, seed: 2)
            var forward: [Double] = [], total: [Double] = [], cpu: [Double] = []
            for iteration in 0...iterations {      // iteration 0 warms up and is not counted
                let (start, startCPU) = (now(), processCPU())
                let result = runRecurrent(layer, x, h0: nil, c0: nil)
                let loss = result.output.sum() + result.h.sum()
                let middle = now()
                loss.backward()
                let (end, endCPU) = (now(), processCPU())
                zeroGrad(layer.parameters)
                if iteration > 0 {
                    forward.append(middle - start)
                    total.append(end - start)
                    cpu.append(endCPU - startCPU)
                }
            }
            // The median and the best wall time (the machine may be shared), and CPU time.
            let ms = { (s: [Double]) in
                let sorted = s.sorted()
                return String(format: "%.1f (best %.1f)", 1000 * sorted[sorted.count / 2], 1000 * sorted[0])
            }
            print("\(kind) V=\(V) H=\(H) T=\(T) B=\(B): forward \(ms(forward)) ms, "
                  + "forward+backward \(ms(total)) ms, CPU \(ms(cpu)) ms")
        }
    }
}

private func now() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_MONOTONIC, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) * 1e-9
}

/// CPU time of the whole process (every BLAS thread included).
private func processCPU() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) * 1e-9
}

