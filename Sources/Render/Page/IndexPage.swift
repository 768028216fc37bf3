import Foundation
import Notebook

/// The book's front page: every chapter with its title, its last stored result (date,
/// pass/fail, checks) and its experiments.
enum IndexPage {
    struct Row {
        var link: ChapterLink
        var status: ResultStatus
        /// Cells with a perplexity curve: the chapter's experiments.
        var experiments: [String]
        /// Errors that kept the page from rendering fully, if any.
        var problems: Int
    }

    static func html(_ rows: [Row], builtAt: Date) -> String {
        var body = "<h1 id=\"top\">\(HTML.escape(Layout.bookTitle))</h1>"
        body += "<p>A course on recurrent language models in Swift. Each chapter below is a page with its prose, "
            + "its code, and what the code printed in its last stored run: training curves beside the figures "
            + "the source documents report, and the checks the run was judged by.</p>"
        body += "<table class=\"chapters-table\"><thead><tr><th scope=\"col\">chapter</th><th scope=\"col\">experiments</th>"
            + "<th scope=\"col\">last result</th><th scope=\"col\">run</th></tr></thead><tbody>"
        for row in rows {
            let (word, kind) = ResultWords.badge(row.status)
            let report = row.status.entry?.report
            body += "<tr><td><a href=\"\(HTML.href(row.link.file))\">\(HTML.escape(row.link.title))</a>"
                + "<div class=\"chapter-id\">\(HTML.escape(row.link.id))</div></td>"
            body += "<td>\(row.experiments.map { "<code>\(HTML.escape($0))</code>" }.joined(separator: " "))</td>"
            var statusCell = "<span class=\"badge \(kind)\">\(HTML.escape(word))</span>"
            if case .stale(let changed, let entry) = row.status {
                statusCell += " <span class=\"was\">was \(HTML.escape(entry.report.status.rawValue)); \(HTML.escape(changed.joined(separator: ", "))) changed</span>"
            }
            if row.problems > 0 { statusCell += " <span class=\"badge error\">\(row.problems) render error\(row.problems == 1 ? "" : "s")</span>" }
            if let report { statusCell += "<div class=\"tally\">\(HTML.escape(report.tally.summary))</div>" }
            body += "<td>\(statusCell)</td>"
            body += "<td>\(row.status.entry.map { HTML.escape(ResultWords.date($0.savedAt) + ", " + ResultWords.settings($0.report)) } ?? "—")</td></tr>"
        }
        body += "</tbody></table>"
        body += "<p class=\"built\">Built \(HTML.escape(ResultWords.date(builtAt))) from the results cache by <code>lessons render</code>.</p>"
        return Layout.page(title: Layout.bookTitle, chapters: rows.map(\.link), current: nil, toc: [],
                           summary: "", body: body, previous: nil, next: rows.first?.link)
    }
}
