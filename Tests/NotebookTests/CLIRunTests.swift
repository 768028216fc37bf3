import Foundation
import XCTest
#if canImport(FoundationXML)
import FoundationXML
#endif
@testable import Notebook

/// `lessons run` end to end: the real binary on the fixture chapters, exit codes and reports.
final class CLIRunTests: XCTestCase {
    /// One fixture project for the whole class, so compiled programs are reused between tests.
    private static let project = SharedProject()
    private var root: URL { get throws { try Self.project.root } }
    override class func tearDown() { project.remove() }

    func testPassingChapterExitsZero() throws {
        let output = try LessonsCLI.run(["run", "01-pass"], in: root)
        XCTAssertEqual(output.status, 0, output.all)
        XCTAssertTrue(output.stdout.contains("✓ perplexity at epoch 1"), output.all)
        XCTAssertTrue(output.stdout.hasSuffix("01-pass: 4 passed, 0 failed, 1 reported\n"), output.all)
        XCTAssertFalse(output.stdout.contains("\u{1B}"), "no colour without a terminal")
        XCTAssertTrue(output.stderr.contains("train: epoch 3/3, perplexity 3.333"), "plain progress lines: \(output.all)")
    }

    func testMetricOutsideItsRangeExitsOneAndShowsMeasuredVsRange() throws {
        let output = try LessonsCLI.run(["run", "02"], in: root)
        XCTAssertEqual(output.status, 1, output.all)
        XCTAssertTrue(output.stdout.contains("✗ perplexity at epoch 1          3  not in [1, 2.5]  source 2.1"), output.all)
        XCTAssertTrue(output.stdout.hasSuffix("02-out-of-range: 0 passed, 1 failed\n"), output.all)
    }

    func testJSONAndJUnitReportsParse() throws {
        let json = try root.appendingPathComponent("reports/run.json")
        let junit = try root.appendingPathComponent("reports/junit.xml")
        let output = try LessonsCLI.run(["run", "01-pass", "02-out-of-range", "--json", json.path,
                                         "--junit", junit.path], in: root)
        XCTAssertEqual(output.status, 1, output.all)
        XCTAssertTrue(output.stdout.hasSuffix("lessons: 2 chapters, 4 passed, 1 failed, 1 reported\n"), output.all)

        let report = try JSONReport.decoder().decode(JSONReport.self, from: Data(contentsOf: json))
        XCTAssertEqual(report.exitCode, 1)
        XCTAssertEqual(report.chapters.map(\.chapterID), ["01-pass", "02-out-of-range"])
        XCTAssertEqual(report.chapters[1].outcomes.first?.measured, 3.0)
        XCTAssertEqual(report.chapters[1].outcomes.first?.verdict, .failed)
        XCTAssertEqual(report.chapters[0].result?.cells.map(\.id), ["settings", "train", "greet"])

        let document = try XMLDocument(contentsOf: junit, options: [])
        let checks = report.chapters.reduce(0) { $0 + $1.outcomes.count }
        XCTAssertEqual(try document.nodes(forXPath: "//testcase").count, checks)
        XCTAssertEqual(try document.nodes(forXPath: "//testcase/failure").count, 1)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: json.deletingLastPathComponent().path)
        XCTAssertEqual(leftovers.sorted(), ["junit.xml", "run.json"], "no temporary files left")
    }

    func testUnknownChapterExitsTwoNamingTheChapters() throws {
        let output = try LessonsCLI.run(["run", "no-such-chapter"], in: root)
        XCTAssertEqual(output.status, 2, output.all)
        XCTAssertTrue(output.stderr.contains("error: chapter error:\n    unknown chapter 'no-such-chapter'; available chapters: 01-pass"),
                      "errors go to stderr: \(output.all)")
        XCTAssertFalse(output.stdout.contains("error:"), output.all)
    }

    func testBadExpectedFileExitsTwoNamingFileAndPath() throws {
        let output = try LessonsCLI.run(["run", "03"], in: root)
        XCTAssertEqual(output.status, 2, output.all)
        XCTAssertTrue(output.stderr.contains(
            "error: Expected file error (Expected/03-bad-expected.json):\n    profiles.full.cells.trian: chapter 03-bad-expected has no cell \"trian\""),
            output.all)
    }

    func testCrashLeavesTheChecksOfCellsThatDidNotCompleteUnjudgedAndExitsTwo() throws {
        let output = try LessonsCLI.run(["run", "04-crash"], in: root)
        XCTAssertEqual(output.status, 2, output.all)
        XCTAssertTrue(output.stdout.contains("✓ perplexity at epoch 1"), "the first cell is still judged: \(output.all)")
        XCTAssertTrue(output.stdout.contains("1 check not judged: the run stopped in cell second (crash)"), output.all)
        XCTAssertTrue(output.stderr.contains("error: crash in cell 'second' (Chapters/04-crash.md:11):"), output.all)
        XCTAssertTrue(output.stderr.contains("Index out of range"), "shows the cell's last lines: \(output.all)")
    }

    func testEveryChapterRunsThenOneExitCode() throws {
        let output = try LessonsCLI.run(["run", "02", "03", "01"], in: root)
        XCTAssertEqual(output.status, 2, "an error outranks a failed check: \(output.all)")
        for summary in ["02-out-of-range: 0 passed, 1 failed", "03-bad-expected: error", "01-pass: 4 passed"] {
            XCTAssertTrue(output.stdout.contains(summary), "\(summary) in \(output.all)")
        }
    }

    func testTwoRunsInParallelBothSucceed() throws {
        let root = try self.root
        let first = try LessonsCLI.start(["run", "01-pass", "--param", "epochs=4", "--report-only", "--json", "a.json"], in: root)
        let second = try LessonsCLI.start(["run", "01-pass", "--param", "epochs=4", "--report-only", "--json", "b.json"], in: root)
        for output in [try first.finish(), try second.finish()] {
            XCTAssertEqual(output.status, 0, output.all)
            XCTAssertTrue(output.stdout.contains("2.5  not judged  (epoch 4)"), output.all)
        }
        for name in ["a.json", "b.json"] {
            XCTAssertNoThrow(try JSONReport.decoder().decode(JSONReport.self,
                                                             from: Data(contentsOf: root.appendingPathComponent(name))))
        }
    }

    func testParametersChooseTheProfile() throws {
        let smoke = try LessonsCLI.run(["run", "01", "--param", "epochs=1"], in: root)
        XCTAssertEqual(smoke.status, 0, smoke.all)
        XCTAssertTrue(smoke.stdout.contains("(profile smoke, seed 0, epochs=1)"), smoke.all)
        let byName = try LessonsCLI.run(["run", "01", "--profile", "smoke"], in: root)
        XCTAssertTrue(byName.stdout.contains("(profile smoke, seed 0, epochs=1)"), byName.all)
        let contradiction = try LessonsCLI.run(["run", "01", "--profile", "smoke", "--param", "epochs=2"], in: root)
        XCTAssertEqual(contradiction.status, 2, contradiction.all)
    }

    func testRepeatPrintsTheSpreadOfEachMetric() throws {
        let output = try LessonsCLI.run(["run", "01-pass", "--repeat", "2", "--seed", "7"], in: root)
        XCTAssertEqual(output.status, 0, output.all)
        XCTAssertTrue(output.stdout.contains("(profile full, seed 8)"), output.all)
        XCTAssertTrue(output.stdout.contains("Spread over 2 runs"), output.all)
        XCTAssertTrue(output.stdout.contains(
            "01-pass  train  final perplexity         min 3.333  mean 3.333  max 3.333  expected [3, 3.5]"), output.all)
        XCTAssertTrue(output.stdout.hasSuffix("lessons: 1 chapter (2 runs), 8 passed, 0 failed, 2 reported\n"), output.all)
        XCTAssertEqual(output.stderr.components(separatedBy: "train: epoch 3/3").count, 3, "progress for both runs: \(output.all)")
    }

    func testCompileErrorFailsTheChecksAndExitsTwo() throws {
        let output = try LessonsCLI.run(["run", "07-compile-error"], in: root)
        XCTAssertEqual(output.status, 2, output.all)
        XCTAssertTrue(output.stdout.contains("1 check not judged: the run stopped in cell train (compile error)"), output.all)
        XCTAssertTrue(output.stderr.contains("error: compile error in cell 'train' (Chapters/07-compile-error.md:8):"), output.all)
        XCTAssertTrue(output.stderr.contains("Chapters/07-compile-error.md:8:36: error: cannot find 'epoch' in scope"),
                      "the compiler's own diagnostic: \(output.all)")
    }

    func testDataDirReachesTheProgramAsAnAbsolutePath() throws {
        try FileManager.default.createDirectory(at: root.appendingPathComponent("corpora"), withIntermediateDirectories: true)
        let output = try LessonsCLI.run(["run", "05", "--data-dir", "corpora"], in: root)
        XCTAssertEqual(output.status, 0, output.all)
    }

    func testTimeoutStopsTheChapter() throws {
        let output = try LessonsCLI.run(["run", "06-slow", "--timeout", "2"], in: root, timeout: 60)
        XCTAssertEqual(output.status, 2, output.all)
        XCTAssertTrue(output.stderr.contains("error: timeout in cell"), output.all)
    }
}
