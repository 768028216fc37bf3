import Foundation

/// A problem with an Expected file, named precisely enough to fix without guessing:
/// the file, the JSON path of the offending value (`profiles.full.cells.train[0].range`)
/// when there is one, and what is wrong with it.
public struct ExpectedError: Error, Equatable, CustomStringConvertible, LocalizedError {
    public var file: URL
    /// Dotted JSON path, e.g. `profiles.smoke.parameters.epochs`; nil for whole-file problems.
    public var path: String?
    public var message: String

    public init(file: URL, path: String?, message: String) {
        self.file = file; self.path = path; self.message = message
    }

    public var description: String {
        let location = displayPath(file) + (path.map { ": " + $0 } ?? "")
        return "\(location): \(message)"
    }

    public var errorDescription: String? { description }
}

/// A JSON document as plain values, so that the parser can tell `true` from `1` and name the
/// path of every value it rejects (Codable would stop at the first problem with a generic message).
indirect enum JSONValue: Decodable, Equatable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([JSONValue].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: JSONValue].self))
        }
    }

    /// What the value is, for messages: "a string", "an array".
    var kind: String {
        switch self {
        case .null: return "null"
        case .bool: return "a boolean"
        case .number: return "a number"
        case .string: return "a string"
        case .array: return "an array"
        case .object: return "an object"
        }
    }

    /// Parses `data`, reporting syntax errors with a line and column.
    static func parse(_ data: Data, file: URL) throws -> JSONValue {
        do {
            // JSONSerialization is used first only because its syntax errors say where they are.
            _ = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
        } catch {
            throw ExpectedError(file: file, path: nil,
                                message: "not valid JSON: " + syntaxErrorDescription(error, in: data))
        }
        do {
            return try JSONDecoder().decode(JSONValue.self, from: data)
        } catch {
            throw ExpectedError(file: file, path: nil, message: "not valid JSON: \(error)")
        }
    }

    /// Turns Foundation's "… around character 57." into "… at line 4, column 12".
    private static func syntaxErrorDescription(_ error: Error, in data: Data) -> String {
        let detail = (error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String
            ?? error.localizedDescription
        guard let range = detail.range(of: #"around (line \d+, column \d+|character \d+)"#,
                                       options: .regularExpression) else { return detail }
        let digits = detail[range].split(separator: " ").last.map(String.init) ?? ""
        guard detail[range].contains("character"), let offset = Int(digits) else { return detail }
        let prefix = data.prefix(offset)
        let line = prefix.filter { $0 == 0x0A }.count + 1
        let column = offset - (prefix.lastIndex(of: 0x0A).map { $0 + 1 } ?? 0) + 1
        let reason = detail[..<range.lowerBound].trimmingCharacters(in: .whitespaces)
        return "\(reason) at line \(line), column \(column)"
    }
}

/// `path` relative to the current directory when it lies inside it, so messages stay short
/// and match what the user typed.
func displayPath(_ url: URL) -> String {
    let path = url.standardizedFileURL.path
    let cwd = FileManager.default.currentDirectoryPath
    let prefix = cwd.hasSuffix("/") ? cwd : cwd + "/"
    return path.hasPrefix(prefix) ? String(path.dropFirst(prefix.count)) : path
}
