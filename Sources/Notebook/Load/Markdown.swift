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
                title = inlineText(node)
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
}

// MARK: - HTML rendering, for the Render stage
//
// Kept apart from the loader's outline above: Render asks cmark-gfm for the line ranges of the
// code blocks (so that it can leave them alone while it protects math in the prose), and for
// cmark-gfm's own HTML of a document, with the headings and the plain text of each section.

/// A code block of a Markdown document: fenced or indented, with the lines it spans.
public struct MarkdownCodeBlock: Equatable, Sendable {
    /// The info string after the opening fence; empty for an indented block.
    public var info: String
    public var fenced: Bool
    /// 1-based lines of the opening fence (or first indented line) and of the block's last line
    /// (the closing fence, when there is one).
    public var startLine: Int
    public var endLine: Int
}

/// A heading: its level (1–6) and its text without markup.
public struct MarkdownHeading: Equatable, Sendable {
    public var level: Int
    public var text: String
}

/// The prose under one heading (or before the first), as plain text: what a search index holds.
public struct MarkdownSection: Equatable, Sendable {
    public var heading: MarkdownHeading?
    public var text: String
}

/// cmark-gfm's HTML of a document, with its headings in document order (the same order as the
/// `<h1>`…`<h6>` elements in `html`) and its sections.
public struct MarkdownRendering: Equatable, Sendable {
    public var html: String
    public var headings: [MarkdownHeading]
    public var sections: [MarkdownSection]
}

/// Markdown to HTML with cmark-gfm's own renderer and GitHub's extensions (tables,
/// strikethrough, autolinks, task lists, the tag filter). Raw HTML in the Markdown is left out
/// (cmark's safe mode): a chapter's prose cannot inject markup either.
public enum MarkdownHTML {
    static let extensionNames = ["table", "strikethrough", "autolink", "tagfilter", "tasklist"]

    /// Every code block, in document order.
    public static func codeBlocks(in source: String) -> [MarkdownCodeBlock] {
        var blocks: [MarkdownCodeBlock] = []
        withDocument(source) { document, _ in
            let iterator = cmark_iter_new(document)
            defer { cmark_iter_free(iterator) }
            while cmark_iter_next(iterator) != CMARK_EVENT_DONE {
                guard cmark_iter_get_event_type(iterator) == CMARK_EVENT_ENTER,
                      let node = cmark_iter_get_node(iterator),
                      cmark_node_get_type(node) == CMARK_NODE_CODE_BLOCK else { continue }
                var length: Int32 = 0, offset: Int32 = 0
                var character: CChar = 0
                let fenced = cmark_node_get_fenced(node, &length, &offset, &character) != 0
                blocks.append(MarkdownCodeBlock(
                    info: fenced ? String(cString: cmark_node_get_fence_info(node)) : "",
                    fenced: fenced,
                    startLine: Int(cmark_node_get_start_line(node)),
                    endLine: Int(cmark_node_get_end_line(node))))
            }
        }
        return blocks
    }

    /// The document as HTML, with its headings and sections.
    public static func render(_ source: String) -> MarkdownRendering {
        var rendering = MarkdownRendering(html: "", headings: [], sections: [])
        withDocument(source) { document, extensions in
            if let html = cmark_render_html(document, CMARK_OPT_DEFAULT, extensions) {
                rendering.html = String(cString: html)
                cmark_get_default_mem_allocator().pointee.free(html)
            }
            // Every heading, nested ones included, in the order the HTML has them.
            let iterator = cmark_iter_new(document)
            defer { cmark_iter_free(iterator) }
            while cmark_iter_next(iterator) != CMARK_EVENT_DONE {
                guard cmark_iter_get_event_type(iterator) == CMARK_EVENT_ENTER,
                      let node = cmark_iter_get_node(iterator),
                      cmark_node_get_type(node) == CMARK_NODE_HEADING else { continue }
                rendering.headings.append(heading(node))
            }
            // Sections: the top-level blocks between one top-level heading and the next.
            var section = MarkdownSection(heading: nil, text: "")
            var child = cmark_node_first_child(document)
            while let node = child {
                if cmark_node_get_type(node) == CMARK_NODE_HEADING {
                    if section.heading != nil || !section.text.isEmpty { rendering.sections.append(section) }
                    section = MarkdownSection(heading: heading(node), text: "")
                } else if cmark_node_get_type(node) != CMARK_NODE_CODE_BLOCK {
                    let text = inlineText(node)
                    if !text.isEmpty { section.text += (section.text.isEmpty ? "" : " ") + text }
                }
                child = cmark_node_next(node)
            }
            if section.heading != nil || !section.text.isEmpty { rendering.sections.append(section) }
        }
        return rendering
    }

    private static func heading(_ node: OpaquePointer) -> MarkdownHeading {
        MarkdownHeading(level: Int(cmark_node_get_heading_level(node)), text: inlineText(node))
    }

    /// Parses `source` with the GFM extensions attached and hands over the document and the
    /// extension list the HTML renderer needs; both are freed afterwards.
    private static func withDocument(_ source: String, _ body: (OpaquePointer, UnsafeMutablePointer<cmark_llist>?) -> Void) {
        cmark_gfm_core_extensions_ensure_registered()
        guard let parser = cmark_parser_new(CMARK_OPT_DEFAULT) else { return }
        defer { cmark_parser_free(parser) }
        for name in extensionNames {
            if let handle = cmark_find_syntax_extension(name) { cmark_parser_attach_syntax_extension(parser, handle) }
        }
        cmark_parser_feed(parser, source, source.utf8.count)
        guard let document = cmark_parser_finish(parser) else { return }
        defer { cmark_node_free(document) }
        body(document, cmark_parser_get_syntax_extensions(parser))
    }
}

/// The text of a node's inline content (code spans included, code blocks left out),
/// line breaks as spaces.
private func inlineText(_ root: OpaquePointer) -> String {
    var text = ""
    let iterator = cmark_iter_new(root)
    defer { cmark_iter_free(iterator) }
    while cmark_iter_next(iterator) != CMARK_EVENT_DONE {
        guard cmark_iter_get_event_type(iterator) == CMARK_EVENT_ENTER,
              let node = cmark_iter_get_node(iterator) else { continue }
        let type = cmark_node_get_type(node)
        if type == CMARK_NODE_TEXT || type == CMARK_NODE_CODE, let literal = cmark_node_get_literal(node) {
            text += String(cString: literal)
        } else if type == CMARK_NODE_SOFTBREAK || type == CMARK_NODE_LINEBREAK {
            text += " "
        } else if type.rawValue & blockMask == blockFlag || type == CMARK_NODE_CODE_BLOCK {
            // A new block (paragraph, list item, table cell): a word boundary.
            if !text.isEmpty && !text.hasSuffix(" ") { text += " " }
        }
    }
    return text.trimmingCharacters(in: .whitespaces)
}

/// cmark-gfm marks block node types (extensions' table cells among them) with these bits.
private let blockMask: UInt32 = 0xC000
private let blockFlag: UInt32 = 0x8000
