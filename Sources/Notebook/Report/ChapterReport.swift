import Foundation

/// Everything known about one chapter's run: the value every report (text, JSON, JUnit), the
/// results cache, the HTML renderer and the grader are made from. They take this value, never
/// the runner's internals.
public struct ChapterReport: Codable, Equatable, Sendable {
    public var chapterID: String
    public var title: String?
    /// The profile the run was judged by; nil when no profile fitted it.
    public var profile: String?
    /// Why the run was not judged by a profile (no Expected file, overrides that fit no profile).
    public var unjudgedReason: String?
    public var seed: Int
    public var parameters: [String: String]
    /// The run, when there was one (nil when the chapter or its Expected file failed to load).
    public var result: RunResult?
    public var outcomes: [CheckOutcome]
    /// A problem that stopped the chapter before it ran: a parse error, a bad Expected file, an
    /// impossible profile. What happened while running (compile, crash, timeout) is `result.failure`.
    public var error: ChapterFailure?
    /// Wall-clock seconds for the whole chapter, compile included.
    public var seconds: Double

    public init(chapterID: String, title: String? = nil, profile: String? = nil, unjudgedReason: String? = nil,
                seed: Int = 0, parameters: [String: String] = [:], result: RunResult? = nil,
                outcomes: [CheckOutcome] = [], error: ChapterFailure? = nil, seconds: Double = 0) {
        self.chapterID = chapterID; self.title = title; self.profile = profile
        self.unjudgedReason = unjudgedReason; self.seed = seed; self.parameters = parameters
        self.result = result; self.outcomes = outcomes; self.error = error; self.seconds = seconds
    }

    public var tally: OutcomeTally { OutcomeTally(outcomes) }

    /// Whatever kept the chapter from completing, if anything did.
    public var failure: ChapterFailure? { error ?? result?.failure }

    public enum Status: String, Codable, Sendable {
        case passed, failed, error
        /// Ran to the end, but no profile's ranges judged it (its parameters fit no profile, or
        /// there is no Expected file); at most the checks that hold for any parameters did.
        case unjudged
    }

    /// `error` when the chapter did not complete, `failed` when a check failed, `unjudged` when
    /// no profile judged the run, else `passed`.
    public var status: Status {
        if failure != nil { return .error }
        if tally.failed > 0 { return .failed }
        return profile == nil || tally.judged == 0 ? .unjudged : .passed
    }
}

extension ExitStatus {
    /// One exit code for many chapters: an interruption outranks an error, an error a failed
    /// check, and a failed check a run that judged nothing — which fails too, unless
    /// `acceptUnjudged` (`--report-only`): a typo in a CI `--param` must not pass silently.
    public static func of(_ reports: [ChapterReport], acceptUnjudged: Bool = false) -> Int32 {
        if reports.contains(where: { $0.failure?.kind == .interrupted }) { return interrupted }
        if reports.contains(where: { $0.status == .error }) { return chapterError }
        if reports.contains(where: { $0.status == .failed }) { return checkFailed }
        if !acceptUnjudged && reports.contains(where: { $0.status == .unjudged }) { return checkFailed }
        return passed
    }
}
