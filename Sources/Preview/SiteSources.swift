import Foundation
import Notebook

/// What a chapter's page is made from, as file states: its `.md`, its Expected file and its
/// stored results. Two snapshots that differ name the chapters to render again.
struct SiteSources: Equatable {
    /// Chapter id → the size and modification time of each of its files.
    var chapters: [String: [String: FileState]]

    struct FileState: Equatable {
        var size: Int
        var modified: Date
    }

    static func snapshot(_ pipeline: Pipeline) -> SiteSources {
        var chapters: [String: [String: FileState]] = [:]
        for id in pipeline.library.chapterIDs() {
            var files: [String: FileState] = [:]
            let markdown = pipeline.library.chaptersDirectory.appendingPathComponent(id + ".md")
            let expected = pipeline.library.expectedURL(forChapterID: id)
            let results = pipeline.cache.directory.appendingPathComponent(id, isDirectory: true)
            for url in [markdown, expected] { files[url.path] = state(of: url) }
            for name in (try? FileManager.default.contentsOfDirectory(atPath: results.path)) ?? [] where name.hasSuffix(".json") {
                let url = results.appendingPathComponent(name)
                files[url.path] = state(of: url)
            }
            chapters[id] = files
        }
        return SiteSources(chapters: chapters)
    }

    /// Chapters whose files changed since `earlier`; nil when chapters were added or removed.
    func changed(since earlier: SiteSources) -> Set<String>? {
        guard Set(chapters.keys) == Set(earlier.chapters.keys) else { return nil }
        return Set(chapters.keys.filter { chapters[$0] != earlier.chapters[$0] })
    }

    private static func state(of url: URL) -> FileState? {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: url.path) else { return nil }
        return FileState(size: (attributes[.size] as? Int) ?? 0, modified: (attributes[.modificationDate] as? Date) ?? .distantPast)
    }
}
