import XCTest
@testable import Notebook

final class BuildTests: XCTestCase {
    /// The program links against this test bundle's Engine and everything Engine depends on —
    /// OpenBLAS (a matrix product), ChapterRuntime (a metric), and ZIPFoundation, which Engine's
    /// objects reference, so that a missing object would fail the link —
    /// and runs.
    func testAProgramBuiltAgainstTheEngineBuildLinksAndRuns() throws {
        let runner = FixtureProject.runner()
        let result = try runner.run(try runner.load("links"))
        XCTAssertNil(result.failure, "\(String(describing: result.failure))")
        XCTAssertEqual(result.cells.first?.stdout, "product [19.0, 22.0, 43.0, 50.0]\n")
        XCTAssertEqual(result.cells.first?.metrics, [Metric(name: "sum", epoch: nil, value: 134)])
        XCTAssertThrowsError(try EngineBuild(directory: FileManager.default.temporaryDirectory))
    }

    func testCompileErrorPointsAtTheMarkdownLineAndCell() throws {
        let runner = FixtureProject.runner()
        let chapter = try runner.load("compile-error")
        XCTAssertThrowsError(try runner.compile(chapter)) { error in
            guard let failure = error as? ChapterFailure else { return XCTFail("\(error)") }
            XCTAssertEqual(failure.kind, .compile)
            XCTAssertEqual(failure.cell, "broken")
            XCTAssertEqual(failure.line, 11)
            XCTAssertEqual(failure.file, "Chapters/compile-error.md")
            XCTAssertTrue(failure.message.contains("Chapters/compile-error.md:11:"), failure.message)
            XCTAssertTrue(failure.message.contains("error:"), failure.message)
        }
        // Through `run`, the same failure comes back as a result with nothing run.
        let result = try runner.run(chapter)
        XCTAssertEqual(result.failure?.kind, .compile)
        XCTAssertEqual(result.cells.map(\.status), [.notRun, .notRun])
        let leftovers = try FileManager.default.contentsOfDirectory(
            atPath: FixtureProject.shared.appendingPathComponent(".lessons/build").path).filter { $0.hasPrefix(".tmp") }
        XCTAssertEqual(leftovers, [], "a failed compile leaves no temporary folder")
    }

    func testUnchangedChapterIsReusedAndAChangeRecompiles() throws {
        let runner = FixtureProject.runner()
        let chapter = try runner.load("trap")
        let first = try runner.compile(chapter)
        let second = try runner.compile(chapter)
        XCTAssertEqual(second.key, first.key)
        XCTAssertEqual(second.executable, first.executable)
        XCTAssertEqual(second.compileSeconds, 0)
        XCTAssertEqual(try runner.programKey(chapter), first.key, "the key is known without compiling")
        XCTAssertNotEqual(try runner.programKey(try runner.load("hang")), first.key)
        XCTAssertTrue(Stages.toolchain.version.contains("Swift version"))
        XCTAssertTrue(FileManager.default.isExecutableFile(atPath: second.executable.path))
        XCTAssertTrue(second.executable.path.hasPrefix(FixtureProject.shared.standardizedFileURL.path + "/.lessons/build/"))

        var edited = chapter
        edited.cells[0].code = "print(\"changed\")\n"
        XCTAssertNotEqual(try runner.compile(edited).key, first.key)
    }

    func testParallelCompilesBothSucceedWithOneCacheEntry() throws {
        let root = FixtureProject.makeProject()
        defer { try? FileManager.default.removeItem(at: root) }
        let runner = FixtureProject.runner(root: root)
        let chapter = try runner.load("abort")
        var programs = [CompiledProgram?](repeating: nil, count: 2)
        let lock = NSLock()
        DispatchQueue.concurrentPerform(iterations: 2) { i in
            let program = try? runner.compile(chapter)
            lock.lock(); programs[i] = program; lock.unlock()
        }
        let compiled = programs.compactMap { $0 }
        XCTAssertEqual(compiled.count, 2)
        XCTAssertEqual(Set(compiled.map(\.key)).count, 1)
        XCTAssertTrue(compiled.allSatisfy { FileManager.default.isExecutableFile(atPath: $0.executable.path) })
        let entries = try FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent(".lessons/build").path)
        XCTAssertEqual(entries, [compiled[0].key], "one cache entry, no temporary folders")
        // And the program works.
        XCTAssertEqual(runner.execute(compiled[1], chapter: chapter, seed: 0).failure?.kind, .nonFinite)
    }
}

/// Folders left by a killed run are removed by the next one — and only those.
final class AbandonedFoldersTests: XCTestCase {
    func testOnlyFoldersOfDeadRunsInTheExactFormAreSwept() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("sweep-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        // A pid far above pid_max is never alive.
        let dead = "lessons-run-pid999999999-0A1B2C3D"
        let live = "lessons-run-pid\(getpid() == 1 ? 2 : 1)-0A1B2C3D"
        // An older lessons named its folders `lessons-run-<UUID>`: a UUID may start with digits,
        // and the first sweep took those digits for a pid and removed a live run's folder.
        let older = "lessons-run-12345678-ABCD-4EF0-8123-456789ABCDEF"
        let mine = AbandonedFolders.name("lessons-run-")
        for name in [dead, live, older, mine, "other-pid999999999-0A1B2C3D"] {
            try FileManager.default.createDirectory(at: folder.appendingPathComponent(name), withIntermediateDirectories: true)
        }
        AbandonedFolders.sweep(in: folder, prefix: "lessons-run-")
        let left = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
        XCTAssertEqual(left, [live, older, mine, "other-pid999999999-0A1B2C3D"].sorted())
        XCTAssertEqual(AbandonedFolders.owner(of: mine, prefix: "lessons-run-"), getpid())
        XCTAssertNil(AbandonedFolders.owner(of: older, prefix: "lessons-run-"))
    }
}
