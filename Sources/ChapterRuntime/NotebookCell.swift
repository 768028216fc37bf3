import Foundation

/// Cell boundaries in a chapter program. The tangler emits `NotebookCell.begin(index:id:)`
/// before each cell and `NotebookCell.end()` after the last, so the runner knows which cell
/// is running (for timeouts, crashes, metrics) without parsing the program's output.
///
/// Under the runner each cell's stdout and stderr go to their own files,
/// `<dir>/<index>.out` and `<dir>/<index>.err`: the descriptors themselves are pointed there,
/// so `print`, `FileHandle.standardError` and C libraries are all captured, and what a cell
/// wrote is on disk even if the program then traps.
public enum NotebookCell {
    nonisolated(unsafe) static var settings = RunnerSettings(environment: [:])
    nonisolated(unsafe) private static var firstBegin: UInt64?

    public static func begin(index: Int, id: String) {
        flush()
        if let dir = settings.outputDirectory {
            redirect(STDOUT_FILENO, to: dir + "/\(index).out")
            redirect(STDERR_FILENO, to: dir + "/\(index).err")
        }
        if firstBegin == nil { firstBegin = DispatchTime.now().uptimeNanoseconds }
        Report.currentCell = id
        Report.send(Event(.cell, cell: id, index: index, value: elapsed()))
    }

    public static func end() {
        flush()
        Report.send(Event(.end, value: elapsed()))
        Report.currentCell = nil
    }

    private static func flush() {
        fflush(stdout)
        fflush(stderr)
    }

    /// Seconds since the first cell began, on the monotonic clock.
    private static func elapsed() -> Double {
        guard let firstBegin else { return 0 }
        return Double(DispatchTime.now().uptimeNanoseconds - firstBegin) / 1e9
    }

    /// Points `descriptor` at a fresh file; on failure the output stays where it was.
    private static func redirect(_ descriptor: Int32, to path: String) {
        let file = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard file >= 0 else { return }
        dup2(file, descriptor)
        close(file)
    }
}
