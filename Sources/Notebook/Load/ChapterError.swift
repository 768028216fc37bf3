import Foundation

/// A problem in a chapter's Markdown, reported as `file:line: message` so editors and
/// terminals can jump to it (the same shape as compiler diagnostics).
public struct ChapterError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The `.md` file as shown to the user (relative to the project root when inside it).
    public var file: String
    /// 1-based line in `file`.
    public var line: Int
    public var message: String

    public init(file: String, line: Int, message: String) {
        self.file = file; self.line = line; self.message = message
    }

    public var description: String { "\(file):\(line): \(message)" }
}

/// What the user typed does not name exactly one chapter, or the project cannot be found.
public struct LibraryError: Error, CustomStringConvertible, Equatable, Sendable {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
