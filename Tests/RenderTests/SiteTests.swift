import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Notebook
@testable import Render
import XCTest

/// The book around the pages: index, navigation, contents, search index, assets, and a
/// site that is replaced whole or not at all.
final class SiteTests: XCTestCase {
    /// A three-chapter book: the fixture, the fixture never run, and one that does not load.
    private func book() throws -> RenderedSite {
        var second = try RenderFixture.input(.never)
        second.chapter.id = "02-again"
        var entries: [BookEntry] = [.chapter(try RenderFixture.input()), .chapter(second),
                                    .broken(id: "03-broken", markdownPath: "Chapters/03-broken.md",
                                            failure: ChapterFailure(kind: .chapter, file: "Chapters/03-broken.md", line: 7,
                                                                    message: "code fence is never closed <here>"))]
        Book.linkNeighbours(&entries)
        return try Book.render(entries, typesetter: .none)
    }

    func testIndexListsEveryChapterWithItsLastResult() throws {
        let site = try book()
        let index = try RenderFixture.page(site, "index.html")
        let rows = try index.all("//table[hasClass('chapters-table')]/tbody/tr")
        XCTAssertEqual(try rows.map { try $0.one("td[1]/a/@href").text }, ["01-demo.html", "02-again.html", "03-broken.html"])
        XCTAssertEqual(try rows.map { try $0.one("td[3]/span[1]").text }, ["passed", "not run", "not run"])
        let entry = try RenderFixture.entry()
        XCTAssertEqual(try rows[0].one("td[3]/div[hasClass('tally')]").text, entry.report.tally.summary)
        XCTAssertTrue(try rows[0].one("td[4]").text.hasPrefix(ResultWords.date(entry.savedAt)))
        XCTAssertEqual(try rows[0].one("td[2]/code").text, "train", "the experiment with a curve")
        XCTAssertEqual(site.errors.map(\.description), ["Chapters/03-broken.md:7: chapter error: code fence is never closed <here>"])
        let broken = try RenderFixture.page(site, "03-broken.html")
        XCTAssertTrue(try broken.one("//div[hasClass('note')]/pre").text.contains("never closed <here>"))
    }

    func testPagesLinkToTheirNeighboursAndListTheirHeadings() throws {
        let site = try book()
        let first = try RenderFixture.page(site, "01-demo.html"), second = try RenderFixture.page(site, "02-again.html")
        XCTAssertTrue(try first.all("//nav[hasClass('pager')]/a[@rel='prev']").isEmpty)
        XCTAssertEqual(try first.one("//nav[hasClass('pager')]/a[@rel='next']/@href").text, "02-again.html")
        XCTAssertEqual(try second.one("//nav[hasClass('pager')]/a[@rel='prev']/@href").text, "01-demo.html")
        XCTAssertEqual(try second.one("//nav[hasClass('pager')]/a[@rel='next']/@href").text, "03-broken.html")

        let headings = try first.all("//article/*[self::h2 or self::h3]")
        XCTAssertEqual(try headings.map { try $0.one("@id").text }, ["settings", "training"])
        XCTAssertEqual(try headings.map { try $0.one("a[hasClass('anchor')]/@href").text }, ["#settings", "#training"])
        let toc = try first.all("//nav[hasClass('sidebar')]//li[hasClass('current')]/ul[hasClass('toc')]/li/a/@href").map(\.text)
        XCTAssertEqual(toc, ["#settings", "#training"])
        XCTAssertEqual(try first.all("//details[hasClass('toc-phone')]//a/@href").map(\.text), toc)
    }

    func testSearchIndexHoldsTheProseOfEverySection() throws {
        let site = try book()
        let json = try XCTUnwrap(site.files["searchindex.json"])
        let index = try JSONDecoder().decode([String: [SearchIndex.Entry]].self, from: json)
        let entries = try XCTUnwrap(index["entries"])
        let training = try XCTUnwrap(entries.first { $0.chapter == "01-demo" && $0.heading == "Training" })
        XCTAssertEqual(training.anchor, "training")
        let final = try RenderFixture.metrics("train", "perplexity").last!.value
        XCTAssertTrue(training.text.contains("The final perplexity of the run was \(proseFigure(final))"), training.text)
        XCTAssertFalse(entries.contains { $0.text.contains("\u{E000}") || $0.text.contains("{{") }, "no placeholder or raw reference")
        let script = String(decoding: try XCTUnwrap(site.files["searchindex.js"]), as: UTF8.self)
        XCTAssertTrue(script.hasPrefix("window.lessonsSearchIndex = {"))
        XCTAssertFalse(script.contains("<"))
    }

    func testNothingIsLoadedFromElsewhere() throws {
        let site = try RenderFixture.render(RenderFixture.input())
        for (file, data) in site.files where file.hasSuffix(".html") {
            let page = try XMLDocument(data: data, options: [])
            let references = try page.all("//@src | //link/@href").map(\.text)
            XCTAssertFalse(references.isEmpty)
            for reference in references {
                XCTAssertFalse(reference.contains("//"), "\(file) loads \(reference)")
                let target = reference.components(separatedBy: "#")[0]
                XCTAssertTrue(site.files[target] != nil || site.copies[target] != nil, "\(file) needs \(target), which the site lacks")
            }
        }
        let css = String(decoding: try XCTUnwrap(site.files["assets/katex/katex.min.css"]), as: UTF8.self)
        let fonts = css.components(separatedBy: "url(").dropFirst().map { "assets/katex/" + $0.prefix { $0 != ")" } }
        XCTAssertFalse(fonts.isEmpty)
        for font in fonts { XCTAssertNotNil(site.copies[font], "KaTeX's stylesheet needs \(font)") }
    }

    func testASiteIsReplacedWholeOrNotAtAll() throws {
        let parent = FileManager.default.temporaryDirectory.appendingPathComponent("lessons-site-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: parent) }
        let folder = parent.appendingPathComponent("Site")
        try SiteWriter.publish(files: ["index.html": Data("one".utf8), "old.html": Data("old".utf8)], copies: [:], to: folder)
        // A render interrupted long ago left its temporary folder behind (its process is gone).
        let abandoned = parent.appendingPathComponent(".Site.tmp-999999-deadbeef")
        try FileManager.default.createDirectory(at: abandoned, withIntermediateDirectories: true)

        try SiteWriter.publish(files: ["index.html": Data("two".utf8)], copies: [:], to: folder)
        XCTAssertEqual(try String(contentsOf: folder.appendingPathComponent("index.html"), encoding: .utf8), "two")
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder.appendingPathComponent("old.html").path), "replaced, not merged")
        XCTAssertFalse(FileManager.default.fileExists(atPath: abandoned.path), "swept")

        // A write that fails halfway (a file to copy has vanished) leaves the published site as it was.
        XCTAssertThrowsError(try SiteWriter.publish(files: ["index.html": Data("three".utf8)],
                                                    copies: ["assets/font.woff2": parent.appendingPathComponent("missing.woff2")],
                                                    to: folder))
        XCTAssertEqual(try String(contentsOf: folder.appendingPathComponent("index.html"), encoding: .utf8), "two")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: parent.path), ["Site"], "no temporary folder left")
    }
}

final class CurveChartTests: XCTestCase {
    func testLogTicksCoverTheRangeWithRoundNumbers() {
        XCTAssertEqual(LogScale(covering: [1.02, 900], from: 0, to: 100).ticks(), [1, 10, 100, 1000])
        XCTAssertEqual(LogScale(covering: [1.02, 90], from: 0, to: 100).ticks(), [1, 3, 10, 30, 100],
                       "one per decade gives too few; the next finer set")
        let narrow = LogScale(covering: [1.01, 1.09], from: 0, to: 100).ticks()
        XCTAssertGreaterThanOrEqual(narrow.count, 2)
        for tick in narrow { XCTAssertTrue((1.0...1.1).contains(tick), "\(narrow)") }
        let scale = LogScale(covering: [10, 1000], from: 300, to: 0)
        XCTAssertEqual(scale.position(100), 150, accuracy: 1e-9, "log scale: 100 halfway between 10 and 1000")
        XCTAssertGreaterThan(scale.position(10), scale.position(1000), "larger values higher up")
    }

    func testEpochTicksAreRoundAndFew() {
        XCTAssertEqual(EpochScale(epochs: [1, 160], from: 0, to: 100).ticks(), [0, 20, 40, 60, 80, 100, 120, 140, 160])
        XCTAssertEqual(EpochScale(epochs: [1, 5], from: 0, to: 100).ticks(), [0, 1, 2, 3, 4, 5])
        XCTAssertEqual(EpochScale(epochs: [3], from: 0, to: 100).ticks(), [2, 3, 4])
    }

    func testEveryMarkHasATooltipAndNonPositiveValuesAreLeftOut() throws {
        let chart = CurveChart(title: "perplexity of <x> per epoch", metric: "perplexity",
                               series: [.init(label: "run", points: [(1, 50), (2, .nan), (3, 0), (4, 5)], primary: true)],
                               bands: [.init(epoch: 4, min: 4, max: 6, label: "expected")],
                               sources: [.init(epoch: 4, value: 4.5)])
        let svg = try XMLDocument(xmlString: chart.svg(), options: [])
        XCTAssertEqual(try svg.all("//*[local-name()='circle']").count, 2)
        for mark in try svg.all("//*[local-name()='circle' or (local-name()='path' and hasClass('src'))]") {
            XCTAssertFalse(try mark.one("*[local-name()='title']").text.isEmpty)
        }
        XCTAssertEqual(try svg.one("/*/*[local-name()='title']").text, "perplexity of <x> per epoch")
    }
}
