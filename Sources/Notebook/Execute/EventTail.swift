import Engine
import Foundation

/// Reads the events a running program appends to its `LESSONS_EVENTS` file: each call to
/// `next()` returns the complete lines written since the last call (a line still being
/// written waits for the next poll).
final class EventTail {
    private let handle: FileHandle
    private var pending = Data()
    private let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        // Report.send writes NaN and infinities as strings.
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(
            positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return decoder
    }()

    init(file: URL) throws { handle = try FileHandle(forReadingFrom: file) }
    deinit { try? handle.close() }

    func next() -> [Event] {
        pending.append((try? handle.readToEnd()) ?? Data())
        var events: [Event] = []
        while let newline = pending.firstIndex(of: 0x0A) {
            let line = pending[pending.startIndex..<newline]
            pending.removeSubrange(pending.startIndex...newline)
            if let event = try? decoder.decode(Event.self, from: line) { events.append(event) }
        }
        return events
    }
}

/// Signal numbers as people know them.
enum SignalName {
    static func describe(_ signal: Int32) -> String {
        let names: [Int32: String] = [SIGHUP: "SIGHUP", SIGINT: "SIGINT", SIGQUIT: "SIGQUIT", SIGILL: "SIGILL",
                                      SIGTRAP: "SIGTRAP", SIGABRT: "SIGABRT", SIGBUS: "SIGBUS", SIGFPE: "SIGFPE",
                                      SIGKILL: "SIGKILL", SIGSEGV: "SIGSEGV", SIGPIPE: "SIGPIPE", SIGTERM: "SIGTERM"]
        let name = names[signal] ?? "signal \(signal)"
        let meaning = strsignal(signal).map { String(cString: $0) } ?? ""
        let trap = signal == SIGILL || signal == SIGTRAP ? ", a Swift runtime trap" : ""
        return "\(name) (\(meaning)\(trap))"
    }
}
