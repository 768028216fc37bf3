import Foundation
import Notebook

// The Render stage: stored results → a static site.
//
//   Book.entries(pipeline:chapters:)   Pipeline (load, stored results) → [BookEntry]
//   Book.render(_:typesetter:)         [BookEntry] → RenderedSite: pages, search index, assets
//   RenderedSite.write(to:)            → the site folder, replaced in one step
//
// Pages are made from values (`Chapter`, `Expectations`, `ResultStatus` and the
// `ChapterReport` it holds); nothing here runs a chapter.

/// One chapter of the book, as Render receives it.
public enum BookEntry: Sendable {
    case chapter(ChapterPageInput)
    /// A chapter that could not be loaded (a parse error, a bad Expected file): its page says why.
    case broken(id: String, markdownPath: String, failure: ChapterFailure)

    public var id: String {
        switch self {
        case .chapter(let input): return input.chapter.id
        case .broken(let id, _, _): return id
        }
    }
}

/// A rendered site, in memory until written.
public struct RenderedSite: Sendable {
    /// Site-relative path → contents.
    public var files: [String: Data]
    /// Site-relative path → a file copied as is (KaTeX's fonts).
    public var copies: [String: URL]
    public var warnings: [RenderMessage]
    public var errors: [RenderMessage]
    /// The chapter pages, in book order, with their size in bytes.
    public var pages: [(id: String, file: String, bytes: Int)]

    /// Bytes of everything: pages, index, search index, assets.
    public var totalBytes: Int {
        files.values.reduce(0) { $0 + $1.count } + copies.values.reduce(0) { total, url in
            total + ((try? FileManager.default.attributesOfItem(atPath: url.resolvingSymlinksInPath().path)[.size] as? Int) ?? 0)
        }
    }

    /// Writes the site to `folder`, replacing it whole (see `SiteWriter`).
    public func write(to folder: URL) throws {
        try SiteWriter.publish(files: files, copies: copies, to: folder)
    }
}

public enum Book {
    /// The inputs of the named chapters (ids as `ChapterLibrary.chapterIDs` gives them), in
    /// order, each with its stored results from the cache.
    public static func entries(pipeline: Pipeline, chapters ids: [String]) -> [BookEntry] {
        var entries: [BookEntry] = ids.map { id in
            let path = ChapterLoader.displayPath(of: pipeline.library.chaptersDirectory.appendingPathComponent(id + ".md"),
                                                 root: pipeline.root)
            let loaded: LoadedChapter
            do { loaded = try pipeline.load(id) } catch {
                return .broken(id: id, markdownPath: path, failure: ChapterFailure(error))
            }
            let stored = pipeline.storedResults(for: loaded.chapter.id)
            return .chapter(ChapterPageInput(
                chapter: loaded.chapter,
                markdownPath: ChapterLoader.displayPath(of: loaded.chapter.path, root: pipeline.root),
                expectations: loaded.expectations,
                shown: stored.first ?? .never, others: Array(stored.dropFirst())))
        }
        linkNeighbours(&entries)
        return entries
    }

    /// Sets every chapter's previous and next links to its neighbours in `entries`.
    public static func linkNeighbours(_ entries: inout [BookEntry]) {
        let links = entries.map(link)
        for index in entries.indices {
            guard case .chapter(var input) = entries[index] else { continue }
            input.previous = index > 0 ? links[index - 1] : nil
            input.next = index + 1 < links.count ? links[index + 1] : nil
            entries[index] = .chapter(input)
        }
    }

    private static func link(_ entry: BookEntry) -> ChapterLink {
        switch entry {
        case .chapter(let input): return ChapterLink(id: input.chapter.id, title: input.chapter.title)
        case .broken(let id, _, _): return ChapterLink(id: id, title: id)
        }
    }

    /// Renders every page, the index, the search index, and gathers the assets.
    /// - Parameter cache: typeset math and code kept between renders; nil typesets everything.
    public static func render(_ entries: [BookEntry], typesetter: Typesetter, cache: TypesetCache? = nil,
                              builtAt: Date = Date()) throws -> RenderedSite {
        let links = entries.map(link)
        let drafts: [ChapterDraft?] = entries.map { entry in
            if case .chapter(let input) = entry { return ChapterDraft(input) }
            return nil
        }

        // One typesetting run for the whole book.
        var mathOwners: [(draft: Int, token: Int)] = []
        var mathRequests: [Typesetter.MathRequest] = []
        var codeOwners: [(draft: Int, cell: Int)] = []
        var codeRequests: [String] = []
        for (index, draft) in drafts.enumerated() {
            guard let draft else { continue }
            for (token, request) in draft.math { mathOwners.append((index, token)); mathRequests.append(request) }
            for cell in draft.shownCells { codeOwners.append((index, cell)); codeRequests.append(draft.input.chapter.cells[cell].code) }
        }
        var warnings: [RenderMessage] = []
        if let missing = typesetter.missing { warnings.append(RenderMessage(file: "lessons render", line: nil, message: missing)) }
        let typeset = try cache.map { try $0.typeset(with: typesetter, math: mathRequests, code: codeRequests) }
            ?? typesetter.typeset(math: mathRequests, code: codeRequests)
        var math = drafts.map { _ in [Int: Typesetter.MathResult?]() }
        var code = drafts.map { _ in [Int: String?]() }
        for (owner, result) in zip(mathOwners, typeset.math) { math[owner.draft][owner.token] = result }
        for (owner, result) in zip(codeOwners, typeset.code) { code[owner.draft][owner.cell] = result }

        var site = RenderedSite(files: [:], copies: [:], warnings: warnings, errors: [], pages: [])
        var search: [SearchIndex.Entry] = []
        var rows: [IndexPage.Row] = []
        for (index, entry) in entries.enumerated() {
            let html: String
            switch entry {
            case .chapter(let input):
                let page = ChapterPage(draft: drafts[index]!, math: math[index], code: code[index], chapters: links).render()
                html = page.html
                site.warnings += page.warnings
                site.errors += page.errors
                search += page.sections
                rows.append(IndexPage.Row(link: links[index], status: input.shown,
                                          experiments: experiments(input), problems: page.errors.count))
            case .broken(let id, let path, let failure):
                let message = RenderMessage(file: failure.file ?? path, line: failure.line, message: failure.headline + ": " + failure.message)
                site.errors.append(message)
                html = brokenPage(id: id, message: message, chapters: links)
                rows.append(IndexPage.Row(link: links[index], status: .never, experiments: [], problems: 1))
            }
            let data = Data(html.utf8)
            site.files[links[index].file] = data
            site.pages.append((links[index].id, links[index].file, data.count))
        }
        site.files["index.html"] = Data(IndexPage.html(rows, builtAt: builtAt).utf8)
        let json = try SearchIndex.json(search)
        site.files["searchindex.json"] = json
        site.files["searchindex.js"] = SearchIndex.script(json)
        try Assets.add(to: &site, katex: typesetter.katexDirectory)
        return site
    }

    /// The cells whose stored run reported perplexity per epoch.
    private static func experiments(_ input: ChapterPageInput) -> [String] {
        guard let cells = input.report?.result?.cells else { return [] }
        return cells.filter { $0.metrics.contains { $0.name == "perplexity" && $0.epoch != nil } }.map(\.id)
    }

    private static func brokenPage(id: String, message: RenderMessage, chapters: [ChapterLink]) -> String {
        let body = "<h1 id=\"top\">\(HTML.escape(id))</h1><div class=\"note failed\"><p>This chapter could not be loaded.</p>"
            + "<pre>\(HTML.escape(message.description))</pre></div>"
        return Layout.page(title: id, chapters: chapters, current: id, toc: [], summary: "", body: body, previous: nil, next: nil)
    }
}

/// The site's own stylesheet and script, and KaTeX's stylesheet and fonts, copied in: nothing
/// is loaded from elsewhere.
enum Assets {
    static func add(to site: inout RenderedSite, katex: URL?) throws {
        for (name, type) in [("book", "css"), ("search", "js")] {
            guard let url = Bundle.module.url(forResource: name, withExtension: type, subdirectory: "Assets") else {
                throw TypesetError(message: "\(name).\(type) is missing from the Render resources")
            }
            site.files["assets/\(name).\(type)"] = try Data(contentsOf: url)
        }
        guard let katex else {
            site.files["assets/katex/katex.min.css"] = Data("/* KaTeX was not installed when this site was built. */\n".utf8)
            return
        }
        // Every browser that reads this site takes the woff2 fonts; the others are left out,
        // and so are their entries in the stylesheet.
        var css = try String(contentsOf: katex.appendingPathComponent("katex.min.css"), encoding: .utf8)
        css = css.replacingOccurrences(of: #",url\(fonts/[A-Za-z0-9_-]+\.woff\) format\(['"]woff['"]\)"#, with: "", options: .regularExpression)
        css = css.replacingOccurrences(of: #",url\(fonts/[A-Za-z0-9_-]+\.ttf\) format\(['"]truetype['"]\)"#, with: "", options: .regularExpression)
        site.files["assets/katex/katex.min.css"] = Data(css.utf8)
        let fonts = katex.appendingPathComponent("fonts", isDirectory: true).resolvingSymlinksInPath()
        for name in (try? FileManager.default.contentsOfDirectory(atPath: fonts.path)) ?? [] where name.hasSuffix(".woff2") {
            site.copies["assets/katex/fonts/" + name] = fonts.appendingPathComponent(name)
        }
    }
}
