import Foundation

/// A chapter parameter: a `let NAME = LITERAL` line (optionally `let NAME: Type = LITERAL`)
/// in a cell marked `parameters`, which `--param NAME=VALUE` may override.
public struct ChapterParameter: Equatable, Sendable {
    /// The literal's kind; an override must be of the same kind, so the program's types
    /// never change (an Int `epochs` never becomes a Double).
    public enum Kind: String, Equatable, Sendable { case int, double, string, bool }

    public var name: String
    public var kind: Kind
    /// The literal as the chapter writes it, e.g. `40`, `0.01`, `"tiny"`.
    public var defaultLiteral: String
    /// The Swift literal in force: the override's, or `defaultLiteral`.
    public var literal: String
    public var isOverridden: Bool { literal != defaultLiteral }
    /// The cell declaring it and the `.md` line of the declaration.
    public var cell: String
    public var line: Int
}

/// A `--param` that names no parameter or has a value of the wrong kind.
public struct ParameterError: Error, CustomStringConvertible, Equatable, Sendable {
    public var message: String
    public var description: String { message }
}

enum ParameterScanner {
    /// `let name = …` with an optional type annotation; `split` finds the literal in `…`.
    private static let declaration = try! NSRegularExpression(
        pattern: #"^(\s*let\s+([A-Za-z_][A-Za-z0-9_]*)\s*(?::\s*[A-Za-z_][A-Za-z0-9_.]*\s*)?=\s*)(.*)$"#)

    /// Every parameter declared in the chapter's `parameters` cells, in order.
    static func parameters(of chapter: Chapter) -> [ChapterParameter] {
        var found: [ChapterParameter] = []
        for cell in chapter.cells where cell.attributes.parameters && !cell.attributes.norun {
            for (offset, line) in lines(of: cell.code).enumerated() {
                guard let (_, name, literal, _) = split(line), let kind = literalKind(literal) else { continue }
                found.append(ChapterParameter(name: name, kind: kind, defaultLiteral: literal, literal: literal,
                                              cell: cell.id, line: cell.line + offset))
            }
        }
        return found
    }

    /// The line split into (text before the literal, name, literal, text after it), when
    /// the value is one literal, optionally followed by a `//` comment (a `//` inside a
    /// string literal is part of the string).
    static func split(_ line: String) -> (String, String, String, String)? {
        let range = NSRange(line.startIndex..., in: line)
        guard let match = declaration.firstMatch(in: line, range: range) else { return nil }
        func group(_ i: Int) -> String { Range(match.range(at: i), in: line).map { String(line[$0]) } ?? "" }
        let rest = group(3)
        var ends = [rest.endIndex]
        var search = rest.startIndex
        while let comment = rest.range(of: "//", range: search..<rest.endIndex) {
            ends.insert(comment.lowerBound, at: ends.count - 1)
            search = comment.upperBound
        }
        for end in ends {
            let candidate = rest[..<end].trimmingCharacters(in: .whitespaces)
            if literalKind(candidate) != nil, let start = rest.range(of: candidate)?.lowerBound {
                let literalEnd = rest.index(start, offsetBy: candidate.count)
                return (group(1) + rest[..<start], group(2), candidate, String(rest[literalEnd...]))
            }
        }
        return nil
    }

    static func lines(of code: String) -> [String] {
        code.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    }

    /// The kind of a single Swift literal, or nil for anything else (an expression).
    static func literalKind(_ text: String) -> ChapterParameter.Kind? {
        if text == "true" || text == "false" { return .bool }
        if text.range(of: #"^-?[0-9][0-9_]*$"#, options: .regularExpression) != nil { return .int }
        if text.range(of: #"^-?[0-9][0-9_]*(\.[0-9][0-9_]*)?([eE][-+]?[0-9]+)?$"#, options: .regularExpression) != nil {
            return .double
        }
        if text.range(of: #"^"([^"\\]|\\.)*"$"#, options: .regularExpression) != nil, !text.contains("\\(") {
            return .string
        }
        return nil
    }

    /// The Swift literal for an override `value` of `parameter`'s kind.
    static func literal(for value: String, of parameter: ChapterParameter) throws -> String {
        func wrongKind() -> ParameterError {
            ParameterError(message: "--param \(parameter.name)=\(value): expected \(article(parameter.kind)) "
                           + "like the chapter's \(parameter.defaultLiteral) (line \(parameter.line))")
        }
        let trimmed = value.trimmingCharacters(in: .whitespaces)
        switch parameter.kind {
        case .string:
            var escaped = ""
            for scalar in value.unicodeScalars {
                switch scalar {
                case "\"": escaped += "\\\""
                case "\\": escaped += "\\\\"
                case "\n": escaped += "\\n"
                case "\t": escaped += "\\t"
                case "\r": escaped += "\\r"
                default: escaped.unicodeScalars.append(scalar)
                }
            }
            return "\"" + escaped + "\""
        case .bool:
            guard trimmed == "true" || trimmed == "false" else { throw wrongKind() }
            return trimmed
        case .int:
            guard literalKind(trimmed) == .int else { throw wrongKind() }
            return trimmed
        case .double:
            let kind = literalKind(trimmed)
            guard kind == .double || kind == .int else { throw wrongKind() }
            // `1` would make the constant an Int; `1.0` keeps it a Double.
            return kind == .int ? trimmed + ".0" : trimmed
        }
    }

    private static func article(_ kind: ChapterParameter.Kind) -> String {
        switch kind {
        case .int: return "an integer"
        case .double: return "a number"
        case .string: return "a string"
        case .bool: return "true or false"
        }
    }
}
