import XCTest
@testable import Notebook

/// Which profile judges a run, and runs that no profile fits.
final class CheckProfileTests: XCTestCase {
    func testPlainRunIsJudgedByFull() throws {
        let selection = try ProfileSelection.select(Sample.expectations(), for: Sample.chapter(), requested: nil, parameters: [:])
        XCTAssertEqual(selection.profile?.name, "full")
        XCTAssertNil(selection.unjudgedReason)
    }

    func testOverridesPickTheProfileSizedForThem() throws {
        let selection = try ProfileSelection.select(Sample.expectations(), for: Sample.chapter(), requested: nil, parameters: ["epochs": "5"])
        XCTAssertEqual(selection.profile?.name, "smoke")
        XCTAssertEqual(selection.parameters, ["epochs": "5"])
    }

    func testOverridesMatchingNoProfileAreReportedNotJudged() throws {
        let expectations = try Sample.expectations()
        let selection = try ProfileSelection.select(expectations, for: Sample.chapter(), requested: nil, parameters: ["epochs": "7"])
        XCTAssertNil(selection.profile)
        XCTAssertEqual(selection.unjudgedReason, "no profile is sized for epochs=7 (profiles: full (the chapter's own "
                       + "values), smoke (epochs=5)): figures are reported, not judged")
        XCTAssertEqual(selection.available.map(\.description), ["full (the chapter's own values)", "smoke (epochs=5)"])
        XCTAssertNil(selection.judgedBy, "the file has no always checks")
        // Far outside every range, yet nothing fails: no range was sized for 7 epochs.
        let results = check(Sample.run(perplexity: [(7, 5000)]), against: selection.profile)
        XCTAssertFalse(results.isEmpty)
        XCTAssertTrue(results.allSatisfy { $0.verdict == .reported })
    }

    func testRequestedProfileAppliesItsParameters() throws {
        let selection = try ProfileSelection.select(Sample.expectations(), for: Sample.chapter(), requested: "smoke", parameters: ["lr": "0.5"])
        XCTAssertEqual(selection.profile?.name, "smoke")
        XCTAssertEqual(selection.parameters, ["epochs": "5", "lr": "0.5"])
    }

    func testRequestedProfileContradictedByParamIsAnError() throws {
        XCTAssertThrowsError(try ProfileSelection.select(Sample.expectations(), for: Sample.chapter(), requested: "smoke",
                                                         parameters: ["epochs": "6"])) { error in
            XCTAssertTrue("\(error)".contains("contradicts profile \"smoke\""), "\(error)")
        }
    }

    func testUnknownProfileListsTheKnownOnes() throws {
        XCTAssertThrowsError(try ProfileSelection.select(Sample.expectations(), for: Sample.chapter(), requested: "nightly",
                                                         parameters: [:])) { error in
            XCTAssertTrue("\(error)".contains("no profile \"nightly\" (profiles: full, smoke)"), "\(error)")
        }
    }

    func testNoExpectedFileMeansUnjudged() throws {
        let selection = try ProfileSelection.select(nil, for: Sample.chapter(), requested: nil, parameters: [:])
        XCTAssertNil(selection.profile)
        XCTAssertNotNil(selection.unjudgedReason)
        XCTAssertThrowsError(try ProfileSelection.select(nil, for: Sample.chapter(), requested: "full", parameters: [:]))
    }

    func testSmokeProfileJudgesItsOwnChecks() throws {
        let expectations = try Sample.expectations()
        let smoke = expectations.profiles["smoke"]
        let pass = check(Sample.run(perplexity: [(5, 800)]), against: smoke)
        XCTAssertEqual(pass.map(\.verdict), [.passed])
        let fail = check(Sample.run(perplexity: [(5, 1200)]), against: smoke)
        XCTAssertEqual(fail.map(\.verdict), [.failed])
    }

    // MARK: Parameters compared as values

    /// A chapter declaring a parameter of every kind.
    private func kinds() throws -> Chapter {
        try ChapterLoader.parse("""
        ```swift parameters id=settings
        let epochs = 160
        let trainTokens = 150_000
        let learningRate: Float = 0.5
        let clip = true
        let corpus = "tiny"
        ```

        ```swift id=train
        train()
        ```
        """, path: URL(fileURLWithPath: "/tmp/Chapters/12-gru.md"))
    }

    private func kindsExpectations() throws -> Expectations {
        try Sample.parse("""
        {"always": {"cells": {"settings": [{"output": ""}]}},
         "profiles": {
          "full": {"cells": {"train": [{"metric": "perplexity", "epoch": 160, "range": [1, 2]}]}},
          "smoke": {"parameters": {"epochs": "5"}, "cells": {"train": [{"metric": "perplexity", "epoch": 5, "range": [1, 900]}]}},
          "fast": {"extends": "smoke", "parameters": {"learningRate": "1.0"}, "cells": {"train": [{"metric": "perplexity", "epoch": 5, "range": [1, 500]}]}}
        }}
        """)
    }

    private func chosen(_ parameters: [String: String], file: StaticString = #filePath, line: UInt = #line) throws -> String? {
        let expectations = try kindsExpectations()
        try expectations.validate(against: kinds())
        return try ProfileSelection.select(expectations, for: kinds(), requested: nil, parameters: parameters).profile?.name
    }

    func testIntegersAreComparedAsIntegers() throws {
        XCTAssertEqual(try chosen(["epochs": "5"]), "smoke")
        XCTAssertEqual(try chosen(["epochs": "05"]), "smoke")
        XCTAssertEqual(try chosen(["epochs": " 5"]), "smoke")
        XCTAssertEqual(try chosen(["epochs": "5 "]), "smoke")
        XCTAssertNil(try chosen(["epochs": "50"]))
        XCTAssertNil(try chosen(["epochs": "1"]))
        XCTAssertNil(try chosen(["epochs": "0"]))
        XCTAssertNil(try chosen(["epochs": "five"]))
    }

    func testTheChaptersOwnDefaultIsNoOverride() throws {
        XCTAssertEqual(try chosen([:]), "full")
        XCTAssertEqual(try chosen(["epochs": "160"]), "full")
        XCTAssertEqual(try chosen(["epochs": "0160", "trainTokens": "150000", "learningRate": "0.50", "clip": "true",
                                   "corpus": "tiny"]), "full")
        XCTAssertEqual(try chosen(["epochs": "5", "trainTokens": "150_000"]), "smoke")
    }

    func testDoublesBoolsAndStringsAreComparedAsTheirKind() throws {
        XCTAssertEqual(try chosen(["epochs": "5", "learningRate": "1"]), "fast")
        XCTAssertEqual(try chosen(["epochs": "5", "learningRate": "1e0"]), "fast")
        XCTAssertEqual(try chosen(["epochs": "5", "learningRate": "1.000"]), "fast")
        XCTAssertEqual(try chosen(["learningRate": ".50"]), "full", "0.5 is the default, however it is spelt")
        XCTAssertEqual(try chosen(["learningRate": "5e-1"]), "full")
        XCTAssertNil(try chosen(["learningRate": "0.51"]))
        XCTAssertEqual(try chosen(["clip": " true"]), "full")
        XCTAssertNil(try chosen(["clip": "false"]))
        XCTAssertNil(try chosen(["clip": "yes"]))
        XCTAssertNil(try chosen(["corpus": " tiny"]), "a string is the program's value exactly")
        XCTAssertNil(try chosen(["corpus": "Tiny"]))
    }

    func testARequestedProfileAcceptsTheSameValueSpeltOtherwise() throws {
        let selection = try ProfileSelection.select(kindsExpectations(), for: kinds(), requested: "smoke",
                                                    parameters: ["epochs": "05"])
        XCTAssertEqual(selection.profile?.name, "smoke")
        XCTAssertEqual(selection.parameters, ["epochs": "5"])
        XCTAssertThrowsError(try ProfileSelection.select(kindsExpectations(), for: kinds(), requested: "fast",
                                                         parameters: ["learningRate": "2"]))
    }

    func testAnUnmatchedRunSaysWhatExistsAndIsJudgedByTheAlwaysChecks() throws {
        let selection = try ProfileSelection.select(kindsExpectations(), for: kinds(), requested: nil,
                                                    parameters: ["epochs": "7"])
        XCTAssertNil(selection.profile)
        XCTAssertEqual(selection.availableDescription,
                       "full (the chapter's own values), fast (epochs=5 learningRate=1.0), smoke (epochs=5)")
        XCTAssertEqual(selection.judgedBy?.name, "always")
        XCTAssertEqual(selection.judgedBy?.cells, ["settings": [.output("")]])
        XCTAssertEqual(selection.always, ["settings": [.output("")]])
        XCTAssertEqual(selection.unjudgedReason, "no profile is sized for epochs=7 (profiles: "
                       + selection.availableDescription + "): only the 1 check that holds for any parameters is judged")
    }

    func testProfilesForTheSameSettingsAsValuesAreAmbiguous() throws {
        let twins = try Sample.parse("""
        {"profiles": {
          "full": {"cells": {"train": [{"output": "x"}]}},
          "smoke": {"parameters": {"epochs": "5"}, "cells": {"train": [{"output": "x"}]}},
          "quick": {"parameters": {"epochs": "05"}, "cells": {"train": [{"output": "x"}]}}
        }}
        """)
        XCTAssertThrowsError(try twins.validate(against: kinds())) { error in
            XCTAssertEqual((error as? ExpectedError)?.path, "profiles.smoke.parameters", "\(error)")
            XCTAssertTrue("\(error)".contains("same settings as profile \"quick\""), "\(error)")
        }
        let defaults = try Sample.parse("""
        {"profiles": {
          "full": {"cells": {"train": [{"output": "x"}]}},
          "again": {"parameters": {"epochs": "160"}, "cells": {"train": [{"output": "y"}]}}
        }}
        """)
        XCTAssertThrowsError(try defaults.validate(against: kinds())) { error in
            XCTAssertTrue("\(error)".contains("same settings as profile \"full\" (the chapter's own values)"), "\(error)")
        }
    }

    /// A cheap chapter's smoke profile may be its full run under another name, if it says so by
    /// extending `full`; chosen by parameters, the plain run is still `full`.
    func testASmokeProfileWithFullSettingsMustExtendFull() throws {
        let extending = try Sample.parse("""
        {"profiles": {"full": {"cells": {"train": [{"output": "x"}]}}, "smoke": {"extends": "full"}}}
        """)
        XCTAssertNoThrow(try extending.validate(against: kinds()))
        XCTAssertEqual(try ProfileSelection.select(extending, for: kinds(), requested: nil, parameters: [:]).profile?.name, "full")
        XCTAssertEqual(try ProfileSelection.select(extending, for: kinds(), requested: nil,
                                                   parameters: ["epochs": "160"]).profile?.name, "full")
        XCTAssertEqual(try ProfileSelection.select(extending, for: kinds(), requested: "smoke", parameters: [:]).profile?.name, "smoke")

        let copying = try Sample.parse("""
        {"profiles": {"full": {"cells": {"train": [{"output": "x"}]}}, "smoke": {"cells": {"train": [{"output": "x"}]}}}}
        """)
        XCTAssertThrowsError(try copying.validate(against: kinds())) { error in
            XCTAssertEqual((error as? ExpectedError)?.path, "profiles.smoke", "\(error)")
        }
    }

    func testProfileParametersMustBeTheChaptersWithValuesOfTheirKind() throws {
        let misspelt = try Sample.parse(#"{"profiles": {"full": {"cells": {"train": [{"output": "x"}]}}, "smoke": {"parameters": {"epoch": "5"}, "cells": {"train": [{"output": "y"}]}}}}"#)
        XCTAssertThrowsError(try misspelt.validate(against: kinds())) { error in
            XCTAssertEqual((error as? ExpectedError)?.path, "profiles.smoke.parameters", "\(error)")
            XCTAssertTrue("\(error)".contains("--param epoch=5 names no parameter of chapter 12-gru (its parameters: epochs, "),
                          "\(error)")
        }
        let wrongKind = try Sample.parse(#"{"profiles": {"full": {"cells": {"train": [{"output": "x"}]}}, "smoke": {"parameters": {"epochs": "5.5"}, "cells": {"train": [{"output": "y"}]}}}}"#)
        XCTAssertThrowsError(try wrongKind.validate(against: kinds())) { error in
            XCTAssertEqual((error as? ExpectedError)?.path, "profiles.smoke.parameters", "\(error)")
            XCTAssertTrue("\(error)".contains("--param epochs=5.5: expected an integer like the chapter's 160"), "\(error)")
        }
    }
}
