import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Notebook
import XCTest
@testable import Grade

/// The reports for machines and CI: JSON, JUnit XML, Gradescope's results.json, GitHub workflow
/// commands and the Markdown summary. Each parses and has the documented shape; the same
/// checks run on the course's real reports in `GradeCourseTests`.
final class GradeReportFormatTests: XCTestCase {
    static func sample() -> GradeReport {
        let passed = CheckResult(id: "logits", title: "the logits", points: 3, score: 3, value: 1e-7, feedback: "largest difference 1e-07")
        let partial = CheckResult(id: "perplexity", title: "held-out perplexity", points: 3, score: 1, value: 312,
                                  feedback: "perplexity: 312 (3 points for ≤ 250, 1 point for ≤ 400) <&> \"quoted\"\nsecond line, 100%")
        let graded = ExerciseResult(chapterID: "10-rnn", exercise: "relu", title: "ReLU, with a | pipe", status: .graded, points: 6,
                                    score: 4, checks: [passed, partial], problem: nil, gradingError: nil,
                                    file: "work/Chapters/10-rnn.md", line: 412, notes: ["figures your code reported itself are not graded"],
                                    output: "epoch 5\u{1B}[0m", seconds: 12.5)
        let failed = ExerciseResult(chapterID: "11-clip", exercise: "bptt", title: "BPTT", status: .failed, points: 2, score: 0,
                                    checks: [CheckResult(id: "loss", title: "the loss", points: 2, score: 0, value: nil, feedback: "not measured: compile")],
                                    problem: SubmissionProblem(kind: "compile", message: "your code does not compile:\nwork/Chapters/11-clip.md:9:3: error: x",
                                                               file: "work/Chapters/11-clip.md", line: 9),
                                    gradingError: nil, file: "work/Chapters/11-clip.md", line: 9, notes: [], output: "", seconds: 1)
        return GradeReport(exercises: [failed, graded], passMark: "60%", isolation: "bubblewrap")
    }

    func testTheJSONReportRoundTrips() throws {
        let report = Self.sample()
        let back = try JSONReport.decoder().decode(GradeReport.self, from: report.encoded())
        XCTAssertEqual(back, report)
        XCTAssertEqual(back.exercises.map(\.id), ["10-rnn/relu", "11-clip/bptt"], "sorted by chapter and exercise")
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: report.encoded()) as? [String: Any])
        XCTAssertEqual(object["kind"] as? String, "grade")
        XCTAssertEqual(object["score"] as? Double, 4)
        XCTAssertEqual(object["points"] as? Double, 8)
        XCTAssertEqual(object["exitCode"] as? Int, 1, "4 of 8 is below 60%")
    }

    /// Gradescope's documented schema: a numeric `score`, and `tests`, each with `name`, `score`,
    /// `max_score`, `output` and a `visibility` of hidden, after_due_date, after_published or visible.
    func testGradescopeResultsFollowTheirSchema() throws {
        try Self.assertGradescopeSchema(GradeOutputs.gradescope(Self.sample()), report: Self.sample())
    }

    static func assertGradescopeSchema(_ data: Data, report: GradeReport, file: StaticString = #filePath, line: UInt = #line) throws {
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: data) as? [String: Any], file: file, line: line)
        let allowedTop: Set = ["score", "execution_time", "output", "output_format", "visibility", "stdout_visibility", "extra_data", "tests", "leaderboard"]
        XCTAssertTrue(Set(object.keys).isSubset(of: allowedTop), "unknown keys: \(Set(object.keys).subtracting(allowedTop))", file: file, line: line)
        let visibilities: Set = ["hidden", "after_due_date", "after_published", "visible"]
        let score = try XCTUnwrap(object["score"] as? Double, file: file, line: line)
        XCTAssertEqual(score, report.score, file: file, line: line)
        XCTAssertTrue(object["execution_time"] is Int, file: file, line: line)
        XCTAssertTrue(visibilities.contains(object["visibility"] as? String ?? ""), file: file, line: line)
        XCTAssertTrue(visibilities.contains(object["stdout_visibility"] as? String ?? ""), file: file, line: line)
        let tests = try XCTUnwrap(object["tests"] as? [[String: Any]], file: file, line: line)
        XCTAssertEqual(tests.count, report.exercises.map(\.checks.count).reduce(0, +), file: file, line: line)
        let allowedTest: Set = ["score", "max_score", "status", "name", "name_format", "number", "output", "output_format", "tags", "visibility", "extra_data"]
        var total = 0.0, maxTotal = 0.0
        for test in tests {
            XCTAssertTrue(Set(test.keys).isSubset(of: allowedTest), "unknown keys: \(Set(test.keys).subtracting(allowedTest))", file: file, line: line)
            let testScore = try XCTUnwrap(test["score"] as? Double, file: file, line: line)
            let maxScore = try XCTUnwrap(test["max_score"] as? Double, file: file, line: line)
            XCTAssertLessThanOrEqual(testScore, maxScore, file: file, line: line)
            XCTAssertFalse((test["name"] as? String ?? "").isEmpty, file: file, line: line)
            XCTAssertTrue(test["output"] is String, file: file, line: line)
            XCTAssertTrue(["passed", "failed"].contains(test["status"] as? String ?? ""), file: file, line: line)
            XCTAssertTrue(visibilities.contains(test["visibility"] as? String ?? ""), file: file, line: line)
            total += testScore
            maxTotal += maxScore
        }
        XCTAssertEqual(total, score, accuracy: 1e-9, "the tests add up to the score", file: file, line: line)
        XCTAssertEqual(maxTotal, report.points, accuracy: 1e-9, file: file, line: line)
    }

    func testJUnitParsesWithOneSuitePerExerciseAndOneCasePerCheck() throws {
        try Self.assertJUnit(GradeOutputs.junit(Self.sample()), report: Self.sample())
    }

    static func assertJUnit(_ xml: String, report: GradeReport, file: StaticString = #filePath, line: UInt = #line) throws {
        let document = try XMLDocument(data: Data(xml.utf8))
        let root = try XCTUnwrap(document.rootElement(), file: file, line: line)
        XCTAssertEqual(root.name, "testsuites", file: file, line: line)
        let suites = root.elements(forName: "testsuite")
        XCTAssertEqual(suites.map { $0.attribute(forName: "name")?.stringValue }, report.exercises.map(\.id), file: file, line: line)
        for (suite, exercise) in zip(suites, report.exercises) {
            let cases = suite.elements(forName: "testcase")
            XCTAssertEqual(cases.count, exercise.checks.count + (exercise.status == .error ? 1 : 0), file: file, line: line)
            let failures = cases.filter { !$0.elements(forName: "failure").isEmpty }.count
            XCTAssertEqual(failures, exercise.checks.filter { !$0.passed }.count, file: file, line: line)
            XCTAssertEqual(suite.attribute(forName: "failures")?.stringValue, "\(failures)", file: file, line: line)
        }
        XCTAssertEqual(root.attribute(forName: "tests")?.stringValue,
                       "\(report.exercises.map { $0.checks.count + ($0.status == .error ? 1 : 0) }.reduce(0, +))", file: file, line: line)
    }

    func testGitHubAnnotationsPointAtTheSubmittedLineAndEscapeTheirText() {
        let text = GradeOutputs.githubAnnotations(Self.sample())
        let lines = text.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.count, 2, "one per exercise that lost points")
        XCTAssertTrue(lines[0].hasPrefix("::warning file=work/Chapters/10-rnn.md,line=412,title=10-rnn/relu%3A 4/6 points::"), lines[0])
        XCTAssertTrue(lines[0].contains("second line, 100%25"), "% and newlines are escaped: \(lines[0])")
        XCTAssertTrue(lines[0].contains("%0Asecond line"))
        XCTAssertTrue(lines[1].hasPrefix("::error file=work/Chapters/11-clip.md,line=9,title=11-clip/bptt%3A 0/2 points::your code does not compile:%0A"), lines[1])
    }

    func testTheMarkdownSummaryHasATableAndTheFeedbackOfWhatLostPoints() {
        let markdown = GradeOutputs.markdown(Self.sample())
        XCTAssertTrue(markdown.hasPrefix("## Grade: 4 of 8 points\n\n**below the pass mark** (pass mark 60%)\n"), markdown)
        XCTAssertTrue(markdown.contains("| `10-rnn/relu` | ReLU, with a \\| pipe | 4/6 | points lost |"), markdown)
        XCTAssertTrue(markdown.contains("| `11-clip/bptt` | BPTT | 0/2 | nothing to grade: compile |"), markdown)
        XCTAssertTrue(markdown.contains("- **held-out perplexity** (1/3): perplexity: 312"), markdown)
        let unsandboxed = GradeReport(exercises: Self.sample().exercises, passMark: nil, isolation: "limits-only")
        XCTAssertTrue(GradeOutputs.markdown(unsandboxed).contains("without the bubblewrap sandbox"))
    }
}
