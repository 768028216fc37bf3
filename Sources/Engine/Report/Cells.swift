import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Cell boundaries in a chapter program. The tangler (Notebook) emits
/// `NotebookCell.begin(index:id:)` before each cell and `NotebookCell.end()` after the last,
/// so the runner knows which cell is running (for timeouts, crashes, metrics) without
/// parsing the program's output.
///
/// Under the runner (`LESSONS_OUTPUT_DIR` set) each cell's stdout and stderr go to their own
/// files, `<dir>/<index>.out` and `<dir>/<index>.err`: the descriptors themselves are
/// pointed there, so `print`, `FileHandle.standardError` and C libraries are all captured,
/// and what a cell wrote is on disk even if the program then traps.
///
/// The `cell` and `end` events carry in `value` the seconds since the first cell began
/// (monotonic clock), so the runner can time cells exactly however often it polls.
public enum NotebookCell {
    nonisolated(unsafe) private static var firstBegin: UInt64?

    public static func begin(index: Int, id: String) {
        flush()
        if let dir = ProcessInfo.processInfo.environment["LESSONS_OUTPUT_DIR"] {
            if firstBegin == nil {
                // Line buffering: a trap loses at most the unfinished line, not a 4 KB block.
                setvbuf(stdout, nil, _IOLBF, 0)
            }
            redirect(STDOUT_FILENO, to: dir + "/\(index).out")
            redirect(STDERR_FILENO, to: dir + "/\(index).err")
        }
        if firstBegin == nil {
            firstBegin = DispatchTime.now().uptimeNanoseconds
            watchRunner()
        }
        Report.currentCell = id
        Report.send(Event(event: "cell", cell: id, index: index, value: elapsed()))
    }

    public static func end() {
        flush()
        Report.send(Event(event: "end", value: elapsed()))
        Report.currentCell = nil
    }

    private static func flush() {
        fflush(stdout)
        fflush(stderr)
    }

    private static func elapsed() -> Double {
        guard let firstBegin else { return 0 }
        return Double(DispatchTime.now().uptimeNanoseconds - firstBegin) / 1e9
    }

    /// The runner starts the program in its own process group, so a Ctrl-C that kills
    /// `lessons` does not reach the program. Rather than train on as an orphan, it exits
    /// when its parent is no longer the runner named by `LESSONS_RUNNER_PID`.
    private static func watchRunner() {
        guard let text = ProcessInfo.processInfo.environment["LESSONS_RUNNER_PID"], let runner = pid_t(text) else { return }
        let watcher = Thread {
            while getppid() == runner { Thread.sleep(forTimeInterval: 0.5) }
            _exit(129)
        }
        watcher.start()
    }

    /// Points `descriptor` at a fresh file; on failure the output stays where it was.
    private static func redirect(_ descriptor: Int32, to path: String) {
        let file = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard file >= 0 else { return }
        dup2(file, descriptor)
        close(file)
    }
}
