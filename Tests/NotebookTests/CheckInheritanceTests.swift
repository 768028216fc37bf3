import XCTest
@testable import Notebook

/// `always` (checks for every run) and `extends` (a profile built on another): what a parsed
/// Expected file hands out is flattened, and every way a check could vanish is an error.
final class CheckInheritanceTests: XCTestCase {
    private let json = """
    {
      "always": {"cells": {
        "setup": [{"output": "vocabulary: 1027"}],
        "sample": [{"matches": "^分开"}]
      }},
      "profiles": {
        "full": {"cells": {
          "train": [
            {"metric": "perplexity", "epoch": 40, "range": [140, 160]},
            {"metric": "tokens_per_second", "final": true, "informational": true}
          ],
          "sample": [{"output": "分开的爱"}]
        }},
        "smoke": {
          "extends": "full",
          "parameters": {"epochs": "5"},
          "cells": {
            "train": [{"metric": "perplexity", "epoch": 5, "range": [200, 1100]}],
            "sample": []
          }
        },
        "smoke-noclip": {"extends": "smoke", "parameters": {"clip": "false"}}
      }
    }
    """

    func testEveryProfileIncludesTheAlwaysChecksFirst() throws {
        let expectations = try Sample.parse(json)
        XCTAssertEqual(expectations.always["setup"], [.output("vocabulary: 1027")])
        let full = try XCTUnwrap(expectations.profiles["full"])
        XCTAssertEqual(full.cells["setup"], [.output("vocabulary: 1027")])
        XCTAssertEqual(full.cells["sample"], [.matches("^分开"), .output("分开的爱")])
        XCTAssertEqual(full.checkCount, 5)
        XCTAssertEqual(expectations.alwaysProfile?.cells, expectations.always)
        XCTAssertEqual(expectations.alwaysProfile?.checkCount, 2)
    }

    func testExtendsInheritsCellsAndParametersAndAnOwnListReplacesTheInheritedOne() throws {
        let expectations = try Sample.parse(json)
        let smoke = try XCTUnwrap(expectations.profiles["smoke"])
        XCTAssertEqual(smoke.extends, "full")
        XCTAssertEqual(smoke.parameters, ["epochs": "5"])
        XCTAssertEqual(smoke.cells["train"], [.metric(MetricCheck(name: "perplexity", at: .epoch(5), range: 200...1100))],
                       "the own list replaces full's (whose epoch-40 check a 5-epoch run never reports)")
        XCTAssertEqual(smoke.cells["sample"], [.matches("^分开")], "[] removed full's output check, not the always one")
        XCTAssertEqual(smoke.cells["setup"], [.output("vocabulary: 1027")])

        let noclip = try XCTUnwrap(expectations.profiles["smoke-noclip"])
        XCTAssertEqual(noclip.parameters, ["epochs": "5", "clip": "false"], "parameters are inherited and added to")
        XCTAssertEqual(noclip.cells, smoke.cells, "no cells of its own: smoke's, unchanged")
        XCTAssertEqual(expectations.ancestors(of: "smoke-noclip"), ["smoke", "full"])
    }

    func testTheFlattenedProfileJudgesInheritedChecks() throws {
        let smoke = try XCTUnwrap(Sample.parse(json).profiles["smoke"])
        var run = Sample.run(perplexity: [(5, 800)], sampleOutput: "分开了\n")
        run.cells[0].stdout = "vocabulary: 1027\n"
        XCTAssertEqual(check(run, against: smoke).map(\.verdict), [.passed, .passed, .passed])
        run.cells[0].stdout = "vocabulary: 28\n"
        XCTAssertEqual(check(run, against: smoke).map(\.verdict), [.failed, .passed, .passed],
                       "an always check judges a smoke run too")
    }

    func testUnknownBaseAndCyclesAreRejectedWithThePath() {
        assertError(#"{"profiles": {"full": {"cells": {"train": [{"output": "x"}]}}, "smoke": {"extends": "ful"}}}"#,
                    path: "profiles.smoke.extends", contains: "no profile \"ful\" to extend (profiles: full)")
        assertError(#"{"profiles": {"a": {"extends": "b"}, "b": {"extends": "c"}, "c": {"extends": "a", "cells": {"x": [{"output": "x"}]}}}}"#,
                    path: "profiles.c.extends", contains: "cycle: a → b → c → a")
        assertError(#"{"profiles": {"full": {"extends": "full", "cells": {"x": [{"output": "x"}]}}}}"#,
                    path: "profiles.full.extends", contains: "cycle: full → full")
        assertError(#"{"profiles": {"full": {"extends": 3, "cells": {"x": [{"output": "x"}]}}}}"#,
                    path: "profiles.full.extends", contains: "must be a string")
    }

    func testAnEmptyListMustRemoveSomething() {
        assertError(#"{"profiles": {"full": {"cells": {"train": [{"output": "x"}]}}, "smoke": {"extends": "full", "cells": {"sample": []}}}}"#,
                    path: "profiles.smoke.cells.sample", contains: "none to remove")
        assertError(#"{"profiles": {"full": {"cells": {"train": [{"output": "x"}]}}, "smoke": {"extends": "full", "cells": {}}}}"#,
                    path: "profiles.smoke.cells", contains: "leave \"cells\" out")
        assertError(#"{"profiles": {"full": {"cells": {"train": [{"output": "x"}]}}, "smoke": {"extends": "full", "cells": {"train": []}}}}"#,
                    path: "profiles.smoke", contains: "holds no check once \"extends\" is resolved")
    }

    func testAProfileCannotRepeatAnAlwaysCheck() {
        assertError(#"{"always": {"cells": {"train": [{"output": "x"}]}}, "profiles": {"full": {"cells": {"train": [{"matches": "y"}, {"output": "z"}]}}}}"#,
                    path: "profiles.full.cells.train[1]", contains: "already checked by always.cells.train[0]")
    }

    func testAlwaysIsNotAProfileName() {
        assertError(#"{"profiles": {"always": {"cells": {"train": [{"output": "x"}]}}}}"#,
                    path: "profiles.always", contains: "call this profile something else")
        assertError(#"{"always": {"checks": {}}, "profiles": {"full": {"cells": {"train": [{"output": "x"}]}}}}"#,
                    path: "always.checks", contains: "allowed here: cells, note")
    }

    func testCellsUnderAlwaysAndInEveryProfileAreValidatedWhereTheyAreWritten() throws {
        let misspelt = try Sample.parse(#"{"always": {"cells": {"setpu": [{"output": "x"}]}}, "profiles": {"full": {"cells": {"train": [{"output": "x"}]}}}}"#)
        XCTAssertThrowsError(try misspelt.validate(against: Sample.chapter())) { error in
            XCTAssertEqual((error as? ExpectedError)?.path, "always.cells.setpu", "\(error)")
        }
        let inSmoke = try Sample.parse(#"{"profiles": {"full": {"cells": {"train": [{"output": "x"}]}}, "smoke": {"extends": "full", "parameters": {"epochs": "5"}, "cells": {"aside": [{"output": "x"}]}}}}"#)
        XCTAssertThrowsError(try inSmoke.validate(against: Sample.chapter())) { error in
            XCTAssertEqual((error as? ExpectedError)?.path, "profiles.smoke.cells.aside", "\(error)")
            XCTAssertTrue("\(error)".contains("norun"), "\(error)")
        }
    }

    private func assertError(_ json: String, path: String, contains text: String,
                             file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try Sample.parse(json), file: file, line: line) { error in
            XCTAssertEqual((error as? ExpectedError)?.path, path, "\(error)", file: file, line: line)
            XCTAssertTrue("\(error)".contains(text), "\(error)", file: file, line: line)
        }
    }
}
