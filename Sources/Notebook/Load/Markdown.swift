import CMarkGFM

/// The parts of a Markdown document the loader needs, read with cmark-gfm (the same
/// parser GitHub renders the chapters with, so what is a code block here is one there).
/// This is the only file that imports CMarkGFM.
struct MarkdownOutline {
    /// A fenced code block, any language.
    struct FencedBlock {
        /// The info string after the opening fence, e.g. `swift id=train timeout=60`.
        var info: String
        var code: String
        /// 1-based line of the opening fence.
        var fenceLine: Int
        /// 1-based line where the block ends (its closing fence, or the last line it took).
        var endLine: Int
        /// The opening fence: its character (`` ` `` or `~`) and how many of them.
        var fenceCharacter: Character
        var fenceLength: Int
        /// False when the document (or the enclosing list item or quote) ended before a
        /// closing fence: cmark closes such a block silently, which would turn the rest of
        /// the chapter into code.
        var closed: Bool
    }

    /// The text of the first level-1 heading.
    var title: String?
    var fencedBlocks: [FencedBlock] = []

    init(parsing source: String) {
        cmark_gfm_core_extensions_ensure_registered()
        let parser = cmark_parser_new(CMARK_OPT_DEFAULT)
        defer { cmark_parser_free(parser) }
        // The extensions change what counts as a block (a table row is not a paragraph),
        // so attach the ones GitHub uses to agree with its rendering.
        for name in ["table", "strikethrough", "autolink"] {
            if let extensionHandle = cmark_find_syntax_extension(name) {
                cmark_parser_attach_syntax_extension(parser, extensionHandle)
            }
        }
        cmark_parser_feed(parser, source, source.utf8.count)
        guard let document = cmark_parser_finish(parser) else { return }
        defer { cmark_node_free(document) }

        let lines = source.split(separator: "\n", omittingEmptySubsequences: false)
        let iterator = cmark_iter_new(document)
        defer { cmark_iter_free(iterator) }
        while cmark_iter_next(iterator) != CMARK_EVENT_DONE {
            guard cmark_iter_get_event_type(iterator) == CMARK_EVENT_ENTER,
                  let node = cmark_iter_get_node(iterator) else { continue }
            switch cmark_node_get_type(node) {
            case CMARK_NODE_HEADING where title == nil && cmark_node_get_heading_level(node) == 1:
                title = Self.plainText(node)
            case CMARK_NODE_CODE_BLOCK:
                var length: Int32 = 0, offset: Int32 = 0
                var character: CChar = 0
                guard cmark_node_get_fenced(node, &length, &offset, &character) != 0 else { continue }
                let start = Int(cmark_node_get_start_line(node))
                let end = Int(cmark_node_get_end_line(node))
                let closing = end > start && end <= lines.count ? String(lines[end - 1]) : ""
                fencedBlocks.append(FencedBlock(
                    info: String(cString: cmark_node_get_fence_info(node)),
                    code: String(cString: cmark_node_get_literal(node)),
                    fenceLine: start, endLine: end,
                    fenceCharacter: Character(Unicode.Scalar(UInt8(bitPattern: character))),
                    fenceLength: Int(length),
                    closed: Self.isClosingFence(closing, character: UInt8(bitPattern: character),
                                                length: Int(length))))
            default:
                continue
            }
        }
    }

    /// Whether `line` closes a fence of `length` × `character`: at least as many fence
    /// characters, then only spaces (after any list indentation or `>` quote markers).
    static func isClosingFence(_ line: String, character: UInt8, length: Int) -> Bool {
        var rest = Substring(line).drop { $0 == " " || $0 == "\t" || $0 == ">" }
        let fence = rest.prefix { $0.asciiValue == character }
        guard fence.count >= length else { return false }
        rest = rest.dropFirst(fence.count)
        return rest.allSatisfy { $0 == " " || $0 == "\t" || $0 == "\r" }
    }

    /// The concatenated text of a heading's inline children (emphasis and code included).
    private static func plainText(_ heading: OpaquePointer) -> String {
        var text = ""
        let iterator = cmark_iter_new(heading)
        defer { cmark_iter_free(iterator) }
        while cmark_iter_next(iterator) != CMARK_EVENT_DONE {
            guard cmark_iter_get_event_type(iterator) == CMARK_EVENT_ENTER,
                  let node = cmark_iter_get_node(iterator) else { continue }
            let type = cmark_node_get_type(node)
            if type == CMARK_NODE_TEXT || type == CMARK_NODE_CODE, let literal = cmark_node_get_literal(node) {
                text += String(cString: literal)
            } else if type == CMARK_NODE_SOFTBREAK || type == CMARK_NODE_LINEBREAK {
                text += " "
            }
        }
        return text
    }
}
