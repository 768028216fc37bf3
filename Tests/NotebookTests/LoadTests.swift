import XCTest
@testable import Notebook

final class LoadTests: XCTestCase {
    private let path = URL(fileURLWithPath: "/project/Chapters/07-demo.md")

    private func parse(_ source: String) throws -> Chapter {
        try ChapterLoader.parse(source, path: path, displayPath: "Chapters/07-demo.md")
    }

    /// The ChapterError thrown for `source`, or a failure if it parses.
    private func error(_ source: String, file: StaticString = #filePath, line: UInt = #line) -> ChapterError? {
        do {
            _ = try parse(source)
            XCTFail("expected a ChapterError", file: file, line: line)
        } catch let error as ChapterError {
            return error
        } catch {
            XCTFail("unexpected \(error)", file: file, line: line)
        }
        return nil
    }

    func testCellsAttributesLinesAndTitle() throws {
        let source = """
        Intro text.

        # The *GRU* chapter

        ```swift id=setup
        let a = 1
        ```

        ```python
        print("prose")
        ```

        ~~~swift hidden timeout=2.5
        let b = 2
        let c = 3
        ~~~

        ```swiftx
        not a cell
        ```

        - a list item holding a cell:

          ```swift norun exercise=ex1
          let d = 4
          ```

        ```swift parameters
        let epochs = 3
        ```
        """
        let chapter = try parse(source)
        XCTAssertEqual(chapter.id, "07-demo")
        XCTAssertEqual(chapter.title, "The GRU chapter")
        XCTAssertEqual(chapter.cells.map(\.id), ["setup", "cell-2", "cell-3", "cell-4"])
        XCTAssertEqual(chapter.cells.map(\.index), [0, 1, 2, 3])
        XCTAssertEqual(chapter.cells.map(\.line), [6, 14, 25, 29])
        XCTAssertEqual(chapter.cells[1].code, "let b = 2\nlet c = 3\n")
        XCTAssertEqual(chapter.cells[1].attributes, CellAttributes(hidden: true, timeout: 2.5))
        XCTAssertEqual(chapter.cells[2].attributes, CellAttributes(norun: true, exercise: "ex1"))
        XCTAssertEqual(chapter.cells[3].attributes, CellAttributes(parameters: true))
        XCTAssertEqual(chapter.runnableCells.map(\.id), ["setup", "cell-2", "cell-4"])

        // `line` is the line of the first code line in the file itself.
        let lines = source.components(separatedBy: "\n")
        for cell in chapter.cells {
            let firstCodeLine = cell.code.components(separatedBy: "\n")[0]
            XCTAssertEqual(lines[cell.line - 1].trimmingCharacters(in: .whitespaces), firstCodeLine)
        }
    }

    func testTitleDefaultsToID() throws {
        XCTAssertEqual(try parse("## Only a subheading\n").title, "07-demo")
    }

    func testUnknownAttributeNamesItAndTheKnownOnes() {
        let error = error("# T\n\n```swift id=a hiden\nlet x = 1\n```\n")
        XCTAssertEqual(error?.file, "Chapters/07-demo.md")
        XCTAssertEqual(error?.line, 3)
        let text = error?.description ?? ""
        XCTAssertTrue(text.hasPrefix("Chapters/07-demo.md:3: "), text)
        XCTAssertTrue(text.contains("'hiden'"), text)
        XCTAssertTrue(text.contains("hidden") && text.contains("norun") && text.contains("timeout=SECONDS"), text)
    }

    func testDuplicateID() {
        let error = error("```swift id=a\n1\n```\n\n```swift id=b\n2\n```\n\n```swift id=a\n3\n```\n")
        XCTAssertEqual(error?.line, 9)
        XCTAssertTrue(error?.description.contains("duplicate cell id 'a'") ?? false, "\(String(describing: error))")
        XCTAssertTrue(error?.description.contains("line 1") ?? false, "\(String(describing: error))")
    }

    func testDuplicateOfAGeneratedID() {
        XCTAssertEqual(error("```swift\n1\n```\n\n```swift id=cell-1\n2\n```\n")?.line, 5)
    }

    func testMalformedValues() {
        let timeout = error("text\n```swift timeout=abc\nlet x = 1\n```\n")
        XCTAssertEqual(timeout?.line, 2)
        XCTAssertTrue(timeout?.description.contains("timeout=abc") ?? false)
        XCTAssertEqual(error("```swift timeout=-1\n1\n```\n")?.line, 1)
        XCTAssertNotNil(error("```swift id=\n1\n```\n"))
        XCTAssertNotNil(error("```swift hidden=yes\n1\n```\n"))
    }

    func testUnterminatedFence() {
        let error = error("# T\n\n```swift id=ok\nlet a = 1\n```\n\nMore prose.\n\n```swift id=open\nlet b = 2\n\n## Heading eaten as code\n")
        XCTAssertEqual(error?.line, 9)
        XCTAssertTrue(error?.description.contains("never closed") ?? false)
        // Unterminated on the very last line, and with no code at all.
        XCTAssertEqual(self.error("```swift\nlet a = 1")?.line, 1)
        XCTAssertEqual(self.error("text\n```swift\n")?.line, 2)
    }

    // MARK: Cells that would vanish silently

    /// A ```text block left open swallows the next swift cell: cmark reads the cell's opening
    /// fence as text and its closing fence as the end of the text block.
    func testAnUnclosedFenceOfAnotherLanguageThatSwallowsACellFails() {
        let source = "# T\n\n```swift id=a\nlet a = 1\n```\n\nOutput:\n\n```text\n1\n\n```swift id=b\nlet b = 2\n```\n"
        let error = error(source)
        XCTAssertEqual(error?.line, 9)
        let text = error?.description ?? ""
        XCTAssertTrue(text.hasPrefix("Chapters/07-demo.md:9: the ```text block opened here is not closed before "
                                     + "the ```swift fence on line 12"), text)
        XCTAssertTrue(text.contains("add a closing ``` line"), text)
    }

    func testAFenceOfAnotherLanguageThatIsNeverClosedFails() {
        let error = error("```swift\n1\n```\n\n```text\nnever closed\n\n## A heading read as text\n")
        XCTAssertEqual(error?.line, 5)
        XCTAssertTrue(error?.description.contains("```text block opened here is never closed") ?? false,
                      "\(String(describing: error))")
    }

    func testAnUnclosedSwiftCellThatSwallowsTheNextOneFails() {
        let error = error("```swift id=a\nlet a = 1\n\n```swift id=b\nlet b = 2\n```\n")
        XCTAssertEqual(error?.line, 1)
        XCTAssertTrue(error?.description.contains("this swift cell is not closed before the ```swift fence on line 4") ?? false,
                      "\(String(describing: error))")
    }

    func testSwiftSpeltWithCapitalsIsAnErrorNotProse() {
        for (fence, spelling) in [("```Swift", "```Swift"), ("```SWIFT id=a", "```SWIFT"), ("~~~Swift", "~~~Swift")] {
            let closing = fence.hasPrefix("~") ? "~~~" : "```"
            let error = error("# T\n\n\(fence)\nlet a = 1\n\(closing)\n")
            XCTAssertEqual(error?.line, 3, fence)
            let text = error?.description ?? ""
            XCTAssertTrue(text.contains("\(spelling) is not a cell") && text.contains("in lower case"), text)
        }
    }

    /// A listing may show a cell's fences on purpose, inside a longer or different fence.
    func testAListingThatShowsAFenceOnPurposeIsFine() throws {
        let chapter = try parse("````markdown\n```swift id=x\nlet x = 1\n```\n````\n\n~~~text\n```swift\n~~~\n\n```swift id=real\nlet y = 2\n```\n")
        XCTAssertEqual(chapter.cells.map(\.id), ["real"])
    }

    func testClosedFencesInQuotesAndWithLongerFences() throws {
        let chapter = try parse("> ```swift\n> let q = 1\n> ```\n\n````swift\n```\n````\n")
        XCTAssertEqual(chapter.cells.map(\.code), ["let q = 1\n", "```\n"])
    }
}
