import Engine
import Foundation

// The Notebook pipeline, one stage per folder, each usable alone:
//
//   Load     ChapterLibrary(root:).resolve/load, ChapterLoader.parse    Markdown → Chapter
//   Tangle   Tangler.tangle(_:root:overrides:)                          Chapter → TangledProgram
//   Build    ProgramBuilder(root:engine:).compile(_:chapter:)           TangledProgram → CompiledProgram
//   Execute  ProgramExecutor(root:).execute(_:chapter:seed:timeout:onEvent:) → RunResult
//
// `NotebookRunner` strings them together for the CLI:
//
//   let runner = try NotebookRunner.forCurrentDirectory()
//   let chapter = try runner.load("12")                       // ChapterError / LibraryError
//   let result = runner.run(chapter, parameters: ["epochs": "2"], seed: 1) { event in … }
//   // result.failure: .compile / .crash / .timeout / .nonFinite / .internalError, naming the cell
//
// Errors: problems in what the user typed or wrote (`LibraryError`, `ChapterError`,
// `ParameterError`) are thrown; everything that happens to the program (compile errors
// included) is a `RunFailure` in the `RunResult`.

/// Loads, compiles and runs chapters of the project at `root`.
public struct NotebookRunner: Sendable {
    public let root: URL
    public let library: ChapterLibrary
    /// The Engine build to link against; nil means the one the running executable belongs to.
    public let buildDirectory: URL?
    /// Compile chapter programs with `-O` (default `-Onone`: faster to compile, and the
    /// heavy lifting is in Engine, which is always optimized).
    public var optimize = false

    public init(root: URL, buildDirectory: URL? = nil) {
        self.root = root.standardizedFileURL
        self.library = ChapterLibrary(root: root)
        self.buildDirectory = buildDirectory
    }

    /// The project holding the current directory (see `ChapterLibrary.findRoot`).
    public static func forCurrentDirectory() throws -> NotebookRunner {
        NotebookRunner(root: try ChapterLibrary.findRoot())
    }

    /// `12-gru`, `12`, `gru`, or a path to a `.md` file.
    public func load(_ what: String) throws -> Chapter { try library.load(what) }

    /// `Expected/<id>.json`.
    public func expectedURL(for chapter: Chapter) -> URL { library.expectedURL(forChapterID: chapter.id) }

    /// The chapter's parameters and their default values.
    public func parameters(of chapter: Chapter) -> [ChapterParameter] { Tangler.parameters(of: chapter) }

    /// Tangles with `parameters` (name → value) and compiles, reusing a cached program.
    /// Throws `ParameterError` for bad overrides, `RunFailure` (`.compile`, `.internalError`).
    public func compile(_ chapter: Chapter, parameters: [String: String] = [:]) throws -> CompiledProgram {
        let tangled = try Tangler.tangle(chapter, root: root, overrides: parameters)
        return try builder().compile(tangled, chapter: chapter)
    }

    /// `CompiledProgram.key` as `compile` would compute it, without compiling.
    public func programKey(_ chapter: Chapter, parameters: [String: String] = [:]) throws -> String {
        try builder().key(for: Tangler.tangle(chapter, root: root, overrides: parameters))
    }

    /// `swiftc --version` of the compiler chapters are built with.
    public func toolchainVersion() throws -> String { try ProgramBuilder.toolchainVersion() }

    private func builder() throws -> ProgramBuilder {
        let engine = try buildDirectory.map(EngineBuild.init(directory:)) ?? EngineBuild.locate()
        return ProgramBuilder(root: root, engine: engine, optimize: optimize)
    }

    /// Runs a compiled program; see `ProgramExecutor.execute`.
    public func execute(_ program: CompiledProgram, chapter: Chapter, seed: Int = 0, timeout: Double = 1800,
                        onEvent: (Event) -> Void = { _ in }) -> RunResult {
        ProgramExecutor(root: root).execute(program, chapter: chapter, seed: seed, timeout: timeout, onEvent: onEvent)
    }

    /// Compile + execute. Throws only `ParameterError`; a compile error comes back as a
    /// result whose `failure` is `.compile` and whose cells are all `notRun` (`skipped` for `norun`).
    public func run(_ chapter: Chapter, parameters: [String: String] = [:], seed: Int = 0, timeout: Double = 1800,
                    onEvent: (Event) -> Void = { _ in }) throws -> RunResult {
        do {
            let program = try compile(chapter, parameters: parameters)
            return execute(program, chapter: chapter, seed: seed, timeout: timeout, onEvent: onEvent)
        } catch let failure as RunFailure {
            return RunResult(chapterID: chapter.id, seed: seed, parameters: parameters, compileSeconds: 0,
                             cells: chapter.cells.map(CellResult.unstarted), failure: failure)
        }
    }
}
