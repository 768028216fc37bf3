import Foundation

/// One message from a chapter program to the runner: a JSON object on one line of the events
/// file (`RunnerEnvironment.events`), a channel that `print` cannot reach.
///
///     {"event":"cell","cell":"train","index":3,"value":0.52}
///     {"event":"metric","cell":"train","name":"perplexity","epoch":40,"value":149.3}
///     {"event":"abort","cell":"train","reason":"diverged","message":"loss is nan at epoch 12"}
///
/// NaN and infinities, which JSON has no numbers for, travel as the strings `"nan"`, `"inf"`
/// and `"-inf"`.
public struct Event: Codable, Equatable, Sendable {
    public enum Kind: String, Codable, Sendable {
        /// A cell begins (`index`, `cell`; `value` is seconds since the first cell began).
        case cell
        /// A figure a check may judge (`name`, `value`, optional `epoch`).
        case metric
        /// Training progress for a live display (`epoch` of `of`, latest `value` of `name`).
        case progress
        /// The program gives up (`reason`, `message`).
        case abort
        /// The last cell finished (`value` as for `cell`).
        case end
    }

    /// Why a program gave up.
    public enum AbortReason: String, Codable, Sendable {
        /// Training produced NaN or infinite values.
        case diverged
        /// Anything else the program could not go on with.
        case failed
    }

    public var kind: Kind
    public var cell: String?
    public var index: Int?
    public var name: String?
    public var value: Double?
    public var epoch: Int?
    public var of: Int?
    public var reason: AbortReason?
    public var message: String?

    public init(_ kind: Kind, cell: String? = nil, index: Int? = nil, name: String? = nil,
                value: Double? = nil, epoch: Int? = nil, of: Int? = nil, reason: AbortReason? = nil,
                message: String? = nil) {
        self.kind = kind; self.cell = cell; self.index = index; self.name = name
        self.value = value; self.epoch = epoch; self.of = of; self.reason = reason; self.message = message
    }

    enum CodingKeys: String, CodingKey {
        case kind = "event", cell, index, name, value, epoch, of, reason, message
    }

    /// The event as one line of the wire format, newline included.
    public func line() -> Data {
        var data = (try? Self.encoder.encode(self)) ?? Data()
        data.append(0x0A)
        return data
    }

    /// Parses one line of the wire format (without its newline); nil for anything else.
    public static func parse<Bytes: Collection>(line: Bytes) -> Event? where Bytes.Element == UInt8 {
        try? decoder.decode(Event.self, from: Data(line))
    }

    private static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return encoder
    }()

    private static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(
            positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return decoder
    }()
}
