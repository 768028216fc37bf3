import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Notebook
@testable import Render
import XCTest

/// The fixture chapter's page, read back through an XML parser (the pages are well-formed XML).
final class ChapterPageTests: XCTestCase {
    func testEachCellIsFollowedByItsOwnOutput() throws {
        let page = try RenderFixture.page(RenderFixture.render(RenderFixture.input()))
        let entry = try RenderFixture.entry()
        let chapter = try RenderFixture.chapter()
        let sections = try page.all("//article//section[hasClass('cell')]")
        let shown = chapter.cells.filter { !$0.attributes.hidden }
        XCTAssertEqual(try sections.map { try ($0 as! XMLElement).attribute(forName: "id")?.stringValue ?? "" },
                       shown.map { "cell-" + $0.id }, "cells in document order, the hidden one left out")
        for cell in shown where !cell.attributes.norun {
            let stdout = try XCTUnwrap(entry.report.result?.cells.first { $0.id == cell.id }).stdout
            let outputs = try page.all("//section[@id='cell-\(cell.id)']/div[hasClass('output')]/pre[hasClass('stdout')]")
            if stdout.isEmpty {
                XCTAssertTrue(outputs.isEmpty, "cell \(cell.id) printed nothing")
            } else {
                XCTAssertEqual(outputs.count, 1, "cell \(cell.id)")
                XCTAssertEqual(outputs.first?.text, String(stdout.dropLast()), "cell \(cell.id)'s own output")
                // The output comes after the cell's code, inside the same section.
                let code = try page.one("//section[@id='cell-\(cell.id)']/pre[hasClass('code')]")
                XCTAssertLessThan(code.index, try XCTUnwrap(outputs.first?.parent).index)
                XCTAssertEqual(code.text, cell.code)
            }
        }
    }

    func testHiddenCellsAreAbsentAndNorunCellsMarked() throws {
        let site = try RenderFixture.render(RenderFixture.input())
        let page = try RenderFixture.page(site)
        let html = String(decoding: site.files["01-demo.html"]!, as: UTF8.self)
        XCTAssertTrue(try page.all("//*[@id='cell-secret']").isEmpty)
        XCTAssertFalse(html.contains("a hidden cell prints this"), "neither the hidden cell's code nor its output")
        let norun = try page.one("//section[@id='cell-sketch']")
        XCTAssertTrue(try norun.all("self::*[hasClass('norun')]").count == 1)
        XCTAssertEqual(try norun.one(".//span[hasClass('badge')]").text, "not run")
        XCTAssertTrue(try norun.all(".//div[hasClass('output')]").isEmpty)
    }

    func testOutputIsEscaped() throws {
        let page = try RenderFixture.page(RenderFixture.render(RenderFixture.input()))
        let output = try page.one("//section[@id='cell-hello']//pre[hasClass('stdout')]")
        XCTAssertTrue(output.text.contains("<script>alert(1)</script>"), "shown as text")
        XCTAssertTrue(try page.all("//article//script").isEmpty, "no script element made from the output")
        XCTAssertEqual(try page.all("//script").count, 1, "the page's own search script only")
    }

    func testOneCurvePerExperimentWithAPointPerEpoch() throws {
        let page = try RenderFixture.page(RenderFixture.render(RenderFixture.input()))
        let epochs = try RenderFixture.metrics("train", "perplexity").compactMap(\.epoch)
        XCTAssertFalse(epochs.isEmpty)
        let curves = try page.all("//*[local-name()='svg' and hasClass('curve')]")
        XCTAssertEqual(curves.count, 1, "one experiment, one curve")
        let curve = try XCTUnwrap(curves.first)
        XCTAssertEqual(try curve.all("ancestor::section/@id").first?.text, "cell-train")
        let points = try curve.all(".//*[local-name()='circle' and hasClass('pt')]")
        XCTAssertEqual(points.count, epochs.count)
        XCTAssertEqual(try points.map { try $0.one("*[local-name()='title']").text.components(separatedBy: ":")[0] },
                       epochs.map { "epoch \($0)" })
        // Two Expected ranges with a source figure each.
        XCTAssertEqual(try curve.all(".//*[local-name()='rect' and hasClass('band')]").count, 2)
        XCTAssertEqual(try curve.all(".//*[local-name()='path' and hasClass('src')]").count, 2)
    }

    func testChecksTableListsEveryOutcomeOfTheCell() throws {
        let page = try RenderFixture.page(RenderFixture.render(RenderFixture.input()))
        let outcomes = try RenderFixture.entry().report.outcomes.filter { $0.cell == "train" }
        let rows = try page.all("//section[@id='cell-train']/table[hasClass('checks')]/tbody/tr[not(hasClass('message'))]")
        XCTAssertEqual(rows.count, outcomes.count)
        for (row, outcome) in zip(rows, outcomes) {
            let cells = try row.all("td").map(\.text)
            XCTAssertEqual(cells[0], outcome.title)
            XCTAssertEqual(cells[1], outcome.measured.map(formatFigure))
            XCTAssertEqual(cells[3], outcome.source.map(formatFigure) ?? "—")
            let words: [CheckOutcome.Verdict: String] = [.passed: "passed", .failed: "failed", .reported: "reported", .unjudged: "not judged"]
            XCTAssertTrue(cells[4].hasSuffix(words[outcome.verdict]!), cells[4])
        }
        XCTAssertEqual(try page.all("//section[@id='cell-hello']/table[hasClass('checks')]/tbody/tr").count, 1)
    }

    func testProseReferencesShowTheMeasuredFigures() throws {
        let page = try RenderFixture.page(RenderFixture.render(RenderFixture.input()))
        let perplexities = try RenderFixture.metrics("train", "perplexity")
        let figures = try page.all("//article//span[hasClass('figure')]").map(\.text)
        XCTAssertEqual(figures, [proseFigure(perplexities.last!.value),
                                 proseFigure(try XCTUnwrap(perplexities.first { $0.epoch == 3 }).value)])
        XCTAssertFalse(try page.one("//article").text.contains("{{"))
    }

    func testUnknownReferencesFailWithTheirLine() throws {
        var source = try String(contentsOf: RenderFixture.chapterFile, encoding: .utf8)
        source += "\nA typo: {{train.perplexty@3}}.\n\nA cell that does not exist: {{trian.perplexity@final}}.\n"
        let lines = source.split(separator: "\n", omittingEmptySubsequences: false)
        let typoLine = try XCTUnwrap(lines.firstIndex { $0.contains("perplexty") }) + 1
        let cellLine = try XCTUnwrap(lines.firstIndex { $0.contains("trian.") }) + 1
        let site = try RenderFixture.render(RenderFixture.input(source: source), typesetter: .none)
        XCTAssertEqual(site.errors.map(\.line), [typoLine, cellLine])
        XCTAssertTrue(site.errors[0].description.hasPrefix("Chapters/01-demo.md:\(typoLine): unknown reference {{train.perplexty@3}}"),
                      site.errors[0].description)
        XCTAssertTrue(site.errors[1].message.contains("no cell 'trian'"), site.errors[1].message)
        // The page still renders, with the bad references marked.
        let page = try RenderFixture.page(site)
        XCTAssertEqual(try page.all("//span[hasClass('figure') and hasClass('error')]").count, 2)
    }

    func testAnEpochIsAnErrorOnlyWhenARunWithTheChaptersOwnSettingsLacksIt() throws {
        let chapter = try RenderFixture.chapter(), expectations = try RenderFixture.expectations()
        var entry = try RenderFixture.entry()
        let epochs = try RenderFixture.metrics("train", "perplexity").compactMap(\.epoch)
        let beyond = epochs.max()! + 3
        let problem = ProseReferences.problem("train.perplexity@\(beyond)", chapter: chapter, expectations: expectations,
                                              stored: [.current(entry)])
        XCTAssertEqual(problem, "unknown reference {{train.perplexity@\(beyond)}}: cell 'train' reported perplexity at epochs "
                       + "\(epochs.min()!)–\(epochs.max()!) in its last run with the chapter's own parameters, not at \(beyond)")
        XCTAssertNil(ProseReferences.problem("train.perplexity@\(epochs.max()!)", chapter: chapter, expectations: expectations,
                                             stored: [.current(entry)]))
        // A run with other settings (a smoke run) says nothing about which epochs exist.
        entry.inputs.parameters = ["epochs": "6"]
        XCTAssertNil(ProseReferences.problem("train.perplexity@\(beyond)", chapter: chapter, expectations: expectations,
                                             stored: [.current(entry)]))
        // Without any run the Expected file vouches for the metric.
        XCTAssertNil(ProseReferences.problem("train.perplexity@\(beyond)", chapter: chapter, expectations: expectations, stored: []))
        XCTAssertNotNil(ProseReferences.problem("train.perplexity@1", chapter: chapter, expectations: nil, stored: []))
        XCTAssertEqual(ProseReferences.problem("sketch.perplexity@1", chapter: chapter, expectations: expectations, stored: []),
                       "unknown reference {{sketch.perplexity@1}}: cell 'sketch' is norun, so it never reports figures")
    }

    func testStaleResultsAreShownWithANotePerCell() throws {
        let entry = try RenderFixture.entry()
        let page = try RenderFixture.page(RenderFixture.render(RenderFixture.input(.stale(changed: ["Expected file"], entry))))
        let runnable = try RenderFixture.chapter().cells.filter { !$0.attributes.hidden && !$0.attributes.norun }
        for cell in runnable {
            let note = try page.one("//section[@id='cell-\(cell.id)']/p[hasClass('note') and hasClass('stale')]")
            XCTAssertTrue(note.text.hasPrefix("stale: Expected file changed"), note.text)
        }
        let printed = try XCTUnwrap(entry.report.result).cells.filter { !$0.stdout.isEmpty && $0.id != "secret" }
        XCTAssertEqual(try page.all("//pre[hasClass('stdout')]").count, printed.count, "the stale outputs are still shown")
    }

    func testChaptersNeverRunShowTheirCodeWithANote() throws {
        let page = try RenderFixture.page(RenderFixture.render(RenderFixture.input(.never)))
        let runnable = try RenderFixture.chapter().cells.filter { !$0.attributes.hidden && !$0.attributes.norun }
        for cell in runnable {
            XCTAssertTrue(try page.one("//section[@id='cell-\(cell.id)']/p[hasClass('note')]").text.hasPrefix("not run yet"))
        }
        XCTAssertTrue(try page.all("//div[hasClass('output')]").isEmpty)
        XCTAssertTrue(try page.all("//*[local-name()='svg' and hasClass('curve')]").isEmpty)
        XCTAssertEqual(try page.all("//span[hasClass('figure') and hasClass('missing')]").count, 2)
    }

    func testParametersCellShowsTheValuesOfTheShownRun() throws {
        var entry = try RenderFixture.entry()
        entry.report.parameters = ["epochs": "3"]
        let page = try RenderFixture.page(RenderFixture.render(RenderFixture.input(.current(entry))))
        let row = try page.one("//section[@id='cell-settings']/table[hasClass('parameters')]//tr[th/code='epochs']")
        XCTAssertEqual(try row.all("td").map(\.text), ["3", "overridden (the chapter says 6)"])
        XCTAssertTrue(try row.all("self::tr[hasClass('overridden')]").count == 1)

        let plain = try RenderFixture.page(RenderFixture.render(RenderFixture.input()))
        XCTAssertEqual(try plain.one("//section[@id='cell-settings']/table//tr[th/code='epochs']/td[1]").text, "6")
    }
}
