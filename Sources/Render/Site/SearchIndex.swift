import Foundation
import Notebook

/// The client-side search's index, built with the site (as mdBook does): one entry per
/// section of every chapter, its heading and its prose as plain text. Written as
/// `searchindex.json`, and as `searchindex.js` for pages opened from disk, where a script
/// may not fetch a file.
enum SearchIndex {
    struct Entry: Codable, Equatable {
        var chapter: String
        var chapterTitle: String
        var heading: String
        /// The section's anchor on the chapter page; empty for the text before the first heading.
        var anchor: String
        var text: String
    }

    static func entries(chapter: String, chapterTitle: String, sections: [MarkdownSection],
                        toc: [Headings.Entry], fill: (String) -> String) -> [Entry] {
        var remaining = toc[...]
        return sections.compactMap { section in
            var anchor = "", heading = ""
            if let sectionHeading = section.heading {
                heading = fill(sectionHeading.text)
                if let match = remaining.firstIndex(where: { $0.level == sectionHeading.level && $0.text == heading }) {
                    anchor = remaining[match].id
                    remaining = remaining[(match + 1)...]
                }
            }
            let text = fill(section.text).split(whereSeparator: \.isWhitespace).joined(separator: " ")
            if heading.isEmpty && text.isEmpty { return nil }
            return Entry(chapter: chapter, chapterTitle: chapterTitle, heading: heading, anchor: anchor, text: text)
        }
    }

    static func json(_ entries: [Entry]) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(["entries": entries])
    }

    /// The same JSON as a script that sets `window.lessonsSearchIndex`.
    static func script(_ json: Data) -> Data {
        var script = Data("window.lessonsSearchIndex = ".utf8)
        // `</script>` cannot occur in JSON text unescaped by us, but a `<` never needs to appear.
        script.append(Data(String(decoding: json, as: UTF8.self).replacingOccurrences(of: "<", with: "\\u003c").utf8))
        script.append(Data(";\n".utf8))
        return script
    }
}
