import Foundation

/// Escaping and small helpers for the markup Render writes. Every text that comes from a
/// chapter's output, ids, notes or messages goes through `escape` before it reaches a page.
///
/// Pages are well-formed XML as well as HTML5 (every element closed, attributes quoted and
/// given values), so that tests can read them with an XML parser.
enum HTML {
    /// `text` with `& < > " '` replaced by character references: safe in element content and
    /// in quoted attribute values.
    static func escape(_ text: String) -> String {
        guard text.utf8.contains(where: { $0 == 0x26 || $0 == 0x3C || $0 == 0x3E || $0 == 0x22 || $0 == 0x27 }) else {
            return text
        }
        var out = ""
        out.reserveCapacity(text.utf8.count + 16)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// A relative link to a file of the site: percent-encoded, then escaped for an attribute.
    static func href(_ path: String, fragment: String? = nil) -> String {
        let encoded = path.addingPercentEncoding(withAllowedCharacters: pathCharacters) ?? path
        let anchor = fragment.map { "#" + ($0.addingPercentEncoding(withAllowedCharacters: pathCharacters) ?? $0) } ?? ""
        return escape(encoded + anchor)
    }

    private static let pathCharacters: CharacterSet = {
        var set = CharacterSet.alphanumerics
        set.insert(charactersIn: "-._~/")
        return set
    }()

    /// A heading's anchor: lower-case words joined by `-` (letters and digits of any script
    /// kept, everything else dropped), made unique with `-2`, `-3`… against `taken`.
    static func slug(_ text: String, taken: inout Set<String>) -> String {
        var words: [String] = []
        var word = ""
        for character in text.lowercased() {
            if character.isLetter || character.isNumber {
                word.append(character)
            } else if !word.isEmpty {
                words.append(word)
                word = ""
            }
        }
        if !word.isEmpty { words.append(word) }
        let base = words.isEmpty ? "section" : words.joined(separator: "-")
        var candidate = base
        var n = 2
        while taken.contains(candidate) { candidate = "\(base)-\(n)"; n += 1 }
        taken.insert(candidate)
        return candidate
    }

    /// `text` without tags, with the character references cmark and KaTeX write decoded:
    /// the words of a snippet of HTML.
    static func plainText(_ html: String) -> String {
        var out = ""
        var inTag = false
        for character in html {
            if character == "<" { inTag = true; continue }
            if character == ">" { inTag = false; continue }
            if !inTag { out.append(character) }
        }
        return out.replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&#39;", with: "'")
            .replacingOccurrences(of: "&amp;", with: "&")
    }
}
