import Foundation
import Notebook

/// What Render takes out of a chapter's Markdown before cmark-gfm sees it, so that cmark
/// neither mangles it (`_` and `\\` inside math) nor renders it as code: each is replaced by
/// a placeholder that cmark passes through as plain text, and put back into cmark's HTML.
struct ProseToken: Equatable {
    enum Kind: Equatable {
        /// `$…$` or `$$…$$`, with the TeX between the dollars.
        case math(tex: String, display: Bool)
        /// `{{cell.metric@epoch}}`, with the text between the braces.
        case reference(String)
        /// A `swift` fenced block: a cell, by its index in `Chapter.cells`.
        case cell(Int)
    }

    var kind: Kind
    /// 1-based `.md` line where it starts.
    var line: Int
    /// The Markdown it replaced, shown as is when it cannot be rendered.
    var source: String
}

/// A chapter's Markdown with math, references and cells replaced by placeholders.
struct ProtectedProse {
    var markdown: String
    var tokens: [ProseToken]
    /// Problems found while scanning (an unclosed `$$`), as `.md` line and message.
    var problems: [(line: Int, message: String)] = []

    /// The placeholder of token `index`: private-use characters around the number, which cmark
    /// treats like letters (no emphasis, no escaping) and no chapter writes.
    static func placeholder(_ index: Int) -> String { "\u{E000}\(index)\u{E001}" }

    /// The placeholders in `text`, in order, with their token indices.
    static func placeholders(in text: String) -> [(range: Range<String.Index>, index: Int)] {
        var found: [(Range<String.Index>, Int)] = []
        var search = text.startIndex
        while let open = text.range(of: "\u{E000}", range: search..<text.endIndex),
              let close = text.range(of: "\u{E001}", range: open.upperBound..<text.endIndex) {
            if let index = Int(text[open.upperBound..<close.lowerBound]) {
                found.append((open.lowerBound..<close.upperBound, index))
            }
            search = close.upperBound
        }
        return found
    }

    /// Scans `chapter`'s source. Code blocks are left alone except the `swift` ones, the
    /// chapter's cells, which become placeholder paragraphs (at the fence's indentation).
    init(chapter: Chapter) {
        let lines = chapter.source.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let blocks = MarkdownHTML.codeBlocks(in: chapter.source)
        var cellAt: [Int: Int] = [:]        // fence line → cell index
        var swiftBlocks = 0
        for block in blocks where block.fenced && block.info.split(separator: " ").first == "swift" {
            if swiftBlocks < chapter.cells.count { cellAt[block.startLine] = swiftBlocks }
            swiftBlocks += 1
        }
        var blockEnd: [Int: Int] = [:]      // start line → end line
        for block in blocks { blockEnd[block.startLine] = block.endLine }

        tokens = []
        markdown = ""
        var output: [String] = []
        var prose: [String] = []
        var proseStart = 1
        func flushProse() {
            guard !prose.isEmpty else { return }
            output.append(scan(prose.joined(separator: "\n"), firstLine: proseStart))
            prose = []
        }
        var number = 1
        while number <= lines.count {
            if let end = blockEnd[number] {
                flushProse()
                let last = min(max(end, number), lines.count)
                if let cell = cellAt[number] {
                    let indent = String(lines[number - 1].prefix { $0 == " " || $0 == ">" })
                    tokens.append(ProseToken(kind: .cell(cell), line: number, source: ""))
                    output.append(indent + Self.placeholder(tokens.count - 1))
                } else {
                    output.append(contentsOf: lines[(number - 1)..<last])
                }
                number = last + 1
                proseStart = number
            } else {
                if prose.isEmpty { proseStart = number }
                prose.append(lines[number - 1])
                number += 1
            }
        }
        flushProse()
        markdown = output.joined(separator: "\n")
    }

    /// Replaces math and references in one run of prose lines (no code block inside).
    private mutating func scan(_ text: String, firstLine: Int) -> String {
        let bytes = Array(text.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var line = firstLine
        var i = 0

        func count(_ byte: UInt8, from start: Int) -> Int {
            var j = start
            while j < bytes.count && bytes[j] == byte { j += 1 }
            return j - start
        }
        func string(_ range: Range<Int>) -> String { String(decoding: bytes[range], as: UTF8.self) }
        func newlines(_ range: Range<Int>) -> Int { bytes[range].reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) } }
        /// A blank line (paragraph end) between `start` and `end`.
        func blankLine(_ range: Range<Int>) -> Bool {
            var j = range.lowerBound
            while j < range.upperBound {
                if bytes[j] == 0x0A {
                    var k = j + 1
                    while k < range.upperBound && (bytes[k] == 0x20 || bytes[k] == 0x09) { k += 1 }
                    if k < range.upperBound && bytes[k] == 0x0A { return true }
                }
                j += 1
            }
            return false
        }
        func emit(_ kind: ProseToken.Kind, _ range: Range<Int>) {
            tokens.append(ProseToken(kind: kind, line: line, source: string(range)))
            out.append(contentsOf: Array(Self.placeholder(tokens.count - 1).utf8))
            line += newlines(range)
            i = range.upperBound
        }

        while i < bytes.count {
            let byte = bytes[i]
            switch byte {
            case 0x5C where i + 1 < bytes.count && bytes[i + 1] != 0x0A:   // a backslash escape
                out.append(contentsOf: bytes[i...(i + 1)])
                i += 2
            case 0x60:                                                     // a code span
                let run = count(0x60, from: i)
                var j = i + run
                var closing: Int?
                while j < bytes.count {
                    if bytes[j] == 0x60 {
                        let other = count(0x60, from: j)
                        if other == run { closing = j; break }
                        j += other
                    } else {
                        j += 1
                    }
                }
                let end = closing.map { $0 + run } ?? i + run
                if closing != nil && blankLine(i..<end) {
                    out.append(contentsOf: bytes[i..<(i + run)])
                    i += run
                } else {
                    out.append(contentsOf: bytes[i..<end])
                    line += newlines(i..<end)
                    i = end
                }
            case 0x24 where i + 1 < bytes.count && bytes[i + 1] == 0x24:   // $$ … $$
                var j = i + 2
                while j + 1 < bytes.count && !(bytes[j] == 0x24 && bytes[j + 1] == 0x24 && bytes[j - 1] != 0x5C) { j += 1 }
                if j + 1 < bytes.count {
                    let tex = string((i + 2)..<j).trimmingCharacters(in: .whitespacesAndNewlines)
                    emit(.math(tex: tex, display: true), i..<(j + 2))
                } else {
                    problems.append((line, "a display formula opened with $$ is never closed"))
                    out.append(contentsOf: [0x24, 0x24])
                    i += 2
                }
            case 0x24:                                                     // $ … $
                if let close = inlineMathEnd(bytes, from: i), !blankLine(i..<close) {
                    emit(.math(tex: string((i + 1)..<close), display: false), i..<(close + 1))
                } else {
                    out.append(byte)
                    i += 1
                }
            case 0x7B where i + 1 < bytes.count && bytes[i + 1] == 0x7B:   // {{ … }}
                var j = i + 2
                while j + 1 < bytes.count && bytes[j] != 0x0A && !(bytes[j] == 0x7D && bytes[j + 1] == 0x7D) { j += 1 }
                if j + 1 < bytes.count && bytes[j] == 0x7D {
                    emit(.reference(string((i + 2)..<j).trimmingCharacters(in: .whitespaces)), i..<(j + 2))
                } else {
                    out.append(contentsOf: [0x7B, 0x7B])
                    i += 2
                }
            default:
                if byte == 0x0A { line += 1 }
                out.append(byte)
                i += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The closing `$` of inline math opened at `start`, TeX's and pandoc's rule: the opening
    /// `$` is followed by a non-space, the closing one preceded by a non-space (and no
    /// backslash) and not followed by a digit, so `costs $5 and $6` stays text.
    private func inlineMathEnd(_ bytes: [UInt8], from start: Int) -> Int? {
        guard start + 1 < bytes.count, !isSpace(bytes[start + 1]) else { return nil }
        var j = start + 1
        while j < bytes.count {
            if bytes[j] == 0x5C { j += 2; continue }
            if bytes[j] == 0x24 {
                let followedByDigit = j + 1 < bytes.count && (0x30...0x39).contains(bytes[j + 1])
                if !isSpace(bytes[j - 1]) && !followedByDigit && j > start + 1 { return j }
                return nil
            }
            j += 1
        }
        return nil
    }

    private func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D }
}
