import Foundation
import Notebook
import XCTest
@testable import Grade

/// Points from measurements, totals, the pass mark and the exit code; and the points files that
/// define them, read strictly.
final class GradeScoreTests: XCTestCase {
    private func check(points: Double = 3, range: ClosedRange<Double> = -.infinity...250, partial: [CheckSpec.Tier] = [],
                       hidden: Bool = false) -> CheckSpec {
        CheckSpec(id: "perplexity", title: "held-out perplexity", measured: "perplexity", points: points, range: range,
                  partial: partial, hidden: hidden)
    }

    func testACheckEarnsItsPointsInRangeThenTheFirstMatchingTierThenNothing() {
        let spec = check(partial: [.init(range: -.infinity...400, points: 1), .init(range: -.infinity...300, points: 2)])
        XCTAssertEqual(spec.score(250), 3, "the range is closed")
        XCTAssertEqual(spec.score(12), 3)
        XCTAssertEqual(spec.score(260), 1, "tiers are tried in order: the first that holds the value wins")
        XCTAssertEqual(spec.score(400), 1)
        XCTAssertEqual(spec.score(400.01), 0)
        XCTAssertEqual(spec.score(.nan), 0, "NaN earns nothing, whatever the ranges")
        XCTAssertEqual(spec.score(.infinity), 0)
        XCTAssertEqual(check(range: 0...1e-4).score(-.infinity), 0)
    }

    func testFeedbackShowsTheBarUnlessTheCheckIsHidden() {
        let measurement = GraderProgram.Measurement(check: "perplexity", value: 312.5, note: "on 20,000 tokens")
        let visible = ExerciseGrader.judge(check(partial: [.init(range: -.infinity...400, points: 1)]), measurement)
        XCTAssertEqual(visible.feedback, "perplexity: 312.5 (3 points for ≤ 250, 1 point for ≤ 400); on 20,000 tokens")
        XCTAssertEqual(visible.score, 1)
        let hidden = ExerciseGrader.judge(check(hidden: true), measurement)
        XCTAssertEqual(hidden.feedback, "perplexity: 312.5; on 20,000 tokens")
        XCTAssertFalse(hidden.feedback.contains("250"))
    }

    private func exercise(_ id: String, score: Double, points: Double, status: ExerciseResult.Status = .graded) -> ExerciseResult {
        ExerciseResult(chapterID: "01-x", exercise: id, title: id, status: status, points: points, score: score,
                       checks: [CheckResult(id: "a", title: "a", points: points, score: score, value: score, feedback: "")],
                       problem: nil, gradingError: status == .error ? "broken grader" : nil, file: nil, line: nil,
                       notes: [], output: "", seconds: 1)
    }

    func testTotalsAddUpExactlyAndThePassMarkDecidesTheExitCode() {
        let results = [exercise("a", score: 0.1, points: 1), exercise("b", score: 0.2, points: 1), exercise("c", score: 3, points: 4)]
        let full = GradeReport(exercises: results, passMark: nil, isolation: "bubblewrap")
        XCTAssertEqual(full.score, 3.3, "0.1 + 0.2 + 3 is 3.3 in a report, not 3.3000000000000003")
        XCTAssertEqual(full.points, 6)
        XCTAssertEqual(full.exitCode, 1, "without a pass mark, any lost point fails")
        XCTAssertEqual(GradeReport(exercises: results, passMark: "3.3", isolation: "bubblewrap").exitCode, 0, "at the pass mark passes")
        XCTAssertEqual(GradeReport(exercises: results, passMark: "3.31", isolation: "bubblewrap").exitCode, 1)
        XCTAssertEqual(GradeReport(exercises: results, passMark: "55%", isolation: "bubblewrap").exitCode, 0, "55% of 6 is 3.3")
        XCTAssertEqual(GradeReport(exercises: results, passMark: "56%", isolation: "bubblewrap").exitCode, 1)
        let perfect = GradeReport(exercises: [exercise("a", score: 1, points: 1)], passMark: nil, isolation: "bubblewrap")
        XCTAssertEqual(perfect.exitCode, 0)
        let broken = GradeReport(exercises: results + [exercise("d", score: 0, points: 1, status: .error)], passMark: "0", isolation: "bubblewrap")
        XCTAssertEqual(broken.exitCode, 2, "an exercise that could not be graded outranks any pass mark")
    }

    func testPassMarksAreNumbersOrShares() {
        XCTAssertEqual(GradeReport.passMarkPoints("30", total: 38), 30)
        XCTAssertEqual(GradeReport.passMarkPoints("50%", total: 38), 19)
        XCTAssertNil(GradeReport.passMarkPoints("lots", total: 38))
        XCTAssertNil(GradeReport.passMarkPoints("120%", total: 38))
        XCTAssertNil(GradeReport.passMarkPoints("-1", total: 38))
    }

    func testMergingRefusesOverlappingShardsAndDifferentPassMarks() throws {
        let a = GradeReport(exercises: [exercise("a", score: 1, points: 1)], passMark: "1", isolation: "bubblewrap")
        let b = GradeReport(exercises: [exercise("b", score: 0, points: 2)], passMark: "1", isolation: "bubblewrap")
        let merged = try GradeReport.merged([b, a])
        XCTAssertEqual(merged.exercises.map(\.exercise), ["a", "b"])
        XCTAssertEqual(merged.score, 1)
        XCTAssertEqual(merged.points, 3)
        XCTAssertEqual(merged.exitCode, 0)
        XCTAssertEqual(merged, GradeReport(exercises: [exercise("a", score: 1, points: 1), exercise("b", score: 0, points: 2)],
                                           passMark: "1", isolation: "bubblewrap"))
        XCTAssertThrowsError(try GradeReport.merged([a, a])) { XCTAssertTrue("\($0)".contains("the shards overlap")) }
        let other = GradeReport(exercises: [exercise("c", score: 0, points: 2)], passMark: "2", isolation: "bubblewrap")
        XCTAssertThrowsError(try GradeReport.merged([a, other]))
        XCTAssertEqual(try GradeReport.merged([a, other], passMark: "3").exitCode, 1)
        let unsandboxed = GradeReport(exercises: [exercise("c", score: 0, points: 2)], passMark: "1", isolation: "limits-only")
        XCTAssertEqual(try GradeReport.merged([a, unsandboxed]).isolation, "limits-only", "one shard without the sandbox taints the merge")
    }

    // MARK: The points files

    private func parse(_ json: String, name: String = "x") throws -> ExerciseSpec {
        let folder = try GradeCLI.temporaryFolder("spec")
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent(name + ".json")
        try Data(json.utf8).write(to: file)
        return try ExerciseSpec.load(file, chapterID: "01-x")
    }

    private func refusal(_ json: String) -> String {
        do { _ = try parse(json); return "accepted" } catch { return "\(error)" }
    }

    func testAPointsFileIsReadStrictly() throws {
        let good = #"{"exercise": "x", "title": "t", "cells": ["a"], "parameters": {"epochs": "2"}, "limits": {"seconds": 30},"#
            + #""checks": [{"id": "p", "title": "p", "measured": "m", "points": 2, "range": [null, 5], "partial": [{"range": [null, 9], "points": 1}], "hidden": true}]}"#
        let spec = try parse(good)
        XCTAssertEqual(spec.points, 2)
        XCTAssertEqual(spec.cells, ["a"])
        XCTAssertEqual(spec.parameters, ["epochs": "2"])
        XCTAssertEqual(spec.limits.seconds, 30)
        XCTAssertEqual(spec.checks[0].range, -.infinity...5, "null leaves a side open")
        XCTAssertTrue(spec.checks[0].hidden)

        let check = #"{"id": "p", "title": "p", "measured": "m", "points": 2, "range": [0, 1]"#
        func file(_ checkText: String, _ extra: String = "") -> String {
            #"{"exercise": "x", "title": "t", "checks": ["# + checkText + "]" + extra + "}"
        }
        XCTAssertTrue(refusal(file(check + #", "pionts": 3}"#)).contains("checks[0].pionts: unknown key \"pionts\""))
        XCTAssertTrue(refusal(file(#"{"id": "p", "title": "p", "measured": "m", "points": 2, "range": [5, 1]}"#)).contains("min 5.0 is greater than max 1.0"))
        XCTAssertTrue(refusal(file(check + #", "partial": [{"range": [0, 2], "points": 2}]}"#)).contains("must be fewer than the check's 2.0"))
        XCTAssertTrue(refusal(file(check + #", "hidden": "yes"}"#)).contains("hidden: must be true or false"))
        XCTAssertTrue(refusal(file(#"{"id": "p", "title": "p", "measured": "m", "points": 0, "range": [0, 1]}"#)).contains("points: must be a positive number"))
        XCTAssertTrue(refusal(file(check + "}, " + check + "}")).contains("checks[1].id: \"p\" is used twice"))
        XCTAssertTrue(refusal(#"{"exercise": "y", "title": "t", "checks": []}"#).contains("is \"y\" but the file is x.json"))
        XCTAssertTrue(refusal(#"{"exercise": "x", "title": "t", "checks": []}"#).contains("checks: names no check"))
        XCTAssertTrue(refusal(file(check + "}", #", "limits": {"seconds": -1}"#)).contains("limits.seconds: must be a positive number"))
    }

    func testAPointsFileMustFitItsChapter() throws {
        let folder = try GradeCLI.temporaryFolder("fit")
        defer { try? FileManager.default.removeItem(at: folder) }
        let chapter = try ChapterLoader.parse("```swift id=a\nlet a = 1\n```\n\n```swift id=b exercise=x\nlet b = 2\n```\n\n```swift id=c\nlet c = 3\n```\n",
                                              path: folder.appendingPathComponent("01-x.md"))
        func spec(_ cells: [String], exercise: String = "x") -> ExerciseSpec {
            ExerciseSpec(chapterID: "01-x", exercise: exercise, title: "t", cells: cells, parameters: [:], limits: ExerciseLimits(),
                         checks: [], folder: folder)
        }
        func refusal(_ spec: ExerciseSpec) -> String {
            do { try spec.validate(against: chapter); return "accepted" } catch { return "\(error)" }
        }
        XCTAssertTrue(refusal(spec(["a"])).contains("x.swift is missing"), "the grader program must exist")
        try Data().write(to: folder.appendingPathComponent("x.swift"))
        try Data().write(to: folder.appendingPathComponent("x.harness.swift"))
        XCTAssertEqual(refusal(spec(["a"])), "accepted")
        XCTAssertTrue(refusal(spec(["c"])).contains("names a cell after the exercise cell"))
        XCTAssertTrue(refusal(spec(["b"])).contains("is the exercise cell itself"))
        XCTAssertTrue(refusal(spec(["z"])).contains("has no runnable cell \"z\""))
        XCTAssertTrue(refusal(spec(["a"], exercise: "y")).contains("has no cell marked exercise=y"))
    }

    /// Compiler output as a student sees it: their own file in full, of the rest only the error.
    func testCompilerDiagnosticsShowTheStudentsLinesAndHideTheHarness() {
        let output = """
        work/Chapters/01-x.md:12:5: error: cannot find 'foo' in scope
            foo()
            ^~~
        grading-harness.swift:3:20: error: cannot find 'bigramLogits' in scope
        gradingArchive["logits"] = bigramLogits
                                   ^~~~~~~~~~~~
        Chapters/01-x.md:4:1: error: something in the chapter
        """
        let (text, line) = CompilerDiagnostics.forStudent(output, studentFile: "work/Chapters/01-x.md")
        XCTAssertEqual(line, 12)
        XCTAssertEqual(text, """
        work/Chapters/01-x.md:12:5: error: cannot find 'foo' in scope
            foo()
            ^~~
        error (in the code that calls yours): cannot find 'bigramLogits' in scope
        error (in the chapter's cells): something in the chapter
        """)
    }
}
