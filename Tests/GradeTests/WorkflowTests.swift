import Foundation
import XCTest
import Yams

/// The ready workflow for a course repository parses as YAML, fits together (the shards the
/// matrix names are the shards each job grades; the report job merges what the grade jobs
/// upload) and uses only options `lessons` has.
final class WorkflowTests: XCTestCase {
    private func workflow() throws -> [String: Any] {
        let url = GradeCLI.packageRoot.appendingPathComponent("examples/github-actions/grade.yml")
        let loaded = try Yams.load(yaml: String(contentsOf: url, encoding: .utf8))
        return try XCTUnwrap(loaded as? [String: Any], "the workflow is a YAML mapping")
    }

    private func steps(_ job: [String: Any]) throws -> [[String: Any]] { try XCTUnwrap(job["steps"] as? [[String: Any]]) }

    func testTheGradeJobsCoverEveryShardAndTheReportJobMergesThem() throws {
        let root = try workflow()
        let jobs = try XCTUnwrap(root["jobs"] as? [String: Any])
        let grade = try XCTUnwrap(jobs["grade"] as? [String: Any])
        let report = try XCTUnwrap(jobs["report"] as? [String: Any])
        XCTAssertEqual(report["needs"] as? String, "grade")
        let matrix = try XCTUnwrap((grade["strategy"] as? [String: Any])?["matrix"] as? [String: Any])
        let shards = try XCTUnwrap(matrix["shard"] as? [Int])
        XCTAssertEqual(shards, Array(1...shards.count), "shards 1…N")

        let commands = try steps(grade).compactMap { $0["run"] as? String }
        let gradeCommand = try XCTUnwrap(commands.first { $0.contains("lessons grade") })
        XCTAssertTrue(gradeCommand.contains("--shard ${{ matrix.shard }}/\(shards.count)"), "each job grades its own shard of \(shards.count): \(gradeCommand)")
        XCTAssertTrue(gradeCommand.contains("--all") && gradeCommand.contains("--submission submission"))
        XCTAssertTrue(gradeCommand.contains("--sandbox bubblewrap"), "CI refuses to grade without the sandbox")
        XCTAssertTrue(commands.contains { $0.contains("install-deps") })
        XCTAssertTrue(commands.contains { $0.contains("apparmor_restrict_unprivileged_userns=0") })

        let uploads = try steps(grade).filter { ($0["uses"] as? String)?.hasPrefix("actions/upload-artifact") ?? false }
        let uploaded = try XCTUnwrap((uploads.first?["with"] as? [String: Any])?["name"] as? String)
        let downloads = try steps(report).filter { ($0["uses"] as? String)?.hasPrefix("actions/download-artifact") ?? false }
        let pattern = try XCTUnwrap((downloads.first?["with"] as? [String: Any])?["pattern"] as? String)
        XCTAssertTrue(uploaded.hasPrefix(pattern.replacingOccurrences(of: "*", with: "")), "\(pattern) fetches \(uploaded)")

        let mergeCommand = try XCTUnwrap(try steps(report).compactMap { $0["run"] as? String }.first { $0.contains("lessons report merge") })
        for option in ["--github", "--junit", "--gradescope", "--json"] {
            XCTAssertTrue(mergeCommand.contains(option), "the merge writes \(option)")
        }
    }

    /// Every `--option` the workflow passes exists in `lessons grade --help` or `lessons report merge --help`.
    func testTheWorkflowUsesOnlyOptionsLessonsHas() throws {
        let root = try workflow()
        let jobs = try XCTUnwrap(root["jobs"] as? [String: Any])
        for (command, job) in [(["grade"], "grade"), (["report", "merge"], "report")] {
            let help = try GradeCLI.run(command + ["--help"], in: GradeCLI.packageRoot)
            XCTAssertEqual(help.status, 0, help.all)
            let text = try steps(try XCTUnwrap(jobs[job] as? [String: Any])).compactMap { $0["run"] as? String }
                .first { $0.contains("lessons " + command.joined(separator: " ")) } ?? ""
            let options = text.split(whereSeparator: { $0 == " " || $0 == "\n" }).filter { $0.hasPrefix("--") }.map(String.init)
            XCTAssertFalse(options.isEmpty)
            for option in options { XCTAssertTrue(help.stdout.contains(option), "lessons \(command.joined(separator: " ")) has no \(option)") }
        }
    }
}
