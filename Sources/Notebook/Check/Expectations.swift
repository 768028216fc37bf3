import Foundation

/// What a chapter's run should produce: the parsed form of `Expected/<chapter-id>.json`.
///
/// Checks live under named profiles because a figure only means something for the settings
/// that produced it: perplexity at epoch 40 of a full run is not comparable with a 5-epoch
/// smoke run. `full` is the profile for the chapter's own parameters. Checks that hold whatever
/// the parameters (an output, a vocabulary size) live once under `always` and belong to every
/// profile; a profile may `extends` another instead of copying its checks. The format is
/// documented with an example in `docs/expected-format.md`.
public struct Expectations: Equatable, Sendable {
    /// The name of the profile for the chapter's own parameter values.
    public static let defaultProfile = "full"

    /// The file these came from, named in every error about them.
    public var file: URL
    /// The chapter the file is for, when it says so (`"chapter": "12-gru"`).
    public var chapterID: String?
    /// The checks every run is judged by, whatever its parameters (the file's `always`), by cell
    /// id; empty when the file has none. Every profile in `profiles` already includes them; on
    /// their own they judge a run whose parameters fit no profile.
    public var always: [String: [Check]]
    /// Profiles by name, flattened: each holds the `always` checks, what it inherits through
    /// `extends`, and its own checks, so a profile can be judged without looking further.
    public var profiles: [String: Profile]
    /// Where each cell list was written and the line of each JSON path, for errors found when
    /// the file is checked against its chapter.
    var origins = Origins()

    public init(file: URL, chapterID: String? = nil, always: [String: [Check]] = [:], profiles: [String: Profile]) {
        self.file = file; self.chapterID = chapterID; self.always = always; self.profiles = profiles
    }

    /// Profile names, `full` first, then alphabetical, for stable listings.
    public var profileNames: [String] {
        profiles.keys.sorted { a, b in
            if a == Self.defaultProfile { return b != Self.defaultProfile }
            if b == Self.defaultProfile { return false }
            return a < b
        }
    }

    /// The `always` checks as a profile of their own, named `always`, with no parameters: what
    /// judges a run no profile fits. Nil when the file has no `always` checks.
    public var alwaysProfile: Profile? {
        always.isEmpty ? nil : Profile(name: "always", cells: always)
    }

    /// What the file itself wrote, before `extends` and `always` were resolved.
    struct Origins: Equatable, Sendable {
        /// Every cell list as written: `always.cells.train`, `profiles.smoke.cells.train`.
        var cellLists: [CellList] = []
        /// Each profile's own `parameters`, as written (inherited ones are in the base's entry).
        var ownParameters: [String: [String: String]] = [:]
        /// The line of each JSON path (see `JSONDocument.lines`).
        var lines: [String: Int] = [:]

        struct CellList: Equatable, Sendable {
            var path: String
            var cell: String
        }

        func line(of path: String) -> Int? { JSONDocument(root: .null, lines: lines).line(of: path) }
    }
}

/// One set of checks and the parameter overrides they were sized for.
public struct Profile: Equatable, Sendable {
    public var name: String
    /// The `--param` overrides this profile corresponds to, as written (values are compared with
    /// a run's by value, see `ProfileSelection`); empty for the chapter's own values. Includes
    /// those inherited through `extends`.
    public var parameters: [String: String]
    /// Checks by cell id, flattened (`always`, inherited and own). Order inside a cell: the
    /// `always` checks, then the profile's, each in the file's order.
    public var cells: [String: [Check]]
    /// The profile this one extends directly; nil when it extends none.
    public var extends: String?

    public init(name: String, parameters: [String: String] = [:], cells: [String: [Check]], extends: String? = nil) {
        self.name = name; self.parameters = parameters; self.cells = cells; self.extends = extends
    }

    /// How many checks the profile holds (informational ones included).
    public var checkCount: Int { cells.values.reduce(0) { $0 + $1.count } }
}

/// One thing to verify about one cell.
public enum Check: Equatable, Sendable {
    /// A reported figure, judged against a range (or only reported when the range is nil).
    case metric(MetricCheck)
    /// The cell's whole standard output, compared exactly (trailing newlines aside).
    case output(String)
    /// A regular expression (NSRegularExpression syntax, `^`/`$` match at line breaks)
    /// that must match somewhere in the cell's standard output.
    case matches(String)
}

/// A check on a metric the cell reports with `Report.metric(name, value, epoch:)`.
public struct MetricCheck: Equatable, Sendable {
    /// Which of the metric's reports to look at.
    public enum Selector: Equatable, Sendable {
        /// The last report of the metric at this epoch.
        case epoch(Int)
        /// The last report of the metric, whatever its epoch.
        case final
    }

    public var name: String
    public var at: Selector
    /// The closed range a passing value lies in; nil for a figure that is reported, never judged
    /// (e.g. tokens per second, which depends on the machine).
    public var range: ClosedRange<Double>?
    /// The figure the source document reported, shown beside ours.
    public var source: Double?

    public init(name: String, at: Selector, range: ClosedRange<Double>?, source: Double? = nil) {
        self.name = name; self.at = at; self.range = range; self.source = source
    }

    /// `perplexity at epoch 40`, `final perplexity`.
    public var title: String {
        switch at {
        case .epoch(let epoch): return "\(name) at epoch \(epoch)"
        case .final: return "final \(name)"
        }
    }
}

extension Check {
    /// A short name for reports: `perplexity at epoch 40`, `output`, `output matches /re/`.
    public var title: String {
        switch self {
        case .metric(let metric): return metric.title
        case .output: return "output"
        case .matches(let pattern): return "output matches /\(pattern)/"
        }
    }

    /// True for checks that can pass or fail; false for informational metrics.
    public var isJudged: Bool {
        if case .metric(let metric) = self { return metric.range != nil }
        return true
    }
}
