import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Notebook
@testable import Render
import XCTest

/// Math is taken out of the Markdown before cmark sees it and typeset by KaTeX; references
/// and cells are taken out the same way.
final class MathAndProseTests: XCTestCase {
    /// The formulas of the fixture chapter, as written there.
    let fixtureFormulas = [
        "W_{hh}",
        "a_1 + b_{2} = \\frac{1}{2}",
        "\\begin{aligned}\nH_t &= \\tanh(X_t W_{xh} + H_{t-1} W_{hh} + b_h) \\\\\nO_t &= H_t W_{hq} + b_q\n\\end{aligned}",
    ]

    func testMathReachesKaTeXUnmangledByMarkdown() throws {
        let page = try RenderFixture.page(RenderFixture.render(RenderFixture.input()))
        let annotations = try page.all("//article//*[local-name()='annotation' and @encoding='application/x-tex']").map(\.text)
        XCTAssertEqual(annotations, fixtureFormulas)
        XCTAssertEqual(try page.all("//article//span[hasClass('katex-display')]").count, 1)
        XCTAssertEqual(try page.all("//article//span[hasClass('katex')]").count, fixtureFormulas.count)
        let article = try page.one("//article").text
        XCTAssertTrue(article.contains("A price like $5 and $6 stays text"), "dollars that open no formula stay text")
        let visible = try page.all("//article//text()[not(ancestor::code) and not(ancestor::*[local-name()='annotation'])]")
            .map(\.text).joined()
        XCTAssertFalse(visible.replacingOccurrences(of: "$5 and $6", with: "").contains("$"), "no other raw dollar left")
        XCTAssertEqual(try page.all("//article//p/code").map(\.text).filter { $0.contains("$") }, ["a $dollar$ in code"])
    }

    func testFormulaKaTeXRejectsIsShownAsTeXWithAWarningNamingItsLine() throws {
        var source = try String(contentsOf: RenderFixture.chapterFile, encoding: .utf8)
        source += "\nA broken formula: $\\frac{1}{$, and a good one: $x^2$.\n"
        let line = source.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.contains("broken formula") }! + 1
        let site = try RenderFixture.render(RenderFixture.input(source: source))
        let warnings = site.warnings.filter { $0.message.contains("KaTeX") }
        XCTAssertEqual(warnings.map(\.line), [line])
        XCTAssertTrue(warnings[0].description.hasPrefix("Chapters/01-demo.md:\(line): KaTeX cannot typeset $\\frac{1}{$"),
                      warnings[0].description)
        let page = try RenderFixture.page(site)
        XCTAssertEqual(try page.one("//code[hasClass('tex') and hasClass('rejected')]").text, "$\\frac{1}{$")
        XCTAssertTrue(try page.all("//article//*[local-name()='annotation']").map(\.text).contains("x^2"))
    }

    func testWithoutKaTeXMathStaysReadableTeX() throws {
        let site = try RenderFixture.render(RenderFixture.input(), typesetter: .none)
        XCTAssertTrue(site.warnings.contains { $0.message.hasPrefix("not found: node") }, "\(site.warnings)")
        let page = try RenderFixture.page(site)
        XCTAssertEqual(try page.all("//article//code[hasClass('tex')]").map(\.text),
                       ["$W_{hh}$", "$a_1 + b_{2} = \\frac{1}{2}$", "$$\n" + fixtureFormulas[2] + "\n$$"])
    }

    func testScannerFindsMathReferencesAndCellsWithTheirLines() throws {
        let source = """
        # Title

        Inline $a_b$ and $x
        + y$ across a line break, \\$ escaped, `$code$`, ``a `$` b``.
        Costs $5 or $10. {{cell.metric@3}} and {{not closed
        $$
        \\sum_i x_i
        $$

        ```swift id=cell
        let a = "$not math$ {{nor this}}"
        ```

        ```sh
        echo $HOME {{x}}
        ```
        Unclosed $$ here.
        """
        let chapter = try ChapterLoader.parse(source, path: URL(fileURLWithPath: "/tmp/x.md"))
        let prose = ProtectedProse(chapter: chapter)
        let found = prose.tokens.map { token -> String in
            switch token.kind {
            case .math(let tex, let display): return "\(token.line) \(display ? "display" : "inline") \(tex)"
            case .reference(let text): return "\(token.line) reference \(text)"
            case .cell(let index): return "\(token.line) cell \(index)"
            }
        }
        XCTAssertEqual(found, ["3 inline a_b", "3 inline x\n+ y", "5 reference cell.metric@3", "6 display \\sum_i x_i", "10 cell 0"])
        XCTAssertEqual(prose.problems.map(\.line), [17])
        XCTAssertTrue(prose.markdown.contains("echo $HOME {{x}}"), "other code blocks are left alone")
        XCTAssertTrue(prose.markdown.contains("\\$ escaped, `$code$`, ``a `$` b``."))
        XCTAssertTrue(prose.markdown.contains("Costs $5 or $10."))
        XCTAssertFalse(prose.markdown.contains("not math"), "the cell was replaced by its placeholder")
    }

    func testReferencesParse() {
        XCTAssertEqual(ProseReference(parsing: "gru-scratch.perplexity@160"),
                       ProseReference(cell: "gru-scratch", metric: "perplexity", point: .epoch(160)))
        XCTAssertEqual(ProseReference(parsing: "a.b.c@final")?.cell, "a.b")
        XCTAssertEqual(ProseReference(parsing: "a.b.c@final")?.point, .final)
        for bad in ["gru.perplexity", "gru@3", "gru.perplexity@", "gru.perplexity@-1", "gru.perplexity@last", ".x@1", "g r.x@1"] {
            XCTAssertNil(ProseReference(parsing: bad), bad)
        }
    }

    func testProseFiguresHaveSensibleDigits() {
        XCTAssertEqual(proseFigure(149.6217), "149.6")
        XCTAssertEqual(proseFigure(12345.6), "12346")
        XCTAssertEqual(proseFigure(21.347), "21.35")
        XCTAssertEqual(proseFigure(1.50312), "1.503")
        XCTAssertEqual(proseFigure(1.0036), "1.0036")
        XCTAssertEqual(proseFigure(200), "200")
    }
}

extension ProseReference {
    init(cell: String, metric: String, point: Point) {
        let written: String
        switch point {
        case .epoch(let epoch): written = "\(epoch)"
        case .final: written = "final"
        }
        self = ProseReference(parsing: "\(cell).\(metric)@\(written)")!
    }
}

/// Typeset math and code are kept between renders.
final class TypesetCacheTests: XCTestCase {
    func testAnUnchangedBookIsRenderedAgainWithoutNode() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("lessons-typeset-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: file) }
        let cache = TypesetCache(file: file)
        let real = Typesetter.locate()
        let input = try RenderFixture.input()
        let first = try Book.render([.chapter(input)], typesetter: real, cache: cache)
        XCTAssertTrue(FileManager.default.fileExists(atPath: file.path))

        // The same libraries, but no node to run them: everything must come from the cache.
        var noNode = real
        noNode.node = URL(fileURLWithPath: "/nonexistent/node")
        let second = try Book.render([.chapter(input)], typesetter: noNode, cache: cache)
        XCTAssertEqual(second.files["01-demo.html"], first.files["01-demo.html"])

        // A new formula does need node.
        var source = try String(contentsOf: RenderFixture.chapterFile, encoding: .utf8)
        source += "\nOne more: $y = mx + c$.\n"
        XCTAssertThrowsError(try Book.render([.chapter(RenderFixture.input(source: source))], typesetter: noNode, cache: cache))
    }
}
