import XCTest
#if canImport(FoundationXML)
import FoundationXML
#endif
@testable import Notebook

/// The JSON and JUnit reports: they must read back, NaN included, and stay valid XML.
final class ReportMachineTests: XCTestCase {
    private var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("report-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
    }

    /// A judged run with a NaN figure (failed) and one more chapter that never loaded.
    private func reports() throws -> [ChapterReport] {
        let expectations = try Sample.expectations()
        let run = Sample.run(perplexity: [(40, .nan), (160, 1.4)], sampleOutput: "<&\"'>\u{1B}[31m\n")
        let outcomes = try check(run, against: expectations)
        return [
            ChapterReport(chapterID: "12-gru", title: "Gated recurrent units", profile: "full", seed: 0,
                          result: run, outcomes: outcomes, seconds: 44),
            ChapterReport(chapterID: "13-lstm", error: ChapterFailure(kind: .chapter, file: "Chapters/13-lstm.md", line: 7,
                                                                    message: "code fence is never closed")),
        ]
    }

    func testJSONReportDecodesBackWithNaN() throws {
        let report = JSONReport(chapters: try reports())
        let file = directory.appendingPathComponent("out/report.json")
        try report.write(to: file)
        let decoded = try JSONReport.decoder().decode(JSONReport.self, from: Data(contentsOf: file))
        XCTAssertEqual(decoded.exitCode, ExitStatus.chapterError)
        XCTAssertEqual(decoded.errors, 1)
        XCTAssertEqual(decoded.chapters.count, 2)
        XCTAssertEqual(decoded.chapters[0].result?.cells[1].metrics[0].value.isNaN, true)
        XCTAssertEqual(decoded.chapters[0].outcomes.first?.measured?.isNaN, true)
        XCTAssertEqual(decoded.chapters[0].outcomes.first?.verdict, .failed)
        XCTAssertEqual(decoded.chapters[1].error?.kind, .chapter, "the failure keeps its kind")
        XCTAssertEqual(decoded.chapters[1].error?.location, "Chapters/13-lstm.md:7", "and its file and line")
        // NaN is not equal to itself, so compare the rest through a second encoding.
        XCTAssertEqual(try decoded.encoded(), try report.encoded())
        XCTAssertTrue(String(decoding: try Data(contentsOf: file), as: UTF8.self).contains("\"nan\""))
    }

    func testJUnitParsesWithOneTestcasePerCheck() throws {
        let reports = try reports()
        let file = directory.appendingPathComponent("junit.xml")
        try JUnitReport.write(reports, to: file)
        let document = try XMLDocument(contentsOf: file, options: [])
        let suites = try document.nodes(forXPath: "/testsuites/testsuite")
        XCTAssertEqual(suites.count, 2)

        let gru = try document.nodes(forXPath: "/testsuites/testsuite[@name='12-gru']/testcase")
        XCTAssertEqual(gru.count, reports[0].outcomes.count)
        let failures = try document.nodes(forXPath: "//testsuite[@name='12-gru']/testcase/failure")
        XCTAssertEqual(failures.count, reports[0].tally.failed)
        XCTAssertEqual(failures.count, 3, "the NaN metric, the regex and the exact output")
        let firstFailure = try XCTUnwrap(failures.first as? XMLElement)
        XCTAssertEqual(firstFailure.attribute(forName: "message")?.stringValue,
                       "perplexity at epoch 40 is nan: training diverged")

        // The whole message of a multi-line failure survives in the attribute, not only its first line.
        let output = try XCTUnwrap(try document.nodes(forXPath: "//testcase[@name='output']/failure").first as? XMLElement)
        XCTAssertEqual(output.attribute(forName: "message")?.stringValue,
                       "cell sample printed:\n    <&\"'>\u{FFFD}[31m\nexpected:\n    分开的爱")
        // Figures reported but not judged are skipped, with the value; times are the cell's.
        let informational = try XCTUnwrap(try document.nodes(forXPath: "//testcase[@name='final tokens_per_second']").first as? XMLElement)
        XCTAssertEqual(try informational.nodes(forXPath: "skipped").count, 1)
        XCTAssertEqual(informational.attribute(forName: "time")?.stringValue, "41.200")
        XCTAssertEqual(try document.nodes(forXPath: "//testsuite[@name='12-gru']")
            .compactMap { ($0 as? XMLElement)?.attribute(forName: "skipped")?.stringValue }, ["1"])

        // The chapter that never loaded still shows up, as an error.
        let errors = try document.nodes(forXPath: "//testsuite[@name='13-lstm']/testcase[@name='run']/error")
        XCTAssertEqual(errors.count, 1)
        let root = try XCTUnwrap(document.rootElement())
        XCTAssertEqual(root.attribute(forName: "errors")?.stringValue, "1")
        XCTAssertEqual(root.attribute(forName: "failures")?.stringValue, "3")
    }

    func testXMLEscaping() {
        XCTAssertEqual(JUnitReport.escape("a<b & \"c\" 'd'>"), "a&lt;b &amp; &quot;c&quot; &apos;d&apos;&gt;")
        XCTAssertEqual(JUnitReport.escape("\u{1B}[31mred\u{0}"), "\u{FFFD}[31mred\u{FFFD}")
        XCTAssertEqual(JUnitReport.escape("tab\tline\n分开"), "tab\tline\n分开")
    }

    func testAtomicWriteLeavesNoTemporaryFiles() throws {
        let file = directory.appendingPathComponent("report.json")
        try AtomicFile.write(Data("one".utf8), to: file)
        try AtomicFile.write(Data("two".utf8), to: file)
        XCTAssertEqual(try String(contentsOf: file, encoding: .utf8), "two")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: directory.path), ["report.json"])
    }

    func testAtomicWriteFailureNamesThePathAndCleansUp() throws {
        let blocker = directory.appendingPathComponent("file")
        try Data().write(to: blocker)
        XCTAssertThrowsError(try AtomicFile.write(Data("x".utf8), to: blocker.appendingPathComponent("report.json"))) {
            XCTAssertTrue("\($0)".contains("report.json"), "\($0)")
        }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: directory.path), ["file"])
    }

    func testExitStatusRanksErrorsAboveFailures() {
        let passed = ChapterReport(chapterID: "a", profile: "full", outcomes: [CheckOutcome(cell: "c", kind: .output, title: "output",
                                                                            verdict: .passed)])
        var failed = passed
        failed.outcomes[0].verdict = .failed
        let broken = ChapterReport(chapterID: "b", error: ChapterFailure(kind: .chapter, message: "bad"))
        let unjudged = ChapterReport(chapterID: "c", outcomes: [CheckOutcome(cell: "c", kind: .metric, title: "final loss",
                                                                              verdict: .reported)])
        var interrupted = broken
        interrupted.error = ChapterFailure(kind: .interrupted, message: "Ctrl-C")
        XCTAssertEqual(ExitStatus.of([passed]), 0)
        XCTAssertEqual(ExitStatus.of([passed, failed]), 1)
        XCTAssertEqual(ExitStatus.of([failed, broken, passed]), 2)
        XCTAssertEqual(ExitStatus.of([broken, interrupted]), 130)
        XCTAssertEqual(unjudged.status, .unjudged)
        XCTAssertEqual(ExitStatus.of([passed, unjudged]), 1, "a run that judges nothing does not pass")
        XCTAssertEqual(ExitStatus.of([passed, unjudged], acceptUnjudged: true), 0, "unless --report-only")
    }
}
