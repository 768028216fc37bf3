import XCTest
@testable import Notebook

/// Which profile judges a run, and runs that no profile fits.
final class CheckProfileTests: XCTestCase {
    func testPlainRunIsJudgedByFull() throws {
        let selection = try ProfileSelection.select(Sample.expectations(), requested: nil, parameters: [:])
        XCTAssertEqual(selection.profile?.name, "full")
        XCTAssertNil(selection.unjudgedReason)
    }

    func testOverridesPickTheProfileSizedForThem() throws {
        let selection = try ProfileSelection.select(Sample.expectations(), requested: nil, parameters: ["epochs": "5"])
        XCTAssertEqual(selection.profile?.name, "smoke")
        XCTAssertEqual(selection.parameters, ["epochs": "5"])
    }

    func testOverridesMatchingNoProfileAreReportedNotJudged() throws {
        let expectations = try Sample.expectations()
        let selection = try ProfileSelection.select(expectations, requested: nil, parameters: ["epochs": "7"])
        XCTAssertNil(selection.profile)
        XCTAssertEqual(selection.unjudgedReason, "no profile matches epochs=7: figures are reported, not judged")
        // Far outside every range, yet nothing fails: no range was sized for 7 epochs.
        let results = check(Sample.run(perplexity: [(7, 5000)]), against: selection.profile)
        XCTAssertFalse(results.isEmpty)
        XCTAssertTrue(results.allSatisfy { $0.verdict == .reported })
    }

    func testRequestedProfileAppliesItsParameters() throws {
        let selection = try ProfileSelection.select(Sample.expectations(), requested: "smoke", parameters: ["lr": "0.5"])
        XCTAssertEqual(selection.profile?.name, "smoke")
        XCTAssertEqual(selection.parameters, ["epochs": "5", "lr": "0.5"])
    }

    func testRequestedProfileContradictedByParamIsAnError() throws {
        XCTAssertThrowsError(try ProfileSelection.select(Sample.expectations(), requested: "smoke",
                                                         parameters: ["epochs": "6"])) { error in
            XCTAssertTrue("\(error)".contains("contradicts profile \"smoke\""), "\(error)")
        }
    }

    func testUnknownProfileListsTheKnownOnes() throws {
        XCTAssertThrowsError(try ProfileSelection.select(Sample.expectations(), requested: "nightly",
                                                         parameters: [:])) { error in
            XCTAssertTrue("\(error)".contains("no profile \"nightly\" (profiles: full, smoke)"), "\(error)")
        }
    }

    func testNoExpectedFileMeansUnjudged() throws {
        let selection = try ProfileSelection.select(nil, requested: nil, parameters: [:])
        XCTAssertNil(selection.profile)
        XCTAssertNotNil(selection.unjudgedReason)
        XCTAssertThrowsError(try ProfileSelection.select(nil, requested: "full", parameters: [:]))
    }

    func testSmokeProfileJudgesItsOwnChecks() throws {
        let expectations = try Sample.expectations()
        let smoke = expectations.profiles["smoke"]
        let pass = check(Sample.run(perplexity: [(5, 800)]), against: smoke)
        XCTAssertEqual(pass.map(\.verdict), [.passed])
        let fail = check(Sample.run(perplexity: [(5, 1200)]), against: smoke)
        XCTAssertEqual(fail.map(\.verdict), [.failed])
    }
}
