import Foundation

/// Everything known about one chapter's run: the value every report (text, JSON, JUnit) and the
/// results cache are made from. Renderers take this value, never the runner's internals.
public struct ChapterReport: Codable, Equatable, Sendable {
    public var chapterID: String
    public var title: String?
    /// The profile the run was judged by; nil when it was not judged.
    public var profile: String?
    /// Why the run was not judged (no Expected file, overrides that fit no profile).
    public var unjudgedReason: String?
    public var seed: Int
    public var parameters: [String: String]
    /// The run, when there was one (nil when the chapter or its Expected file failed to load).
    public var result: RunResult?
    public var outcomes: [CheckOutcome]
    /// A problem that stopped the chapter before or instead of running: parse errors, a bad
    /// Expected file, an impossible profile. Run failures (compile, crash, timeout) are in `result`.
    public var error: String?
    /// Wall-clock seconds for the whole chapter, compile included.
    public var seconds: Double

    public init(chapterID: String, title: String? = nil, profile: String? = nil, unjudgedReason: String? = nil,
                seed: Int = 0, parameters: [String: String] = [:], result: RunResult? = nil,
                outcomes: [CheckOutcome] = [], error: String? = nil, seconds: Double = 0) {
        self.chapterID = chapterID; self.title = title; self.profile = profile
        self.unjudgedReason = unjudgedReason; self.seed = seed; self.parameters = parameters
        self.result = result; self.outcomes = outcomes; self.error = error; self.seconds = seconds
    }

    /// A chapter that could not be run at all.
    public static func failed(_ chapterID: String, error: String, seed: Int = 0,
                              parameters: [String: String] = [:]) -> ChapterReport {
        ChapterReport(chapterID: chapterID, seed: seed, parameters: parameters, error: error)
    }

    public var tally: OutcomeTally { OutcomeTally(outcomes) }

    /// The message of whatever kept the chapter from completing, if anything did.
    public var errorMessage: String? {
        if let error { return error }
        return result?.failure.map { explain($0) }
    }

    public enum Status: String, Codable, Sendable { case passed, failed, error }

    /// `error` when the chapter did not complete, `failed` when a check failed, else `passed`.
    public var status: Status {
        if errorMessage != nil { return .error }
        return tally.failed > 0 ? .failed : .passed
    }
}

/// The documented exit codes of `lessons run` and `lessons check`.
public enum ExitStatus {
    /// Every chapter ran and every check passed.
    public static let passed: Int32 = 0
    /// Every chapter ran, and at least one check failed.
    public static let checkFailed: Int32 = 1
    /// A chapter could not be loaded, compiled or run to the end, or its Expected file is bad.
    public static let chapterError: Int32 = 2
    /// Bad command-line usage (ArgumentParser's validation exit code, EX_USAGE).
    public static let usage: Int32 = 64

    /// One exit code for many chapters: an error outranks a failed check.
    public static func of(_ reports: [ChapterReport]) -> Int32 {
        if reports.contains(where: { $0.status == .error }) { return chapterError }
        if reports.contains(where: { $0.status == .failed }) { return checkFailed }
        return passed
    }
}

/// An error as a message for people: a run failure names its kind and cell
/// (`crash in cell train:` then the details); other errors use their own description.
public func explain(_ error: Error) -> String {
    if let failure = error as? RunFailure {
        return failure.kind.words + (failure.cell.map { " in cell \($0)" } ?? "") + ":\n" + failure.message
    }
    if let error = error as? LocalizedError, let text = error.errorDescription { return text }
    return String(describing: error)
}

extension RunFailure.Kind {
    /// The kind as people say it: `compile error`, `crash`, `timeout`, `training diverged`.
    var words: String {
        switch self {
        case .compile: return "compile error"
        case .crash: return "crash"
        case .timeout: return "timeout"
        case .nonFinite: return "training diverged"
        case .internalError: return "internal error"
        }
    }
}
