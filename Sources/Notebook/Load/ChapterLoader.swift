import Foundation

/// Stage 1: a chapter's Markdown → `Chapter`. Fenced blocks whose info string starts with
/// the word `swift` become cells; every other block is prose.
public enum ChapterLoader {
    /// The attributes a `swift` fence may carry, for error messages.
    public static let knownAttributes = ["id=NAME", "hidden", "norun", "parameters", "exercise=NAME", "timeout=SECONDS"]

    /// Reads and parses the file at `url`. Errors (and later compiler diagnostics) name the
    /// file relative to `root` when it is inside it, else by its full path.
    public static func load(contentsOf url: URL, root: URL? = nil) throws -> Chapter {
        let source: String
        do {
            source = try String(contentsOf: url, encoding: .utf8)
        } catch {
            throw LibraryError("cannot read \(url.path): \(error.localizedDescription)")
        }
        return try parse(source, path: url, displayPath: displayPath(of: url, root: root))
    }

    /// Parses Markdown `source` as the chapter stored at `path` (the id is its file stem).
    public static func parse(_ source: String, path: URL, displayPath: String? = nil) throws -> Chapter {
        let file = displayPath ?? path.path
        let id = path.deletingPathExtension().lastPathComponent
        let outline = MarkdownOutline(parsing: source)
        var cells: [Cell] = []
        var lineOfID: [String: Int] = [:]
        for block in outline.fencedBlocks {
            let words = block.info.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
            try checkFence(block, language: words.first ?? "", file: file)
            guard words.first == "swift" else { continue }
            let (attributes, name) = try parseAttributes(Array(words.dropFirst()), file: file, line: block.fenceLine)
            let cellID = name ?? "cell-\(cells.count + 1)"
            if let first = lineOfID[cellID] {
                throw ChapterError(file: file, line: block.fenceLine,
                                   message: "duplicate cell id '\(cellID)' (first used on line \(first))")
            }
            lineOfID[cellID] = block.fenceLine
            cells.append(Cell(id: cellID, index: cells.count, code: block.code,
                              line: block.fenceLine + 1, attributes: attributes))
        }
        return Chapter(id: id, title: outline.title ?? id, path: path, source: source, cells: cells)
    }

    /// Rejects the fences that would make a cell vanish without a word: a cell is only a block
    /// fenced ```` ```swift ````, so a fence that is never closed (cmark closes it at the end of
    /// the document, or of its list item or quote) or that swallows a ```` ```swift ```` line
    /// hides the cells after it, and ```` ```Swift ```` is shown but never run.
    static func checkFence(_ block: MarkdownOutline.FencedBlock, language: String, file: String) throws {
        let fence = String(repeating: block.fenceCharacter, count: block.fenceLength)
        let opening = fence + block.info.prefix { $0 != " " && $0 != "\t" }
        if language != "swift" && language.lowercased() == "swift" {
            throw ChapterError(file: file, line: block.fenceLine, message: "\(opening) is not a cell: cells are "
                + "fenced \(fence)swift, in lower case; write \(fence)swift to run this code, or name "
                + "another language (e.g. \(fence)text) to only show it")
        }
        let lines = block.code.split(separator: "\n", omittingEmptySubsequences: false)
        let swallowed = lines.firstIndex { opensSwiftFence($0, character: block.fenceCharacter, length: block.fenceLength) }
            .map { block.fenceLine + 1 + $0 }
        let what = language == "swift" ? "this swift cell" : "the \(opening) block opened here"
        if let swallowed {
            throw ChapterError(file: file, line: block.fenceLine, message: "\(what) is not closed before the "
                + "\(fence)swift fence on line \(swallowed), so that cell would be read as part of it; add a "
                + "closing \(fence) line where this block's text ends")
        }
        guard block.closed else {
            throw ChapterError(file: file, line: block.fenceLine, message: "\(what) is never closed, so everything "
                + "after it (to line \(block.endLine)) is read as its text; add a closing \(fence) line")
        }
    }

    /// Whether `line`, inside a block fenced by `length` × `character`, looks like the opening
    /// fence of a swift cell that the block swallowed: the same character, at least as many
    /// (a longer outer fence is how a listing shows a cell's fence on purpose), then `swift`.
    private static func opensSwiftFence(_ line: Substring, character: Character, length: Int) -> Bool {
        let rest = line.drop { $0 == " " || $0 == "\t" }
        let fence = rest.prefix { $0 == character }
        guard fence.count >= length else { return false }
        let info = rest.dropFirst(fence.count).drop { $0 == " " || $0 == "\t" }
        let word = info.prefix { $0 != " " && $0 != "\t" && $0 != "\r" }
        return word.lowercased() == "swift"
    }

    /// `path` relative to `root` when inside it (`Chapters/12-gru.md`), else the full path.
    public static func displayPath(of path: URL, root: URL?) -> String {
        let full = path.standardizedFileURL.path
        guard let root else { return full }
        let prefix = root.standardizedFileURL.path + "/"
        return full.hasPrefix(prefix) ? String(full.dropFirst(prefix.count)) : full
    }

    /// The words after `swift`. Returns the attributes and the `id=` name, if any.
    static func parseAttributes(_ words: [String], file: String, line: Int) throws -> (CellAttributes, String?) {
        var attributes = CellAttributes()
        var id: String?
        var seen = Set<String>()
        func fail(_ message: String) -> ChapterError { ChapterError(file: file, line: line, message: message) }
        for word in words {
            let parts = word.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let key = String(parts[0])
            let value = parts.count > 1 ? String(parts[1]) : nil
            guard seen.insert(key).inserted else { throw fail("attribute '\(key)' given twice") }
            switch key {
            case "hidden", "norun", "parameters":
                guard value == nil else { throw fail("attribute '\(key)' takes no value (got '\(word)')") }
                if key == "hidden" { attributes.hidden = true }
                if key == "norun" { attributes.norun = true }
                if key == "parameters" { attributes.parameters = true }
            case "id", "exercise":
                guard let value, isName(value) else {
                    throw fail("malformed attribute '\(word)': expected \(key)=NAME (letters, digits, '-', '_', '.')")
                }
                if key == "id" { id = value } else { attributes.exercise = value }
            case "timeout":
                guard let value, let seconds = Double(value), seconds.isFinite, seconds > 0 else {
                    throw fail("malformed attribute '\(word)': expected timeout=SECONDS, a positive number")
                }
                attributes.timeout = seconds
            default:
                throw fail("unknown cell attribute '\(word)'; known attributes: "
                           + knownAttributes.joined(separator: ", "))
            }
        }
        return (attributes, id)
    }

    private static func isName(_ text: String) -> Bool {
        !text.isEmpty && text.unicodeScalars.allSatisfy {
            CharacterSet.alphanumerics.contains($0) || "-_.".unicodeScalars.contains($0)
        }
    }
}
