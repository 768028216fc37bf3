import Foundation

/// Code that takes the place of an exercise cell's: a student's submission or a reference
/// solution, with where it came from, so that compiler errors and crashes point at the
/// submitted file and line rather than at the chapter's starter.
public struct CellReplacement: Equatable, Sendable {
    public var code: String
    /// The file as diagnostics name it (e.g. `submission/Chapters/10-rnn-scratch.md`).
    public var file: String
    /// 1-based line in `file` of the code's first line.
    public var line: Int

    public init(code: String, file: String, line: Int) {
        self.code = code; self.file = file; self.line = line
    }
}

extension Chapter {
    /// The chapter as a grading run executes it: exercise cells replaced by `replacements`,
    /// only the cells `onlyCells` names left runnable (when given), and `appended` cells added
    /// at the end. Throws `ChapterFailure` (`.chapter`) when a replacement or a cell it names
    /// does not exist, so a typo in a grader's file never grades the wrong code.
    public func prepared(replacements: [String: CellReplacement], onlyCells: [String]?, appended: [Cell]) throws -> Chapter {
        var chapter = self
        let exercises = Set(cells.compactMap(\.attributes.exercise))
        for name in replacements.keys.sorted() where !exercises.contains(name) {
            throw ChapterFailure(kind: .chapter, file: nil, message:
                "chapter \(id) has no cell marked exercise=\(name)"
                + (exercises.isEmpty ? "" : " (its exercises: \(exercises.sorted().joined(separator: ", ")))"))
        }
        if let onlyCells {
            for name in onlyCells where !cells.contains(where: { $0.id == name && !$0.attributes.norun }) {
                throw ChapterFailure(kind: .chapter, message: "chapter \(id) has no runnable cell '\(name)'")
            }
        }
        for i in chapter.cells.indices {
            let cell = chapter.cells[i]
            if let exercise = cell.attributes.exercise, let replacement = replacements[exercise] {
                chapter.cells[i].code = replacement.code
                chapter.cells[i].line = replacement.line
                chapter.cells[i].sourceFile = replacement.file
            }
            if let onlyCells, !onlyCells.contains(cell.id) { chapter.cells[i].attributes.norun = true }
        }
        for cell in appended {
            var added = cell
            added.index = chapter.cells.count
            guard !chapter.cells.contains(where: { $0.id == cell.id }) else {
                throw ChapterFailure(kind: .chapter, message: "chapter \(id) already has a cell '\(cell.id)'")
            }
            chapter.cells.append(added)
        }
        return chapter
    }
}
