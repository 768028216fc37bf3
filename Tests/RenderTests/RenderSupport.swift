import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Notebook
@testable import Render
import XCTest

/// The fixture chapter under `Tests/Fixtures/render/` with its Expected file and a result
/// stored by a real `lessons run` of it, and helpers to read rendered pages as XML.
enum RenderFixture {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/render")
    static let chapterFile = folder.appendingPathComponent("Chapters/01-demo.md")
    static let markdownPath = "Chapters/01-demo.md"

    static func chapter(source: String? = nil) throws -> Chapter {
        let text = try source ?? String(contentsOf: chapterFile, encoding: .utf8)
        return try ChapterLoader.parse(text, path: chapterFile, displayPath: markdownPath)
    }

    static func expectations() throws -> Expectations {
        try Expectations.load(from: folder.appendingPathComponent("Expected/01-demo.json"))
    }

    /// The stored result of the fixture chapter, as `lessons run` wrote it.
    static func entry() throws -> CachedResult {
        let data = try Data(contentsOf: folder.appendingPathComponent("results/01-demo/full.json"))
        return try JSONReport.decoder().decode(CachedResult.self, from: data)
    }

    static func input(_ shown: ResultStatus? = nil, source: String? = nil) throws -> ChapterPageInput {
        ChapterPageInput(chapter: try chapter(source: source), markdownPath: markdownPath,
                         expectations: try expectations(), shown: try shown ?? .current(entry()))
    }

    /// Renders `input` as a one-chapter book with the real typesetter (node and Debian's KaTeX).
    static func render(_ input: ChapterPageInput, typesetter: Typesetter = .locate()) throws -> RenderedSite {
        try Book.render([.chapter(input)], typesetter: typesetter)
    }

    static func page(_ site: RenderedSite, _ file: String = "01-demo.html") throws -> XMLDocument {
        let data = try XCTUnwrap(site.files[file], "no \(file) in the site")
        return try XMLDocument(data: data, options: [])
    }

    /// The metrics a cell reported in the stored run.
    static func metrics(_ cell: String, _ name: String) throws -> [Metric] {
        try XCTUnwrap(entry().report.result?.cells.first { $0.id == cell }).metrics.filter { $0.name == name }
    }
}

extension XMLNode {
    /// Nodes matching an XPath expression; `class~='x'` is spelled with `hasClass('x')`.
    func all(_ path: String) throws -> [XMLNode] {
        try nodes(forXPath: path.replacingOccurrences(of: "hasClass('", with: "contains(concat(' ', normalize-space(@class), ' '), ' ")
                    .replacingOccurrences(of: "')", with: " ')"))
    }

    func one(_ path: String, file: StaticString = #filePath, line: UInt = #line) throws -> XMLNode {
        let found = try all(path)
        XCTAssertEqual(found.count, 1, "expected one node at \(path)", file: file, line: line)
        return try XCTUnwrap(found.first, file: file, line: line)
    }

    var text: String { stringValue ?? "" }
}
