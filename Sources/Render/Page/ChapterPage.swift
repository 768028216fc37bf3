import Foundation
import Notebook

/// A chapter on its way to a page: its prose with math, references and cells taken out, and
/// cmark-gfm's HTML of the rest. Drafts of every chapter are typeset together, in one node run.
struct ChapterDraft {
    var input: ChapterPageInput
    var prose: ProtectedProse
    var rendering: MarkdownRendering

    init(_ input: ChapterPageInput) {
        self.input = input
        prose = ProtectedProse(chapter: input.chapter)
        rendering = MarkdownHTML.render(prose.markdown)
    }

    /// The formulas to typeset, by token index.
    var math: [(token: Int, request: Typesetter.MathRequest)] {
        prose.tokens.enumerated().compactMap { index, token in
            if case .math(let tex, let display) = token.kind { return (index, Typesetter.MathRequest(tex: tex, display: display)) }
            return nil
        }
    }

    /// The cells whose code is shown (all but the hidden ones), by index.
    var shownCells: [Int] { input.chapter.cells.indices.filter { !input.chapter.cells[$0].attributes.hidden } }
}

/// A finished page, and what went wrong on the way.
struct RenderedChapter {
    var id: String
    var title: String
    var html: String
    var sections: [SearchIndex.Entry]
    var warnings: [RenderMessage]
    var errors: [RenderMessage]
}

/// Puts a chapter page together from its draft and the typeset math and code.
struct ChapterPage {
    var draft: ChapterDraft
    /// KaTeX's result per math token (nil: KaTeX unavailable).
    var math: [Int: Typesetter.MathResult?]
    /// highlight.js's markup per cell index.
    var code: [Int: String?]
    var chapters: [ChapterLink]

    func render() -> RenderedChapter {
        let input = draft.input
        var warnings = draft.prose.problems.map { RenderMessage(file: input.markdownPath, line: $0.line, message: $0.message) }
        var errors: [RenderMessage] = []
        var replacements: [Int: String] = [:]
        var plain: [Int: String] = [:]

        for (index, token) in draft.prose.tokens.enumerated() {
            switch token.kind {
            case .cell(let cellIndex):
                let cell = input.chapter.cells[cellIndex]
                replacements[index] = CellView(cell: cell, input: input, highlighted: code[cellIndex] ?? nil).html()
                plain[index] = ""
            case .math(let tex, let display):
                plain[index] = tex
                switch math[index] ?? nil {
                case .html(let html)?:
                    replacements[index] = html
                case .rejected(let reason)?:
                    warnings.append(RenderMessage(file: input.markdownPath, line: token.line,
                                                  message: "KaTeX cannot typeset \(token.source): \(reason); shown as TeX"))
                    replacements[index] = rawTeX(token.source, display: display, reason: reason)
                case nil:
                    replacements[index] = rawTeX(token.source, display: display, reason: nil)
                }
            case .reference(let text):
                let (html, words, problem) = reference(text, line: token.line)
                replacements[index] = html
                plain[index] = words
                if let problem { errors.append(problem) }
            }
        }

        // Cells stand alone in a paragraph of their own; everything else is inline.
        var body = draft.rendering.html
        for (index, html) in replacements where html.contains("<section") || html.isEmpty {
            let placeholder = ProtectedProse.placeholder(index)
            body = body.replacingOccurrences(of: "<p>" + placeholder + "</p>", with: html)
        }
        body = fill(body, replacements)
        let (withAnchors, toc) = Headings.anchor(body, headings: draft.rendering.headings.map { fill($0.text, plain) })

        let title = input.chapter.title
        let sections = SearchIndex.entries(chapter: input.chapter.id, chapterTitle: title,
                                           sections: draft.rendering.sections, toc: toc) { fill($0, plain) }
        // The run summary goes right under the title (or first, when the chapter has none).
        var article = withAnchors
        let summary = RunSummary.html(input)
        if let titleEnd = article.range(of: "</h1>") {
            article.insert(contentsOf: summary, at: titleEnd.upperBound)
        } else {
            article = summary + article
        }
        let page = Layout.page(title: title, chapters: chapters, current: input.chapter.id, toc: toc,
                               summary: "", body: article,
                               previous: input.previous, next: input.next)
        return RenderedChapter(id: input.chapter.id, title: title, html: page, sections: sections,
                               warnings: warnings, errors: errors)
    }

    /// Replaces every placeholder left in `text` by its replacement.
    private func fill(_ text: String, _ replacements: [Int: String]) -> String {
        let found = ProtectedProse.placeholders(in: text)
        guard !found.isEmpty else { return text }
        var out = ""
        var last = text.startIndex
        for (range, index) in found {
            out += text[last..<range.lowerBound]
            out += replacements[index] ?? ""
            last = range.upperBound
        }
        return out + text[last...]
    }

    /// A formula KaTeX could not typeset (or was not there to), as the TeX the author wrote.
    private func rawTeX(_ source: String, display: Bool, reason: String?) -> String {
        let title = reason.map { " title=\"KaTeX: \(HTML.escape($0))\"" } ?? ""
        return "<code class=\"tex\(display ? " display" : "")\(reason == nil ? "" : " rejected")\"\(title)>\(HTML.escape(source))</code>"
    }

    /// A prose reference filled in from the shown run: its HTML, its plain text, and the error
    /// when it cannot be filled in at all.
    private func reference(_ text: String, line: Int) -> (String, String, RenderMessage?) {
        let input = draft.input
        if let problem = ProseReferences.problem(text, chapter: input.chapter, expectations: input.expectations, stored: input.stored) {
            let message = RenderMessage(file: input.markdownPath, line: line, message: problem)
            return ("<span class=\"figure error\" title=\"\(HTML.escape(problem))\">\(HTML.escape("{{" + text + "}}"))</span>", "", message)
        }
        let reference = ProseReference(parsing: text)!
        let what = reference.meaning
        guard let entry = input.shown.entry, let value = reference.value(in: entry.report.result) else {
            let why = input.shown.entry == nil ? "not run yet" : "not in the shown run (\(ResultWords.settings(input.report!)))"
            return ("<span class=\"figure missing\" title=\"\(HTML.escape(what + ": " + why))\">—</span>", "", nil)
        }
        let stale = input.shown.isStale ? ", stale" : ""
        let title = "\(what), from the run of \(ResultWords.date(entry.savedAt))\(stale)"
        let figure = proseFigure(value)
        return ("<span class=\"figure\(stale.isEmpty ? "" : " stale")\" title=\"\(HTML.escape(title))\">\(HTML.escape(figure))</span>", figure, nil)
    }
}

/// The banner at the top of a chapter: which run the page shows and how it went.
enum RunSummary {
    static func html(_ input: ChapterPageInput) -> String {
        let (word, kind) = ResultWords.badge(input.shown)
        guard let entry = input.shown.entry else {
            return "<div class=\"run-summary never\"><span class=\"badge \(kind)\">\(word)</span> "
                + "This chapter has no stored result yet: the cells below show their code only. "
                + "Run <code>lessons run \(HTML.escape(input.chapter.id))</code>, or render with <code>--execute</code>.</div>"
        }
        let report = entry.report
        var html = "<div class=\"run-summary \(kind)\"><span class=\"badge \(kind)\">\(HTML.escape(word))</span> "
        if case .stale(let changed, _) = input.shown {
            html += "Output below is from a run that no longer matches the chapter (\(HTML.escape(changed.joined(separator: ", "))) changed); "
                + "it \(HTML.escape(report.status.rawValue)). "
        }
        html += "Run of \(HTML.escape(ResultWords.date(entry.savedAt))), \(HTML.escape(ResultWords.settings(report))), "
            + String(format: "%.0f s", report.seconds)
        if report.tally.judged + report.tally.reported > 0 { html += "; checks: \(HTML.escape(report.tally.summary))" }
        html += ".</div>"
        if let failure = report.failure {
            html += "<div class=\"note failed\"><p>\(HTML.escape(failure.headline + (failure.location.map { " at \($0)" } ?? "")))</p>"
                + "<pre>\(HTML.escape(failure.message))</pre></div>"
        }
        return html
    }
}
