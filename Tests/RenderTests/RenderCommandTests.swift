import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
@testable import Render
import XCTest

/// `lessons render` and `lessons check` through the real binary.
final class RenderCommandTests: XCTestCase {
    func testRenderShowsTheRunJustMadeThenSaysWhatMadeItStale() throws {
        let root = try LessonsBinary.makeProject()
        defer { try? FileManager.default.removeItem(at: root) }
        let run = try LessonsBinary.run(["run", "01-demo"], in: root)
        XCTAssertEqual(run.status, 0, run.all)

        let render = try LessonsBinary.run(["render", "--out", "Book"], in: root)
        XCTAssertEqual(render.status, 0, render.all)
        XCTAssertTrue(render.stdout.hasPrefix("rendered 1 chapter to Book/index.html"), render.all)
        var page = try XMLDocument(contentsOf: root.appendingPathComponent("Book/01-demo.html"), options: [])
        XCTAssertTrue(try page.all("//p[hasClass('note')]").isEmpty, "a current result needs no note")
        XCTAssertEqual(try page.one("//section[@id='cell-train']//pre[hasClass('stdout')]").text, "trained for 6 epochs")
        XCTAssertEqual(try page.one("//div[hasClass('run-summary')]/span[hasClass('badge')]").text, "passed")

        // Change the Expected file: the stored result no longer holds, and the page says why.
        let expected = root.appendingPathComponent("Expected/01-demo.json")
        let text = try String(contentsOf: expected, encoding: .utf8).replacingOccurrences(of: "[2, 5]", with: "[2, 6]")
        try Data(text.utf8).write(to: expected)
        XCTAssertEqual(try LessonsBinary.run(["render", "--out", "Book"], in: root).status, 0)
        page = try XMLDocument(contentsOf: root.appendingPathComponent("Book/01-demo.html"), options: [])
        let note = try page.one("//section[@id='cell-train']/p[hasClass('note') and hasClass('stale')]")
        XCTAssertTrue(note.text.hasPrefix("stale: Expected file changed"), note.text)
        XCTAssertEqual(try page.one("//section[@id='cell-train']//pre[hasClass('stdout')]").text, "trained for 6 epochs")
        let index = try XMLDocument(contentsOf: root.appendingPathComponent("Book/index.html"), options: [])
        XCTAssertEqual(try index.one("//table[hasClass('chapters-table')]//span[hasClass('badge')]").text, "stale")
    }

    func testExecuteRunsTheChaptersWithoutACurrentResultFirst() throws {
        let root = try LessonsBinary.makeProject()
        defer { try? FileManager.default.removeItem(at: root) }
        let render = try LessonsBinary.run(["render", "--execute"], in: root)
        XCTAssertEqual(render.status, 0, render.all)
        XCTAssertTrue(render.stderr.contains("running 01-demo"), render.all)
        let page = try XMLDocument(contentsOf: root.appendingPathComponent("Site/01-demo.html"), options: [])
        XCTAssertTrue(try page.all("//p[hasClass('note')]").isEmpty, "rendered from the run just made")
        XCTAssertEqual(try page.one("//section[@id='cell-train']//pre[hasClass('stdout')]").text, "trained for 6 epochs")
        XCTAssertTrue(FileManager.default.fileExists(atPath: root.appendingPathComponent(".lessons/results/01-demo/full.json").path),
                      "stored like any lessons run")

        let again = try LessonsBinary.run(["render", "--execute"], in: root)
        XCTAssertEqual(again.status, 0, again.all)
        XCTAssertFalse(again.stderr.contains("running"), "a current result is not run again: \(again.all)")
    }

    func testRenderWithoutResultsWritesTheSiteWithNotesAndStats() throws {
        let root = try LessonsBinary.makeProject()
        defer { try? FileManager.default.removeItem(at: root) }
        let render = try LessonsBinary.run(["render", "--all", "--stats"], in: root)
        XCTAssertEqual(render.status, 0, render.all)
        XCTAssertTrue(render.stdout.contains("render time"), render.all)
        XCTAssertTrue(render.stdout.contains("01-demo.html"), render.all)
        XCTAssertTrue(render.stdout.contains("whole site"), render.all)
        for file in ["index.html", "01-demo.html", "searchindex.json", "searchindex.js", "assets/book.css", "assets/search.js"] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: root.appendingPathComponent("Site/" + file).path), file)
        }
        let page = try XMLDocument(contentsOf: root.appendingPathComponent("Site/01-demo.html"), options: [])
        XCTAssertTrue(try page.one("//section[@id='cell-train']/p[hasClass('note')]").text.hasPrefix("not run yet"))
    }

    func testUnknownReferenceFailsRenderAndCheckNamingTheLine() throws {
        let root = try LessonsBinary.makeProject(withStoredResults: true)
        defer { try? FileManager.default.removeItem(at: root) }
        let chapter = root.appendingPathComponent("Chapters/01-demo.md")
        var source = try String(contentsOf: chapter, encoding: .utf8)
        source += "\nThe accuracy was {{train.accuracy@final}}.\n"
        try Data(source.utf8).write(to: chapter)
        let line = source.split(separator: "\n", omittingEmptySubsequences: false).count - 1

        let render = try LessonsBinary.run(["render"], in: root)
        XCTAssertEqual(render.status, 2, render.all)
        XCTAssertTrue(render.stderr.contains("error: Chapters/01-demo.md:\(line): unknown reference {{train.accuracy@final}}"), render.all)
        XCTAssertTrue(FileManager.default.fileExists(atPath: root.appendingPathComponent("Site/01-demo.html").path),
                      "the site is still written, the reference marked")

        let check = try LessonsBinary.run(["check", "01-demo"], in: root)
        XCTAssertEqual(check.status, 2, check.all)
        XCTAssertTrue(check.stderr.contains("Chapters/01-demo.md:\(line): unknown reference {{train.accuracy@final}}: "
                                            + "cell 'train' reports no metric 'accuracy'"), check.all)
    }

    func testCheckAcceptsTheFixturesReferences() throws {
        let root = try LessonsBinary.makeProject()
        defer { try? FileManager.default.removeItem(at: root) }
        let check = try LessonsBinary.run(["check", "01-demo"], in: root)
        XCTAssertEqual(check.status, 0, check.all)
    }
}
