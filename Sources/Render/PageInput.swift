import Foundation
import Notebook

/// Everything one chapter page is made from, all of it values the pipeline hands out: the
/// chapter, its Expected file, and its stored results with whether they still hold. Render
/// never reaches into the runner.
public struct ChapterPageInput: Sendable {
    public var chapter: Chapter
    /// The `.md` file as messages name it (`Chapters/12-gru.md`).
    public var markdownPath: String
    public var expectations: Expectations?
    /// The result the page shows (`Pipeline.lastResult(for:)`): current, stale or none.
    public var shown: ResultStatus
    /// The chapter's other stored results, drawn as further lines on its curves.
    public var others: [ResultStatus]
    public var previous: ChapterLink?
    public var next: ChapterLink?

    public init(chapter: Chapter, markdownPath: String, expectations: Expectations?, shown: ResultStatus,
                others: [ResultStatus] = [], previous: ChapterLink? = nil, next: ChapterLink? = nil) {
        self.chapter = chapter; self.markdownPath = markdownPath; self.expectations = expectations
        self.shown = shown; self.others = others; self.previous = previous; self.next = next
    }

    /// The shown run's report, if any.
    var report: ChapterReport? { shown.entry?.report }

    /// Every stored result of the chapter, the shown one first.
    var stored: [ResultStatus] { (shown.entry == nil ? [] : [shown]) + others }
}

extension ResultStatus {
    var isStale: Bool {
        if case .stale = self { return true }
        return false
    }
}

/// A link to another chapter's page.
public struct ChapterLink: Equatable, Sendable {
    public var id: String
    public var title: String
    public init(id: String, title: String) { self.id = id; self.title = title }

    /// The page's file name in the site.
    public var file: String { Self.file(for: id) }
    public static func file(for id: String) -> String { id + ".html" }
}

/// How a stored result is described on pages: `passed`, `full profile`, `seed 0`, the date.
enum ResultWords {
    static func date(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = "yyyy-MM-dd HH:mm"
        return formatter.string(from: date)
    }

    /// `full profile, seed 0, epochs=5` — what the run was.
    static func settings(_ report: ChapterReport) -> String {
        var parts = [report.profile.map { "\($0) profile" } ?? "not judged", "seed \(report.seed)"]
        parts += report.parameters.keys.sorted().map { "\($0)=\(report.parameters[$0]!)" }
        return parts.joined(separator: ", ")
    }

    /// The word a status badge shows, and its CSS class.
    static func badge(_ status: ResultStatus) -> (word: String, kind: String) {
        switch status {
        case .never: return ("not run", "never")
        case .stale: return ("stale", "stale")
        case .current(let entry): return (entry.report.status.rawValue, entry.report.status.rawValue)
        }
    }
}
