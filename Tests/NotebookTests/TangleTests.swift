import XCTest
@testable import Notebook

final class TangleTests: XCTestCase {
    private let root = URL(fileURLWithPath: "/project")

    private func chapter(_ source: String) throws -> Chapter {
        try ChapterLoader.parse(source, path: root.appendingPathComponent("Chapters/05-t.md"),
                                displayPath: "Chapters/05-t.md")
    }

    private let source = """
    # Tangle

    ```swift id=one
    let a = 1
    ```

    ```swift norun id=skip
    fatalError("never")
    ```

    ```swift parameters
    let epochs = 40 // a comment stays
    let rate: Float = 0.01
    let name = "a // b"
    let debug = false
    let computed = epochs * 2
    ```

    ```swift id=three
    print(a, epochs)
    ```
    """

    func testEachCellIsAnnouncedAndMappedToItsMarkdownLines() throws {
        let chapter = try chapter(source)
        let program = try Tangler.tangle(chapter, root: root)
        XCTAssertEqual(program.markdownPath, "Chapters/05-t.md")
        let lines = program.source.components(separatedBy: "\n")
        XCTAssertEqual(lines.filter { $0 == "import Engine" }.count, 1)
        XCTAssertTrue(lines.contains("import Foundation"))
        XCTAssertFalse(program.source.contains("fatalError"), "norun code must not be tangled")

        let begins = lines.filter { $0.hasPrefix("NotebookCell.begin") }
        XCTAssertEqual(begins, ["NotebookCell.begin(index: 0, id: \"one\")",
                                "NotebookCell.begin(index: 2, id: \"cell-3\")",
                                "NotebookCell.begin(index: 3, id: \"three\")"])
        XCTAssertEqual(lines.last { !$0.isEmpty }, "NotebookCell.end()")

        // After each #sourceLocation comes the cell's first line, which sits at that line in the .md.
        let markdown = source.components(separatedBy: "\n")
        var checked = 0
        for (i, line) in lines.enumerated() where line.hasPrefix("#sourceLocation(file: \"Chapters/05-t.md\", line: ") {
            let number = Int(line.dropFirst("#sourceLocation(file: \"Chapters/05-t.md\", line: ".count).dropLast())!
            XCTAssertEqual(lines[i + 1], markdown[number - 1])
            checked += 1
        }
        XCTAssertEqual(checked, 3)
        XCTAssertEqual(lines.filter { $0 == "#sourceLocation()" }.count, 3)
    }

    func testParametersAreFoundWithTheirKinds() throws {
        let parameters = Tangler.parameters(of: try chapter(source))
        XCTAssertEqual(parameters.map(\.name), ["epochs", "rate", "name", "debug"])
        XCTAssertEqual(parameters.map(\.kind), [.int, .double, .string, .bool])
        XCTAssertEqual(parameters.map(\.defaultLiteral), ["40", "0.01", "\"a // b\"", "false"])
        XCTAssertEqual(parameters.map(\.line), [12, 13, 14, 15])
        XCTAssertTrue(parameters.allSatisfy { !$0.isOverridden && $0.cell == "cell-3" })
    }

    func testOverridesReplaceTheLiteralInPlace() throws {
        let program = try Tangler.tangle(try chapter(source), root: root,
                                         overrides: ["epochs": "2", "rate": "1", "name": "say \"hi\"", "debug": "true"])
        XCTAssertTrue(program.source.contains("let epochs = 2 // a comment stays\n"), program.source)
        XCTAssertTrue(program.source.contains("let rate: Float = 1.0\n"), "an Int value keeps a Double a Double")
        XCTAssertTrue(program.source.contains("let name = \"say \\\"hi\\\"\"\n"), program.source)
        XCTAssertTrue(program.source.contains("let debug = true\n"))
        XCTAssertTrue(program.source.contains("let computed = epochs * 2\n"))
        XCTAssertEqual(program.parameters.filter(\.isOverridden).map(\.name), ["epochs", "rate", "name", "debug"])
        XCTAssertEqual(program.parameters.first?.literal, "2")
        XCTAssertEqual(program.overrides["epochs"], "2")
        // The substitution keeps the line count, so #sourceLocation stays exact.
        let plain = try Tangler.tangle(try chapter(source), root: root)
        XCTAssertEqual(program.source.components(separatedBy: "\n").count, plain.source.components(separatedBy: "\n").count)
    }

    func testOverrideErrors() throws {
        let chapter = try chapter(source)
        XCTAssertThrowsError(try Tangler.tangle(chapter, root: root, overrides: ["epoch": "2"])) { error in
            let text = "\(error)"
            XCTAssertTrue(text.contains("epoch") && text.contains("epochs, rate, name, debug"), text)
        }
        XCTAssertThrowsError(try Tangler.tangle(chapter, root: root, overrides: ["epochs": "2.5"])) { error in
            XCTAssertTrue("\(error)".contains("integer"), "\(error)")
        }
        XCTAssertThrowsError(try Tangler.tangle(chapter, root: root, overrides: ["rate": "fast"]))
        XCTAssertThrowsError(try Tangler.tangle(chapter, root: root, overrides: ["debug": "yes"]))
        XCTAssertThrowsError(try Tangler.tangle(chapter, root: root, overrides: ["computed": "3"]),
                             "an expression is not a parameter")
    }
}
