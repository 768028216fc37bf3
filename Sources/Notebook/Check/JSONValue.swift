import Foundation

/// A JSON document as plain values, read by a strict RFC 8259 reader of our own.
///
/// Why not Foundation: `JSONSerialization` and `JSONDecoder` keep the last of two members with
/// the same key and drop the first without a word, accept a trailing comma, and forget the order
/// of keys. In an Expected file each of those can make a check vanish (a cell listed twice loses
/// its first list), and a vanished check lets a broken chapter pass. None of the packages we can
/// build against offline reads JSON strictly either, so this one file does: it accepts exactly
/// the grammar of RFC 8259 (a UTF-8 byte-order mark aside), keeps every object's members in
/// file order, rejects a key given twice in one object, and says where each problem is, as a
/// line, a column and the JSON path of the enclosing value.
indirect enum JSONValue: Equatable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    /// Members in file order; keys are unique (the reader rejects duplicates).
    case object([JSONMember])

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

    /// Reads a whole document. Throws `JSONSyntaxError` for anything RFC 8259 does not allow,
    /// and for a key given twice in one object.
    static func read(_ data: Data) throws -> JSONDocument {
        var reader = JSONReader(bytes: Array(data))
        return try reader.document()
    }
}

/// One `"key": value` of an object.
struct JSONMember: Equatable {
    var key: String
    var value: JSONValue
}

/// A parsed document and the line each value starts on, by JSON path (`profiles.full.cells`,
/// `…train[0]`; the root is `""`), so that errors found later can still name a line.
struct JSONDocument: Equatable {
    var root: JSONValue
    var lines: [String: Int]

    /// The line of `path`, else of its nearest enclosing value that has one.
    func line(of path: String) -> Int? {
        var path = path
        while true {
            if let line = lines[path] { return line }
            guard let cut = path.lastIndex(where: { $0 == "." || $0 == "[" }) else { return lines[""] }
            path = String(path[..<cut])
        }
    }
}

/// Where and why a document is not JSON (or repeats a key).
struct JSONSyntaxError: Error, Equatable {
    var message: String
    /// 1-based; the column counts characters, not bytes.
    var line: Int
    var column: Int
    /// The JSON path of the value being read when it happened; nil at the top level.
    var path: String?
}

/// A recursive-descent reader over the UTF-8 bytes. Nesting is capped, so that a hostile file of
/// ten thousand `[` cannot overflow the stack.
private struct JSONReader {
    let bytes: [UInt8]
    var offset = 0
    var lines: [String: Int] = [:]
    /// 1-based line of `offset`, kept up to date by `skipWhitespace` (the only place a newline
    /// may occur outside a string, and strings cannot hold a raw one).
    var line = 1
    var lineStart = 0
    static let maximumDepth = 512

    init(bytes: [UInt8]) {
        self.bytes = bytes
        // RFC 8259 §8.1: a parser may ignore a byte-order mark; editors on Windows write one.
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { offset = 3; lineStart = 3 }
    }

    mutating func document() throws -> JSONDocument {
        guard isValidUTF8(bytes) else {
            throw failure("the file is not valid UTF-8 text", path: nil)
        }
        skipWhitespace()
        guard offset < bytes.count else { throw failure("the file holds no JSON value (it is empty)", path: nil) }
        let root = try value(at: "", depth: 0)
        skipWhitespace()
        if offset < bytes.count {
            throw failure("unexpected \(describeHere()) after the end of the document", path: nil)
        }
        return JSONDocument(root: root, lines: lines)
    }

    // MARK: Values

    private mutating func value(at path: String, depth: Int) throws -> JSONValue {
        guard depth < Self.maximumDepth else {
            throw failure("nested more than \(Self.maximumDepth) levels deep", path: path)
        }
        lines[path] = line
        guard offset < bytes.count else { throw failure("the document ends where a value should be", path: path) }
        switch bytes[offset] {
        case UInt8(ascii: "{"): return try object(at: path, depth: depth)
        case UInt8(ascii: "["): return try array(at: path, depth: depth)
        case UInt8(ascii: "\""): return .string(try string(at: path))
        case UInt8(ascii: "t"): try literal("true", at: path); return .bool(true)
        case UInt8(ascii: "f"): try literal("false", at: path); return .bool(false)
        case UInt8(ascii: "n"): try literal("null", at: path); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try number(at: path))
        default: throw failure("expected a value, found \(describeHere())", path: path)
        }
    }

    private mutating func object(at path: String, depth: Int) throws -> JSONValue {
        offset += 1  // {
        var members: [JSONMember] = []
        var firstLine: [String: Int] = [:]
        skipWhitespace()
        if peek(UInt8(ascii: "}")) { offset += 1; return .object([]) }
        while true {
            skipWhitespace()
            guard peek(UInt8(ascii: "\"")) else {
                let trailing = peek(UInt8(ascii: "}")) && !members.isEmpty
                throw failure(trailing ? "trailing comma after the last member (JSON allows none)"
                                       : "expected a key in double quotes, found \(describeHere())", path: path)
            }
            let keyLine = line, keyStart = offset
            let key = try string(at: path)
            let memberPath = path.isEmpty ? key : path + "." + key
            if let first = firstLine[key] {
                throw JSONSyntaxError(
                    message: "key \"\(key)\" is given twice in one object (first on line \(first)); "
                        + "most JSON readers keep only the last, so the first would vanish",
                    line: keyLine, column: column(of: keyStart), path: memberPath)
            }
            firstLine[key] = keyLine
            skipWhitespace()
            guard peek(UInt8(ascii: ":")) else {
                throw failure("expected ':' after the key \"\(key)\", found \(describeHere())", path: memberPath)
            }
            offset += 1
            skipWhitespace()
            members.append(JSONMember(key: key, value: try value(at: memberPath, depth: depth + 1)))
            skipWhitespace()
            if peek(UInt8(ascii: ",")) { offset += 1; continue }
            if peek(UInt8(ascii: "}")) { offset += 1; return .object(members) }
            throw failure("expected ',' or '}' after the value of \"\(key)\", found \(describeHere())", path: path)
        }
    }

    private mutating func array(at path: String, depth: Int) throws -> JSONValue {
        offset += 1  // [
        var items: [JSONValue] = []
        skipWhitespace()
        if peek(UInt8(ascii: "]")) { offset += 1; return .array([]) }
        while true {
            skipWhitespace()
            if peek(UInt8(ascii: "]")) {
                throw failure("trailing comma after the last element (JSON allows none)", path: path)
            }
            items.append(try value(at: "\(path)[\(items.count)]", depth: depth + 1))
            skipWhitespace()
            if peek(UInt8(ascii: ",")) { offset += 1; continue }
            if peek(UInt8(ascii: "]")) { offset += 1; return .array(items) }
            throw failure("expected ',' or ']' after an element, found \(describeHere())", path: path)
        }
    }

    private mutating func literal(_ word: String, at path: String) throws {
        let expected = Array(word.utf8)
        guard bytes.count - offset >= expected.count, Array(bytes[offset..<(offset + expected.count)]) == expected,
              !isWordByte(at: offset + expected.count) else {
            throw failure("expected a value, found \(describeHere())", path: path)
        }
        offset += expected.count
    }

    /// RFC 8259 §6: `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`.
    private mutating func number(at path: String) throws -> Double {
        let start = offset
        func digits() -> Int {
            let first = offset
            while offset < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[offset]) { offset += 1 }
            return offset - first
        }
        func bad(_ why: String) -> JSONSyntaxError {
            offset = start
            return failure("malformed number: \(why)", path: path)
        }
        if peek(UInt8(ascii: "-")) { offset += 1 }
        if peek(UInt8(ascii: "0")) {
            offset += 1
            if digits() > 0 { throw bad("a leading zero must stand alone (write 5, not 05)") }
        } else if digits() == 0 {
            throw bad("a digit must follow '-'")
        }
        if peek(UInt8(ascii: ".")) {
            offset += 1
            if digits() == 0 { throw bad("a digit must follow the decimal point (write 1.0, not 1.)") }
        }
        if peek(UInt8(ascii: "e")) || peek(UInt8(ascii: "E")) {
            offset += 1
            if peek(UInt8(ascii: "+")) || peek(UInt8(ascii: "-")) { offset += 1 }
            if digits() == 0 { throw bad("a digit must follow the exponent") }
        }
        if isWordByte(at: offset) || peek(UInt8(ascii: ".")) {
            offset = start
            throw failure("malformed number: \(describeHere())", path: path)
        }
        let text = String(decoding: bytes[start..<offset], as: UTF8.self)
        guard let value = Double(text), value.isFinite else {
            offset = start
            throw failure("the number \(text) is too large for a double", path: path)
        }
        return value
    }

    /// A string; `offset` is at its opening quote.
    private mutating func string(at path: String) throws -> String {
        offset += 1
        var scalars = String.UnicodeScalarView()
        var runStart = offset
        func flush(_ end: Int) {
            scalars.append(contentsOf: String(decoding: bytes[runStart..<end], as: UTF8.self).unicodeScalars)
        }
        while offset < bytes.count {
            let byte = bytes[offset]
            switch byte {
            case UInt8(ascii: "\""):
                flush(offset)
                offset += 1
                return String(scalars)
            case UInt8(ascii: "\\"):
                flush(offset)
                scalars.append(try escape(at: path))
                runStart = offset
            case 0..<0x20:
                throw failure(byte == 0x0A ? "a string is not closed on its line (a raw line break is not allowed; write \\n)"
                                           : "a control character in a string must be escaped", path: path)
            default:
                offset += 1
            }
        }
        throw failure("a string is never closed", path: path)
    }

    /// One escape sequence; `offset` is at the backslash.
    private mutating func escape(at path: String) throws -> Unicode.Scalar {
        let start = offset
        offset += 1
        guard offset < bytes.count else { throw failure("a string is never closed", path: path) }
        let byte = bytes[offset]
        offset += 1
        switch byte {
        case UInt8(ascii: "\""): return "\""
        case UInt8(ascii: "\\"): return "\\"
        case UInt8(ascii: "/"): return "/"
        case UInt8(ascii: "b"): return "\u{08}"
        case UInt8(ascii: "f"): return "\u{0C}"
        case UInt8(ascii: "n"): return "\n"
        case UInt8(ascii: "r"): return "\r"
        case UInt8(ascii: "t"): return "\t"
        case UInt8(ascii: "u"):
            let unit = try hexUnit(at: path, escapeStart: start)
            if (0xD800..<0xDC00).contains(unit) {
                // A high surrogate must be followed by an escaped low one: \uD83D\uDE00.
                guard peek(UInt8(ascii: "\\")), offset + 1 < bytes.count, bytes[offset + 1] == UInt8(ascii: "u") else {
                    offset = start
                    throw failure("\\u escape of a lone high surrogate", path: path)
                }
                offset += 2
                let low = try hexUnit(at: path, escapeStart: start)
                guard (0xDC00..<0xE000).contains(low) else {
                    offset = start
                    throw failure("\\u escape of a high surrogate not followed by a low one", path: path)
                }
                return Unicode.Scalar(0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00))!
            }
            guard let scalar = Unicode.Scalar(unit) else {
                offset = start
                throw failure("\\u escape of a lone low surrogate", path: path)
            }
            return scalar
        default:
            offset = start
            throw failure("unknown escape \(describeHere(length: 2)) (JSON knows \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)",
                          path: path)
        }
    }

    private mutating func hexUnit(at path: String, escapeStart: Int) throws -> UInt32 {
        guard bytes.count - offset >= 4,
              let unit = UInt32(String(decoding: bytes[offset..<(offset + 4)], as: UTF8.self), radix: 16),
              bytes[offset..<(offset + 4)].allSatisfy({ $0 != UInt8(ascii: "+") && $0 != UInt8(ascii: "-") }) else {
            offset = escapeStart
            throw failure("\\u must be followed by four hexadecimal digits", path: path)
        }
        offset += 4
        return unit
    }

    // MARK: Bytes

    private mutating func skipWhitespace() {
        while offset < bytes.count {
            switch bytes[offset] {
            case 0x20, 0x09, 0x0D: offset += 1
            case 0x0A: offset += 1; line += 1; lineStart = offset
            default: return
            }
        }
    }

    private func peek(_ byte: UInt8) -> Bool { offset < bytes.count && bytes[offset] == byte }

    /// A letter, digit or other byte that would continue a bare word (`truex`, `12a`).
    private func isWordByte(at index: Int) -> Bool {
        guard index < bytes.count else { return false }
        let byte = bytes[index]
        return byte >= 0x80 || (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
            || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
            || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || byte == UInt8(ascii: "_")
    }

    /// What is at `offset`, for messages: `']'`, `the end of the file`, `'tru…'`.
    private func describeHere(length: Int = 1) -> String {
        guard offset < bytes.count else { return "the end of the file" }
        var end = offset
        var characters = 0
        // Quote whole UTF-8 sequences, up to `length` characters.
        while end < bytes.count, characters < length {
            end += 1
            while end < bytes.count, bytes[end] & 0xC0 == 0x80 { end += 1 }
            characters += 1
        }
        let text = String(decoding: bytes[offset..<end], as: UTF8.self)
        if text == "\n" || text == "\r" { return "a line break" }
        return "'\(text)'"
    }

    /// 1-based column of byte `index` on the current line, in characters.
    private func column(of index: Int) -> Int {
        bytes[lineStart..<min(index, bytes.count)].filter { $0 & 0xC0 != 0x80 }.count + 1
    }

    private func failure(_ message: String, path: String?) -> JSONSyntaxError {
        JSONSyntaxError(message: message, line: line, column: column(of: offset),
                        path: path.flatMap { $0.isEmpty ? nil : $0 })
    }

    private func isValidUTF8(_ bytes: [UInt8]) -> Bool {
        var iterator = bytes.makeIterator()
        var decoder = UTF8()
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue: continue
            case .emptyInput: return true
            case .error: return false
            }
        }
    }
}
