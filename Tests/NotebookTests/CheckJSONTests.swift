import XCTest
@testable import Notebook

/// The strict JSON reader behind Expected files: RFC 8259 exactly, members in file order, and a
/// key given twice rejected with its path and line.
final class CheckJSONTests: XCTestCase {
    private func read(_ text: String) throws -> JSONDocument { try JSONValue.read(Data(text.utf8)) }

    private func syntaxError(_ text: String, file: StaticString = #filePath, line: UInt = #line) -> JSONSyntaxError? {
        do {
            let document = try read(text)
            XCTFail("accepted \(text.debugDescription) as \(document.root)", file: file, line: line)
        } catch let error as JSONSyntaxError {
            return error
        } catch {
            XCTFail("unexpected \(error)", file: file, line: line)
        }
        return nil
    }

    func testReadsEveryKindOfValueAndKeepsKeyOrder() throws {
        let document = try read(#"{"b": [1, -2.5e2, 0, 1E+2], "a": {"z": true, "y": false, "x": null}, "s": "é\"\\\/\b\f\n\r\t\u00e9\ud83d\ude00"}"#)
        XCTAssertEqual(document.root, .object([
            JSONMember(key: "b", value: .array([.number(1), .number(-250), .number(0), .number(100)])),
            JSONMember(key: "a", value: .object([JSONMember(key: "z", value: .bool(true)),
                                                 JSONMember(key: "y", value: .bool(false)),
                                                 JSONMember(key: "x", value: .null)])),
            JSONMember(key: "s", value: .string("é\"\\/\u{08}\u{0C}\n\r\té😀")),
        ]))
        XCTAssertEqual(try read(" \t\r\n 7 \n").root, .number(7))
        XCTAssertEqual(try read("\u{FEFF}[]").root, .array([]), "a UTF-8 byte-order mark is skipped")
        XCTAssertEqual(try read(#"{}"#).root, .object([]))
    }

    func testRecordsTheLineOfEveryValueByPath() throws {
        let document = try read("{\n  \"profiles\": {\n    \"full\": {\n      \"cells\": {\"train\": [\n        {\"x\": 1}]}}}}")
        XCTAssertEqual(document.lines["profiles"], 2)
        XCTAssertEqual(document.lines["profiles.full.cells"], 4)
        XCTAssertEqual(document.lines["profiles.full.cells.train[0]"], 5)
        XCTAssertEqual(document.line(of: "profiles.full.cells.train[0].missing"), 5, "falls back to the enclosing value")
    }

    func testAKeyGivenTwiceIsRejectedWithPathAndBothLines() {
        let error = syntaxError("{\"cells\": {\n  \"train\": [1],\n  \"sample\": [2],\n  \"train\": [3]\n}}")
        XCTAssertEqual(error?.path, "cells.train")
        XCTAssertEqual(error?.line, 4)
        XCTAssertEqual(error?.column, 3)
        XCTAssertTrue(error?.message.contains("given twice") == true && error?.message.contains("line 2") == true,
                      "\(String(describing: error))")
        XCTAssertEqual(syntaxError(#"[{"metric": "a", "epoch": 1, "metric": "b"}]"#)?.path, "[0].metric")
        // The same key in two different objects is fine.
        XCTAssertNoThrow(try read(#"{"a": {"k": 1}, "b": {"k": 2}}"#))
    }

    func testTrailingCommasAreRejected() {
        let object = syntaxError("{\"a\": {\"b\": 1,\n}}")
        XCTAssertEqual(object?.path, "a")
        XCTAssertEqual(object?.line, 2)
        XCTAssertTrue(object?.message.contains("trailing comma") == true, "\(String(describing: object))")
        XCTAssertEqual(syntaxError(#"{"a": [1, 2, ]}"#)?.path, "a")
        XCTAssertTrue(syntaxError(#"[1,]"#)?.message.contains("trailing comma") == true)
    }

    func testRejectsWhatRFC8259DoesNotAllow() {
        let bad = [
            "", "  ", "{", "[1 2]", "{\"a\" 1}", "{\"a\": 1 \"b\": 2}", "{a: 1}", "{'a': 1}", "[01]", "[-]", "[1.]",
            "[.5]", "[+1]", "[1e]", "[0x10]", "[NaN]", "[Infinity]", "[tru]", "[truex]", "[nul]", "[1e400]",
            "[\"a\nb\"]", "[\"tab\there\"]", "[\"\\x\"]", "[\"\\u12\"]", "[\"\\ud83d\"]", "[\"\\ude00\"]",
            "[\"open", "{} {}", "[1] x", "// comment\n{}", "{\"a\": 1,}",
        ]
        for text in bad {
            XCTAssertNotNil(syntaxError(text), "accepted \(text.debugDescription)")
        }
        XCTAssertThrowsError(try JSONValue.read(Data([0x5B, 0x22, 0xFF, 0x22, 0x5D])), "invalid UTF-8")
    }

    func testSyntaxErrorsSayLineAndColumnInCharacters() {
        let error = syntaxError("{\n  \"note\": \"分开\", ]\n}")
        XCTAssertEqual(error?.line, 2)
        XCTAssertEqual(error?.column, 17, "columns count characters, not UTF-8 bytes")
    }

    func testDeepNestingIsAnErrorNotACrash() {
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        XCTAssertTrue(syntaxError(deep)?.message.contains("nested more than") == true)
        XCTAssertNoThrow(try read(String(repeating: "[", count: 500) + String(repeating: "]", count: 500)))
    }

    /// Foundation is what the reader replaces: it drops the first of two keys and accepts a
    /// trailing comma, which is why it cannot be used for Expected files.
    func testFoundationWouldHaveDroppedAChecksListSilently() throws {
        let twice = #"{"cells": {"train": [{"output": "a"}], "train": [{"output": "b"}]}}"#
        let foundation = try JSONSerialization.jsonObject(with: Data(twice.utf8)) as? [String: [String: Any]]
        XCTAssertEqual(foundation?["cells"]?.count, 1, "Foundation keeps one of the two lists")
        XCTAssertNotNil(syntaxError(twice))
        let comma = #"{"cells": {"train": [{"output": "a"}],}}"#
        XCTAssertNoThrow(try JSONSerialization.jsonObject(with: Data(comma.utf8)), "Foundation accepts the comma")
        XCTAssertNotNil(syntaxError(comma))
    }
}
