import ChapterRuntime
import Foundation

/// What the runner learned about a run from its events, and how that becomes a `RunResult`:
/// which cells started, when, what they measured, and why the run stopped.
///
/// The trace also holds the program to the runner protocol: cells begin in the order the
/// tangler wrote them, a metric belongs to the cell that is running, `end` comes after the last
/// cell and nothing comes after `end`. A program that breaks it (a cell announcing a later
/// cell, an `end` sent early so that later cells silently never run, an `atexit` handler
/// reporting after the end) fails with `.protocolViolation`.
struct RunTrace {
    struct Start {
        var cell: Cell
        /// When the runner saw the `cell` event (monotonic seconds).
        var observed: Double
        /// When the program says the cell began (the event's `value`), more exact.
        var programTime: Double?
    }

    /// Events a run may send; a program sending more is stopped (`.limit`).
    static let maximumEvents = 500_000

    let chapter: Chapter
    /// When the program was launched, and when it was seen to exit (monotonic seconds).
    let started: Double
    var finished: Double = 0
    var starts: [Start] = []
    var ended = false
    var endProgramTime: Double?
    var metrics: [String: [Metric]] = [:]
    var abort: Event?
    var eventCount = 0
    /// The first way the program broke the runner protocol, if it did.
    var violation: String?

    init(chapter: Chapter, started: Double) { self.chapter = chapter; self.started = started }

    /// Monotonic seconds, the clock of `started`, `finished` and `Start.observed`.
    static func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }

    /// The cell running now: the last one begun, until `end`.
    var current: Start? { ended ? nil : starts.last }

    /// The runnable cell that should begin next.
    private var nextCell: Cell? {
        let runnable = chapter.runnableCells
        return starts.count < runnable.count ? runnable[starts.count] : nil
    }

    mutating func record(_ event: Event, at time: Double) {
        eventCount += 1
        if ended {
            breaks("the program sent a \(event.kind.rawValue) event after its last cell finished")
            return
        }
        switch event.kind {
        case .cell:
            guard let expected = nextCell, event.index == expected.index, event.cell == expected.id else {
                let claimed = event.cell.map { "'\($0)'" } ?? "#\(event.index ?? -1)"
                breaks("cell \(claimed) was announced " + (nextCell.map { "while cell '\($0.id)' was due" } ?? "after the last cell"))
                return
            }
            starts.append(Start(cell: expected, observed: time, programTime: event.value))
        case .metric:
            guard let current, let name = event.name, let value = event.value else { return }
            if let claimed = event.cell, claimed != current.cell.id {
                breaks("cell '\(current.cell.id)' reported a metric as cell '\(claimed)'")
                return
            }
            metrics[current.cell.id, default: []].append(Metric(name: name, epoch: event.epoch, value: value))
        case .abort:
            if abort == nil { abort = event }
        case .end:
            if let missing = nextCell {
                breaks("the program said it had finished before cell '\(missing.id)' began")
                return
            }
            ended = true
            endProgramTime = event.value
        case .progress:
            break
        }
    }

    private mutating func breaks(_ what: String) {
        if violation == nil { violation = what }
    }

    /// A failure if the chapter or the current cell has run too long, or the program sent too many events.
    func limitExceeded(chapterLimit: Double, at time: Double) -> ChapterFailure? {
        let cell = current?.cell
        if eventCount > Self.maximumEvents {
            return ChapterFailure(kind: .limit, cell: cell?.id, file: nil, line: cell?.line,
                                  message: "the program sent more than \(Self.maximumEvents) events"
                                    + (cell.map { " (in cell '\($0.id)')" } ?? "") + "; it was stopped")
        }
        if time - started > chapterLimit {
            return ChapterFailure(kind: .timeout, cell: cell?.id, line: cell?.line,
                                  message: "the chapter did not finish within \(seconds(chapterLimit))"
                                    + (cell.map { " (it was in cell '\($0.id)')" } ?? "") + "; it was stopped")
        }
        if let current, let limit = current.cell.attributes.timeout, time - current.observed > limit {
            return ChapterFailure(kind: .timeout, cell: current.cell.id, line: current.cell.line,
                                  message: "cell '\(current.cell.id)' (line \(current.cell.line)) did not finish within its timeout=\(seconds(limit)); it was stopped")
        }
        return nil
    }

    /// Why the run failed, if it did: an `abort` event, an uncaught error, a signal, a non-zero
    /// status, a broken protocol, an exit before `end`, or (for an otherwise clean run) a metric
    /// that is NaN or infinite.
    func failure(exit: ProgramExit, output: URL, markdownPath: String) -> ChapterFailure? {
        let cell = current?.cell
        let (stdout, stderr) = capturedOutput(of: cell, in: output)
        func failure(_ kind: ChapterFailure.Kind, _ message: String, cell id: String? = cell?.id,
                     line: Int? = cell?.line) -> ChapterFailure {
            ChapterFailure(kind: kind, cell: id, file: markdownPath, line: line, message: message)
        }
        if let abort {
            let id = abort.cell ?? cell?.id
            let kind: ChapterFailure.Kind = abort.reason == .diverged ? .nonFinite : .crash
            return failure(kind, abort.message ?? "the program aborted", cell: id)
        }
        if let thrown = Self.uncaughtError(in: stderr) {
            return failure(.thrown, thrown)
        }
        let place = cell.map { " in cell '\($0.id)'" } ?? " before the first cell"
        let what: String
        switch exit {
        case .signal(let signal): what = "crashed with \(SignalName.describe(signal))\(place)"
        case .status(let status) where status != 0: what = "exited with status \(status)\(place)"
        case .status: what = ended || violation != nil ? "" : "exited\(place) before the last cell finished"
        }
        if !what.isEmpty {
            let (report, line) = Self.crashReport(what, stdout: stdout, stderr: stderr, markdownPath: markdownPath)
            return failure(.crash, report, line: line ?? cell?.line)
        }
        if let violation { return failure(.protocolViolation, violation + "; its results cannot be trusted") }
        for start in starts {
            if let bad = metrics[start.cell.id]?.first(where: { !$0.value.isFinite }) {
                return failure(.nonFinite, "metric '\(bad.name)'\(bad.epoch.map { " at epoch \($0)" } ?? "") is \(bad.value) in cell '\(start.cell.id)'",
                               cell: start.cell.id, line: start.cell.line)
            }
        }
        return nil
    }

    /// One result per chapter cell, in order: `norun` cells are `skipped`, cells begun are
    /// `passed` (or `failed` if the failure names them), the rest `notRun`.
    func cellResults(failure: ChapterFailure?, output: URL) -> [CellResult] {
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
        return (CapturedOutput.read(output.appendingPathComponent(stem + ".out")),
                CapturedOutput.read(output.appendingPathComponent(stem + ".err")))
    }

    /// The message of a Swift error thrown at the top level of a cell and never caught: the
    /// runtime prints `Fatal error: Error raised at top level: <description>` and traps.
    static func uncaughtError(in stderr: String) -> String? {
        guard let marker = stderr.range(of: "Fatal error: Error raised at top level: ") else { return nil }
        var message = stderr[marker.upperBound...]
        if let backtrace = message.range(of: "\n*** ") { message = message[..<backtrace.lowerBound] }
        // The runtime's own notes about the crash handling are not part of the error's message.
        return message.split(separator: "\n", omittingEmptySubsequences: false)
            .filter { !$0.hasPrefix("swift-runtime: ") }.joined(separator: "\n")
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// `what`, the `.md` line the backtrace points at, and the cell's last output lines
    /// (stderr without the backtrace itself); also that line as a number.
    static func crashReport(_ what: String, stdout: String, stderr: String, markdownPath: String) -> (String, Int?) {
        var report = what
        var line: Int?
        // The Swift backtracer prints frames like `3 main + 581 in program at Chapters/x.md:13:19`.
        for frame in stderr.split(separator: "\n") {
            if let range = frame.range(of: " at " + markdownPath + ":") {
                report += " " + frame[range.lowerBound...].trimmingCharacters(in: .whitespaces)
                line = Int(frame[range.upperBound...].prefix { $0.isNumber })
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
        return (report, line)
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
