import Foundation
import XCTest
@testable import Grade

/// The course's own exercises, graded through the real binary as CI grades a submission: every
/// reference solution earns full marks within the time budget, and every starter cell earns
/// exactly what a blank submission earns, nothing, while still being graded (it compiles, runs
/// and leaves an artifact the grader can measure). The reports these runs write are checked
/// against their schemas too. Needs the datasets (LESSONS_DATA_DIR).
final class GradeCourseTests: XCTestCase {
    /// Seconds one exercise may take, grading included (issue 10's budget).
    static let budgetPerExercise = 120.0

    private func grade(_ arguments: [String], name: String) throws -> (GradeCLI.Output, GradeReport, URL) {
        let folder = try GradeCLI.temporaryFolder(name)
        let output = try GradeCLI.run(["grade", "--all", "--sandbox", "bubblewrap", "--json", folder.appendingPathComponent("grade.json").path,
                                       "--junit", folder.appendingPathComponent("grade.xml").path,
                                       "--gradescope", folder.appendingPathComponent("results.json").path,
                                       "--summary", folder.appendingPathComponent("summary.md").path] + arguments,
                                      in: GradeCLI.packageRoot, timeout: 900)
        return (output, try GradeCLI.report(folder.appendingPathComponent("grade.json")), folder)
    }

    func testEveryReferenceSolutionScoresFullMarksWithinTheBudget() throws {
        try GradeCLI.requireBubblewrap()
        let started = Date()
        let (output, report, folder) = try grade(["--solutions", "Solutions"], name: "solutions")
        defer { try? FileManager.default.removeItem(at: folder) }
        XCTAssertEqual(output.status, 0, output.all)
        XCTAssertEqual(Set(report.exercises.map(\.chapterID)),
                       ["10-rnn-scratch", "11-clipping-perplexity", "12-gru", "13-lstm", "14-deep-rnn", "15-bidirectional", "16-word-lm"],
                       "at least one exercise for every chapter 10-16")
        for exercise in report.exercises {
            XCTAssertEqual(exercise.status, .graded, "\(exercise.id): \(exercise.problem?.message ?? exercise.gradingError ?? "")")
            XCTAssertEqual(exercise.score, exercise.points, "\(exercise.id): \(exercise.checks.filter { !$0.passed }.map(\.feedback))")
            XCTAssertLessThan(exercise.seconds, Self.budgetPerExercise, "\(exercise.id) took \(exercise.seconds) s")
        }
        XCTAssertEqual(report.isolation, "bubblewrap")
        XCTAssertLessThan(Date().timeIntervalSince(started), 15 * 60, "the whole course grades within 15 minutes")
        try GradeReportFormatTests.assertGradescopeSchema(Data(contentsOf: folder.appendingPathComponent("results.json")), report: report)
        try GradeReportFormatTests.assertJUnit(String(contentsOf: folder.appendingPathComponent("grade.xml"), encoding: .utf8), report: report)
        let summary = try String(contentsOf: folder.appendingPathComponent("summary.md"), encoding: .utf8)
        XCTAssertTrue(summary.hasPrefix("## Grade: \(number(report.points)) of \(number(report.points)) points\n\n**passed**"), summary)
        print("graded the reference solutions in \(Int(Date().timeIntervalSince(started))) s: "
              + report.exercises.map { "\($0.id) \(String(format: "%.1f", $0.seconds)) s" }.joined(separator: ", "))
    }

    func testEveryStarterScoresWhatABlankSubmissionScores() throws {
        try GradeCLI.requireBubblewrap()
        let (output, report, folder) = try grade(["--pass-mark", "1"], name: "starters")
        defer { try? FileManager.default.removeItem(at: folder) }
        XCTAssertEqual(output.status, 1, "nothing earned, below a pass mark of 1: \(output.all)")
        XCTAssertEqual(report.exercises.count, 7)
        for exercise in report.exercises {
            XCTAssertEqual(exercise.status, .graded, "a starter compiles, runs and leaves an artifact: \(exercise.id): \(exercise.problem?.message ?? "")")
            XCTAssertEqual(exercise.score, 0, "\(exercise.id) earns \(exercise.score) as it stands: \(exercise.checks.filter(\.passed).map(\.id))")
            XCTAssertTrue(exercise.checks.allSatisfy { $0.value != nil }, "the grader measured every check of \(exercise.id)")
        }
        XCTAssertEqual(report.score, 0)
        try GradeReportFormatTests.assertGradescopeSchema(Data(contentsOf: folder.appendingPathComponent("results.json")), report: report)
        try GradeReportFormatTests.assertJUnit(String(contentsOf: folder.appendingPathComponent("grade.xml"), encoding: .utf8), report: report)
    }
}
