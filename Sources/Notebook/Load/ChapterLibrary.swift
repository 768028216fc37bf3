import Foundation

/// The project's chapters: resolves what the user types (`12-gru`, `12`, `gru`, or a path
/// to any `.md` file) to a Markdown file, and knows where each chapter's Expected file is.
public struct ChapterLibrary: Sendable {
    /// The folder holding `Chapters/` and `Package.swift`.
    public let root: URL

    public init(root: URL) { self.root = root.standardizedFileURL }

    /// Walks up from `start` (default: the current directory) to the first folder that
    /// holds both `Chapters/` and `Package.swift`, so `lessons` works from any subfolder.
    public static func findRoot(from start: URL? = nil) throws -> URL {
        let first = (start ?? URL(fileURLWithPath: FileManager.default.currentDirectoryPath)).standardizedFileURL
        var folder = first
        while true {
            var isDirectory: ObjCBool = false
            let chapters = folder.appendingPathComponent("Chapters").path
            if FileManager.default.fileExists(atPath: chapters, isDirectory: &isDirectory), isDirectory.boolValue,
               FileManager.default.fileExists(atPath: folder.appendingPathComponent("Package.swift").path) {
                return folder
            }
            let parent = folder.deletingLastPathComponent()
            if parent.path == folder.path {
                throw LibraryError("no project found: neither \(first.path) nor a folder above it holds Chapters/ and Package.swift")
            }
            folder = parent
        }
    }

    /// The project a chapter file belongs to — the nearest folder above it holding `Chapters/`
    /// and `Package.swift` — so that a chapter given by path is judged by its own project's
    /// Expected file; nil for a file outside any project.
    public static func project(of file: URL) -> URL? {
        try? findRoot(from: file.standardizedFileURL.deletingLastPathComponent())
    }

    /// Whether `file` is one of this project's own chapters (`Chapters/*.md`).
    public func isOwnChapter(_ file: URL) -> Bool {
        file.standardizedFileURL.deletingLastPathComponent().path == chaptersDirectory.standardizedFileURL.path
    }

    public var chaptersDirectory: URL { root.appendingPathComponent("Chapters", isDirectory: true) }

    /// The chapter ids (file stems of `Chapters/*.md`), sorted.
    public func chapterIDs() -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: chaptersDirectory.path)) ?? []
        return names.filter { $0.hasSuffix(".md") }.map { String($0.dropLast(3)) }.sorted()
    }

    /// Where the chapter's expected results live: `Expected/<id>.json` (may not exist yet).
    public func expectedURL(forChapterID id: String) -> URL {
        root.appendingPathComponent("Expected", isDirectory: true).appendingPathComponent(id + ".json")
    }

    /// The Markdown file `what` names. A full id wins; then `12` matches the number before
    /// the first `-` and `gru` the rest, if exactly one chapter does. Anything ending in
    /// `.md` or containing `/` is a path (relative to the current directory, then the root).
    public func resolve(_ what: String) throws -> URL {
        if what.hasSuffix(".md") || what.contains("/") {
            let cwd = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
            let candidates = what.hasPrefix("/") ? [URL(fileURLWithPath: what)]
                : [cwd.appendingPathComponent(what), root.appendingPathComponent(what)]
            for url in candidates.map(\.standardizedFileURL) where FileManager.default.fileExists(atPath: url.path) {
                return url
            }
            throw LibraryError("no such file: \(what)")
        }
        let ids = chapterIDs()
        let url = { (id: String) in self.chaptersDirectory.appendingPathComponent(id + ".md") }
        if ids.contains(what) { return url(what) }
        let matches = ids.filter { Self.shortForms(of: $0).contains(what) }
        if matches.count == 1 { return url(matches[0]) }
        let available = ids.isEmpty ? "(none in \(chaptersDirectory.path))" : ids.joined(separator: ", ")
        if matches.isEmpty {
            throw LibraryError("unknown chapter '\(what)'; available chapters: \(available)")
        }
        throw LibraryError("'\(what)' is ambiguous: it matches \(matches.joined(separator: ", "))")
    }

    /// Resolves and loads a chapter; errors name the file relative to the root.
    public func load(_ what: String) throws -> Chapter {
        try ChapterLoader.load(contentsOf: resolve(what), root: root)
    }

    /// `12-gru` → `12` (and `12` without leading zeros) and `gru`.
    static func shortForms(of id: String) -> Set<String> {
        guard let dash = id.firstIndex(of: "-") else { return [] }
        let number = String(id[..<dash]), name = String(id[id.index(after: dash)...])
        var forms: Set<String> = [number, name]
        if let value = Int(number) { forms.insert(String(value)) }
        return forms
    }
}
