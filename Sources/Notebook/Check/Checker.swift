import Foundation

/// Judges a run against a profile's checks. Every check gets an outcome, whatever happened to
/// the run: a crash in cell 3 fails the checks of cells 3 and later and still judges cells 1–2,
/// so one report shows everything that is wrong ("run everything, then fail once").
///
/// - Parameter profile: the profile chosen by `ProfileSelection`; nil for a run no profile fits,
///   in which case every metric's last value in every cell is reported without a verdict.
public func check(_ result: RunResult, against profile: Profile?) -> [CheckOutcome] {
    guard let profile else { return reportedFigures(of: result) }
    var outcomes: [CheckOutcome] = []
    for cell in orderedCells(of: profile, in: result) {
        let cellResult = result.cells.first { $0.id == cell }
        let problem = incompleteReason(cell: cell, cellResult, failure: result.failure)
        for check in profile.cells[cell] ?? [] {
            outcomes.append(judge(check, cell: cell, cellResult, incomplete: problem))
        }
    }
    return outcomes
}

/// Judges a run against the named profile of an Expected file (`full` unless told otherwise).
/// Throws `SelectionError` when the file has no such profile.
public func check(_ result: RunResult, against expectations: Expectations,
                  profile name: String = Expectations.defaultProfile) throws -> [CheckOutcome] {
    guard let profile = expectations.profiles[name] else {
        throw SelectionError(message: "\(displayPath(expectations.file)) has no profile \"\(name)\" "
                             + "(profiles: \(expectations.profileNames.joined(separator: ", ")))")
    }
    return check(result, against: profile)
}

/// The cells a profile names, in the order the run produced them; cells the run never
/// mentions come last, alphabetically.
private func orderedCells(of profile: Profile, in result: RunResult) -> [String] {
    let ran = result.cells.map(\.id).filter { profile.cells[$0] != nil }
    let missing = profile.cells.keys.filter { !ran.contains($0) }.sorted()
    return ran + missing
}

/// Why a cell's checks cannot all be judged — the run stopped in or before it — or nil when
/// the cell completed.
private func incompleteReason(cell: String, _ cellResult: CellResult?, failure: ChapterFailure?) -> String? {
    let stop = failure.map { failure in
        "the run stopped" + (failure.cell.map { " in cell \($0)" } ?? "") + " (\(failure.kind.words))"
    }
    guard let cellResult else { return "cell \(cell) never ran" + (stop.map { ": " + $0 } ?? "") }
    switch cellResult.status {
    case .passed: return nil
    case .failed, .notRun: return stop ?? "cell \(cell) did not complete"
    case .skipped: return "cell \(cell) was skipped"
    }
}

private func judge(_ check: Check, cell: String, _ cellResult: CellResult?, incomplete: String?) -> CheckOutcome {
    switch check {
    case .metric(let metric):
        return judgeMetric(metric, cell: cell, cellResult, incomplete: incomplete)
    case .output(let text):
        var outcome = CheckOutcome(cell: cell, kind: .output, title: check.title, verdict: .failed, expected: text)
        if let incomplete { return notJudged(outcome, incomplete) }
        let actual = cellResult?.stdout ?? ""
        if trimmingTrailingNewlines(actual) == trimmingTrailingNewlines(text) {
            outcome.verdict = .passed
        } else {
            outcome.message = "cell \(cell) printed:\n" + excerpt(actual) + "\nexpected:\n" + excerpt(text)
        }
        return outcome
    case .matches(let pattern):
        var outcome = CheckOutcome(cell: cell, kind: .matches, title: check.title, verdict: .failed, expected: pattern)
        if let incomplete { return notJudged(outcome, incomplete) }
        let actual = cellResult?.stdout ?? ""
        if outputMatches(actual, pattern: pattern) {
            outcome.verdict = .passed
        } else {
            outcome.message = "no match in the output of cell \(cell):\n" + excerpt(actual)
        }
        return outcome
    }
}

/// A check the run never got to: neither passed nor failed, with the reason.
private func notJudged(_ outcome: CheckOutcome, _ reason: String) -> CheckOutcome {
    var outcome = outcome
    outcome.verdict = .unjudged
    outcome.message = reason
    return outcome
}

/// A figure the cell reported before the run stopped is judged as usual (a perplexity at
/// epoch 40 reported before a crash at epoch 41 is a real figure); a figure it never got to,
/// and the `final` value of a cell that did not finish, are not judged.
private func judgeMetric(_ metric: MetricCheck, cell: String, _ cellResult: CellResult?,
                         incomplete: String?) -> CheckOutcome {
    var outcome = CheckOutcome(cell: cell, kind: .metric, title: metric.title, verdict: .failed,
                               metric: metric.name, source: metric.source)
    switch metric.at {
    case .epoch(let epoch): outcome.epoch = epoch
    case .final: outcome.final = true
    }
    outcome.min = metric.range?.lowerBound
    outcome.max = metric.range?.upperBound

    let found = cellResult.flatMap { reported(metric, in: $0) }
    outcome.measured = found?.value
    if metric.at == .final { outcome.epoch = found?.epoch }
    if let incomplete, found == nil || metric.at == .final {
        return notJudged(outcome, incomplete)
    }

    guard let range = metric.range else {
        outcome.verdict = .reported
        if found == nil { outcome.message = "cell \(cell) never reported \(whatWasAsked(metric))" }
        return outcome
    }
    if let value = found?.value {
        if !value.isFinite {
            outcome.message = "\(metric.title) is \(formatFigure(value)): training diverged"
        } else if range.contains(value) {
            outcome.verdict = .passed
        } else {
            outcome.message = "\(metric.title) is \(formatFigure(value)), outside "
                + "[\(formatFigure(range.lowerBound)), \(formatFigure(range.upperBound))]"
        }
    } else {
        outcome.message = "cell \(cell) never reported \(whatWasAsked(metric))"
    }
    return outcome
}

/// The report a metric check looks at: the last one of that name (at that epoch).
private func reported(_ metric: MetricCheck, in cell: CellResult) -> Metric? {
    cell.metrics.last { candidate in
        guard candidate.name == metric.name else { return false }
        if case .epoch(let epoch) = metric.at { return candidate.epoch == epoch }
        return true
    }
}

private func whatWasAsked(_ metric: MetricCheck) -> String {
    switch metric.at {
    case .epoch(let epoch): return "\(metric.name) at epoch \(epoch)"
    case .final: return metric.name
    }
}

/// Every metric's last value in every cell, unjudged: what a run with no fitting profile shows.
private func reportedFigures(of result: RunResult) -> [CheckOutcome] {
    var outcomes: [CheckOutcome] = []
    for cell in result.cells {
        var names: [String] = []
        for metric in cell.metrics where !names.contains(metric.name) { names.append(metric.name) }
        for name in names {
            guard let last = cell.metrics.last(where: { $0.name == name }) else { continue }
            outcomes.append(CheckOutcome(cell: cell.id, kind: .metric, title: "final \(name)", verdict: .reported,
                                         metric: name, epoch: last.epoch, final: true, measured: last.value))
        }
    }
    return outcomes
}

/// Whether `pattern` matches somewhere in `text`; `^` and `$` match at line breaks, so a
/// pattern can pin down one printed line among many.
func outputMatches(_ text: String, pattern: String) -> Bool {
    guard let regex = try? NSRegularExpression(pattern: pattern, options: [.anchorsMatchLines]) else { return false }
    return regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
}

/// `print` ends every line with a newline, which an Expected file should not have to spell.
func trimmingTrailingNewlines(_ text: String) -> Substring {
    var end = text.endIndex
    while end > text.startIndex, text[text.index(before: end)].isNewline { end = text.index(before: end) }
    return text[..<end]
}

/// The last few lines of an output, indented, for a failure message.
func excerpt(_ text: String, lines count: Int = 8) -> String {
    let lines = trimmingTrailingNewlines(text).split(separator: "\n", omittingEmptySubsequences: false)
    if lines.count == 1 && lines[0].isEmpty { return "    (no output)" }
    var shown = lines.suffix(count).map { "    " + $0 }
    if lines.count > count { shown.insert("    …", at: 0) }
    return shown.joined(separator: "\n")
}
