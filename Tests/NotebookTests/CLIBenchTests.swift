import Foundation
import TestSupport
import XCTest

/// `lessons bench --breakdown`, through the real binary: each phase's time must land in the
/// phase it belongs to, so that the table can be trusted to say where an epoch goes.
final class CLIBenchTests: XCTestCase {
    private func bench(_ experiment: String, _ extra: [String] = []) throws -> [String: Any] {
        let output = try LessonsProcess.run(["bench", experiment, "--epochs", "1", "--json", "--data-dir", LessonsProcess.dataDirectory] + extra,
                                            in: LessonsProcess.packageRoot, timeout: 300)
        XCTAssertEqual(output.status, 0, output.all)
        let line = try XCTUnwrap(output.stdout.split(separator: "\n").last, output.all)
        return try XCTUnwrap(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], output.all)
    }

    /// Every share within [0, 1]; for `rest_share` (1 − the phases) that says the phases, which
    /// nest, were not counted twice.
    private func shares(_ result: [String: Any]) throws -> [String: Double] {
        let breakdown = try XCTUnwrap(result["breakdown"] as? [String: Double], "\(result)")
        for (key, value) in breakdown where key.hasSuffix("_share") {
            XCTAssertTrue((0...1).contains(value), "\(key) = \(value) is not a share")
        }
        XCTAssertNotNil(breakdown["rest_share"], "\(breakdown)")
        return breakdown
    }

    func testBuiltInLayerTimeGoesToItsPassesAndWeightGradients() throws {
        let breakdown = try shares(bench("gru-concise", ["--breakdown"]))
        XCTAssertGreaterThan(breakdown["recurrent_passes_share"]!, 0.05, "\(breakdown)")
        XCTAssertGreaterThan(breakdown["weight_gradients_share"]!, 0, "\(breakdown)")
        XCTAssertGreaterThan(breakdown["other_products_share"]!, 0, "the output layer: \(breakdown)")
        XCTAssertGreaterThan(breakdown["recurrent_passes_gflops"]!, 1, "\(breakdown)")
        XCTAssertGreaterThan(breakdown["weight_gradients_gflops"]!, 1, "\(breakdown)")
    }

    func testScratchModelHasNoFusedLayerTime() throws {
        let breakdown = try shares(bench("gru-scratch", ["--breakdown"]))
        XCTAssertEqual(breakdown["recurrent_passes_share"], 0, "\(breakdown)")
        XCTAssertEqual(breakdown["weight_gradients_share"], 0, "\(breakdown)")
        XCTAssertGreaterThan(breakdown["other_products_share"]!, 0.05, "its own products: \(breakdown)")
        XCTAssertGreaterThan(breakdown["rest_share"]!, 0, "its gate math: \(breakdown)")
    }

    func testWithoutTheFlagThereIsNoBreakdown() throws {
        let result = try bench("rnn-random")
        XCTAssertNil(result["breakdown"], "\(result)")
        XCTAssertNotNil(result["seconds_per_epoch"], "\(result)")
    }
}
