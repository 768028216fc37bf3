import Foundation

/// Metrics and progress from chapter and training code. Outside the runner the events go to
/// observers only (e.g. a test collects them); under the runner they are also appended to the
/// events file the runner named (`RunnerEnvironment.events`).
public enum Report {
    nonisolated(unsafe) private static var observers: [(Event) -> Void] = []
    nonisolated(unsafe) private static var channel: FileHandle? = openChannel()
    nonisolated(unsafe) static var currentCell: String?

    /// Records a figure, e.g. `Report.metric("perplexity", 149.3, epoch: 40)`.
    /// NaN and infinity are sent as they are; the runner judges them.
    public static func metric(_ name: String, _ value: Double, epoch: Int? = nil) {
        send(Event(.metric, cell: currentCell, name: name, value: value, epoch: epoch))
    }

    /// Training progress: epoch `epoch` of `total` done, with the latest value of `name`.
    public static func progress(epoch: Int, of total: Int, name: String = "perplexity", value: Double) {
        send(Event(.progress, cell: currentCell, name: name, value: value, epoch: epoch, of: total))
    }

    /// Stops the program with a message the runner shows beside the cell's name, e.g. when
    /// training diverges. Exit status 70 (EX_SOFTWARE).
    public static func abort(_ message: String, reason: Event.AbortReason = .failed) -> Never {
        send(Event(.abort, cell: currentCell, reason: reason, message: message))
        FileHandle.standardError.write(Data(("error: " + message + "\n").utf8))
        exit(70)
    }

    /// Calls `observer` with every event from now on.
    public static func observe(_ observer: @escaping (Event) -> Void) {
        observers.append(observer)
    }

    public static func removeObservers() { observers.removeAll() }

    static func send(_ event: Event) {
        for observer in observers { observer(event) }
        channel?.write(event.line())
    }

    /// Opened append-only: every line lands at the end of the file whoever else writes to it,
    /// so no line overwrites another.
    private static func openChannel() -> FileHandle? {
        guard let path = ProcessInfo.processInfo.environment[RunnerEnvironment.events] else { return nil }
        let descriptor = open(path, O_WRONLY | O_APPEND | O_CLOEXEC)
        return descriptor < 0 ? nil : FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
    }
}
