import Foundation

/// A chapter's last result as stored on disk, with the inputs it was computed from.
public struct CachedResult: Codable, Equatable, Sendable {
    public var version = 1
    public var key: String
    public var inputs: ResultKeyInputs
    public var savedAt: Date
    public var report: ChapterReport

    public init(inputs: ResultKeyInputs, report: ChapterReport, savedAt: Date = Date()) {
        self.key = inputs.key; self.inputs = inputs; self.savedAt = savedAt; self.report = report
    }
}

/// What `lessons list` says about a chapter's last result.
public enum ResultStatus: Equatable, Sendable {
    /// No result stored.
    case never
    /// A result is stored, but something it depends on changed since; names what.
    case stale(changed: [String])
    /// The stored result is current.
    case current(ChapterReport.Status, CachedResult)

    /// `passed`, `failed`, `error`, `stale`, `never`.
    public var word: String {
        switch self {
        case .never: return "never"
        case .stale: return "stale"
        case .current(let status, _): return status.rawValue
        }
    }
}

/// Each chapter's last result under `<root>/.lessons/results/<chapter-id>.json`.
///
/// One file per chapter, each replaced atomically, so parallel `lessons run`s of different
/// chapters never touch the same file and runs of the same chapter leave whichever finished
/// last. An unreadable file (older format, disk trouble) counts as no result, never an error:
/// the cache only ever saves time.
public struct ResultsCache: Sendable {
    public var directory: URL

    public init(root: URL) {
        directory = root.appendingPathComponent(".lessons/results", isDirectory: true)
    }

    public func url(for chapterID: String) -> URL {
        directory.appendingPathComponent(chapterID + ".json")
    }

    public func store(_ report: ChapterReport, inputs: ResultKeyInputs) throws {
        let entry = CachedResult(inputs: inputs, report: report)
        var data = try JSONReport.encoder().encode(entry)
        data.append(0x0A)
        try AtomicFile.write(data, to: url(for: report.chapterID))
    }

    public func load(_ chapterID: String) -> CachedResult? {
        guard let data = try? Data(contentsOf: url(for: chapterID)),
              let entry = try? JSONReport.decoder().decode(CachedResult.self, from: data),
              entry.version == 1 else { return nil }
        return entry
    }

    /// Compares the stored result with the inputs as they are now.
    /// - Parameter current: recomputes the inputs for the stored run's own parameters, seed and
    ///   profile; returns nil when they cannot be computed (e.g. the chapter no longer parses),
    ///   which counts as stale.
    public func status(of chapterID: String,
                       current: (CachedResult) -> ResultKeyInputs?) -> ResultStatus {
        guard let entry = load(chapterID) else { return .never }
        guard let now = current(entry) else { return .stale(changed: ["chapter"]) }
        if now.key == entry.key { return .current(entry.report.status, entry) }
        let changed = entry.inputs.differences(from: now)
        return .stale(changed: changed.isEmpty ? ["key"] : changed)
    }
}
