import Foundation

/// The report people read after `lessons run`: each cell with its status and time, each check
/// as measured vs range (and the source's figure), the failure message, and a summary line:
///
///     12-gru: Gated recurrent units (profile full, seed 0)
///       ✓ setup         0.02 s
///       ✓ train        41.20 s
///           ✓ perplexity at epoch 40   149.871   in [140, 160]   source 149.27
///           ✗ final perplexity           1.901   not in [1.2, 1.6]   source 1.43
///     12-gru: 1 passed, 1 failed
public struct TextReport {
    public var style: TerminalStyle
    /// Show what each cell printed, indented under its line (the generated text, tables…).
    public var showsOutput: Bool

    public init(style: TerminalStyle = .plain, showsOutput: Bool = false) {
        self.style = style
        self.showsOutput = showsOutput
    }

    public func render(_ report: ChapterReport) -> String {
        var lines = [heading(report)]
        if let reason = report.unjudgedReason { lines.append("  " + style.yellow("note: " + reason)) }
        // Align the measured figures; output checks (often long regexes) have none to align.
        let titleWidth = report.outcomes.filter { $0.kind == .metric }.map(\.title.count).max() ?? 0
        let cellWidth = report.result?.cells.map(\.id.count).max() ?? 0
        var shown = Set<String>()
        for cell in report.result?.cells ?? [] {
            lines.append("  " + cellLine(cell, width: cellWidth))
            if showsOutput { lines += outputLines(cell.stdout) }
            shown.insert(cell.id)
            lines += report.outcomes.filter { $0.cell == cell.id }.flatMap { checkLines($0, titleWidth) }
        }
        // Checks of cells the run never reached (or of a chapter that never ran).
        for outcome in report.outcomes where !shown.contains(outcome.cell) {
            if shown.insert(outcome.cell).inserted {
                lines.append("  " + style.red("✗") + " " + outcome.cell + "  " + style.dim("never ran"))
            }
            lines += checkLines(outcome, titleWidth)
        }
        if let result = report.result, result.compileSeconds > 0 {
            lines.append("  " + style.dim("compiled in \(seconds(result.compileSeconds))"))
        }
        if let message = report.errorMessage {
            lines.append(style.red("error: ") + indentAfterFirstLine(message))
        }
        lines.append(summary(report))
        return lines.map(trimmingTrailingSpaces).joined(separator: "\n") + "\n"
    }

    /// `12-gru: 5 passed, 1 failed`, plus ` (error)` when the chapter did not complete.
    public func summary(_ report: ChapterReport) -> String {
        if report.status == .error && report.outcomes.isEmpty { return style.red("\(report.chapterID): error") }
        let text = "\(report.chapterID): \(report.tally.summary)"
        switch report.status {
        case .passed: return style.green(text)
        case .failed: return style.red(text)
        case .error: return style.red(text + " (error)")
        }
    }

    /// The closing line over several chapters: `lessons: 3 chapters, 12 passed, 1 failed, 1 error`.
    public func total(_ reports: [ChapterReport]) -> String {
        let tally = reports.map(\.tally).reduce(OutcomeTally(), +)
        let errors = reports.filter { $0.status == .error }.count
        let chapters = Set(reports.map(\.chapterID)).count
        // With `--repeat` the same chapter runs several times.
        let runs = reports.count > chapters ? " (\(reports.count) runs)" : ""
        let text = "lessons: \(chapters) chapter\(chapters == 1 ? "" : "s")\(runs), \(tally.summary)"
            + (errors > 0 ? ", \(errors) error\(errors == 1 ? "" : "s")" : "")
        return ExitStatus.of(reports) == ExitStatus.passed ? style.green(text) : style.red(text)
    }

    private func heading(_ report: ChapterReport) -> String {
        let title = report.title.map { ": " + $0 } ?? ""
        // Settings only mean something for a chapter that ran.
        guard report.result != nil else { return style.bold(report.chapterID + title) }
        var details: [String] = []
        if let profile = report.profile { details.append("profile \(profile)") }
        details.append("seed \(report.seed)")
        if !report.parameters.isEmpty {
            details.append(report.parameters.keys.sorted().map { "\($0)=\(report.parameters[$0]!)" }
                .joined(separator: " "))
        }
        return style.bold(report.chapterID + title) + " " + style.dim("(" + details.joined(separator: ", ") + ")")
    }

    /// A cell's standard output, indented and dimmed under its status line.
    private func outputLines(_ text: String) -> [String] {
        let trimmed = text.trimmingCharacters(in: .newlines)
        guard !trimmed.isEmpty else { return [] }
        return trimmed.split(separator: "\n", omittingEmptySubsequences: false).map { "      " + style.dim("│ " + $0) }
    }

    private func cellLine(_ cell: CellResult, width: Int) -> String {
        let name = padded(cell.id, to: width)
        switch cell.status {
        case .passed: return style.green("✓") + " \(name)  " + seconds(cell.seconds, width: 9)
        case .failed: return style.red("✗") + " \(name)  " + seconds(cell.seconds, width: 9) + "  " + style.red("failed")
        case .notRun: return style.dim("–") + " \(name)  " + style.dim("not run")
        case .skipped: return style.dim("–") + " \(name)  " + style.dim("skipped")
        }
    }

    private func checkLines(_ outcome: CheckOutcome, _ titleWidth: Int) -> [String] {
        let mark: String
        switch outcome.verdict {
        case .passed: mark = style.green("✓")
        case .failed: mark = style.red("✗")
        case .reported: mark = style.dim("·")
        }
        var line = "      \(mark) " + padded(outcome.title, to: titleWidth)
        var showMessage = outcome.message != nil
        if outcome.kind == .metric {
            let measured = outcome.measured.map(formatFigure) ?? "—"
            line += "  " + String(repeating: " ", count: max(0, 9 - measured.count)) + measured
            if let range = outcome.range {
                let bounds = "[\(formatFigure(range.lowerBound)), \(formatFigure(range.upperBound))]"
                switch (outcome.verdict, outcome.measured) {
                case (.passed, _): line += "  in \(bounds)"
                case (_, nil): line += "  expected \(bounds)"
                default: line += "  " + style.red("not in \(bounds)")
                }
            } else {
                line += "  " + style.dim("not judged")
            }
            if let source = outcome.source { line += "  " + style.dim("source \(formatFigure(source))") }
            if let epoch = outcome.epoch, outcome.final == true { line += "  " + style.dim("(epoch \(epoch))") }
            // "measured, not in [a, b]" already says it all for a finite value out of range.
            if let value = outcome.measured, value.isFinite, outcome.range != nil { showMessage = false }
        }
        var lines = [line]
        if showMessage, let message = outcome.message {
            lines += message.split(separator: "\n", omittingEmptySubsequences: false)
                .map { "          " + ($0.isEmpty ? "" : style.dim(String($0))) }
        }
        return lines
    }

    private func seconds(_ value: Double, width: Int = 0) -> String {
        let text = String(format: "%.2f s", value)
        return String(repeating: " ", count: max(0, width - text.count)) + text
    }

    private func trimmingTrailingSpaces(_ line: String) -> String {
        var line = line
        while line.last == " " { line.removeLast() }
        return line
    }

    private func indentAfterFirstLine(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
            .map { $0.offset == 0 ? String($0.element) : "    " + $0.element }.joined(separator: "\n")
    }
}

/// `text` followed by spaces up to `width` characters; longer text is left whole.
func padded(_ text: String, to width: Int) -> String {
    text + String(repeating: " ", count: max(0, width - text.count))
}
