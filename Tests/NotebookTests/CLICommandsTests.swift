import Foundation
import XCTest
@testable import Notebook

/// `lessons check`, `lessons list` and usage errors, through the real binary.
final class CLICommandsTests: XCTestCase {
    private var root: URL!

    override func setUpWithError() throws {
        root = try LessonsCLI.makeProject()
    }

    override func tearDownWithError() throws {
        if let root { try? FileManager.default.removeItem(at: root) }
    }

    func testUsageErrorsExit64() throws {
        for arguments in [["run"], ["run", "01", "--all"], ["run", "01", "--param", "epochs"],
                          ["run", "01", "--repeat", "0"], ["run", "01", "02", "--expected", "x.json"],
                          ["run", "01", "--param", "a=1", "--param", "a=2"], ["run", "01", "--bogus"],
                          ["run", "01", "--data-dir", "no-such-dir"], ["run", "01", "--timeout", "0"]] {
            let output = try LessonsCLI.run(arguments, in: root)
            XCTAssertEqual(output.status, 64, "\(arguments): \(output.all)")
        }
    }

    func testHelpTeachesWithExamples() throws {
        let output = try LessonsCLI.run(["run", "--help"], in: root)
        XCTAssertEqual(output.status, 0)
        XCTAssertTrue(output.stdout.contains("lessons run gru --param epochs=5"), output.all)
        XCTAssertTrue(output.stdout.contains("64   bad usage"), output.all)
        XCTAssertTrue(output.stdout.contains("--param hiddenSize=64 --report-only"), "an example that works: \(output.all)")
    }

    func testCheckCompilesWithoutRunning() throws {
        let good = try LessonsCLI.run(["check", "01-pass", "06-slow"], in: root, timeout: 120)
        XCTAssertEqual(good.status, 0, good.all)
        XCTAssertTrue(good.stdout.contains("✓ 06-slow"), "never ran its minute-long sleep: \(good.all)")
        let bad = try LessonsCLI.run(["check", "--all"], in: root)
        XCTAssertEqual(bad.status, 2, bad.all)
        XCTAssertTrue(bad.stdout.contains("✗ 03-bad-expected\n"), bad.all)
        XCTAssertTrue(bad.stderr.contains("error: Expected file error (Expected/03-bad-expected.json):\n    profiles.full.cells.trian"),
                      bad.all)
        XCTAssertTrue(bad.stdout.contains("✗ 07-compile-error\n"), bad.all)
        XCTAssertTrue(bad.stderr.contains("error: compile error in cell 'train' (Chapters/07-compile-error.md:8):"), bad.all)
        XCTAssertTrue(bad.stdout.hasSuffix("check: 16 chapters, 2 with errors\n"), bad.all)
    }

    func testCheckValidatesProfileParametersAgainstTheChapter() throws {
        let expected = root.appendingPathComponent("Expected/01-pass.json")
        let text = try String(contentsOf: expected, encoding: .utf8)
        try text.replacingOccurrences(of: #""epochs": "1""#, with: #""epoch": "1""#)
            .write(to: expected, atomically: true, encoding: .utf8)
        let output = try LessonsCLI.run(["check", "01"], in: root)
        XCTAssertEqual(output.status, 2, output.all)
        XCTAssertTrue(output.stderr.contains("error: Expected file error (Expected/01-pass.json):\n    profiles.smoke.parameters: --param epoch"), output.all)
    }

    func testListShowsLastResultsAndGoesStaleWhenTheExpectedFileChanges() throws {
        let before = try LessonsCLI.run(["list"], in: root)
        XCTAssertEqual(before.status, 0, before.all)
        XCTAssertTrue(line(of: "01-pass", in: before.stdout).hasSuffix("3       5  never"), before.all)

        XCTAssertEqual(try LessonsCLI.run(["run", "01-pass", "02"], in: root).status, 1)
        let after = try LessonsCLI.run(["list"], in: root)
        XCTAssertTrue(line(of: "01-pass", in: after.stdout).contains("  passed (full, seed 0, "), after.all)
        XCTAssertTrue(line(of: "02-out-of-range", in: after.stdout).contains("  failed (full, seed 0, "), after.all)
        let stored = FileManager.default.enumerator(atPath: root.appendingPathComponent(".lessons/results").path)?
            .compactMap { $0 as? String } ?? []
        XCTAssertEqual(stored.filter { $0.hasSuffix(".json") }.sorted(), ["01-pass/full.json", "02-out-of-range/full.json"])
        XCTAssertFalse(stored.contains { $0.hasSuffix(".tmp") }, "no temporary files left")

        let expected = root.appendingPathComponent("Expected/01-pass.json")
        try (String(contentsOf: expected, encoding: .utf8) + "\n").write(to: expected, atomically: true, encoding: .utf8)
        let stale = try LessonsCLI.run(["list"], in: root)
        XCTAssertTrue(line(of: "01-pass", in: stale.stdout).contains("stale (Expected file changed; was passed"), stale.all)
        XCTAssertTrue(line(of: "02-out-of-range", in: stale.stdout).contains("failed"), "others unaffected: \(stale.all)")

        let chapter = root.appendingPathComponent("Chapters/02-out-of-range.md")
        try (String(contentsOf: chapter, encoding: .utf8).replacingOccurrences(of: "3.0", with: "2.0"))
            .write(to: chapter, atomically: true, encoding: .utf8)
        let edited = try LessonsCLI.run(["list"], in: root)
        XCTAssertTrue(line(of: "02-out-of-range", in: edited.stdout).contains("stale (cells, program or Engine build changed;"),
                      edited.all)
    }

    private func line(of id: String, in text: String) -> String {
        text.split(separator: "\n").first { $0.hasPrefix(id + " ") }.map(String.init) ?? "(no line for \(id))"
    }
}
