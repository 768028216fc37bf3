import ChapterRuntime
import Foundation

/// Shows training progress from the program's `progress` events while a chapter runs.
///
/// On a terminal it keeps one line per training cell, redrawn in place:
/// `  train  [██████░░░░░░░░░░]  12/40  perplexity 150.3  ETA 0:34`.
/// In a log (no terminal, or `CI=true`) it writes a plain line each time another tenth of the
/// epochs is done, so a CI log shows the run is alive without thousands of lines.
public final class ProgressDisplay: @unchecked Sendable {
    public enum Mode: Equatable, Sendable { case live, plain, off }

    private let mode: Mode
    private let style: TerminalStyle
    private let write: (String) -> Void
    private let now: () -> Double
    private let lock = NSLock()

    /// When each cell started (its `cell` event or first progress), for the ETA.
    private var cellStart: [String: (time: Double, epoch: Int)] = [:]
    /// The cell whose live line is on screen, unfinished.
    private var liveCell: String?
    private var lastDraw = -Double.infinity
    /// The last tenth of the epochs reported in plain mode, per cell.
    private var lastTenth: [String: Int] = [:]

    public init(mode: Mode, style: TerminalStyle = .plain, write: @escaping (String) -> Void,
                now: @escaping () -> Double = { Date().timeIntervalSinceReferenceDate }) {
        self.mode = mode; self.style = style; self.write = write; self.now = now
    }

    /// Live on a terminal that can redraw a line, plain lines otherwise: always plain under
    /// `CI=true` and on `TERM=dumb`, which cannot move the cursor.
    public static func mode(isTerminal: Bool,
                            environment: [String: String] = ProcessInfo.processInfo.environment) -> Mode {
        if environment["CI"] == "true" || environment["TERM"] == "dumb" { return .plain }
        return isTerminal ? .live : .plain
    }

    /// The mode for a file descriptor (2 for stderr) in this environment.
    public static func mode(fileDescriptor: Int32,
                            environment: [String: String] = ProcessInfo.processInfo.environment) -> Mode {
        mode(isTerminal: Notebook.isTerminal(fileDescriptor), environment: environment)
    }

    /// Feeds one event from the running program. Safe to call from any thread.
    public func handle(_ event: Event) {
        guard mode != .off else { return }
        lock.lock(); defer { lock.unlock() }
        switch event.kind {
        case .cell:
            endLiveLine()
            if let cell = event.cell {
                cellStart[cell] = (now(), 0)
                lastTenth[cell] = nil
            }
        case .progress:
            guard let epoch = event.epoch, let total = event.of, total > 0 else { return }
            progress(cell: event.cell ?? "?", epoch: epoch, total: total, name: event.name, value: event.value)
        case .end, .abort:
            endLiveLine()
            // The next run (e.g. `--repeat`) starts its cells afresh.
            cellStart.removeAll()
            lastTenth.removeAll()
        case .metric:
            break
        }
    }

    /// Ends an unfinished live line; call when the run is over, before printing the report.
    public func finish() {
        lock.lock(); defer { lock.unlock() }
        endLiveLine()
    }

    private func progress(cell: String, epoch: Int, total: Int, name: String?, value: Double?) {
        let time = now()
        if cellStart[cell] == nil { cellStart[cell] = (time, epoch) }
        let figure = name.map { name in " \(name) " + (value.map(formatFigure) ?? "?") } ?? ""
        let eta = estimate(cell: cell, epoch: epoch, total: total, time: time)
        switch mode {
        case .live:
            if liveCell != cell {
                endLiveLine()
                liveCell = cell
                lastDraw = -.infinity
            }
            // Redrawing more than ~10 times a second only costs time. The line stays open until
            // the cell ends, so a cell that reports "epoch 1 of 1" for every batch redraws one
            // line instead of printing one per batch.
            guard epoch >= total || time - lastDraw >= 0.1 else { return }
            lastDraw = time
            let line = "  \(cell)  \(bar(epoch, of: total))  \(epoch)/\(total) \(figure)"
                + (eta.map { "  ETA " + $0 } ?? "")
            write("\r\u{1B}[2K" + line)
        case .plain:
            let tenth = min(10, epoch * 10 / total)
            guard tenth > (lastTenth[cell] ?? 0) else { return }
            lastTenth[cell] = tenth
            write("  \(cell): epoch \(epoch)/\(total),\(figure)" + (eta.map { ", ETA " + $0 } ?? "") + "\n")
        case .off:
            break
        }
    }

    /// Time left, from the average time per epoch so far; nil before there is an average.
    private func estimate(cell: String, epoch: Int, total: Int, time: Double) -> String? {
        guard let start = cellStart[cell], epoch > start.epoch, epoch < total else { return nil }
        let perEpoch = (time - start.time) / Double(epoch - start.epoch)
        return clock(perEpoch * Double(total - epoch))
    }

    private func bar(_ epoch: Int, of total: Int, width: Int = 20) -> String {
        let filled = min(width, max(0, epoch * width / total))
        return "[" + style.green(String(repeating: "█", count: filled))
            + String(repeating: "░", count: width - filled) + "]"
    }

    private func endLiveLine() {
        guard liveCell != nil else { return }
        write("\n")
        liveCell = nil
    }
}

/// `0:34`, `12:05`, `1:02:09`.
func clock(_ seconds: Double) -> String {
    let total = Int(seconds.rounded())
    let (hours, minutes, secs) = (total / 3600, total / 60 % 60, total % 60)
    let tail = String(format: "%02d", secs)
    return hours > 0 ? String(format: "%d:%02d:", hours, minutes) + tail : "\(minutes):" + tail
}
