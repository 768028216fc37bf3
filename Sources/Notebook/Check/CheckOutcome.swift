import Foundation

/// The verdict on one check: what was measured, what was expected, and why it failed.
///
/// Flat and Codable so that the JSON report, the JUnit report and the results cache all carry
/// the same value, and so that renderers depend on this value rather than on the runner.
public struct CheckOutcome: Codable, Equatable, Sendable {
    public enum Verdict: String, Codable, Sendable {
        case passed, failed
        /// Shown, never judged: an informational metric, or any figure of a run no profile fits.
        case reported
        /// Not judged because the run stopped before the cell produced it (crash, timeout…).
        case unjudged
    }

    public enum Kind: String, Codable, Sendable { case metric, output, matches }

    public var cell: String
    public var kind: Kind
    /// The report's name for the check: `perplexity at epoch 40`, `output`, `output matches /…/`.
    public var title: String
    public var verdict: Verdict

    /// Metric checks: the metric's name and which report was looked at.
    public var metric: String?
    public var epoch: Int?
    public var final: Bool?
    /// The value found, if the cell reported one (NaN and infinities included).
    public var measured: Double?
    /// The accepted closed range; nil for informational metrics and output checks.
    public var min: Double?
    public var max: Double?
    /// The figure the source document reported.
    public var source: Double?

    /// Output checks: the expected text or the pattern.
    public var expected: String?
    /// Why the check failed (or, for a reported figure, a note); nil for a plain pass.
    public var message: String?

    public init(cell: String, kind: Kind, title: String, verdict: Verdict, metric: String? = nil,
                epoch: Int? = nil, final: Bool? = nil, measured: Double? = nil, min: Double? = nil,
                max: Double? = nil, source: Double? = nil, expected: String? = nil, message: String? = nil) {
        self.cell = cell; self.kind = kind; self.title = title; self.verdict = verdict
        self.metric = metric; self.epoch = epoch; self.final = final; self.measured = measured
        self.min = min; self.max = max; self.source = source; self.expected = expected; self.message = message
    }

    public var range: ClosedRange<Double>? {
        guard let min, let max else { return nil }
        return min...max
    }
}

/// Counts of verdicts, for summary lines and exit codes.
public struct OutcomeTally: Equatable, Sendable {
    public var passed = 0
    public var failed = 0
    public var reported = 0
    public var unjudged = 0

    public init(_ outcomes: [CheckOutcome] = []) {
        for outcome in outcomes { add(outcome.verdict) }
    }

    public mutating func add(_ verdict: CheckOutcome.Verdict) {
        switch verdict {
        case .passed: passed += 1
        case .failed: failed += 1
        case .reported: reported += 1
        case .unjudged: unjudged += 1
        }
    }

    public static func + (a: OutcomeTally, b: OutcomeTally) -> OutcomeTally {
        var sum = a
        sum.passed += b.passed; sum.failed += b.failed; sum.reported += b.reported; sum.unjudged += b.unjudged
        return sum
    }

    /// Checks with a range or an expected output that were judged (passed or failed).
    public var judged: Int { passed + failed }

    /// `5 passed, 1 failed` (and `, 2 reported`, `, 3 not judged` when there are any).
    public var summary: String {
        "\(passed) passed, \(failed) failed" + (reported > 0 ? ", \(reported) reported" : "")
            + (unjudged > 0 ? ", \(unjudged) not judged" : "")
    }
}
