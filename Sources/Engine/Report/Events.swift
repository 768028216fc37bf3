import Foundation

/// What a chapter program tells the runner, one JSON object per line, on a channel that
/// `print` cannot reach: the file named by `LESSONS_EVENTS` (opened append-only).
///
/// Kinds: `cell` (a cell starts), `metric` (a figure a check may judge), `progress`
/// (training progress for a live display), `abort` (the program gives up, e.g. training
/// diverged to NaN; `message` says why), `end` (the program finished normally).
public struct Event: Codable, Equatable, Sendable {
    public var event: String
    public var cell: String?
    public var index: Int?
    public var name: String?
    public var value: Double?
    public var epoch: Int?
    public var of: Int?
    public var message: String?

    public init(event: String, cell: String? = nil, index: Int? = nil, name: String? = nil,
                value: Double? = nil, epoch: Int? = nil, of: Int? = nil, message: String? = nil) {
        self.event = event; self.cell = cell; self.index = index; self.name = name
        self.value = value; self.epoch = epoch; self.of = of; self.message = message
    }
}

/// Metrics and progress from training code. Outside the runner the events go to observers
/// only (e.g. `lessons bench` collects them); under the runner they are also written to
/// `LESSONS_EVENTS`.
public enum Report {
    nonisolated(unsafe) private static var observers: [(Event) -> Void] = []
    nonisolated(unsafe) private static var channel: FileHandle? = openChannel()
    nonisolated(unsafe) static var currentCell: String?

    /// Records a figure, e.g. `Report.metric("perplexity", 149.3, epoch: 40)`.
    /// NaN and infinity are sent as they are; the runner judges them.
    public static func metric(_ name: String, _ value: Double, epoch: Int? = nil) {
        send(Event(event: "metric", cell: currentCell, name: name, value: value, epoch: epoch))
    }

    /// Training progress: epoch `epoch` of `total` done, with the latest value of `name`.
    public static func progress(epoch: Int, of total: Int, name: String = "perplexity", value: Double) {
        send(Event(event: "progress", cell: currentCell, name: name, value: value, epoch: epoch, of: total))
    }

    /// Stops the program with a message the runner shows beside the cell's name, e.g. when
    /// training diverges. Exit status 70 (EX_SOFTWARE).
    public static func abort(_ message: String) -> Never {
        send(Event(event: "abort", cell: currentCell, message: message))
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
        guard let channel else { return }
        let encoder = JSONEncoder()
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        guard var line = try? encoder.encode(event) else { return }
        line.append(0x0A)
        channel.write(line)
    }

    private static func openChannel() -> FileHandle? {
        guard let path = ProcessInfo.processInfo.environment["LESSONS_EVENTS"] else { return nil }
        return FileHandle(forWritingAtPath: path).map { $0.seekToEndOfFile(); return $0 }
    }
}
