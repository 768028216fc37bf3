import Foundation
import Notebook

/// The machine- and CI-facing views of a `GradeReport`.
public enum GradeOutputs {
    // MARK: Markdown (for $GITHUB_STEP_SUMMARY)

    /// A summary table, then the feedback of every exercise that lost points.
    public static func markdown(_ report: GradeReport) -> String {
        var text = "## Grade: \(number(report.score)) of \(number(report.points)) points\n\n"
        let verdict = report.exitCode == 0 ? "passed" : report.exitCode == 1 ? "below the pass mark" : "grading failed"
        text += "**\(verdict)**" + (report.passMark.map { " (pass mark \($0))" } ?? " (full marks required)") + "\n\n"
        if report.isolation != Sandbox.Isolation.bubblewrap.rawValue {
            text += "> **Warning:** submissions ran with resource limits only, without the bubblewrap sandbox.\n\n"
        }
        text += "| exercise | title | score | status |\n|---|---|---|---|\n"
        for exercise in report.exercises {
            let status = exercise.status == .error ? "grading failed" : exercise.problem.map { "nothing to grade: \($0.kind)" }
                ?? (exercise.score >= exercise.points ? "✓" : "points lost")
            text += "| `\(exercise.id)` | \(cell(exercise.title)) | \(number(exercise.score))/\(number(exercise.points)) | \(status) |\n"
        }
        for exercise in report.exercises where exercise.score < exercise.points {
            text += "\n### \(exercise.id): \(cell(exercise.title))\n\n"
            if let problem = exercise.problem { text += "```\n" + problem.message + "\n```\n\n" }
            if let error = exercise.gradingError { text += "Grading failed: " + cell(error.split(separator: "\n").first.map(String.init) ?? error) + "\n\n" }
            for check in exercise.checks where !check.passed {
                text += "- **\(cell(check.title))** (\(number(check.score))/\(number(check.points))): \(cell(check.feedback))\n"
            }
        }
        return text
    }

    private static func cell(_ text: String) -> String {
        text.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ")
    }

    // MARK: GitHub workflow commands

    /// One `::error` (a check that lost every point, a submission that did not run) or
    /// `::warning` (partial credit) per exercise that lost points, pointing at the submitted file.
    public static func githubAnnotations(_ report: GradeReport) -> String {
        var lines: [String] = []
        for exercise in report.exercises where exercise.score < exercise.points {
            var properties: [String] = []
            if let file = exercise.file { properties.append("file=" + property(file)) }
            if let line = exercise.line { properties.append("line=\(line)") }
            properties.append("title=" + property("\(exercise.id): \(number(exercise.score))/\(number(exercise.points)) points"))
            let message: String
            if let problem = exercise.problem {
                message = problem.message
            } else if let error = exercise.gradingError {
                message = "grading failed: " + error
            } else {
                message = exercise.checks.filter { !$0.passed }
                    .map { "\($0.title) (\(number($0.score))/\(number($0.points))): \($0.feedback)" }.joined(separator: "\n")
            }
            let level = exercise.score > 0 && exercise.status == .graded ? "warning" : "error"
            lines.append("::\(level) \(properties.joined(separator: ","))::" + data(message))
        }
        return lines.map { $0 + "\n" }.joined()
    }

    /// Workflow-command escaping: `%`, CR and LF in the message; also `:` and `,` in properties.
    static func data(_ text: String) -> String {
        text.replacingOccurrences(of: "%", with: "%25").replacingOccurrences(of: "\r", with: "%0D")
            .replacingOccurrences(of: "\n", with: "%0A")
    }

    static func property(_ text: String) -> String {
        data(text).replacingOccurrences(of: ":", with: "%3A").replacingOccurrences(of: ",", with: "%2C")
    }

    // MARK: JUnit XML

    /// One `<testsuite>` per exercise, one `<testcase>` per check; a check that lost points is a
    /// `<failure>`, an exercise that could not be graded an `<error>` case named `grading`.
    public static func junit(_ report: GradeReport) -> String {
        let escape = { (text: String, attribute: Bool) in JUnitReport.escape(text, attribute: attribute) }
        let failures = report.exercises.flatMap(\.checks).filter { !$0.passed }.count
        let errors = report.exercises.filter { $0.status == .error }.count
        let tests = report.exercises.map { $0.checks.count + ($0.status == .error ? 1 : 0) }.reduce(0, +)
        var xml = #"<?xml version="1.0" encoding="UTF-8"?>"# + "\n"
        xml += "<testsuites name=\"lessons grade\" tests=\"\(tests)\" failures=\"\(failures)\" errors=\"\(errors)\" "
            + "time=\"\(String(format: "%.3f", report.exercises.map(\.seconds).reduce(0, +)))\">\n"
        for exercise in report.exercises {
            let lost = exercise.checks.filter { !$0.passed }.count
            xml += "  <testsuite name=\"\(escape(exercise.id, true))\" tests=\"\(exercise.checks.count + (exercise.status == .error ? 1 : 0))\" "
                + "failures=\"\(lost)\" errors=\"\(exercise.status == .error ? 1 : 0)\" time=\"\(String(format: "%.3f", exercise.seconds))\">\n"
            xml += "    <properties>\n"
            xml += "      <property name=\"score\" value=\"\(number(exercise.score))\"/>\n"
            xml += "      <property name=\"points\" value=\"\(number(exercise.points))\"/>\n"
            xml += "    </properties>\n"
            for check in exercise.checks {
                let name = "\(check.title) (\(number(check.score))/\(number(check.points)) points)"
                xml += "    <testcase classname=\"\(escape(exercise.id, true))\" name=\"\(escape(name, true))\" time=\"0\""
                if check.passed { xml += "/>\n"; continue }
                let detail = check.feedback + (exercise.problem.map { "\n" + $0.message } ?? "")
                xml += ">\n      <failure message=\"\(escape(check.feedback, true))\" type=\"points\">\(escape(detail, false))</failure>\n"
                xml += "    </testcase>\n"
            }
            if let error = exercise.gradingError {
                xml += "    <testcase classname=\"\(escape(exercise.id, true))\" name=\"grading\" time=\"0\">\n"
                xml += "      <error message=\"grading failed\" type=\"grading\">\(escape(error, false))</error>\n    </testcase>\n"
            }
            xml += "  </testsuite>\n"
        }
        return xml + "</testsuites>\n"
    }

    // MARK: Gradescope

    /// Gradescope's `results.json`: `score`, `execution_time`, `output`, and one test per check
    /// (`name`, `score`, `max_score`, `status`, `output`, `visibility`).
    public static func gradescope(_ report: GradeReport) throws -> Data {
        struct Test: Encodable {
            var name: String
            var number: String
            var score: Double
            var max_score: Double
            var status: String
            var output: String
            var visibility: String
        }
        struct Results: Encodable {
            var score: Double
            var execution_time: Int
            var output: String
            var visibility: String
            var stdout_visibility: String
            var tests: [Test]
        }
        var tests: [Test] = []
        for (e, exercise) in report.exercises.enumerated() {
            for (c, check) in exercise.checks.enumerated() {
                var output = check.feedback
                if c == 0, let problem = exercise.problem { output = problem.message + "\n\n" + output }
                if c == 0, let error = exercise.gradingError { output = "Grading failed: " + error + "\n\n" + output }
                if c == 0, !exercise.notes.isEmpty { output += "\n\n" + exercise.notes.joined(separator: "\n") }
                tests.append(Test(name: "\(exercise.id): \(check.title)", number: "\(e + 1).\(c + 1)", score: check.score,
                                  max_score: check.points, status: check.passed ? "passed" : "failed", output: output,
                                  visibility: "visible"))
            }
        }
        let summary = "\(number(report.score)) of \(number(report.points)) points"
            + (report.isolation == Sandbox.Isolation.bubblewrap.rawValue ? "" : " (graded without the bubblewrap sandbox)")
        let results = Results(score: report.score, execution_time: Int(report.exercises.map(\.seconds).reduce(0, +).rounded()),
                              output: summary, visibility: "visible", stdout_visibility: "hidden", tests: tests)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        var data = try encoder.encode(results)
        data.append(0x0A)
        return data
    }
}
