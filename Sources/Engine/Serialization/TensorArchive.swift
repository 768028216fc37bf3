import Foundation

/// Named tensors and numbers in one file: what a graded cell leaves behind for the grader
/// (trained parameters, the outputs and gradients of a function on given inputs), and what the
/// grader reads back in a process of its own.
///
///     var archive = TensorArchive()
///     archive["W_xh"] = parameters.inputWeights          // any shape
///     archive.numbers["hiddenSize"] = 256
///     try archive.write(to: url)
///     let back = try TensorArchive.read(from: url)        // back["W_xh"]?.shape == [V, H]
///
/// The file is `LSNARCH1`, the byte length of a JSON header as a little-endian UInt64, the
/// header (`{"tensors": [{"name", "shape"}], "numbers": {…}, "texts": {…}}`), then every
/// tensor's values in header order as little-endian Float32. Reading treats the file as
/// untrusted: sizes are checked against the file before anything is allocated, and a file
/// that does not add up is refused with a message that says what is wrong.
public struct TensorArchive: Equatable, Sendable {
    /// Tensor values by name, in insertion order.
    public private(set) var entries: [(name: String, shape: [Int], values: [Float])] = []
    public var numbers: [String: Double] = [:]
    public var texts: [String: String] = [:]

    public init() {}

    public static func == (a: TensorArchive, b: TensorArchive) -> Bool {
        a.numbers == b.numbers && a.texts == b.texts && a.entries.count == b.entries.count
            && zip(a.entries, b.entries).allSatisfy { $0.name == $1.name && $0.shape == $1.shape && $0.values == $1.values }
    }

    /// The names of the tensors, in order.
    public var names: [String] { entries.map(\.name) }

    /// A copy of the named tensor's values (no gradient, not on any tape), or nil.
    public subscript(name: String) -> Tensor? {
        get {
            entries.first { $0.name == name }.map { Tensor(shape: $0.shape, data: $0.values) }
        }
        set {
            entries.removeAll { $0.name == name }
            if let newValue { entries.append((name, newValue.shape, newValue.data)) }
        }
    }

    /// Adds `tensors` as `prefix.0`, `prefix.1`, … (e.g. a model's parameter list).
    public mutating func add(_ tensors: [Tensor], prefix: String) {
        for (i, tensor) in tensors.enumerated() { self["\(prefix).\(i)"] = tensor }
    }

    /// The tensors stored by `add(_:prefix:)`, in order; stops at the first missing index.
    public func tensors(prefix: String) -> [Tensor] {
        var found: [Tensor] = []
        while let next = self["\(prefix).\(found.count)"] { found.append(next) }
        return found
    }

    /// Copies the values stored by `add(_:prefix:)` into `parameters` (a freshly built model's),
    /// checking the count and every shape first, so a model is either loaded whole or not at all.
    public func load(into parameters: [Tensor], prefix: String) throws {
        let stored = tensors(prefix: prefix)
        guard stored.count == parameters.count else {
            throw ArchiveError("'\(prefix)' holds \(stored.count) tensors where \(parameters.count) were expected")
        }
        for (i, (value, parameter)) in zip(stored, parameters).enumerated() where value.shape != parameter.shape {
            throw ArchiveError("'\(prefix).\(i)' has shape \(value.shape) where \(parameter.shape) was expected")
        }
        for (value, parameter) in zip(stored, parameters) { parameter.data = value.data }
    }

    // MARK: - The file

    /// The first eight bytes of every archive.
    public static let magic = Data("LSNARCH1".utf8)

    private struct Header: Codable {
        struct Entry: Codable { var name: String; var shape: [Int] }
        var tensors: [Entry]
        var numbers: [String: Double]
        var texts: [String: String]
    }

    /// The archive as bytes.
    public func encoded() throws -> Data {
        let header = Header(tensors: entries.map { .init(name: $0.name, shape: $0.shape) }, numbers: numbers, texts: texts)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        let json = try encoder.encode(header)
        var data = Self.magic
        withUnsafeBytes(of: UInt64(json.count).littleEndian) { data.append(contentsOf: $0) }
        data.append(json)
        for entry in entries {
            entry.values.withUnsafeBufferPointer { buffer in
                for value in buffer { withUnsafeBytes(of: value.bitPattern.littleEndian) { data.append(contentsOf: $0) } }
            }
        }
        return data
    }

    /// Writes the archive, replacing the file in one rename so a reader never sees half of it.
    public func write(to url: URL) throws {
        let temporary = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).partial")
        try encoded().write(to: temporary)
        if rename(temporary.path, url.path) != 0 {
            throw ArchiveError("cannot move \(temporary.path) to \(url.path): \(String(cString: strerror(errno)))")
        }
    }

    /// Reads an archive, refusing files over `maximumBytes` and anything that does not add up.
    public static func read(from url: URL, maximumBytes: Int = 1 << 30) throws -> TensorArchive {
        let attributes = try? FileManager.default.attributesOfItem(atPath: url.path)
        guard let size = (attributes?[.size] as? NSNumber)?.intValue else {
            throw ArchiveError("there is no file at \(url.path)")
        }
        guard size <= maximumBytes else {
            throw ArchiveError("the file is \(size) bytes, more than the \(maximumBytes) allowed")
        }
        return try decode(Data(contentsOf: url))
    }

    /// Parses archive bytes (see `read`).
    public static func decode(_ data: Data) throws -> TensorArchive {
        let bytes = [UInt8](data)
        guard bytes.count >= 16, Data(bytes[0..<8]) == magic else { throw ArchiveError("not a tensor archive (no LSNARCH1 marker)") }
        var length: UInt64 = 0
        for (i, byte) in bytes[8..<16].enumerated() { length |= UInt64(byte) << (8 * UInt64(i)) }
        guard length <= UInt64(bytes.count - 16) else { throw ArchiveError("the header runs past the end of the file") }
        let headerEnd = 16 + Int(length)
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        let header: Header
        do { header = try decoder.decode(Header.self, from: Data(bytes[16..<headerEnd])) } catch {
            throw ArchiveError("the header is not valid: \(error)")
        }
        var archive = TensorArchive()
        archive.numbers = header.numbers
        archive.texts = header.texts
        var offset = headerEnd
        for entry in header.tensors {
            guard entry.shape.allSatisfy({ $0 >= 0 && $0 <= Int(Int32.max) }), entry.shape.count <= 8 else {
                throw ArchiveError("tensor '\(entry.name)' has an impossible shape \(entry.shape)")
            }
            let (count, overflow) = entry.shape.reduce((1, false)) { acc, n in
                let (product, over) = acc.0.multipliedReportingOverflow(by: n)
                return (product, acc.1 || over)
            }
            guard !overflow, count <= (bytes.count - offset) / 4 else {
                throw ArchiveError("tensor '\(entry.name)' of shape \(entry.shape) runs past the end of the file")
            }
            var values = [Float](repeating: 0, count: count)
            for i in 0..<count {
                let base = offset + 4 * i
                let bits = UInt32(bytes[base]) | UInt32(bytes[base + 1]) << 8 | UInt32(bytes[base + 2]) << 16 | UInt32(bytes[base + 3]) << 24
                values[i] = Float(bitPattern: bits)
            }
            offset += 4 * count
            guard !archive.names.contains(entry.name) else { throw ArchiveError("tensor '\(entry.name)' is stored twice") }
            archive.entries.append((entry.name, entry.shape, values))
        }
        guard offset == bytes.count else { throw ArchiveError("\(bytes.count - offset) bytes follow the last tensor") }
        return archive
    }
}

/// A tensor archive that cannot be read or written; the message says why.
public struct ArchiveError: Error, CustomStringConvertible, LocalizedError {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
    public var errorDescription: String? { message }
}
