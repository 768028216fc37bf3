import Foundation
import Notebook
import XCTest
@testable import Grade

/// `--shard K/N` picks disjoint shares that cover every chapter, balanced by recorded time and
/// the same on every machine; `lessons report merge` puts shards back together into what one
/// unsharded run reports.
final class ShardMergeTests: XCTestCase {
    let chapters = ["08-data", "09-one-hot", "10-rnn", "11-clip", "12-gru", "13-lstm", "14-deep", "15-bi", "16-word"]
    let seconds: [String: Double] = ["08-data": 5, "09-one-hot": 3, "10-rnn": 420, "11-clip": 60, "12-gru": 330,
                                     "13-lstm": 380, "14-deep": 900, "15-bi": 200, "16-word": 40]

    func testSharesAreDisjointAndCoverEveryChapterForAnyCount() {
        for count in 1...12 {
            let shares = Shard.split(chapters, weights: seconds, into: count)
            XCTAssertEqual(shares.count, count)
            XCTAssertEqual(shares.flatMap { $0 }.sorted(), chapters.sorted(), "\(count) shares cover every chapter once")
            XCTAssertEqual(Set(shares.flatMap { $0 }).count, chapters.count)
            for k in 1...count {
                XCTAssertEqual(Shard("\(k)/\(count)")!.select(chapters, weights: seconds), shares[k - 1])
            }
        }
    }

    func testSharesAreBalancedByRecordedTimeAndStable() {
        let shares = Shard.split(chapters, weights: seconds, into: 3)
        let loads = shares.map { $0.map { seconds[$0]! }.reduce(0, +) }
        // Longest first onto the lightest share: never more than the largest chapter above the ideal.
        let ideal = seconds.values.reduce(0, +) / 3
        XCTAssertLessThanOrEqual(loads.max()!, ideal + seconds.values.max()!)
        XCTAssertEqual(shares, [["14-deep"], ["10-rnn", "11-clip", "15-bi", "16-word"], ["08-data", "09-one-hot", "12-gru", "13-lstm"]],
                       "loads \(loads)")
        XCTAssertEqual(Shard.split(chapters.reversed(), weights: seconds, into: 3), shares, "the order chapters are named in does not matter")
        let unknown = Shard.split(chapters, weights: [:], into: 2)
        XCTAssertEqual(unknown.map(\.count).sorted(), [4, 5], "without times every chapter weighs the same")
        XCTAssertNil(Shard("0/2"))
        XCTAssertNil(Shard("3/2"))
        XCTAssertNil(Shard("2"))
        XCTAssertEqual(Shard("2/2")?.index, 2)
    }

    /// Two shards of the fixture course, merged, give the unsharded verdict and scores.
    func testMergingTwoGradeShardsEqualsTheUnshardedReport() throws {
        let root = try GradeCLI.makeFixtureProject()
        defer { try? FileManager.default.removeItem(at: root) }
        func grade(_ extra: [String], _ name: String) throws -> GradeReport {
            let json = root.appendingPathComponent(name)
            let output = try GradeCLI.run(["grade", "--all", "--json", json.path, "--pass-mark", "5"] + extra, in: root)
            XCTAssertTrue([0, 1].contains(output.status), output.all)
            return try GradeCLI.report(json)
        }
        let whole = try grade(["--solutions", "Solutions"], "whole.json")
        let first = try grade(["--solutions", "Solutions", "--shard", "1/2"], "first.json")
        let second = try grade(["--solutions", "Solutions", "--shard", "2/2"], "second.json")
        XCTAssertEqual(Set(first.exercises.map(\.chapterID)).intersection(second.exercises.map(\.chapterID)), [], "disjoint")
        XCTAssertFalse(first.exercises.isEmpty || second.exercises.isEmpty, "two chapters, two shards: one each")

        let merged = root.appendingPathComponent("merged.json"), gradescope = root.appendingPathComponent("results.json")
        let output = try GradeCLI.run(["report", "merge", "first.json", "second.json", "--json", merged.path,
                                       "--gradescope", gradescope.path, "--timings", "timings.json"], in: root)
        XCTAssertEqual(output.status, whole.exitCode, output.all)
        let result = try GradeCLI.report(merged)
        XCTAssertEqual(Self.comparable(result), Self.comparable(whole))
        XCTAssertEqual(result.score, 10)
        XCTAssertTrue(output.stdout.contains("grade: 10 of 10 points (pass mark 5): passed"), output.all)
        try GradeReportFormatTests.assertGradescopeSchema(Data(contentsOf: gradescope), report: result)
        let timings = try XCTUnwrap(Timings.load(root.appendingPathComponent("timings.json")))
        XCTAssertEqual(Set(timings.grade.keys), ["01-bigram", "02-means"])

        let overlap = try GradeCLI.run(["report", "merge", "first.json", "first.json"], in: root)
        XCTAssertEqual(overlap.status, 2, overlap.all)
        XCTAssertTrue(overlap.stderr.contains("the shards overlap"), overlap.all)

        // A committed timings file decides the split, the same on every machine.
        try Timings(grade: ["01-bigram": 1, "02-means": 100]).write(to: root.appendingPathComponent("timings.json"))
        let heavy = try grade(["--solutions", "Solutions", "--shard", "1/2"], "heavy.json")
        XCTAssertEqual(heavy.exercises.map(\.chapterID), ["02-means"], "the heaviest chapter goes to the first shard")
    }

    /// The same for `lessons run` reports.
    func testMergingTwoRunShardsEqualsTheUnshardedReport() throws {
        let root = try GradeCLI.makeFixtureProject()
        defer { try? FileManager.default.removeItem(at: root) }
        for (name, extra) in [("whole.json", [String]()), ("first.json", ["--shard", "1/2"]), ("second.json", ["--shard", "2/2"])] {
            let output = try GradeCLI.run(["run", "--all", "--no-output", "--json", name] + extra, in: root)
            XCTAssertEqual(output.status, 1, "the starter reports no perplexity, so a visible check fails: \(output.all)")
        }
        let output = try GradeCLI.run(["report", "merge", "first.json", "second.json", "--json", "merged.json"], in: root)
        XCTAssertEqual(output.status, 1, output.all)
        func load(_ name: String) throws -> JSONReport {
            try JSONReport.decoder().decode(JSONReport.self, from: Data(contentsOf: root.appendingPathComponent(name)))
        }
        let merged = try load("merged.json"), whole = try load("whole.json")
        XCTAssertEqual(merged.chapters.map(\.chapterID), whole.chapters.map(\.chapterID))
        XCTAssertEqual(merged.exitCode, whole.exitCode)
        XCTAssertEqual([merged.passed, merged.failed, merged.unjudged, merged.errors], [whole.passed, whole.failed, whole.unjudged, whole.errors])
        XCTAssertEqual(merged.chapters.map { $0.outcomes.map(\.verdict) }, whole.chapters.map { $0.outcomes.map(\.verdict) })
    }

    /// A report without what varies from run to run: times, measured values (the held-out text
    /// is drawn from each run's secret) and the feedback that quotes them.
    static func comparable(_ report: GradeReport) -> String {
        var copy = report
        for i in copy.exercises.indices {
            copy.exercises[i].seconds = 0
            for j in copy.exercises[i].checks.indices {
                copy.exercises[i].checks[j].value = nil
                copy.exercises[i].checks[j].feedback = ""
            }
        }
        return String(decoding: (try? copy.encoded()) ?? Data(), as: UTF8.self)
    }
}
