import Foundation
import Notebook

/// A chapter cut into what a notebook holds: runs of prose and cells, in document order.
enum ChapterPart: Equatable {
    /// Markdown between cells, without the blank lines around it.
    case prose(String)
    /// A `swift` cell, by its index in `Chapter.cells`, with its fence's info string.
    case cell(Int, info: String)

    /// The chapter's parts. Fenced blocks whose info string starts with `swift` are the cells
    /// (as `ChapterLoader` reads them); every other block stays in the prose.
    static func split(_ chapter: Chapter) -> [ChapterPart] {
        let lines = chapter.source.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let cellBlocks = MarkdownHTML.codeBlocks(in: chapter.source)
            .filter { $0.fenced && $0.info.split(separator: " ").first == "swift" }
        var parts: [ChapterPart] = []
        var next = 1
        func prose(upTo end: Int) {
            guard end >= next else { return }
            let text = lines[(next - 1)..<end].joined(separator: "\n").trimmingCharacters(in: .newlines)
            if !text.trimmingCharacters(in: .whitespaces).isEmpty { parts.append(.prose(text)) }
        }
        for (index, block) in zip(chapter.cells.indices, cellBlocks) {
            prose(upTo: block.startLine - 1)
            parts.append(.cell(index, info: block.info))
            next = block.endLine + 1
        }
        prose(upTo: lines.count)
        return parts
    }
}
