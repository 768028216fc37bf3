import ChapterRuntime
import XCTest
@testable import Notebook

final class ExecuteTests: XCTestCase {
    private let runner = FixtureProject.runner()

    private func run(_ id: String, parameters: [String: String] = [:], seed: Int = 0, timeout: Double = 120,
                     events: ((Event) -> Void)? = nil) throws -> RunResult {
        let chapter = try runner.load(id)
        return try runner.run(chapter, parameters: parameters, seed: seed, timeout: timeout) { events?($0) }
    }

    private func cell(_ result: RunResult, _ id: String) -> CellResult? { result.cells.first { $0.id == id } }

    func testPassingChapterSharesStateAndCapturesEachCell() throws {
        var seen: [Event] = []
        let result = try run("pass", seed: 7) { seen.append($0) }
        XCTAssertNil(result.failure, "\(String(describing: result.failure))")
        XCTAssertEqual(result.chapterID, "pass")
        XCTAssertEqual(result.seed, 7)
        XCTAssertEqual(result.cells.map(\.id), ["setup", "cell-2", "quiet", "use", "never", "env"])
        XCTAssertEqual(result.cells.map(\.status), [.passed, .passed, .passed, .passed, .skipped, .passed])

        XCTAssertEqual(cell(result, "setup")?.stdout, "setup ran\n")
        XCTAssertEqual(cell(result, "quiet")?.stdout, "hidden ran\n", "hidden cells run")
        XCTAssertEqual(cell(result, "quiet")?.stderr, "a warning\n")
        XCTAssertEqual(cell(result, "use")?.stdout, "42\nepochs=3 rate=0.5 label=tiny verbose=false\n")
        XCTAssertEqual(cell(result, "use")?.stderr, "")
        XCTAssertEqual(cell(result, "never")?.stdout, "")
        XCTAssertEqual(cell(result, "env")?.stdout,
                       "seed=7\ncwd=\(FixtureProject.shared.standardizedFileURL.path)\n")

        XCTAssertEqual(cell(result, "quiet")?.metrics, [Metric(name: "quiet", epoch: nil, value: 1)])
        XCTAssertEqual(cell(result, "use")?.metrics, (1...3).map { Metric(name: "answer", epoch: $0, value: Double(40 + $0)) })
        XCTAssertEqual(cell(result, "setup")?.metrics, [])
        XCTAssertTrue(result.cells.allSatisfy { $0.seconds >= 0 && $0.seconds < 30 })

        XCTAssertEqual(seen.filter { $0.kind == .cell }.map(\.cell), ["setup", "cell-2", "quiet", "use", "env"])
        XCTAssertEqual(seen.filter { $0.kind == .metric }.count, 4)
        XCTAssertEqual(seen.last?.kind, .end)
    }

    func testParametersOverrideTheRun() throws {
        let result = try run("pass", parameters: ["epochs": "5", "label": "big one", "verbose": "true"])
        XCTAssertNil(result.failure)
        XCTAssertEqual(result.parameters, ["epochs": "5", "label": "big one", "verbose": "true"])
        XCTAssertEqual(cell(result, "use")?.stdout, "42\nepochs=5 rate=0.5 label=big one verbose=true\n")
        XCTAssertEqual(cell(result, "use")?.metrics.count, 5)
        XCTAssertThrowsError(try run("pass", parameters: ["epochs": "many"]))
    }

    func testTrapNamesTheCellAndTheLine() throws {
        let result = try run("trap")
        let failure = try XCTUnwrap(result.failure)
        XCTAssertEqual(failure.kind, .crash)
        XCTAssertEqual(failure.cell, "boom")
        XCTAssertTrue(failure.message.contains("SIGILL") || failure.message.contains("SIGTRAP"), failure.message)
        XCTAssertTrue(failure.message.contains("Index out of range"), failure.message)
        XCTAssertTrue(failure.message.contains("about to trap"), failure.message)
        XCTAssertTrue(failure.message.contains("Chapters/trap.md:10"), failure.message)
        XCTAssertEqual(result.cells.map(\.status), [.passed, .failed, .notRun])
        XCTAssertEqual(cell(result, "boom")?.stdout, "about to trap\n", "output before a trap survives")
        XCTAssertEqual(cell(result, "after")?.stdout, "")
    }

    func testHangIsKilledByTheCellTimeout() throws {
        let started = Date()
        let result = try run("hang")
        let failure = try XCTUnwrap(result.failure)
        XCTAssertEqual(failure.kind, .timeout)
        XCTAssertEqual(failure.cell, "spin")
        XCTAssertTrue(failure.message.contains("timeout=1"), failure.message)
        XCTAssertEqual(result.cells.map(\.status), [.passed, .failed, .notRun])
        XCTAssertEqual(cell(result, "spin")?.stdout, "spinning\n")
        XCTAssertLessThan(Date().timeIntervalSince(started), 60)
    }

    func testChapterWideTimeout() throws {
        let result = try run("hang", timeout: 0.3)
        XCTAssertEqual(result.failure?.kind, .timeout)
        XCTAssertTrue(result.failure?.message.contains("chapter") ?? false, "\(String(describing: result.failure))")
    }

    func testAbortIsReportedAsNonFinite() throws {
        let result = try run("abort")
        XCTAssertEqual(result.failure?.kind, .nonFinite)
        XCTAssertEqual(result.failure?.cell, "train")
        XCTAssertTrue(result.failure?.message.contains("diverged") ?? false)
        XCTAssertEqual(cell(result, "train")?.metrics, [Metric(name: "loss", epoch: 1, value: 2.5)])
        XCTAssertEqual(cell(result, "train")?.status, .failed)
    }

    func testNothingIsLeftInTheProjectButTheCache() throws {
        _ = try run("pass")
        let entries = try FileManager.default.contentsOfDirectory(atPath: FixtureProject.shared.path).sorted()
        XCTAssertEqual(entries, [".lessons", "Chapters"])
        let chapters = try FileManager.default.contentsOfDirectory(atPath: FixtureProject.shared.appendingPathComponent("Chapters").path)
        XCTAssertTrue(chapters.allSatisfy { $0.hasSuffix(".md") }, "\(chapters)")
    }

    /// The program is in its own process group, so Ctrl-C on `lessons` does not reach it;
    /// it must notice that its runner is gone instead of spinning on as an orphan.
    func testProgramExitsWhenItsRunnerIsGone() throws {
        let program = try runner.compile(try runner.load("hang"))
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("lessons-orphan-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: output, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: output) }
        let process = Process()
        process.executableURL = program.executable
        var environment = ProcessInfo.processInfo.environment
        environment["LESSONS_OUTPUT_DIR"] = output.path
        environment["LESSONS_RUNNER_PID"] = "1"  // not our pid: as if the runner had died
        process.environment = environment
        try process.run()
        let deadline = Date(timeIntervalSinceNow: 15)
        while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        if process.isRunning { process.terminate(); process.waitUntilExit(); return XCTFail("the orphan kept running") }
        XCTAssertEqual(process.terminationReason, .exit)
        XCTAssertEqual(process.terminationStatus, 129)
    }
}
