import Foundation

/// A chapter's result as stored on disk, with the inputs it was computed from.
public struct CachedResult: Codable, Equatable, Sendable {
    public var version = CachedResult.currentVersion
    public var key: String
    public var inputs: ResultKeyInputs
    public var savedAt: Date
    public var report: ChapterReport

    /// Bumped when the stored form changes; older entries count as absent.
    public static let currentVersion = 2

    public init(inputs: ResultKeyInputs, report: ChapterReport, savedAt: Date = Date()) {
        self.key = inputs.key; self.inputs = inputs; self.savedAt = savedAt; self.report = report
    }
}

/// Whether a stored result still holds.
public enum ResultStatus: Equatable, Sendable {
    /// No result stored.
    case never
    /// A result is stored, but something it depends on changed since; names what.
    case stale(changed: [String], CachedResult)
    /// The stored result is current.
    case current(CachedResult)

    /// `passed`, `failed`, `error`, `unjudged`, `stale`, `never`.
    public var word: String {
        switch self {
        case .never: return "never"
        case .stale: return "stale"
        case .current(let entry): return entry.report.status.rawValue
        }
    }

    public var entry: CachedResult? {
        switch self {
        case .never: return nil
        case .stale(_, let entry), .current(let entry): return entry
        }
    }
}

/// Chapters' results under `<root>/.lessons/results/<chapter-id>/<variant>.json`: one per
/// profile, and one per set of parameters no profile judged (`ResultKeyInputs.variant`).
///
/// Each file is replaced atomically, so parallel `lessons run`s never leave a mix, and runs of
/// the same chapter and variant leave whichever finished last. An unreadable file (an older
/// format, disk trouble) counts as no result, never an error: the cache only ever saves time.
public struct ResultsCache: Sendable {
    public var directory: URL

    public init(root: URL) {
        directory = root.appendingPathComponent(".lessons/results", isDirectory: true)
    }

    public func url(for chapterID: String, variant: String) -> URL {
        directory.appendingPathComponent(chapterID, isDirectory: true).appendingPathComponent(variant + ".json")
    }

    public func store(_ report: ChapterReport, inputs: ResultKeyInputs) throws {
        let entry = CachedResult(inputs: inputs, report: report)
        var data = try JSONReport.encoder().encode(entry)
        data.append(0x0A)
        try AtomicFile.write(data, to: url(for: report.chapterID, variant: inputs.variant))
    }

    /// Every stored result of the chapter: `full` first, then the newest first.
    public func entries(for chapterID: String) -> [CachedResult] {
        let folder = directory.appendingPathComponent(chapterID, isDirectory: true)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        let entries = names.filter { $0.hasSuffix(".json") && !$0.hasPrefix(".") }.compactMap { name -> CachedResult? in
            guard let data = try? Data(contentsOf: folder.appendingPathComponent(name)),
                  let entry = try? JSONReport.decoder().decode(CachedResult.self, from: data),
                  entry.version == CachedResult.currentVersion else { return nil }
            return entry
        }
        return entries.sorted { a, b in
            let (aFull, bFull) = (a.inputs.variant == "full", b.inputs.variant == "full")
            return aFull != bFull ? aFull : a.savedAt > b.savedAt
        }
    }

    /// Compares a stored result with the inputs as they are now.
    /// - Parameter current: the inputs the stored run would have if it ran now (with its own
    ///   parameters, seed and profile); nil when they cannot be computed (e.g. the chapter no
    ///   longer parses), which counts as stale.
    public static func status(of entry: CachedResult, current: ResultKeyInputs?) -> ResultStatus {
        guard let now = current else { return .stale(changed: ["chapter"], entry) }
        if now.key == entry.key { return .current(entry) }
        let changed = entry.inputs.differences(from: now)
        return .stale(changed: changed.isEmpty ? ["key"] : changed, entry)
    }

    /// Removes every stored result.
    public func clear() throws {
        if FileManager.default.fileExists(atPath: directory.path) { try FileManager.default.removeItem(at: directory) }
    }
}
