import Foundation

/// A problem with an Expected file, named precisely enough to fix without guessing:
/// the file, the JSON path of the offending value (`profiles.full.cells.train[0].range`)
/// when there is one, what is wrong with it, and the line it is on when that is known.
public struct ExpectedError: Error, Equatable, CustomStringConvertible, LocalizedError {
    public var file: URL
    /// Dotted JSON path, e.g. `profiles.smoke.parameters.epochs`; nil for whole-file problems.
    public var path: String?
    public var message: String
    /// 1-based line of the offending value (or of the syntax error) in `file`, when known.
    public var line: Int?
    /// 1-based column, for syntax errors.
    public var column: Int?

    public init(file: URL, path: String?, message: String, line: Int? = nil, column: Int? = nil) {
        self.file = file; self.path = path; self.message = message; self.line = line; self.column = column
    }

    /// `Expected/12-gru.json: profiles.full.cells.train[1].range: min 160.0 is greater than max 140.0 (line 9)`.
    public var description: String {
        let location = displayPath(file) + (path.map { ": " + $0 } ?? "")
        let place = line.map { line in " (line \(line)" + (column.map { ", column \($0)" } ?? "") + ")" } ?? ""
        return "\(location): \(message)\(place)"
    }

    public var errorDescription: String? { description }
}
