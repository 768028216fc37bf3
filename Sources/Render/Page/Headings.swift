import Foundation

/// Ids and anchors for a page's headings, and its table of contents.
enum Headings {
    struct Entry: Equatable {
        var level: Int
        var id: String
        /// The heading's content as HTML (math and code included), for the table of contents.
        var html: String
        var text: String
    }

    /// Gives each `<h1>`…`<h6>` of cmark's `html` an id made from its text (`texts`, in
    /// document order) and a `#` link to itself.
    static func anchor(_ html: String, headings texts: [String]) -> (String, [Entry]) {
        var out = ""
        var entries: [Entry] = []
        var taken: Set<String> = []
        var rest = Substring(html)
        while let open = nextHeading(in: rest) {
            let level = open.level
            let close = "</h\(level)>"
            guard let end = rest.range(of: close, range: open.range.upperBound..<rest.endIndex) else { break }
            let inner = String(rest[open.range.upperBound..<end.lowerBound])
            let text = entries.count < texts.count ? texts[entries.count] : HTML.plainText(inner)
            let id = HTML.slug(text, taken: &taken)
            out += rest[..<open.range.lowerBound]
            out += "<h\(level) id=\"\(HTML.escape(id))\">\(inner)<a class=\"anchor\" href=\"#\(HTML.escape(id))\" "
                + "aria-label=\"link to this section\">#</a>\(close)"
            entries.append(Entry(level: level, id: id, html: inner, text: text))
            rest = rest[end.upperBound...]
        }
        return (out + rest, entries)
    }

    /// The next `<hN>` exactly as cmark writes it (no attributes).
    private static func nextHeading(in text: Substring) -> (range: Range<Substring.Index>, level: Int)? {
        var search = text.startIndex
        while let open = text.range(of: "<h", range: search..<text.endIndex) {
            let after = text[open.upperBound...]
            if let digit = after.first, let level = Int(String(digit)), (1...6).contains(level),
               after.dropFirst().first == ">" {
                return (open.lowerBound..<text.index(open.upperBound, offsetBy: 2), level)
            }
            search = open.upperBound
        }
        return nil
    }
}
