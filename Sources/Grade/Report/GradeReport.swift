import Foundation
import Notebook

/// One check's outcome: the points it earned and the feedback that explains them.
public struct CheckResult: Codable, Equatable, Sendable {
    public var id: String
    public var title: String
    public var points: Double
    public var score: Double
    /// The value the grader measured; nil when nothing was measured (the code did not run).
    public var value: Double?
    /// For the student: the measured value against what was required (unless the check's ranges
    /// are hidden), or why nothing was measured.
    public var feedback: String

    public var passed: Bool { score >= points }
}

/// Why a submission's run produced nothing to grade, kept apart from a grading error.
public struct SubmissionProblem: Error, Codable, Equatable, Sendable {
    /// `missing`, `compile`, `crash`, `timeout`, `limit`, `protocolViolation`, `artifact`, …
    public var kind: String
    public var message: String
    /// The submitted file and line to look at.
    public var file: String?
    public var line: Int?
}

/// One exercise, graded.
public struct ExerciseResult: Codable, Equatable, Sendable {
    public enum Status: String, Codable, Sendable {
        /// The grader measured the checks (some may have lost points).
        case graded
        /// The submission produced nothing to measure: every check scores 0 (see `problem`).
        case failed
        /// Grading itself could not run (a broken grader, no toolchain): `lessons grade` exits 2.
        case error
    }

    public var chapterID: String
    public var exercise: String
    public var title: String
    public var status: Status
    public var points: Double
    public var score: Double
    public var checks: [CheckResult]
    public var problem: SubmissionProblem?
    /// For `status == .error`: what went wrong, for the course's staff.
    public var gradingError: String?
    /// Where the submitted code is: what `--github` annotations point at.
    public var file: String?
    public var line: Int?
    /// Remarks beside the score (e.g. that figures the code reported itself are not graded).
    public var notes: [String]
    /// The end of what the exercise cell printed.
    public var output: String
    public var seconds: Double

    public var id: String { "\(chapterID)/\(exercise)" }
}

/// A grading run's verdict: every exercise, the total, and the exit code it ends with.
public struct GradeReport: Codable, Equatable, Sendable {
    /// Tells a grade report from a `lessons run` report when merging.
    public var kind = "grade"
    public var version = 1
    public var score: Double
    public var points: Double
    /// `--pass-mark` as given (`42` or `60%`); nil means full marks are required.
    public var passMark: String?
    public var exitCode: Int32
    /// `bubblewrap` or `limits-only`.
    public var isolation: String
    public var warnings: [String]
    public var exercises: [ExerciseResult]

    public init(exercises: [ExerciseResult], passMark: String?, isolation: String, warnings: [String] = []) {
        self.exercises = exercises.sorted { ($0.chapterID, $0.exercise) < ($1.chapterID, $1.exercise) }
        self.score = Self.rounded(exercises.map(\.score).reduce(0, +))
        self.points = Self.rounded(exercises.map(\.points).reduce(0, +))
        self.passMark = passMark
        self.isolation = isolation
        self.warnings = warnings
        self.exitCode = 0
        self.exitCode = verdict()
    }

    /// Sums of points are kept to 1e-9 so that 0.1 + 0.2 equals 0.3 in a report.
    static func rounded(_ value: Double) -> Double { (value * 1e9).rounded() / 1e9 }

    /// The points the pass mark stands for: `N` points, or `N%` of the total.
    public static func passMarkPoints(_ mark: String, total: Double) -> Double? {
        let text = mark.trimmingCharacters(in: .whitespaces)
        if text.hasSuffix("%"), let percent = Double(text.dropLast()), percent >= 0, percent <= 100 {
            return rounded(total * percent / 100)
        }
        return Double(text).flatMap { $0 >= 0 && $0.isFinite ? $0 : nil }
    }

    /// 2 when an exercise could not be graded; else 0 at or above the pass mark and 1 below it;
    /// without a pass mark, 1 as soon as any point is lost.
    public func verdict() -> Int32 {
        if exercises.contains(where: { $0.status == .error }) { return ExitStatus.chapterError }
        let required = passMark.flatMap { Self.passMarkPoints($0, total: points) } ?? points
        return score >= required ? ExitStatus.passed : ExitStatus.checkFailed
    }

    /// One report from the reports of several shards: every exercise once, totals and the
    /// verdict recomputed. Throws when shards disagree on the pass mark or grade an exercise twice.
    public static func merged(_ reports: [GradeReport], passMark: String? = nil) throws -> GradeReport {
        var seen = Set<String>()
        for exercise in reports.flatMap(\.exercises) where !seen.insert(exercise.id).inserted {
            throw MergeError(message: "\(exercise.id) is graded in more than one report: the shards overlap")
        }
        let marks = Set(reports.map(\.passMark))
        guard passMark != nil || marks.count <= 1 else {
            throw MergeError(message: "the reports were made with different pass marks (\(marks.map { $0 ?? "none" }.sorted().joined(separator: ", "))); pass --pass-mark")
        }
        let isolations = Set(reports.map(\.isolation))
        let isolation = isolations.count == 1 ? isolations.first! : Sandbox.Isolation.limitsOnly.rawValue
        var warnings: [String] = []
        for warning in reports.flatMap(\.warnings) where !warnings.contains(warning) { warnings.append(warning) }
        return GradeReport(exercises: reports.flatMap(\.exercises), passMark: passMark ?? marks.first ?? nil,
                           isolation: isolation, warnings: warnings)
    }

    public static func encoder() -> JSONEncoder {
        let encoder = JSONReport.encoder()
        return encoder
    }

    public func encoded() throws -> Data {
        var data = try Self.encoder().encode(self)
        data.append(0x0A)
        return data
    }

    public func write(to url: URL) throws { try AtomicFile.write(encoded(), to: url) }

    public static func read(from url: URL) throws -> GradeReport {
        try JSONReport.decoder().decode(GradeReport.self, from: Data(contentsOf: url))
    }
}

/// Reports that cannot be merged.
public struct MergeError: Error, CustomStringConvertible, LocalizedError {
    public var message: String
    public init(message: String) { self.message = message }
    public var description: String { message }
    public var errorDescription: String? { message }
}
