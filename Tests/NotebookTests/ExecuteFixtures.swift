import ChapterRuntime
import Foundation
import XCTest
@testable import Notebook

/// A throwaway project for end-to-end tests: `Tests/Fixtures/exec/*.md` copied into
/// `<tmp>/Chapters/`, so diagnostics read `Chapters/<name>.md:LINE` as in a real project.
/// Shared by the tests of one process so the compiler's module cache is built once.
enum FixtureProject {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fixtures/exec")

    static let shared: URL = {
        let root = makeProject()
        atexit { try? FileManager.default.removeItem(at: FixtureProject.shared) }
        return root
    }()

    /// A fresh project with the fixture chapters (and an empty cache).
    static func makeProject() -> URL {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("lessons-nbtests-\(UUID().uuidString)")
        let chapters = root.appendingPathComponent("Chapters")
        try! FileManager.default.createDirectory(at: chapters, withIntermediateDirectories: true)
        for name in try! FileManager.default.contentsOfDirectory(atPath: fixtures.path) where name.hasSuffix(".md") {
            try! FileManager.default.copyItem(at: fixtures.appendingPathComponent(name),
                                              to: chapters.appendingPathComponent(name))
        }
        return root
    }

    /// The stages for `root`, linking against this test bundle's own Engine build.
    static func runner(root: URL = shared) -> Stages { Stages(root: root) }
}

/// The Load, Tangle, Build and Execute stages called one by one, as `Pipeline.run` does,
/// so that each can be tested on its own.
struct Stages {
    let root: URL
    var library: ChapterLibrary { ChapterLibrary(root: root) }

    /// Located and fingerprinted once for the whole test process.
    static let toolchain = try! Toolchain.locate()

    var builder: ProgramBuilder { ProgramBuilder(root: root, toolchain: Self.toolchain) }

    func load(_ what: String) throws -> Chapter { try library.load(what) }

    func compile(_ chapter: Chapter, parameters: [String: String] = [:]) throws -> CompiledProgram {
        try builder.compile(Tangler.tangle(chapter, root: root, overrides: parameters), chapter: chapter)
    }

    func programKey(_ chapter: Chapter, parameters: [String: String] = [:]) throws -> String {
        builder.key(for: try Tangler.tangle(chapter, root: root, overrides: parameters))
    }

    func execute(_ program: CompiledProgram, chapter: Chapter, seed: Int = 0, timeout: Double = 120,
                 onEvent: (Event) -> Void = { _ in }) -> RunResult {
        ProgramExecutor(root: root).execute(program, chapter: chapter, settings: RunSettings(seed: seed, timeout: timeout),
                                            onEvent: onEvent)
    }

    /// Compile + execute; a compile error comes back as a result with nothing run.
    func run(_ chapter: Chapter, parameters: [String: String] = [:], seed: Int = 0, timeout: Double = 120,
             onEvent: (Event) -> Void = { _ in }) throws -> RunResult {
        do {
            return execute(try compile(chapter, parameters: parameters), chapter: chapter, seed: seed, timeout: timeout,
                           onEvent: onEvent)
        } catch let failure as ChapterFailure {
            return RunResult(chapterID: chapter.id, seed: seed, parameters: parameters, compileSeconds: 0,
                             cells: chapter.cells.map { CellResult(id: $0.id, status: $0.attributes.norun ? .skipped : .notRun,
                                                                   seconds: 0, stdout: "", stderr: "", metrics: []) },
                             failure: failure)
        }
    }
}
