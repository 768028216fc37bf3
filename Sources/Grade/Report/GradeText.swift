import Foundation
import Notebook

/// The terminal report of `lessons grade`: one block per exercise (its score, a line per check
/// with the feedback), then the total and the verdict.
///
///     10-rnn-scratch/relu-rnn  An RNN with ReLU  7/7
///       ✓ logits     3/3  largest difference from the reference: 2.4e-07 (3 points for ≤ 0.0001)
///       ✗ gradients  0/2  …
public struct GradeText {
    public var style: TerminalStyle

    public init(style: TerminalStyle) { self.style = style }

    public func exercise(_ result: ExerciseResult) -> String {
        let mark = result.status == .error ? style.red("!") : result.score >= result.points ? style.green("✓") : style.red("✗")
        var text = "\(mark) " + style.bold(result.id) + "  \(result.title)  " + score(result.score, of: result.points)
            + style.dim(String(format: "  %.1f s", result.seconds)) + "\n"
        if let error = result.gradingError {
            text += "  " + style.red("grading failed: ") + indented(error, by: 4).dropFirst(4) + "\n"
        }
        if let problem = result.problem {
            let place = problem.file.map { " (" + $0 + (problem.line.map { ":\($0)" } ?? "") + ")" } ?? ""
            text += "  " + style.red("nothing to grade") + place + ":\n" + indented(problem.message, by: 4) + "\n"
        }
        let width = result.checks.map(\.id.count).max() ?? 0
        for check in result.checks {
            let mark = check.passed ? style.green("✓") : style.red("✗")
            text += "  \(mark) " + check.id.padding(toLength: width, withPad: " ", startingAt: 0) + "  "
                + score(check.score, of: check.points) + "  " + check.feedback + "\n"
        }
        for note in result.notes { text += "  " + style.dim("note: " + note) + "\n" }
        let printed = result.output.split(separator: "\n").suffix(5)
        if result.score < result.points, !printed.isEmpty {
            text += "  " + style.dim("your cell printed (last lines):") + "\n" + printed.map { "    " + style.dim(String($0)) + "\n" }.joined()
        }
        return text
    }

    /// `grade: 41.5 of 45 points (pass mark 40): passed`.
    public func total(_ report: GradeReport) -> String {
        let mark = report.passMark.map { " (pass mark \($0))" } ?? " (full marks required)"
        let verdict: String
        switch report.exitCode {
        case ExitStatus.passed: verdict = style.green("passed")
        case ExitStatus.checkFailed: verdict = style.red("below the pass mark")
        default: verdict = style.red("grading failed for \(report.exercises.filter { $0.status == .error }.count) exercise(s)")
        }
        return "grade: \(number(report.score)) of \(number(report.points)) points\(mark): \(verdict)\n"
    }

    private func score(_ score: Double, of points: Double) -> String {
        let text = "\(number(score))/\(number(points))"
        return score >= points ? style.green(text) : score > 0 ? style.yellow(text) : style.red(text)
    }

    private func indented(_ text: String, by spaces: Int) -> String {
        let pad = String(repeating: " ", count: spaces)
        return text.split(separator: "\n", omittingEmptySubsequences: false).map { pad + $0 }.joined(separator: "\n")
    }
}

/// `7`, `2.5`.
func number(_ value: Double) -> String {
    value == value.rounded() && abs(value) < 1e12 ? String(Int(value)) : formatFigure(value)
}
