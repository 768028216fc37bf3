import Foundation

/// The frame every page shares: head, top bar with the search box, the chapter list with
/// this chapter's contents, and previous/next links. Pages sit at the site's root and load
/// everything from `assets/`, so the site works from disk and from any server folder.
enum Layout {
    static let bookTitle = "Recurrent language models"

    static func page(title: String, chapters: [ChapterLink], current: String?, toc: [Headings.Entry],
                     summary: String, body: String, previous: ChapterLink?, next: ChapterLink?) -> String {
        var html = head(title: current == nil ? bookTitle : "\(title) · \(bookTitle)")
        html += "<body>" + topBar()
        html += "<div class=\"layout\"><nav class=\"sidebar\" aria-label=\"chapters\">\(chapterList(chapters, current: current, toc: toc))</nav>"
        html += current == nil ? "<main class=\"index\">" : "<main>"
        if !toc.filter({ $0.level > 1 }).isEmpty {
            html += "<details class=\"toc-phone\"><summary>Contents</summary>\(tocList(toc))</details>"
        }
        html += summary + "<article>" + body + "</article>" + pager(previous: previous, next: next) + "</main></div>"
        return html + "</body></html>\n"
    }

    static func head(title: String) -> String {
        """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"/>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <meta name="color-scheme" content="light dark"/>
        <title>\(HTML.escape(title))</title>
        <link rel="stylesheet" href="assets/katex/katex.min.css"/>
        <link rel="stylesheet" href="assets/book.css"/>
        <script src="assets/search.js" defer="defer"></script>
        </head>

        """
    }

    private static func topBar() -> String {
        "<header class=\"topbar\"><a class=\"home\" href=\"index.html\">\(HTML.escape(bookTitle))</a>"
            + "<div class=\"search\" role=\"search\"><input id=\"search\" type=\"search\" placeholder=\"Search\" "
            + "aria-label=\"Search the chapters\" autocomplete=\"off\"/><ol id=\"search-results\" hidden=\"hidden\"></ol></div></header>"
    }

    private static func chapterList(_ chapters: [ChapterLink], current: String?, toc: [Headings.Entry]) -> String {
        var html = "<ol class=\"chapters\">"
        for chapter in chapters {
            let isCurrent = chapter.id == current
            html += "<li\(isCurrent ? " class=\"current\"" : "")><a href=\"\(HTML.href(chapter.file))\""
                + (isCurrent ? " aria-current=\"page\"" : "") + ">\(HTML.escape(chapter.title))</a>"
            if isCurrent { html += tocList(toc) }
            html += "</li>"
        }
        return html + "</ol>"
    }

    /// The headings below the title, level 2 and 3.
    static func tocList(_ toc: [Headings.Entry]) -> String {
        let entries = toc.filter { $0.level == 2 || $0.level == 3 }
        guard !entries.isEmpty else { return "" }
        return "<ul class=\"toc\">" + entries.map {
            "<li class=\"level-\($0.level)\"><a href=\"#\(HTML.escape($0.id))\">\(stripLinks($0.html))</a></li>"
        }.joined() + "</ul>"
    }

    private static func pager(previous: ChapterLink?, next: ChapterLink?) -> String {
        guard previous != nil || next != nil else { return "" }
        var html = "<nav class=\"pager\" aria-label=\"previous and next chapter\">"
        if let previous {
            html += "<a class=\"previous\" rel=\"prev\" href=\"\(HTML.href(previous.file))\"><span>previous</span>\(HTML.escape(previous.title))</a>"
        }
        if let next {
            html += "<a class=\"next\" rel=\"next\" href=\"\(HTML.href(next.file))\"><span>next</span>\(HTML.escape(next.title))</a>"
        }
        return html + "</nav>"
    }

    /// A heading's HTML without the links it may contain, so it can sit inside a link.
    private static func stripLinks(_ html: String) -> String {
        guard html.contains("<a ") else { return html }
        var out = html
        while let open = out.range(of: "<a "), let end = out.range(of: ">", range: open.upperBound..<out.endIndex) {
            out.removeSubrange(open.lowerBound..<end.upperBound)
        }
        return out.replacingOccurrences(of: "</a>", with: "")
    }
}
