import XCTest
@testable import Notebook

final class LoadLibraryTests: XCTestCase {
    private var root: URL!

    override func setUpWithError() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("lessons-library-\(UUID().uuidString)")
        let chapters = root.appendingPathComponent("Chapters")
        try FileManager.default.createDirectory(at: chapters.appendingPathComponent("deep/er"), withIntermediateDirectories: true)
        try Data().write(to: root.appendingPathComponent("Package.swift"))
        for id in ["01-intro", "07-lstm", "12-gru", "13-gru", "20-attention"] {
            try Data("# \(id)\n\n```swift\nprint(1)\n```\n".utf8).write(to: chapters.appendingPathComponent(id + ".md"))
        }
        try Data("not a chapter".utf8).write(to: chapters.appendingPathComponent("notes.txt"))
    }

    override func tearDownWithError() throws { try FileManager.default.removeItem(at: root) }

    private var library: ChapterLibrary { ChapterLibrary(root: root) }

    private func stem(_ what: String) throws -> String {
        try library.resolve(what).deletingPathExtension().lastPathComponent
    }

    func testFullIDAndShortForms() throws {
        XCTAssertEqual(library.chapterIDs(), ["01-intro", "07-lstm", "12-gru", "13-gru", "20-attention"])
        XCTAssertEqual(try stem("12-gru"), "12-gru")
        XCTAssertEqual(try stem("12"), "12-gru")
        XCTAssertEqual(try stem("attention"), "20-attention")
        XCTAssertEqual(try stem("7"), "07-lstm")
        XCTAssertEqual(try stem("07"), "07-lstm")
        XCTAssertEqual(try library.load("intro").id, "01-intro")
    }

    func testUnknownChapterListsTheAvailableOnes() {
        XCTAssertThrowsError(try library.resolve("99")) { error in
            let text = "\(error)"
            XCTAssertTrue(text.contains("'99'"), text)
            for id in ["01-intro", "07-lstm", "12-gru", "13-gru", "20-attention"] {
                XCTAssertTrue(text.contains(id), text)
            }
        }
    }

    func testAmbiguousShortFormNamesTheCandidates() {
        XCTAssertThrowsError(try library.resolve("gru")) { error in
            let text = "\(error)"
            XCTAssertTrue(text.contains("ambiguous") && text.contains("12-gru") && text.contains("13-gru"), text)
        }
    }

    func testPathsAndDisplayPath() throws {
        let outside = FileManager.default.temporaryDirectory.appendingPathComponent("lessons-outside-\(UUID().uuidString).md")
        try Data("```swift id=x\n1\n```\n".utf8).write(to: outside)
        defer { try? FileManager.default.removeItem(at: outside) }
        XCTAssertEqual(try library.resolve(outside.path).path, outside.path)
        // Relative to the root when not found from the current directory.
        XCTAssertEqual(try stem("Chapters/12-gru.md"), "12-gru")
        XCTAssertThrowsError(try library.resolve("Chapters/nope.md"))

        // Errors name files inside the project relative to the root.
        try Data("```swift bogus\n1\n```\n".utf8).write(to: root.appendingPathComponent("Chapters/01-intro.md"))
        XCTAssertThrowsError(try library.load("01")) { error in
            XCTAssertTrue("\(error)".hasPrefix("Chapters/01-intro.md:1: "), "\(error)")
        }
    }

    func testFindRootWalksUpAndExpectedURL() throws {
        let deep = root.appendingPathComponent("Chapters/deep/er")
        XCTAssertEqual(try ChapterLibrary.findRoot(from: deep).path, root.standardizedFileURL.path)
        XCTAssertThrowsError(try ChapterLibrary.findRoot(from: URL(fileURLWithPath: "/")))
        XCTAssertEqual(library.expectedURL(forChapterID: "12-gru").path,
                       root.standardizedFileURL.appendingPathComponent("Expected/12-gru.json").path)
    }
}
