import Foundation
import Notebook
@testable import Render
import XCTest

/// `lessons export --ipynb` and `lessons import`.
final class NotebookTests: XCTestCase {
    /// The repository this test belongs to, whose chapters are exported.
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    func testEveryChapterExportsToANotebookThatValidatesAgainstNbformatsSchema() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("lessons-ipynb-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let export = try LessonsBinary.run(["export", "--all", "--ipynb", "--out", folder.path], in: Self.repository)
        XCTAssertEqual(export.status, 0, export.all)
        let fixture = try LessonsBinary.makeProject(withStoredResults: true)
        defer { try? FileManager.default.removeItem(at: fixture) }
        XCTAssertEqual(try LessonsBinary.run(["export", "01-demo", "--ipynb", "--out", folder.path], in: fixture).status, 0)

        let chapters = ChapterLibrary(root: Self.repository).chapterIDs()
        XCTAssertFalse(chapters.isEmpty)
        let notebooks = (chapters + ["01-demo"]).map { folder.appendingPathComponent($0 + ".ipynb").path }
        let validation = Process()
        validation.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        validation.arguments = ["python3", Self.repository.appendingPathComponent("scripts/validate-notebooks.py").path] + notebooks
        let pipe = Pipe()
        validation.standardOutput = pipe
        validation.standardError = pipe
        try validation.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        validation.waitUntilExit()
        XCTAssertEqual(validation.terminationStatus, 0, "nbformat.validate (scripts/install-deps installs nbformat):\n" + output)
        XCTAssertEqual(output.components(separatedBy: ": valid nbformat 4.5").count - 1, notebooks.count, output)
    }

    func testNotebookCarriesAttributesAndTheStoredOutputs() throws {
        let chapter = try RenderFixture.chapter()
        let entry = try RenderFixture.entry()
        let data = try NotebookExport.data(NotebookExport.notebook(chapter, markdownPath: RenderFixture.markdownPath, shown: .current(entry)))
        let notebook = try XCTUnwrap(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let metadata = try XCTUnwrap(notebook["metadata"] as? [String: Any])
        XCTAssertEqual((metadata["kernelspec"] as? [String: Any])?["language"] as? String, "swift")
        XCTAssertEqual((metadata["language_info"] as? [String: Any])?["name"] as? String, "swift")
        let code = try XCTUnwrap(notebook["cells"] as? [[String: Any]]).filter { $0["cell_type"] as? String == "code" }
        XCTAssertEqual(code.map { ($0["metadata"] as? [String: Any])?["lessons"] as? [String: Any] }.compactMap { $0?["id"] as? String },
                       chapter.cells.map(\.id))
        for (cell, json) in zip(chapter.cells, code) {
            let lessons = try XCTUnwrap((json["metadata"] as? [String: Any])?["lessons"] as? [String: Any])
            XCTAssertEqual(lessons["hidden"] as? Bool, cell.attributes.hidden)
            XCTAssertEqual(lessons["norun"] as? Bool, cell.attributes.norun)
            XCTAssertEqual(lessons["parameters"] as? Bool, cell.attributes.parameters)
            XCTAssertEqual((json["source"] as? [String])?.joined(), String(cell.code.dropLast()))
            let stdout = try XCTUnwrap(entry.report.result?.cells.first { $0.id == cell.id }).stdout
            let streams = try XCTUnwrap(json["outputs"] as? [[String: Any]])
            if stdout.isEmpty {
                XCTAssertTrue(streams.isEmpty, cell.id)
            } else {
                XCTAssertEqual(streams.first?["output_type"] as? String, "stream")
                XCTAssertEqual(streams.first?["name"] as? String, "stdout")
                XCTAssertEqual((streams.first?["text"] as? [String])?.joined(), stdout, cell.id)
            }
        }
        let hidden = try XCTUnwrap(code.first { (($0["metadata"] as? [String: Any])?["lessons"] as? [String: Any])?["id"] as? String == "secret" })
        XCTAssertEqual(((hidden["metadata"] as? [String: Any])?["jupyter"] as? [String: Any])?["source_hidden"] as? Bool, true)
    }

    func testImportOfExportReproducesEveryChapter() throws {
        let library = ChapterLibrary(root: Self.repository)
        let chapters = try library.chapterIDs().map { try library.load($0) } + [try RenderFixture.chapter()]
        for chapter in chapters {
            let data = try NotebookExport.data(NotebookExport.notebook(chapter, markdownPath: chapter.id, shown: .never))
            let markdown = try NotebookImport.markdown(fromNotebook: data, name: chapter.id)
            let back = try ChapterLoader.parse(markdown, path: chapter.path)
            XCTAssertEqual(back.cells.map(\.id), chapter.cells.map(\.id), chapter.id)
            XCTAssertEqual(back.cells.map(\.code), chapter.cells.map(\.code), chapter.id)
            XCTAssertEqual(back.cells.map(\.attributes), chapter.cells.map(\.attributes), chapter.id)
            XCTAssertEqual(back.title, chapter.title)
            XCTAssertEqual(ChapterPart.split(back), ChapterPart.split(chapter), "\(chapter.id): the same prose between the same cells")
        }
    }

    func testAttributesEditedInTheNotebookWin() throws {
        let chapter = try RenderFixture.chapter()
        var notebook = NotebookExport.notebook(chapter, markdownPath: "x", shown: .never)
        var cells = notebook["cells"] as! [[String: Any]]
        let index = try XCTUnwrap(cells.firstIndex { $0["id"] as? String == "hello" })
        var metadata = cells[index]["metadata"] as! [String: Any]
        var lessons = metadata["lessons"] as! [String: Any]
        lessons["norun"] = true
        lessons["timeout"] = 30
        metadata["lessons"] = lessons
        cells[index]["metadata"] = metadata
        // A cell added in Jupyter, without lessons metadata.
        cells.append(["id": "new", "cell_type": "code", "metadata": [String: Any](), "source": ["print(1)"], "outputs": [], "execution_count": NSNull()])
        notebook["cells"] = cells
        let back = try ChapterLoader.parse(NotebookImport.markdown(fromNotebook: NotebookExport.data(notebook), name: "x"),
                                           path: RenderFixture.chapterFile)
        let hello = try XCTUnwrap(back.cells.first { $0.id == "hello" })
        XCTAssertEqual(hello.attributes, CellAttributes(norun: true, timeout: 30))
        XCTAssertEqual(back.cells.last?.code, "print(1)\n")
        XCTAssertEqual(back.cells.count, chapter.cells.count + 1)
    }

    func testImportCommandWritesTheChapterAndRejectsWhatIsNoNotebook() throws {
        let root = try LessonsBinary.makeProject()
        defer { try? FileManager.default.removeItem(at: root) }
        XCTAssertEqual(try LessonsBinary.run(["export", "01-demo", "--ipynb", "--out", "nb"], in: root).status, 0)
        let result = try LessonsBinary.run(["import", "nb/01-demo.ipynb", "--out", "Chapters/02-copy.md"], in: root)
        XCTAssertEqual(result.status, 0, result.all)
        XCTAssertEqual(try String(contentsOf: root.appendingPathComponent("Chapters/02-copy.md"), encoding: .utf8),
                       try String(contentsOf: root.appendingPathComponent("Chapters/01-demo.md"), encoding: .utf8))
        let printed = try LessonsBinary.run(["import", "nb/01-demo.ipynb"], in: root)
        XCTAssertTrue(printed.stdout.hasPrefix("# A demo chapter\n"), printed.all)

        try Data("{\"cells\": 3}".utf8).write(to: root.appendingPathComponent("bad.ipynb"))
        let bad = try LessonsBinary.run(["import", "bad.ipynb"], in: root)
        XCTAssertEqual(bad.status, 2, bad.all)
        XCTAssertTrue(bad.stderr.contains("bad.ipynb is not an nbformat 4 notebook"), bad.all)
        XCTAssertEqual(try LessonsBinary.run(["export", "01-demo"], in: root).status, 64, "the format must be named")
    }
}
