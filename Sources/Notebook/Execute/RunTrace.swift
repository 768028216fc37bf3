import Engine
import Foundation

/// What the runner learned about a run from its events, and how that becomes a
/// `RunResult`: which cells started, when, what they measured, and why the run stopped.
struct RunTrace {
    struct Start {
        var cell: Cell
        /// When the runner saw the `cell` event (monotonic seconds).
        var observed: Double
        /// When the program says the cell began (the event's `value`), more exact.
        var programTime: Double?
    }

    let chapter: Chapter
    /// When the program was launched, and when it was seen to exit (monotonic seconds).
    let started: Double
    var finished: Double = 0
    var starts: [Start] = []
    var ended = false
    var endProgramTime: Double?
    var metrics: [String: [Metric]] = [:]
    var abort: Event?

    init(chapter: Chapter, started: Double) { self.chapter = chapter; self.started = started }

    /// Monotonic seconds, the clock of `started`, `finished` and `Start.observed`.
    static func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }

    /// The cell running now: the last one begun, until `end`.
    var current: Start? { ended ? nil : starts.last }

    mutating func record(_ event: Event, at time: Double) {
        switch event.event {
        case "cell":
            let cell = chapter.cells.first { $0.id == event.cell }
                ?? event.index.flatMap { index in chapter.cells.first { $0.index == index } }
            if let cell { starts.append(Start(cell: cell, observed: time, programTime: event.value)) }
        case "metric":
            guard let name = event.name, let value = event.value,
                  let id = event.cell ?? starts.last?.cell.id else { return }
            metrics[id, default: []].append(Metric(name: name, epoch: event.epoch, value: value))
        case "abort":
            abort = event
        case "end":
            ended = true
            endProgramTime = event.value
        default:
            break
        }
    }

    /// A timeout failure if the chapter or the current cell has run too long.
    func timeoutExceeded(chapterLimit: Double, at time: Double) -> RunFailure? {
        if time - started > chapterLimit {
            let cell = current.map { " (in cell '\($0.cell.id)')" } ?? ""
            return RunFailure(kind: .timeout, cell: current?.cell.id,
                              message: "the chapter did not finish within \(seconds(chapterLimit))\(cell); it was stopped")
        }
        if let current, let limit = current.cell.attributes.timeout, time - current.observed > limit {
            return RunFailure(kind: .timeout, cell: current.cell.id,
                              message: "cell '\(current.cell.id)' (line \(current.cell.line)) did not finish within its timeout=\(seconds(limit)); it was stopped")
        }
        return nil
    }

    /// Why the run failed, if it did: an `abort` event, a signal, a non-zero status, an exit
    /// before `end`, or (for an otherwise clean run) a metric that is NaN or infinite.
    func failure(exit: ProgramExit, output: URL, markdownPath: String) -> RunFailure? {
        let cell = current?.cell
        let place = cell.map { " in cell '\($0.id)'" } ?? " before the first cell"
        if let abort {
            let id = abort.cell ?? cell?.id
            let message = abort.message ?? "the program aborted"
            let nonFinite = message.range(of: #"\b(nan|inf|infinite|infinity|non-?finite|not finite|diverg\w*)\b"#,
                                          options: [.regularExpression, .caseInsensitive]) != nil
            return RunFailure(kind: nonFinite ? .nonFinite : .crash, cell: id,
                              message: "aborted\(id.map { " in cell '\($0)'" } ?? ""): \(message)")
        }
        let what: String
        switch exit {
        case .signal(let signal): what = "crashed with \(SignalName.describe(signal))\(place)"
        case .status(let status) where status != 0: what = "exited with status \(status)\(place)"
        case .status: what = ended ? "" : "exited\(place) before the last cell finished"
        }
        if !what.isEmpty {
            let (stdout, stderr) = capturedOutput(of: cell, in: output)
            return RunFailure(kind: .crash, cell: cell?.id,
                              message: Self.crashReport(what, stdout: stdout, stderr: stderr, markdownPath: markdownPath))
        }
        for start in starts {
            if let bad = metrics[start.cell.id]?.first(where: { !$0.value.isFinite }) {
                return RunFailure(kind: .nonFinite, cell: start.cell.id,
                                  message: "metric '\(bad.name)'\(bad.epoch.map { " at epoch \($0)" } ?? "") is \(bad.value) in cell '\(start.cell.id)'")
            }
        }
        return nil
    }

    /// One result per chapter cell, in order: `norun` cells are `skipped`, cells begun are
    /// `passed` (or `failed` if the failure names them), the rest `notRun`.
    func cellResults(failure: RunFailure?, output: URL) -> [CellResult] {
        chapter.cells.map { cell in
            guard let i = starts.firstIndex(where: { $0.cell.id == cell.id }) else { return CellResult.unstarted(cell) }
            let (stdout, stderr) = capturedOutput(of: cell, in: output)
            return CellResult(id: cell.id, status: failure?.cell == cell.id ? .failed : .passed,
                              seconds: duration(of: i), stdout: stdout, stderr: stderr, metrics: metrics[cell.id] ?? [])
        }
    }

    /// From this cell's start to the next one's (or `end`), by the program's clock when it
    /// sent one, else by when the runner saw the events.
    private func duration(of i: Int) -> Double {
        let start = starts[i]
        let (from, to): (Double?, Double?)
        if i + 1 < starts.count {
            (from, to) = (start.programTime, starts[i + 1].programTime)
            if let from, let to { return max(0, to - from) }
            return max(0, starts[i + 1].observed - start.observed)
        }
        (from, to) = (start.programTime, endProgramTime)
        if ended, let from, let to { return max(0, to - from) }
        return max(0, finished - start.observed)
    }

    private func capturedOutput(of cell: Cell?, in output: URL) -> (String, String) {
        let stem = cell.map { String($0.index) } ?? "pre"
        func read(_ name: String) -> String {
            (try? String(contentsOf: output.appendingPathComponent(name), encoding: .utf8)) ?? ""
        }
        return (read(stem + ".out"), read(stem + ".err"))
    }

    /// `what`, the `.md` line the backtrace points at, and the cell's last output lines
    /// (stderr without the backtrace itself).
    static func crashReport(_ what: String, stdout: String, stderr: String, markdownPath: String) -> String {
        var report = what
        // The Swift backtracer prints frames like `3 main + 581 in program at Chapters/x.md:13:19`.
        for line in stderr.split(separator: "\n") {
            if let range = line.range(of: " at " + markdownPath + ":") {
                report += " " + line[range.lowerBound...].trimmingCharacters(in: .whitespaces)
                break
            }
        }
        let backtraceStart = stderr.range(of: "*** Signal")?.lowerBound ?? stderr.range(of: "💣")?.lowerBound
        let ownStderr = stderr[..<(backtraceStart ?? stderr.endIndex)].split(separator: "\n", omittingEmptySubsequences: false)
            .filter { !$0.hasPrefix("swift-runtime: ") }.joined(separator: "\n")
        for (name, text) in [("stderr", ownStderr), ("stdout", stdout)] {
            let lines = lastLines(text, 10)
            if !lines.isEmpty {
                report += "\nlast lines of \(name):\n" + lines.map { "  " + $0 }.joined(separator: "\n")
            }
        }
        return report
    }

    /// The last `count` non-blank-tailed lines of `text`.
    static func lastLines(_ text: String, _ count: Int) -> [String] {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        while let last = lines.last, last.trimmingCharacters(in: .whitespaces).isEmpty { lines.removeLast() }
        return Array(lines.suffix(count))
    }
}

/// `1.0` → `1 s`, `0.5` → `0.5 s`.
private func seconds(_ value: Double) -> String {
    value == value.rounded() && abs(value) < 1e15 ? "\(Int(value)) s" : "\(value) s"
}
