import XCTest
@testable import Notebook

/// Judging a run: ranges, missing and non-finite metrics, output checks, run failures.
final class CheckVerdictTests: XCTestCase {
    private func outcomes(_ run: RunResult, profile: String = "full") throws -> [CheckOutcome] {
        let expectations = try Sample.expectations()
        return try check(run, against: expectations, profile: profile)
    }

    private func outcome(_ outcomes: [CheckOutcome], _ title: String) throws -> CheckOutcome {
        try XCTUnwrap(outcomes.first { $0.title == title }, "no outcome \(title) in \(outcomes.map(\.title))")
    }

    func testEverythingInRangePasses() throws {
        let results = try outcomes(Sample.run())
        XCTAssertEqual(results.map(\.verdict), [.passed, .passed, .reported, .passed, .passed])
        XCTAssertEqual(results.map(\.cell), ["train", "train", "train", "sample", "sample"])
        let epoch40 = try outcome(results, "perplexity at epoch 40")
        XCTAssertEqual(epoch40.measured, 150)
        XCTAssertEqual(epoch40.range, 140...160)
        XCTAssertEqual(epoch40.source, 149.27)
        XCTAssertEqual(OutcomeTally(results).summary, "4 passed, 0 failed, 1 reported")
    }

    func testValueOutsideTheRangeFails() throws {
        let results = try outcomes(Sample.run(perplexity: [(40, 170.5), (160, 1.4)]))
        let epoch40 = try outcome(results, "perplexity at epoch 40")
        XCTAssertEqual(epoch40.verdict, .failed)
        XCTAssertEqual(epoch40.measured, 170.5)
        XCTAssertEqual(epoch40.message, "perplexity at epoch 40 is 170.5, outside [140, 160]")
        XCTAssertEqual(try outcome(results, "final perplexity").verdict, .passed)
    }

    func testRangeIsClosedAtBothEnds() throws {
        for value in [140.0, 160.0] {
            XCTAssertEqual(try outcome(outcomes(Sample.run(perplexity: [(40, value)])), "perplexity at epoch 40").verdict,
                           .passed, "\(value)")
        }
        for value in [139.999, 160.001] {
            XCTAssertEqual(try outcome(outcomes(Sample.run(perplexity: [(40, value)])), "perplexity at epoch 40").verdict,
                           .failed, "\(value)")
        }
    }

    func testTheLastReportAtThatEpochCounts() throws {
        // A cell may report the same epoch twice (e.g. train and then evaluate); the last wins.
        let results = try outcomes(Sample.run(perplexity: [(40, 150), (40, 175), (160, 1.4)]))
        XCTAssertEqual(try outcome(results, "perplexity at epoch 40").measured, 175)
        XCTAssertEqual(try outcome(results, "perplexity at epoch 40").verdict, .failed)
    }

    func testFinalIsTheLastReportWhateverItsEpoch() throws {
        let results = try outcomes(Sample.run(perplexity: [(40, 150), (160, 1.5), (120, 3.0)]))
        let final = try outcome(results, "final perplexity")
        XCTAssertEqual(final.measured, 3.0)
        XCTAssertEqual(final.epoch, 120)
        XCTAssertEqual(final.verdict, .failed)
    }

    func testMissingMetricFails() throws {
        let results = try outcomes(Sample.run(perplexity: [(39, 150), (160, 1.4)]))
        let epoch40 = try outcome(results, "perplexity at epoch 40")
        XCTAssertEqual(epoch40.verdict, .failed)
        XCTAssertNil(epoch40.measured)
        XCTAssertEqual(epoch40.message, "cell train never reported perplexity at epoch 40")
    }

    func testNaNAndInfinityFail() throws {
        for value in [Double.nan, .infinity, -.infinity] {
            let results = try outcomes(Sample.run(perplexity: [(40, value), (160, 1.4)]))
            let epoch40 = try outcome(results, "perplexity at epoch 40")
            XCTAssertEqual(epoch40.verdict, .failed, "\(value)")
            XCTAssertTrue(epoch40.message?.contains("diverged") ?? false)
        }
    }

    func testInformationalMetricIsNeverJudged() throws {
        var run = Sample.run()
        run.cells[1].metrics.removeAll { $0.name == "tokens_per_second" }
        let speed = try outcome(outcomes(run), "final tokens_per_second")
        XCTAssertEqual(speed.verdict, .reported)
        XCTAssertEqual(speed.message, "cell train never reported tokens_per_second")
    }

    func testOutputExactIgnoresOnlyTrailingNewlines() throws {
        XCTAssertEqual(try outcome(outcomes(Sample.run(sampleOutput: "分开的爱\n\n")), "output").verdict, .passed)
        let wrong = try outcome(outcomes(Sample.run(sampleOutput: "分开的爱 \n")), "output")
        XCTAssertEqual(wrong.verdict, .failed)
        XCTAssertTrue(wrong.message?.contains("分开的爱") ?? false)
    }

    func testRegexMatchesAnyLine() throws {
        let title = "output matches /^分开/"
        XCTAssertEqual(try outcome(outcomes(Sample.run(sampleOutput: "first line\n分开的爱\n")), title).verdict, .passed)
        XCTAssertEqual(try outcome(outcomes(Sample.run(sampleOutput: "不分开\n")), title).verdict, .failed)
    }

    func testChecksOfACellThatDidNotCompleteAreNotJudged() throws {
        let crash = ChapterFailure(kind: .crash, cell: "sample", message: "SIGSEGV")
        let results = try outcomes(Sample.run(failure: crash, sampleStatus: .failed))
        XCTAssertEqual(results.filter { $0.cell == "train" }.map(\.verdict), [.passed, .passed, .reported])
        let sample = results.filter { $0.cell == "sample" }
        XCTAssertEqual(sample.map(\.verdict), [.unjudged, .unjudged])
        XCTAssertEqual(sample.first?.message, "the run stopped in cell sample (crash)")
    }

    /// A figure reported before the run stopped is real and judged on its merits: the old
    /// runner failed it with "150 not in [140, 160]" when the real reason was the timeout.
    func testFiguresReportedBeforeAStopAreJudgedAndTheRestAreNot() throws {
        let timeout = ChapterFailure(kind: .timeout, cell: "train", message: "killed after 60 s")
        let inRange = try outcomes(Sample.run(failure: timeout, trainStatus: .failed, sampleStatus: .notRun))
        XCTAssertEqual(try outcome(inRange, "perplexity at epoch 40").verdict, .passed)
        XCTAssertEqual(try outcome(inRange, "perplexity at epoch 40").measured, 150)
        XCTAssertEqual(try outcome(inRange, "final perplexity").verdict, .unjudged, "a stopped cell has no final value")
        XCTAssertEqual(try outcome(inRange, "output").verdict, .unjudged)
        XCTAssertEqual(try outcome(inRange, "output").message, "the run stopped in cell train (timeout)")

        let outOfRange = try outcomes(Sample.run(perplexity: [(40, 170)], failure: timeout, trainStatus: .failed,
                                                 sampleStatus: .notRun))
        XCTAssertEqual(try outcome(outOfRange, "perplexity at epoch 40").verdict, .failed)
    }

    func testCompileFailureJudgesNothing() throws {
        let compile = ChapterFailure(kind: .compile, cell: "train", message: "error: cannot find 'trian'")
        let run = RunResult(chapterID: "12-gru", seed: 0, parameters: [:], compileSeconds: 1, cells: [], failure: compile)
        let results = try outcomes(run)
        XCTAssertEqual(results.count, 5)
        XCTAssertTrue(results.allSatisfy { $0.verdict == .unjudged })
        XCTAssertEqual(results.first?.message, "cell sample never ran: the run stopped in cell train (compile error)")
        XCTAssertEqual(OutcomeTally(results).summary, "0 passed, 0 failed, 5 not judged")
    }

    func testUnjudgedRunReportsEveryFiguresLastValue() {
        let results = check(Sample.run(perplexity: [(1, 900), (2, 700)]), against: nil)
        XCTAssertEqual(results.map(\.title), ["final perplexity", "final tokens_per_second"])
        XCTAssertEqual(results.map(\.measured), [700, 5120])
        XCTAssertTrue(results.allSatisfy { $0.verdict == .reported })
    }

    func testUnknownProfileNameIsAnError() throws {
        XCTAssertThrowsError(try check(Sample.run(), against: Sample.expectations(), profile: "nightly")) { error in
            XCTAssertTrue("\(error)".contains("no profile \"nightly\" (profiles: full, smoke)"), "\(error)")
        }
    }

    func testFigureFormatting() {
        XCTAssertEqual(formatFigure(149.871), "149.87")
        XCTAssertEqual(formatFigure(1.0163), "1.016")
        XCTAssertEqual(formatFigure(1.0000036), "1.0000036")
        XCTAssertEqual(formatFigure(1.0025), "1.0025")
        XCTAssertEqual(formatFigure(140), "140")
        XCTAssertEqual(formatFigure(0.00001234), "1.23e-05")
        XCTAssertEqual(formatFigure(.nan), "nan")
        XCTAssertEqual(formatFigure(-.infinity), "-inf")
    }
}
