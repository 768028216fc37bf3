import Foundation
import Notebook

/// One graded exercise, as `Graders/<chapter-id>/<exercise>.json` describes it: which cells of
/// the chapter its code needs, the limits it runs under, and the checks that score it. The
/// grader program beside it (`<exercise>.swift`) measures one value per check; this file says
/// what each value must be worth. Format: docs/grading-format.md.
public struct ExerciseSpec: Equatable, Sendable {
    public var chapterID: String
    /// The exercise name: the `exercise=NAME` of its cell and the file stem.
    public var exercise: String
    public var title: String
    /// The chapter's cells to run before the exercise cell, in chapter order.
    public var cells: [String]
    /// `--param` overrides for the run (e.g. fewer epochs for cells the exercise needs).
    public var parameters: [String: String]
    public var limits: ExerciseLimits
    public var checks: [CheckSpec]
    /// Where the three files are.
    public var folder: URL

    public var points: Double { checks.map(\.points).reduce(0, +) }
    public var id: String { "\(chapterID)/\(exercise)" }

    public var graderSource: URL { folder.appendingPathComponent(exercise + ".swift") }
    public var harnessSource: URL { folder.appendingPathComponent(exercise + ".harness.swift") }
    public var specFile: URL { folder.appendingPathComponent(exercise + ".json") }
}

/// The limits one exercise's code runs under.
public struct ExerciseLimits: Equatable, Sendable {
    /// Wall-clock seconds for the run of the exercise's cells (the grader's own run is separate).
    public var seconds: Double = 120
    public var memoryMiB: Int = 4096
    public var processes: Int = 64
    public var fileMiB: Int = 256

    func resourceLimits(timeout: Double) -> ResourceLimits {
        // CPU time: both cores busy for the whole run, plus a margin; the wall clock ends it first.
        ResourceLimits(cpuSeconds: Int(timeout * 2) + 10, memoryBytes: memoryMiB << 20, processes: processes,
                       fileBytes: fileMiB << 20)
    }
}

/// A check: the measured value earns `points` when it lies in `range`, else the points of the
/// first `partial` tier whose range holds it, else nothing.
public struct CheckSpec: Equatable, Sendable {
    public struct Tier: Equatable, Sendable {
        public var range: ClosedRange<Double>
        public var points: Double
    }
    public var id: String
    public var title: String
    /// What the value is, for feedback: "held-out perplexity", "largest difference from the reference".
    public var measured: String
    public var points: Double
    public var range: ClosedRange<Double>
    public var partial: [Tier]
    /// The ranges are not shown in feedback (students see the value and the points, not the bar).
    public var hidden: Bool

    /// Points earned by `value`; NaN earns nothing.
    public func score(_ value: Double) -> Double {
        guard !value.isNaN else { return 0 }
        if range.contains(value) { return points }
        return partial.first { $0.range.contains(value) }?.points ?? 0
    }
}

/// A grader file that is malformed or does not fit its chapter; names the file and the JSON path.
public struct SpecError: Error, CustomStringConvertible, LocalizedError, Equatable {
    public var file: String
    public var path: String?
    public var message: String
    public var description: String { file + (path.map { ": " + $0 } ?? "") + ": " + message }
    public var errorDescription: String? { description }
}
