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
    /// `--report-only`: a run that judged nothing is what was asked for, not a failure.
    public var acceptsUnjudged: Bool
    /// Lines of a cell's output shown at most (its first and last ones); the rest is in `--json`.
    public static let shownOutputLines = 60

    public init(style: TerminalStyle = .plain, showsOutput: Bool = false, acceptsUnjudged: Bool = false) {
        self.style = style
        self.showsOutput = showsOutput
        self.acceptsUnjudged = acceptsUnjudged
    }

    /// The whole report as one text: `body`, `failure` and `summary`. A command prints the
    /// failure on stderr instead (errors go to stderr); tests read it whole.
    public func render(_ report: ChapterReport) -> String {
        body(report) + (failure(report) ?? "") + summary(report) + "\n"
    }

    /// The heading, each cell with its status and time, each check under its cell.
    public func body(_ report: ChapterReport) -> String {
        var lines = [heading(report)]
        if let reason = report.unjudgedReason { lines.append("  " + style.yellow("note: " + reason)) }
        let judged = report.outcomes.filter { $0.verdict != .unjudged }
        // Align the measured figures; output checks (often long regexes) have none to align.
        let titleWidth = judged.filter { $0.kind == .metric }.map(\.title.count).max() ?? 0
        let cells = report.result?.cells ?? []
        let cellWidth = cells.filter { $0.status != .notRun }.map(\.id.count).max() ?? 0
        var index = 0
        while index < cells.count {
            let cell = cells[index]
            if cell.status == .notRun {
                // Cells after a stop, on one line rather than one each.
                let notRun = cells[index...].prefix { $0.status == .notRun }.map(\.id)
                lines.append("  " + style.dim("– " + (notRun.count == 1 ? "\(notRun[0])  not run"
                                                      : "\(notRun.count) cells not run: " + notRun.joined(separator: ", "))))
                index += notRun.count
                continue
            }
            lines.append("  " + cellLine(cell, width: cellWidth))
            if showsOutput { lines += outputLines(cell.stdout) }
            lines += judged.filter { $0.cell == cell.id }.flatMap { checkLines($0, titleWidth) }
            index += 1
        }
        // Checks of cells the run does not list (or of a chapter that never ran).
        let listed = Set(cells.map(\.id))
        var shown = Set<String>()
        for outcome in judged where !listed.contains(outcome.cell) {
            if shown.insert(outcome.cell).inserted {
                lines.append("  " + style.red("✗") + " " + outcome.cell + "  " + style.dim("never ran"))
            }
            lines += checkLines(outcome, titleWidth)
        }
        let unjudged = report.outcomes.count - judged.count
        if unjudged > 0 {
            let why = report.failure.map { stopReason($0) } ?? "the run did not complete"
            lines.append("  " + style.yellow("\(unjudged) check\(unjudged == 1 ? "" : "s") not judged: \(why)"))
        }
        if let result = report.result, result.compileSeconds > 0 {
            lines.append("  " + style.dim("compiled in \(seconds(result.compileSeconds))"))
        }
        return lines.map(trimmingTrailingSpaces).joined(separator: "\n") + "\n"
    }

    /// What kept the chapter from completing, for stderr: `error: cell 'data' threw:` and the
    /// details, indented; nil when it completed.
    public func failure(_ report: ChapterReport) -> String? {
        guard let failure = report.failure else { return nil }
        let location = failure.location.map { " (\($0))" } ?? ""
        return style.red("error: ") + failure.headline + location + ":\n"
            + failure.message.split(separator: "\n", omittingEmptySubsequences: false).map { "    " + $0 }.joined(separator: "\n")
            + "\n"
    }

    /// `12-gru: 5 passed, 1 failed`, plus ` (error)` when the chapter did not complete, and a
    /// run that judged nothing says so.
    public func summary(_ report: ChapterReport) -> String {
        let text = "\(report.chapterID): \(report.tally.summary)"
        switch report.status {
        case .passed: return style.green(text)
        case .failed: return style.red(text)
        case .error:
            return style.red(report.outcomes.isEmpty ? "\(report.chapterID): error" : text + " (error)")
        case .unjudged:
            let why = report.unjudgedReason ?? "no check applies to this run"
            let line = "\(report.chapterID): nothing judged: \(why)"
                + (acceptsUnjudged ? "" : " (pass --report-only to accept a run that judges nothing)")
            return acceptsUnjudged ? style.yellow(line) : style.red(line)
        }
    }

    /// The closing line over several chapters: `lessons: 3 chapters, 12 passed, 1 failed, 1 error`.
    public func total(_ reports: [ChapterReport]) -> String {
        let tally = reports.map(\.tally).reduce(OutcomeTally(), +)
        let errors = reports.filter { $0.status == .error }.count
        let unjudged = reports.filter { $0.status == .unjudged }.count
        let chapters = Set(reports.map(\.chapterID)).count
        // With `--repeat` the same chapter runs several times.
        let runs = reports.count > chapters ? " (\(reports.count) runs)" : ""
        let text = "lessons: \(chapters) chapter\(chapters == 1 ? "" : "s")\(runs), \(tally.summary)"
            + (errors > 0 ? ", \(errors) error\(errors == 1 ? "" : "s")" : "")
            + (unjudged > 0 ? ", \(unjudged) judged nothing" : "")
        return ExitStatus.of(reports, acceptUnjudged: acceptsUnjudged) == ExitStatus.passed ? style.green(text) : style.red(text)
    }

    /// `the run stopped in cell data (uncaught error)`.
    private func stopReason(_ failure: ChapterFailure) -> String {
        "the run stopped" + (failure.cell.map { " in cell \($0)" } ?? "") + " (\(failure.kind.words))"
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
        var lines = trimmed.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let limit = Self.shownOutputLines
        if lines.count > limit {
            let left = lines.count - limit
            lines = lines.prefix(limit - 10) + ["… \(left) more lines (the kept output is in --json) …"] + lines.suffix(10)
        }
        return lines.map { "      " + style.dim("│ " + $0) }
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
        case .unjudged: mark = style.dim("–")
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
}

/// `text` followed by spaces up to `width` characters; longer text is left whole.
func padded(_ text: String, to width: Int) -> String {
    text + String(repeating: " ", count: max(0, width - text.count))
}
