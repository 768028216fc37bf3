import Foundation

/// The machine-readable report of `lessons run --json FILE`: every chapter's run result and
/// check outcomes, and the exit code the run ended with.
///
/// Diverged training produces NaN and infinities, which JSON has no numbers for; they are
/// written as the strings `"nan"`, `"inf"` and `"-inf"` (as the program's event channel does)
/// and read back by `JSONReport.decoder()`.
public struct JSONReport: Codable, Equatable, Sendable {
    /// Bumped when a field changes meaning, so consumers can refuse what they do not understand.
    public var version = 2
    public var exitCode: Int32
    public var passed: Int
    public var failed: Int
    public var reported: Int
    /// Checks the run never got to (it stopped first).
    public var unjudged: Int
    /// Chapters that could not be loaded, compiled or run to the end.
    public var errors: Int
    /// One entry per chapter run (per run and seed with `--repeat`).
    public var chapters: [ChapterReport]
    /// With `--repeat`: each metric check's spread across the runs.
    public var spreads: [MetricSpread]?

    public init(chapters: [ChapterReport], spreads: [MetricSpread]? = nil, acceptUnjudged: Bool = false) {
        let tally = chapters.map(\.tally).reduce(OutcomeTally(), +)
        self.exitCode = ExitStatus.of(chapters, acceptUnjudged: acceptUnjudged)
        self.passed = tally.passed; self.failed = tally.failed; self.reported = tally.reported
        self.unjudged = tally.unjudged
        self.errors = chapters.filter { $0.status == .error }.count
        self.chapters = chapters
        self.spreads = spreads
    }

    public static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }

    public static func decoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(
            positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }

    public func encoded() throws -> Data {
        var data = try Self.encoder().encode(self)
        data.append(0x0A)
        return data
    }

    /// Writes the report atomically, so a reader never sees half a file.
    public func write(to url: URL) throws {
        try AtomicFile.write(encoded(), to: url)
    }
}
