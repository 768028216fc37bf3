import Foundation
import TestSupport
import XCTest

/// Runs the real `lessons` binary (`LessonsProcess`) in a copy of the render fixture project.
enum LessonsBinary {
    typealias Output = LessonsProcess.Output

    /// A copy of `Tests/Fixtures/render` (chapters and Expected files) as a project of its own.
    static func makeProject(withStoredResults: Bool = false) throws -> URL {
        let root = try LessonsProcess.makeProject(from: RenderFixture.folder, folders: ["Chapters", "Expected"], name: "render")
        if withStoredResults {
            try FileManager.default.createDirectory(at: root.appendingPathComponent(".lessons"), withIntermediateDirectories: true)
            try FileManager.default.copyItem(at: RenderFixture.folder.appendingPathComponent("results"),
                                             to: root.appendingPathComponent(".lessons/results"))
        }
        return root
    }

    /// A `lessons` process in `root`, not started yet.
    static func start(_ arguments: [String], in root: URL) throws -> Process {
        try LessonsProcess.process(arguments, in: root)
    }

    static func run(_ arguments: [String], in root: URL, timeout: Double = 300) throws -> Output {
        try LessonsProcess.run(arguments, in: root, timeout: timeout)
    }
}
