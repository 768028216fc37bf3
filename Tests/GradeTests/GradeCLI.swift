import Foundation
import XCTest
@testable import Grade

/// Runs the real `lessons` binary for the grading tests: in a copy of `Tests/Fixtures/grade`, or
/// in the repository itself for the course's own exercises.
enum GradeCLI {
    struct Output {
        var status: Int32
        var stdout: String
        var stderr: String
        var all: String { "exit \(status)\n--- stdout\n\(stdout)--- stderr\n\(stderr)" }
    }

    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let fixtures = packageRoot.appendingPathComponent("Tests/Fixtures/grade")

    /// `lessons` next to this test bundle, or `LESSONS_TEST_BINARY` (an older build, to see a test fail).
    static func binary() throws -> URL {
        if let path = ProcessInfo.processInfo.environment["LESSONS_TEST_BINARY"], !path.isEmpty { return URL(fileURLWithPath: path) }
        let me = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        var folder = URL(fileURLWithPath: me).resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = folder.appendingPathComponent("lessons")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            folder = folder.deletingLastPathComponent()
        }
        throw CocoaError(.fileNoSuchFile, userInfo: [NSLocalizedDescriptionKey: "no lessons binary near \(me); run swift build first"])
    }

    /// Where the datasets are: `LESSONS_DATA_DIR`, else `../shared/data` beside the package.
    static var dataDirectory: String {
        if let dir = ProcessInfo.processInfo.environment["LESSONS_DATA_DIR"], !dir.isEmpty {
            return dir.hasPrefix("/") ? dir : packageRoot.appendingPathComponent(dir).standardizedFileURL.path
        }
        let beside = packageRoot.appendingPathComponent("../shared/data").standardizedFileURL.path
        return FileManager.default.fileExists(atPath: beside) ? beside : "/work/shared/data"
    }

    /// A fresh folder under the system's temporary directory.
    static func temporaryFolder(_ name: String) throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("lessons-gradetest-\(name)-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    /// A copy of the fixture course, with the `Package.swift` marker `lessons` looks for.
    static func makeFixtureProject() throws -> URL {
        let root = try temporaryFolder("course")
        for name in ["Chapters", "Expected", "Graders", "Solutions"] {
            try FileManager.default.copyItem(at: fixtures.appendingPathComponent(name), to: root.appendingPathComponent(name))
        }
        try Data("// marker for lessons' project search\n".utf8).write(to: root.appendingPathComponent("Package.swift"))
        return root
    }

    /// A solutions folder: `bigram` from `bigramCode`, the other exercises their reference solutions.
    static func solutions(bigram bigramCode: String, in project: URL) throws -> URL {
        let folder = try temporaryFolder("solutions")
        try FileManager.default.copyItem(at: project.appendingPathComponent("Solutions/01-bigram"), to: folder.appendingPathComponent("01-bigram"))
        try FileManager.default.copyItem(at: project.appendingPathComponent("Solutions/02-means"), to: folder.appendingPathComponent("02-means"))
        try Data(bigramCode.utf8).write(to: folder.appendingPathComponent("01-bigram/bigram.swift"))
        return folder
    }

    /// A student's checkout: the fixture's chapters and Expected files with the `bigram` cell's
    /// code replaced by `code` and the `scale` cell solved (a `Package.swift` marker too, so
    /// that `lessons run` works in it).
    static func checkout(bigram code: String, from project: URL) throws -> URL {
        let folder = try temporaryFolder("checkout")
        for name in ["Chapters", "Expected"] {
            try FileManager.default.copyItem(at: project.appendingPathComponent(name), to: folder.appendingPathComponent(name))
        }
        try Data("// a student's checkout\n".utf8).write(to: folder.appendingPathComponent("Package.swift"))
        let chapter = folder.appendingPathComponent("Chapters/01-bigram.md")
        let text = try String(contentsOf: chapter, encoding: .utf8)
        let starter = "```swift id=bigram exercise=bigram\nlet bigramLogits = Tensor.zeros([letters, letters])\n```"
        let scaleStarter = "```swift id=scale exercise=scale\nfunc squash(_ x: Tensor) -> Tensor {\n    x\n}\n```"
        guard text.contains(starter), text.contains(scaleStarter) else { throw CocoaError(.fileReadCorruptFile) }
        let scale = try String(contentsOf: project.appendingPathComponent("Solutions/01-bigram/scale.swift"), encoding: .utf8)
        try text.replacingOccurrences(of: starter, with: "```swift id=bigram exercise=bigram\n" + code + "```")
            .replacingOccurrences(of: scaleStarter, with: "```swift id=scale exercise=scale\n" + scale + "```")
            .write(to: chapter, atomically: true, encoding: .utf8)
        return folder
    }

    /// The text of a cheating submission, with its placeholders filled in.
    static func cheat(_ name: String, _ values: [String: String] = [:]) throws -> String {
        var text = try String(contentsOf: fixtures.appendingPathComponent("cheats/\(name).swift"), encoding: .utf8)
        for (key, value) in values { text = text.replacingOccurrences(of: "@\(key)@", with: value) }
        return text
    }

    /// Runs `lessons arguments…` in `folder` to completion (killing it after `timeout` seconds).
    static func run(_ arguments: [String], in folder: URL, timeout: Double = 600,
                    environment extra: [String: String] = [:]) throws -> Output {
        let process = Process()
        process.executableURL = try binary()
        process.arguments = arguments
        process.currentDirectoryURL = folder
        var environment = ProcessInfo.processInfo.environment
        environment["NO_COLOR"] = "1"
        environment["LESSONS_DATA_DIR"] = dataDirectory
        environment.removeValue(forKey: "GITHUB_STEP_SUMMARY")
        environment.merge(extra) { $1 }
        process.environment = environment
        let id = UUID().uuidString
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("gradetest-\(id).out")
        let err = FileManager.default.temporaryDirectory.appendingPathComponent("gradetest-\(id).err")
        FileManager.default.createFile(atPath: out.path, contents: nil)
        FileManager.default.createFile(atPath: err.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: out); try? FileManager.default.removeItem(at: err) }
        process.standardOutput = try FileHandle(forWritingTo: out)
        process.standardError = try FileHandle(forWritingTo: err)
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
            XCTFail("lessons \(arguments) did not finish in \(timeout) s")
        }
        process.waitUntilExit()
        return Output(status: process.terminationStatus, stdout: try String(contentsOf: out, encoding: .utf8),
                      stderr: try String(contentsOf: err, encoding: .utf8))
    }

    /// Whether bubblewrap works on this machine; the sandbox tests fail without it unless
    /// `LESSONS_TEST_NO_BWRAP=1` says that is expected here.
    static func requireBubblewrap() throws {
        if let problem = NotebookSandbox.problem() {
            if ProcessInfo.processInfo.environment["LESSONS_TEST_NO_BWRAP"] == "1" { throw XCTSkip("no bubblewrap here: \(problem)") }
            XCTFail("bubblewrap is needed for this test (\(problem)); install it (./scripts/install-deps) or set LESSONS_TEST_NO_BWRAP=1")
            throw XCTSkip(problem)
        }
    }

    static func report(_ url: URL) throws -> GradeReport { try GradeReport.read(from: url) }
}

import Notebook

enum NotebookSandbox {
    static func problem() -> String? { Sandbox.bubblewrapProblem() }
}
