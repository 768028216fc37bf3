import XCTest
@testable import Notebook

/// Parsing Expected files, and the errors a malformed one produces.
final class CheckExpectedTests: XCTestCase {
    func testParsesProfilesCellsAndEveryKindOfCheck() throws {
        let expectations = try Sample.expectations()
        XCTAssertEqual(expectations.chapterID, "12-gru")
        XCTAssertEqual(expectations.profileNames, ["full", "smoke"])
        let full = try XCTUnwrap(expectations.profiles["full"])
        XCTAssertEqual(full.parameters, [:])
        XCTAssertEqual(full.checkCount, 5)
        XCTAssertEqual(full.cells["train"], [
            .metric(MetricCheck(name: "perplexity", at: .epoch(40), range: 140...160, source: 149.27)),
            .metric(MetricCheck(name: "perplexity", at: .final, range: 1.2...1.6, source: 1.43)),
            .metric(MetricCheck(name: "tokens_per_second", at: .final, range: nil)),
        ])
        XCTAssertEqual(full.cells["sample"], [.matches("^分开"), .output("分开的爱")])
        XCTAssertEqual(expectations.profiles["smoke"]?.parameters, ["epochs": "5"])
    }

    func testValidatesAgainstTheChapter() throws {
        XCTAssertNoThrow(try Sample.expectations().validate(against: Sample.chapter()))
    }

    // MARK: Errors name the file, the JSON path and the problem

    func testBadJSONSaysWhere() {
        assertError("{\n  \"profiles\": {\n    \"full\": ]\n}", path: "profiles.full", contains: "not valid JSON", line: 3)
        XCTAssertThrowsError(try Sample.parse("{\n  \"profiles\": {\n    \"full\": ]\n}")) { error in
            XCTAssertTrue("\(error)".hasSuffix("(line 3, column 13)"), "\(error)")
        }
    }

    func testMinAboveMax() {
        assertError(check(#"{"metric": "perplexity", "epoch": 40, "range": [160, 140]}"#),
                    path: "profiles.full.cells.train[0].range", contains: "min 160.0 is greater than max 140.0")
    }

    func testUnknownKeyIsATypoNotAnExtension() {
        assertError(check(#"{"metric": "perplexity", "epcoh": 40, "range": [1, 2]}"#),
                    path: "profiles.full.cells.train[0].epcoh", contains: "unknown key \"epcoh\"")
        assertError(#"{"profiles": {"full": {"cells": {}, "params": {}}}}"#,
                    path: "profiles.full.params", contains: "allowed here: cells, extends, note, parameters")
    }

    func testMetricNeedsEpochOrFinalAndARangeOrInformational() {
        assertError(check(#"{"metric": "perplexity", "range": [1, 2]}"#),
                    path: "profiles.full.cells.train[0]", contains: "\"epoch\": N, or \"final\": true")
        assertError(check(#"{"metric": "perplexity", "epoch": 4, "final": true, "range": [1, 2]}"#),
                    path: "profiles.full.cells.train[0]", contains: "not both")
        assertError(check(#"{"metric": "perplexity", "epoch": 4}"#),
                    path: "profiles.full.cells.train[0]", contains: "\"informational\": true")
        assertError(check(#"{"metric": "perplexity", "epoch": 4.5, "range": [1, 2]}"#),
                    path: "profiles.full.cells.train[0].epoch", contains: "whole number")
        assertError(check(#"{"metric": "perplexity", "epoch": 4, "range": [1]}"#),
                    path: "profiles.full.cells.train[0].range", contains: "[min, max]")
        assertError(check(#"{"metric": "perplexity", "epoch": 4, "range": ["1", 2]}"#),
                    path: "profiles.full.cells.train[0].range[0]", contains: "must be a number")
    }

    func testOutputChecks() {
        assertError(check(#"{"matches": "([a-z]"}"#),
                    path: "profiles.full.cells.train[0].matches", contains: "not a valid regular expression")
        assertError(check(#"{"output": "x", "matches": "x"}"#),
                    path: "profiles.full.cells.train[0]", contains: "exactly one of")
        assertError(check(#"{"output": "x", "range": [1, 2]}"#),
                    path: "profiles.full.cells.train[0].range", contains: "unknown key")
    }

    func testParametersAreStringsAsGivenToParam() {
        assertError(#"{"profiles": {"smoke": {"parameters": {"epochs": 5}, "cells": {"train": [{"output": "x"}]}}}}"#,
                    path: "profiles.smoke.parameters.epochs", contains: "must be a string")
    }

    func testMissingProfiles() {
        assertError(#"{"cells": {}}"#, path: "cells", contains: "unknown key")
        assertError(#"{}"#, path: nil, contains: "missing \"profiles\"")
        assertError(#"{"profiles": {}}"#, path: "profiles", contains: "names no profile")
    }

    // MARK: Checks that would vanish silently

    func testACellGivenTwiceIsRejectedNotHalfDropped() {
        let json = """
        {"profiles": {"full": {"cells": {
          "train": [{"metric": "perplexity", "epoch": 40, "range": [140, 160]}],
          "train": [{"output": "x"}]
        }}}}
        """
        assertError(json, path: "profiles.full.cells.train", contains: "given twice", line: 3)
    }

    func testAKeyGivenTwiceInOneCheckIsRejected() {
        assertError(check(#"{"metric": "perplexity", "epoch": 40, "range": [140, 160], "range": [0, 1e9]}"#),
                    path: "profiles.full.cells.train[0].range", contains: "given twice")
    }

    func testTrailingCommasAreRejectedWithTheirLine() {
        assertError("{\"profiles\": {\"full\": {\"cells\": {\"train\": [{\"output\": \"x\"},\n]}}}}",
                    path: "profiles.full.cells.train", contains: "trailing comma", line: 2)
        assertError(#"{"profiles": {"full": {"cells": {"train": [{"output": "x"}]},}}}"#,
                    path: "profiles.full", contains: "trailing comma")
    }

    func testEmptyCellsOrCheckListsAreRejected() {
        assertError(#"{"profiles": {"full": {"cells": {}}}}"#, path: "profiles.full.cells", contains: "names no cell")
        assertError(#"{"profiles": {"full": {"cells": {"train": []}}}}"#,
                    path: "profiles.full.cells.train", contains: "holds no check")
        assertError(#"{"always": {"cells": {"train": []}}, "profiles": {"full": {"cells": {"sample": [{"output": "x"}]}}}}"#,
                    path: "always.cells.train", contains: "holds no check")
        assertError(#"{"always": {"cells": {}}, "profiles": {"full": {"cells": {"sample": [{"output": "x"}]}}}}"#,
                    path: "always.cells", contains: "names no cell")
        assertError(#"{"profiles": {"full": {}}}"#, path: "profiles.full", contains: "missing \"cells\"")
        assertError(#"{"profiles": {"smoke": {"parameters": {}, "cells": {"train": [{"output": "x"}]}}}}"#,
                    path: "profiles.smoke.parameters", contains: "is empty")
    }

    func testTheSameCheckTwiceInOneCellIsRejected() {
        assertError(check(#"{"metric": "perplexity", "epoch": 40, "range": [140, 160]}, {"output": "a"}, "#
                          + #"{"metric": "perplexity", "epoch": 40, "range": [0, 1e9]}"#),
                    path: "profiles.full.cells.train[2]", contains: "the same check as profiles.full.cells.train[0]")
    }

    func testErrorsFoundAfterReadingStillNameTheLine() {
        let json = "{\"profiles\": {\"full\": {\"cells\": {\"train\": [\n  {\"metric\": \"perplexity\", \"epoch\": 40,\n   \"range\": [160, 140]}]}}}}"
        assertError(json, path: "profiles.full.cells.train[0].range", contains: "greater than", line: 3)
        XCTAssertThrowsError(try Sample.parse(json)) { error in
            XCTAssertTrue("\(error)".hasSuffix("min 160.0 is greater than max 140.0 (line 3)"), "\(error)")
        }
    }

    func testUnknownCellNamesTheChaptersCells() throws {
        let expectations = try Sample.parse(check(#"{"output": "x"}"#, cell: "trian"))
        XCTAssertThrowsError(try expectations.validate(against: Sample.chapter())) { error in
            let error = error as? ExpectedError
            XCTAssertEqual(error?.path, "profiles.full.cells.trian")
            XCTAssertTrue(error?.message.contains("no cell \"trian\" (its cells: setup, train, sample)") ?? false,
                          "\(String(describing: error))")
        }
    }

    func testNorunCellCannotBeChecked() throws {
        let expectations = try Sample.parse(check(#"{"output": "x"}"#, cell: "aside"))
        XCTAssertThrowsError(try expectations.validate(against: Sample.chapter())) { error in
            XCTAssertTrue("\(error)".contains("norun"), "\(error)")
        }
    }

    func testChapterFieldMustMatch() throws {
        let expectations = try Sample.parse(#"{"chapter": "13-lstm", "profiles": {"full": {"cells": {"train": [{"output": "x"}]}}}}"#)
        XCTAssertThrowsError(try expectations.validate(against: Sample.chapter())) { error in
            XCTAssertEqual((error as? ExpectedError)?.path, "chapter")
        }
    }

    func testErrorDescriptionNamesFileAndPath() {
        let error = ExpectedError(file: URL(fileURLWithPath: "/x/Expected/12-gru.json"), path: "profiles.full",
                                  message: "missing \"cells\"")
        XCTAssertEqual(error.description, "/x/Expected/12-gru.json: profiles.full: missing \"cells\"")
    }

    func testLoadNamesAnUnreadableFile() {
        let missing = URL(fileURLWithPath: "/nonexistent/Expected/none.json")
        XCTAssertThrowsError(try Expectations.load(from: missing)) { error in
            XCTAssertTrue("\(error)".hasPrefix("/nonexistent/Expected/none.json: cannot be read"), "\(error)")
        }
    }

    // MARK: Helpers

    /// A file whose full profile holds one check in one cell.
    private func check(_ check: String, cell: String = "train") -> String {
        #"{"profiles": {"full": {"cells": {"\#(cell)": [\#(check)]}}}}"#
    }

    private func assertError(_ json: String, path: String?, contains text: String, line jsonLine: Int? = nil,
                             file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try Sample.parse(json), file: file, line: line) { error in
            guard let error = error as? ExpectedError else {
                return XCTFail("not an ExpectedError: \(error)", file: file, line: line)
            }
            XCTAssertEqual(error.file, Sample.file, file: file, line: line)
            XCTAssertEqual(error.path, path, "\(error)", file: file, line: line)
            XCTAssertTrue(error.message.contains(text), "\(error.message)", file: file, line: line)
            if let jsonLine { XCTAssertEqual(error.line, jsonLine, "\(error)", file: file, line: line) }
        }
    }
}
