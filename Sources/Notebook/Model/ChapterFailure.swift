import Foundation

/// What kept a chapter from completing, kept typed all the way to the reports, so that the
/// terminal, the HTML renderer and the grader can each show the kind, the cell and the `.md`
/// line in their own way.
public struct ChapterFailure: Error, Codable, Equatable, Sendable {
    public enum Kind: String, Codable, Sendable {
        /// The Markdown could not be found or parsed.
        case chapter
        /// The Expected file is malformed or does not fit the chapter.
        case expected
        /// A `--param` or `--profile` that the chapter or its Expected file cannot honour.
        case parameter
        /// The cells do not compile.
        case compile
        /// A signal, a non-zero exit, or an exit before the last cell finished.
        case crash
        /// A cell threw a Swift error that nothing caught.
        case thrown
        /// The chapter or a cell ran past its time.
        case timeout
        /// Training produced NaN or infinite values.
        case nonFinite
        /// The program went past a limit the runner sets (events, output).
        case limit
        /// The program broke the runner protocol (cells announced out of order, an early `end`).
        case protocolViolation
        /// The user stopped the run (Ctrl-C, SIGTERM).
        case interrupted
        /// The runner itself failed (no compiler, no Engine build, a file it could not write).
        case internalError
    }

    public var kind: Kind
    /// The cell it happened in, if known.
    public var cell: String?
    /// The file to look at (the `.md`, or the Expected file), as shown to the user.
    public var file: String?
    /// 1-based line in `file`, when known.
    public var line: Int?
    /// The details for people: compiler diagnostics, the error's own message, the last lines of output.
    public var message: String

    public init(kind: Kind, cell: String? = nil, file: String? = nil, line: Int? = nil, message: String) {
        self.kind = kind; self.cell = cell; self.file = file; self.line = line; self.message = message
    }

    /// One line that says what happened where: `cell 'data' threw`, `compile error in cell train`.
    public var headline: String {
        let place = cell.map { " in cell '\($0)'" } ?? ""
        switch kind {
        case .thrown: return cell.map { "cell '\($0)' threw" } ?? "the program threw"
        case .interrupted: return "interrupted" + place
        default: return kind.words + place
        }
    }

    /// `file:line`, when both are known.
    public var location: String? {
        guard let file else { return nil }
        return line.map { "\(file):\($0)" } ?? file
    }
}

extension ChapterFailure.Kind {
    /// The kind as people say it: `compile error`, `crash`, `timeout`, `training diverged`.
    public var words: String {
        switch self {
        case .chapter: return "chapter error"
        case .expected: return "Expected file error"
        case .parameter: return "parameter error"
        case .compile: return "compile error"
        case .crash: return "crash"
        case .thrown: return "uncaught error"
        case .timeout: return "timeout"
        case .nonFinite: return "training diverged"
        case .limit: return "limit exceeded"
        case .protocolViolation: return "runner protocol violated"
        case .interrupted: return "interrupted"
        case .internalError: return "internal error"
        }
    }
}

/// An error as a message for people: a chapter failure's headline and details; other errors
/// their own description.
public func explain(_ error: Error) -> String {
    if let failure = error as? ChapterFailure {
        return failure.headline + ":\n" + failure.message
    }
    if let error = error as? LocalizedError, let text = error.errorDescription { return text }
    return String(describing: error)
}
