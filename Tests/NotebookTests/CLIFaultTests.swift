import Foundation
import XCTest
@testable import Notebook

/// Faults a user or a hostile cell can cause, through the real binary: each gets a clear
/// message, a documented exit code, and loses nothing. Each of these tests failed on the
/// runner before it was fixed (run them with `LESSONS_TEST_BINARY` pointing at an older build).
final class CLIFaultTests: XCTestCase {
    /// One fixture project for the whole class, so compiled programs are reused between tests.
    private static let project = SharedProject()
    private var root: URL { get throws { try Self.project.root } }
    override class func tearDown() { project.remove() }

    /// A temporary folder of the test's own, passed to `lessons` as `TMPDIR`.
    private func privateTemporaryFolder() throws -> URL {
        let folder = try root.appendingPathComponent("tmp-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    private func contents(_ folder: URL) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).sorted()
    }

    // MARK: The events channel

    /// Reading events was quadratic: 160k events took 71 s.
    func testTwoHundredThousandMetricsAreReadInLinearTime() throws {
        let started = Date()
        let output = try LessonsCLI.run(["run", "20-many-metrics", "--no-output"], in: root, timeout: 90)
        XCTAssertEqual(output.status, 0, output.all)
        XCTAssertTrue(output.stdout.contains("✓ final step"), output.all)
        XCTAssertLessThan(Date().timeIntervalSince(started), 60, "reading the events must not be quadratic")
    }

    /// A cell that reports without end is stopped, on time, with a clear reason.
    func testAFloodOfEventsIsStoppedOnTime() throws {
        let started = Date()
        let output = try LessonsCLI.run(["run", "21-flood", "--timeout", "20", "--report-only"], in: root, timeout: 90)
        XCTAssertEqual(output.status, 2, output.all)
        XCTAssertTrue(output.stderr.contains("error: limit exceeded in cell 'flood'")
                      || output.stderr.contains("error: timeout in cell 'flood'"), output.all)
        XCTAssertLessThan(Date().timeIntervalSince(started), 45, "the limit and the timeout fire whatever the child does")
    }

    // MARK: What a cell did

    func testAThrownErrorNamesTheCellAndItsMessageAndTheUnjudgedChecksOnce() throws {
        let output = try LessonsCLI.run(["run", "22-throws"], in: root)
        XCTAssertEqual(output.status, 2, output.all)
        XCTAssertTrue(output.stderr.contains("error: cell 'data' threw (Chapters/22-throws.md:4):\n"
                                             + "    the corpus is not there.\n    To fix: pass --data-dir.\n"), output.all)
        XCTAssertFalse(output.stderr.contains("SIGILL"), "an uncaught error is not a crash: \(output.all)")
        XCTAssertTrue(output.stdout.contains("– 2 cells not run: train, sample\n"), output.all)
        XCTAssertTrue(output.stdout.contains("4 checks not judged: the run stopped in cell data (uncaught error)\n"), output.all)
        XCTAssertTrue(output.stdout.hasSuffix("22-throws: 0 passed, 0 failed, 4 not judged (error)\n"), output.all)
    }

    /// 50 MB of output went whole into the terminal, the cache and `--json`.
    func testOutputIsCappedAndSaysSo() throws {
        let json = try root.appendingPathComponent("loud.json")
        let output = try LessonsCLI.run(["run", "23-loud", "--json", json.path], in: root, timeout: 120)
        XCTAssertEqual(output.status, 0, "both ends of the output are kept: \(output.all)")
        XCTAssertLessThan(output.stdout.utf8.count, 20_000, "the terminal shows a few lines, not 50 MB")
        XCTAssertTrue(output.stdout.contains("more lines (the kept output is in --json)"), output.stdout.suffix(2000).description)
        let report = try JSONReport.decoder().decode(JSONReport.self, from: Data(contentsOf: json))
        let kept = try XCTUnwrap(report.chapters.first?.result?.cells.first?.stdout)
        XCTAssertLessThanOrEqual(kept.utf8.count, CapturedOutput.limit + 200)
        XCTAssertTrue(kept.contains("bytes left out: the cell wrote 47.7 MiB"), String(kept.prefix(200)))
        XCTAssertLessThan(try Data(contentsOf: json).count, 200_000)
    }

    // MARK: The runner protocol

    func testACellCannotPretendThatALaterCellRan() throws {
        let output = try LessonsCLI.run(["run", "24-forged-begin", "--report-only"], in: root)
        XCTAssertEqual(output.status, 2, output.all)
        XCTAssertTrue(output.stderr.contains("error: runner protocol violated"), output.all)
        XCTAssertTrue(output.stderr.contains("cell 'graded' was announced while cell 'work' was due"), output.all)
    }

    func testEndingTheProgramEarlyIsAFailureNotASilentPass() throws {
        let output = try LessonsCLI.run(["run", "25-early-end", "--report-only"], in: root)
        XCTAssertEqual(output.status, 2, output.all)
        XCTAssertTrue(output.stderr.contains("the program said it had finished before cell 'graded' began"), output.all)
    }

    func testReportingAfterTheLastCellIsAFailure() throws {
        let output = try LessonsCLI.run(["run", "26-atexit", "--report-only"], in: root)
        XCTAssertEqual(output.status, 2, output.all)
        XCTAssertTrue(output.stderr.contains("the program sent a metric event after its last cell finished"), output.all)
    }

    // MARK: Processes and temporary folders

    /// A cell's own helper process was left running after a timeout.
    func testATimeoutStopsTheCellsHelperProcessesToo() throws {
        let output = try LessonsCLI.run(["run", "27-helper", "--timeout", "3", "--report-only"], in: root, timeout: 60)
        XCTAssertEqual(output.status, 2, output.all)
        XCTAssertTrue(LessonsCLI.wait(upTo: 5) { LessonsCLI.processes(matching: "/bin/sleep 313").isEmpty },
                      "the helper outlived the run: \(LessonsCLI.processes(matching: "/bin/sleep 313"))")
    }

    /// Ctrl-C left the program running, its temporary folder behind, and no reports.
    func testCtrlCStopsTheProgramWritesFinishedReportsAndExits130() throws {
        let root = try self.root
        let temporary = try privateTemporaryFolder()
        let pidFile = root.appendingPathComponent("waiting.pid")
        try? FileManager.default.removeItem(at: pidFile)
        let junit = root.appendingPathComponent("interrupted.junit.xml")
        let running = try LessonsCLI.start(["run", "01-pass", "28-waits", "--junit", junit.path, "--report-only"], in: root,
                                           environment: ["TMPDIR": temporary.path])
        XCTAssertTrue(LessonsCLI.wait(upTo: 60) { FileManager.default.fileExists(atPath: pidFile.path) }, "the cell never started")
        let program = try XCTUnwrap(pid_t(String(contentsOf: pidFile, encoding: .utf8)))
        XCTAssertTrue(LessonsCLI.isAlive(program))
        kill(running.process.processIdentifier, SIGINT)
        let output = try running.finish(timeout: 30)
        XCTAssertEqual(output.status, 130, output.all)
        XCTAssertTrue(output.stderr.contains("interrupted in 28-waits"), output.all)
        XCTAssertFalse(LessonsCLI.isAlive(program), "the program was stopped with lessons")
        XCTAssertEqual(contents(temporary), [], "no lessons-run-* folder left behind")
        let report = try String(contentsOf: junit, encoding: .utf8)
        XCTAssertTrue(report.contains("testsuite name=\"01-pass\""), "the finished chapter is reported: \(report)")
    }

    /// SIGKILL gives no chance to clean up: the program notices its runner is gone, and the
    /// next run removes the folder the killed one left.
    func testAfterSIGKILLTheProgramExitsAndTheNextRunSweepsItsFolder() throws {
        let root = try self.root
        let temporary = try privateTemporaryFolder()
        let pidFile = root.appendingPathComponent("waiting.pid")
        try? FileManager.default.removeItem(at: pidFile)
        let running = try LessonsCLI.start(["run", "28-waits"], in: root, environment: ["TMPDIR": temporary.path])
        XCTAssertTrue(LessonsCLI.wait(upTo: 60) { FileManager.default.fileExists(atPath: pidFile.path) }, "the cell never started")
        let program = try XCTUnwrap(pid_t(String(contentsOf: pidFile, encoding: .utf8)))
        kill(running.process.processIdentifier, SIGKILL)
        _ = try? running.finish(timeout: 10)
        XCTAssertTrue(LessonsCLI.wait(upTo: 5) { !LessonsCLI.isAlive(program) }, "the orphan kept running")
        XCTAssertEqual(contents(temporary).filter { $0.hasPrefix("lessons-run-") }.count, 1, "the killed run's folder")
        let next = try LessonsCLI.run(["run", "01-pass"], in: root, environment: ["TMPDIR": temporary.path])
        XCTAssertEqual(next.status, 0, next.all)
        XCTAssertEqual(contents(temporary), [], "swept by the next run")
    }

    /// Ctrl-C while the compiler runs: swiftc ran on as an orphan and left `.lessons/build/.tmp-*`.
    func testCtrlCDuringCompilationStopsTheCompiler() throws {
        let project = try LessonsCLI.makeProject()
        defer { try? FileManager.default.removeItem(at: project) }
        let running = try LessonsCLI.start(["run", "01-pass"], in: project)
        let build = project.appendingPathComponent(".lessons/build")
        XCTAssertTrue(LessonsCLI.wait(upTo: 30) { !LessonsCLI.processes(matching: project.path + "/.lessons/build/.tmp-").isEmpty },
                      "the compiler never started")
        kill(running.process.processIdentifier, SIGINT)
        let output = try running.finish(timeout: 30)
        XCTAssertEqual(output.status, 130, output.all)
        XCTAssertTrue(LessonsCLI.wait(upTo: 5) { LessonsCLI.processes(matching: project.path).isEmpty },
                      "compiler processes left: \(LessonsCLI.processes(matching: project.path))")
        XCTAssertEqual(contents(build).filter { $0.hasPrefix(".tmp") }, [], "no half-built program left")
    }

    // MARK: Settings

    /// `--param` values that no profile was sized for judged nothing and exited 0.
    func testARunThatJudgesNothingSaysSoAndFailsUnlessAskedFor() throws {
        let output = try LessonsCLI.run(["run", "01-pass", "--param", "epochs=2"], in: root)
        XCTAssertEqual(output.status, 1, output.all)
        XCTAssertTrue(output.stdout.hasSuffix("(pass --report-only to accept a run that judges nothing)\n"), output.all)
        XCTAssertTrue(output.stdout.contains("01-pass: nothing judged: no profile is sized for epochs=2 "
                                             + "(profiles: full (the chapter's own values), smoke (epochs=1))"), output.all)
        let accepted = try LessonsCLI.run(["run", "01-pass", "--param", "epochs=2", "--report-only"], in: root)
        XCTAssertEqual(accepted.status, 0, accepted.all)
        // Values, not strings: 03 is the chapter's own 3 (full), 01 is smoke's 1.
        let own = try LessonsCLI.run(["run", "01-pass", "--param", "epochs=03"], in: root)
        XCTAssertEqual(own.status, 0, own.all)
        XCTAssertTrue(own.stdout.contains("(profile full, seed 0, epochs=03)"), own.all)
        let smoke = try LessonsCLI.run(["run", "01-pass", "--param", "epochs= 01"], in: root)
        XCTAssertTrue(smoke.stdout.contains("(profile smoke, seed 0, epochs= 01)"), smoke.all)
    }

    /// `seed + run` overflowed and crashed the tool; `--seed -1` was not accepted.
    func testAnyIntegerIsASeed() throws {
        let largest = try LessonsCLI.run(["run", "01-pass", "--seed=9223372036854775807", "--repeat", "2"], in: root)
        XCTAssertEqual(largest.status, 0, largest.all)
        XCTAssertTrue(largest.stdout.contains("seed -9223372036854775808"), "the second run's seed wraps: \(largest.all)")
        let negative = try LessonsCLI.run(["run", "01-pass", "--seed", "-1"], in: root)
        XCTAssertEqual(negative.status, 0, negative.all)
        XCTAssertTrue(negative.stdout.contains("(profile full, seed -1)"), negative.all)
    }

    /// A chapter given by path from another project ignored that project's Expected file.
    func testAChapterFromAnotherProjectIsJudgedByItsOwnExpectedFile() throws {
        let other = try LessonsCLI.makeProject()
        defer { try? FileManager.default.removeItem(at: other) }
        let expected = other.appendingPathComponent("Expected/01-pass.json")
        try String(contentsOf: expected, encoding: .utf8).replacingOccurrences(of: "[9, 11]", with: "[20, 30]")
            .write(to: expected, atomically: true, encoding: .utf8)
        let output = try LessonsCLI.run(["run", other.appendingPathComponent("Chapters/01-pass.md").path], in: root)
        XCTAssertEqual(output.status, 1, "judged by the other project's tightened range: \(output.all)")
        XCTAssertTrue(output.stdout.contains("10  not in [20, 30]"), output.all)
    }

    // MARK: The command line

    func testVersionCleanAndListOfOneChapter() throws {
        let project = try LessonsCLI.makeProject()
        defer { try? FileManager.default.removeItem(at: project) }
        let version = try LessonsCLI.run(["--version"], in: project)
        XCTAssertEqual(version.status, 0, version.all)
        XCTAssertTrue(version.stdout.range(of: #"^\d+\.\d+\.\d+\n$"#, options: .regularExpression) != nil, version.all)

        XCTAssertEqual(try LessonsCLI.run(["run", "01-pass"], in: project).status, 0)
        let detail = try LessonsCLI.run(["list", "01"], in: project)
        XCTAssertEqual(detail.status, 0, detail.all)
        for expected in ["settings", "line 6", "parameters", "epochs = 3", "profile full: 5 checks",
                         "perplexity at epoch 1  [9, 11]  source 10", "profile smoke (epochs=1)", "passed (full, seed 0, "] {
            XCTAssertTrue(detail.stdout.contains(expected), "\(expected) in \(detail.all)")
        }

        let clean = try LessonsCLI.run(["clean"], in: project)
        XCTAssertEqual(clean.status, 0, clean.all)
        XCTAssertFalse(FileManager.default.fileExists(atPath: project.appendingPathComponent(".lessons/build").path))
        XCTAssertTrue(FileManager.default.fileExists(atPath: project.appendingPathComponent(".lessons/results").path),
                      "results are kept without --results")
        XCTAssertEqual(try LessonsCLI.run(["clean", "--results"], in: project).status, 0)
        XCTAssertFalse(FileManager.default.fileExists(atPath: project.appendingPathComponent(".lessons/results").path))
    }

    /// On a terminal that cannot move the cursor, progress is plain lines and nothing is coloured.
    func testDumbTerminalGetsNoEscapeCodes() throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/script") else {
            return XCTFail("util-linux's script(1) is needed to give lessons a terminal")
        }
        let root = try self.root
        let binary = try LessonsCLI.binary().path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/script")
        process.arguments = ["-qec", "\(binary) run 01-pass", "/dev/null"]
        process.currentDirectoryURL = root
        var environment = ProcessInfo.processInfo.environment
        environment["TERM"] = "dumb"
        environment.removeValue(forKey: "NO_COLOR")
        environment.removeValue(forKey: "CI")
        process.environment = environment
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let text = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0, text)
        XCTAssertTrue(text.contains("01-pass: 4 passed"), text)
        XCTAssertFalse(text.contains("\u{1B}"), "escape codes on TERM=dumb: \(text.debugDescription)")
    }
}
