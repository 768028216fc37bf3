import ChapterRuntime
import Foundation

/// Reads the events a running program appends to its events file. Each call to `next()`
/// returns the complete lines written since the last call, reading at most `chunk` bytes, so
/// that a program flooding the channel cannot keep the runner from checking its clock. The
/// work is linear in the bytes read: lines are cut out of each chunk by index, and only an
/// unfinished last line is carried over.
final class EventTail {
    /// Longer lines are not events (the wire format's largest is a few hundred bytes); they
    /// are skipped rather than buffered without end.
    static let maximumLineLength = 64 * 1024

    private let handle: FileHandle
    private let chunk: Int
    private var pending = Data()
    private var skippingLongLine = false
    /// Lines that were not events (malformed, or too long).
    private(set) var rejectedLines = 0
    private(set) var bytesRead = 0

    init(file: URL, chunk: Int = 4 << 20) throws {
        handle = try FileHandle(forReadingFrom: file)
        self.chunk = chunk
    }
    deinit { try? handle.close() }

    /// The events completed since the last call; `more` is true when the chunk limit stopped
    /// the read before the end of what is written.
    func next() -> (events: [Event], more: Bool) {
        let data = (try? handle.read(upToCount: chunk)) ?? Data()
        bytesRead += data.count
        var events: [Event] = []
        var lineStart = data.startIndex
        for index in data.indices where data[index] == 0x0A {
            finishLine(data[lineStart..<index], into: &events)
            lineStart = index + 1
        }
        let rest = data[lineStart...]
        if skippingLongLine {
            // still inside an overlong line: drop it
        } else if pending.count + rest.count > Self.maximumLineLength {
            pending.removeAll()
            skippingLongLine = true
            rejectedLines += 1
        } else {
            pending.append(rest)
        }
        return (events, data.count == chunk)
    }

    private func finishLine(_ tail: Data, into events: inout [Event]) {
        defer { pending.removeAll(keepingCapacity: true) }
        if skippingLongLine { skippingLongLine = false; return }
        let line: Data
        if pending.isEmpty {
            line = tail
        } else {
            pending.append(tail)
            line = pending
        }
        guard line.count <= Self.maximumLineLength, let event = Event.parse(line: line) else {
            if !line.isEmpty { rejectedLines += 1 }
            return
        }
        events.append(event)
    }
}

/// Signal numbers as people know them.
enum SignalName {
    static func describe(_ signal: Int32) -> String {
        let names: [Int32: String] = [SIGHUP: "SIGHUP", SIGINT: "SIGINT", SIGQUIT: "SIGQUIT", SIGILL: "SIGILL",
                                      SIGTRAP: "SIGTRAP", SIGABRT: "SIGABRT", SIGBUS: "SIGBUS", SIGFPE: "SIGFPE",
                                      SIGKILL: "SIGKILL", SIGSEGV: "SIGSEGV", SIGPIPE: "SIGPIPE", SIGTERM: "SIGTERM",
                                      SIGXCPU: "SIGXCPU", SIGXFSZ: "SIGXFSZ"]
        let name = names[signal] ?? "signal \(signal)"
        let meaning = strsignal(signal).map { String(cString: $0) } ?? ""
        let trap = signal == SIGILL || signal == SIGTRAP ? ", a Swift runtime trap" : ""
        return "\(name) (\(meaning)\(trap))"
    }
}
