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

    /// A runner for `root` linking against this test bundle's own Engine build.
    static func runner(root: URL = shared) -> NotebookRunner { NotebookRunner(root: root) }
}
