import Foundation
import TestSupport
import XCTest
@testable import Grade

/// Runs the real `lessons` binary for the grading tests: in a copy of `Tests/Fixtures/grade`, or
/// in the repository itself for the course's own exercises.
enum GradeCLI {
    typealias Output = LessonsProcess.Output

    static let packageRoot = LessonsProcess.packageRoot
    static let fixtures = packageRoot.appendingPathComponent("Tests/Fixtures/grade")

    /// A fresh folder under the system's temporary directory, removed when the tests end.
    static func temporaryFolder(_ name: String) throws -> URL {
        try TestFolders.make("gradetest-\(name)")
    }

    /// A copy of the fixture course, with the `Package.swift` marker `lessons` looks for.
    static func makeFixtureProject() throws -> URL {
        try LessonsProcess.makeProject(from: fixtures, folders: ["Chapters", "Expected", "Graders", "Solutions"], name: "gradetest-course")
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

    /// Runs `lessons arguments…` in `folder` to completion (killing it after `timeout` seconds),
    /// with the datasets found and no GitHub step summary to append to.
    static func run(_ arguments: [String], in folder: URL, timeout: Double = 600,
                    environment extra: [String: String] = [:]) throws -> Output {
        var environment: [String: String?] = ["LESSONS_DATA_DIR": LessonsProcess.dataDirectory, "GITHUB_STEP_SUMMARY": nil]
        for (name, value) in extra { environment[name] = value }
        return try LessonsProcess.run(arguments, in: folder, timeout: timeout, environment: environment)
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
