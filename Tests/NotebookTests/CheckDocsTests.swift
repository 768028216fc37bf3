import XCTest
@testable import Notebook

/// The example in docs/expected-format.md is a valid Expected file for the fixture chapter
/// `Tests/Fixtures/docs/Chapters/12-gru.md`, and behaves as the text around it says, so the
/// documentation cannot drift from the parser.
final class CheckDocsTests: XCTestCase {
    private let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    private func example() throws -> Expectations {
        let text = try String(contentsOf: root.appendingPathComponent("docs/expected-format.md"), encoding: .utf8)
        let start = try XCTUnwrap(text.range(of: "```json\n"))
        let end = try XCTUnwrap(text.range(of: "\n```", range: start.upperBound..<text.endIndex))
        return try Sample.parse(String(text[start.upperBound..<end.lowerBound]))
    }

    private func chapter() throws -> Chapter {
        try ChapterLoader.load(contentsOf: root.appendingPathComponent("Tests/Fixtures/docs/Chapters/12-gru.md"))
    }

    func testTheExampleIsValidForItsChapter() throws {
        let expectations = try example()
        XCTAssertEqual(expectations.profileNames, ["full", "smoke"])
        XCTAssertNoThrow(try expectations.validate(against: chapter()))
    }

    func testTheExampleBehavesAsDescribed() throws {
        let expectations = try example(), chapter = try chapter()
        func select(_ parameters: [String: String], profile: String? = nil) throws -> ProfileSelection {
            try ProfileSelection.select(expectations, for: chapter, requested: profile, parameters: parameters)
        }
        // "judged by full: the checks of always and of full, six in all"
        XCTAssertEqual(try select([:]).profile?.checkCount, 6)
        // "--param epochs=5 (or --profile smoke, or --param epochs=05) is judged by smoke"
        let smoke = try XCTUnwrap(select(["epochs": "5"]).profile)
        XCTAssertEqual(smoke.name, "smoke")
        XCTAssertEqual(try select(["epochs": "05"]).profile?.name, "smoke")
        XCTAssertEqual(try select([:], profile: "smoke").parameters, ["epochs": "5"])
        // "always, full's sample check, and smoke's own train check, which replaces full's three"
        XCTAssertEqual(smoke.cells["train"], [.metric(MetricCheck(name: "perplexity", at: .epoch(5), range: 200...1100))])
        XCTAssertEqual(smoke.cells["sample"], [.matches("^分开"), .matches("^分开.{10,}$")])
        XCTAssertEqual(smoke.cells["vocabulary"], [.output("vocabulary: 1027 characters")])
        // "--param epochs=7 fits no profile: it is judged by the two always checks only"
        let unmatched = try select(["epochs": "7"])
        XCTAssertNil(unmatched.profile)
        XCTAssertEqual(unmatched.judgedBy?.checkCount, 2)
        XCTAssertEqual(unmatched.availableDescription, "full (the chapter's own values), smoke (epochs=5)")
        // The chapter's default is the plain run.
        XCTAssertEqual(try select(["epochs": "160"]).profile?.name, "full")
    }
}
