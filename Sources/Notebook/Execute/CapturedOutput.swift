import Foundation

/// What a cell wrote to stdout or stderr, read back from its file with a cap: a cell that
/// prints 50 MB must not carry 50 MB into the terminal report, the results cache and `--json`.
enum CapturedOutput {
    /// Bytes kept per stream per cell: the first three quarters and the last quarter.
    static let limit = 64 * 1024

    /// The file's text, or its beginning and end around a line saying how much was left out.
    static func read(_ url: URL, limit: Int = CapturedOutput.limit) -> String {
        guard let handle = try? FileHandle(forReadingFrom: url) else { return "" }
        defer { try? handle.close() }
        let size = Int((try? handle.seekToEnd()) ?? 0)
        try? handle.seek(toOffset: 0)
        guard size > limit else { return String(decoding: (try? handle.readToEnd()) ?? Data(), as: UTF8.self) }
        let headCount = limit * 3 / 4, tailCount = limit - headCount
        let head = (try? handle.read(upToCount: headCount)) ?? Data()
        try? handle.seek(toOffset: UInt64(size - tailCount))
        let tail = (try? handle.readToEnd()) ?? Data()
        let omitted = size - head.count - tail.count
        // Cut at line ends, so that no line (or UTF-8 character) is shown in part.
        let headText = String(decoding: head[..<(head.lastIndex(of: 0x0A).map { $0 + 1 } ?? head.endIndex)], as: UTF8.self)
        let tailText = String(decoding: tail[(tail.firstIndex(of: 0x0A).map { $0 + 1 } ?? tail.startIndex)...], as: UTF8.self)
        let left = omitted + head.count - headText.utf8.count + tail.count - tailText.utf8.count
        return headText + "… [\(left) bytes left out: the cell wrote \(byteCount(size)), of which lessons keeps "
            + "the first \(byteCount(headCount)) and the last \(byteCount(tailCount))] …\n" + tailText
    }

    /// `812 bytes`, `48 KiB`, `47.7 MiB`.
    static func byteCount(_ bytes: Int) -> String {
        if bytes < 1024 { return "\(bytes) bytes" }
        var value = Double(bytes) / 1024
        for unit in ["KiB", "MiB", "GiB"] {
            if value < 1024 || unit == "GiB" {
                return (value == value.rounded() ? String(Int(value)) : String(format: "%.1f", value)) + " " + unit
            }
            value /= 1024
        }
        return "\(bytes) bytes"
    }
}
