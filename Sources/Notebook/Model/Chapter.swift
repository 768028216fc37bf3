import Foundation

/// A chapter: a Markdown file whose fenced `swift` blocks are cells.
/// Stage 1 of the pipeline (load → tangle → compile → execute → check → report).
public struct Chapter: Equatable, Sendable {
    /// The file stem, e.g. `12-gru`.
    public var id: String
    /// The first level-1 heading's text, or the id.
    public var title: String
    /// The Markdown file.
    public var path: URL
    /// The whole Markdown source.
    public var source: String
    /// Every `swift` cell, in document order (`norun` cells included).
    public var cells: [Cell]

    public init(id: String, title: String, path: URL, source: String, cells: [Cell]) {
        self.id = id; self.title = title; self.path = path; self.source = source; self.cells = cells
    }

    /// The cells that run, in order.
    public var runnableCells: [Cell] { cells.filter { !$0.attributes.norun } }
}

/// One fenced code block whose info string starts with `swift`.
public struct Cell: Equatable, Sendable {
    /// Stable name (`id=NAME`), or `cell-N` (N counts all swift cells from 1) when not given.
    public var id: String
    /// Position among the chapter's swift cells, from 0.
    public var index: Int
    /// The code, without the fences.
    public var code: String
    /// 1-based line in the `.md` file of the code's first line (the line after the opening fence).
    public var line: Int
    public var attributes: CellAttributes
    /// The file the code comes from, as diagnostics name it, when it is not the chapter's own
    /// (a submission's `.md` or a solution file spliced into an exercise cell); nil for the chapter.
    public var sourceFile: String?

    public init(id: String, index: Int, code: String, line: Int, attributes: CellAttributes, sourceFile: String? = nil) {
        self.id = id; self.index = index; self.code = code; self.line = line; self.attributes = attributes
        self.sourceFile = sourceFile
    }
}

/// The words after `swift` in a fence's info string.
public struct CellAttributes: Equatable, Sendable {
    /// Runs, but is not shown when rendered.
    public var hidden = false
    /// Shown, never run.
    public var norun = false
    /// Declares the chapter's parameters (`let name = literal` lines), which `--param` overrides.
    public var parameters = false
    /// A cell students replace with their own solution (grading).
    public var exercise: String?
    /// Seconds this cell may run before it is killed.
    public var timeout: Double?

    public init(hidden: Bool = false, norun: Bool = false, parameters: Bool = false,
                exercise: String? = nil, timeout: Double? = nil) {
        self.hidden = hidden; self.norun = norun; self.parameters = parameters
        self.exercise = exercise; self.timeout = timeout
    }
}
