import Foundation

extension Expectations {
    /// Reads and parses an Expected file. Errors name the file and the JSON path.
    public static func load(from file: URL) throws -> Expectations {
        let data: Data
        do {
            data = try Data(contentsOf: file)
        } catch {
            throw ExpectedError(file: file, path: nil, message: "cannot be read (\(error.localizedDescription))")
        }
        return try parse(data, file: file)
    }

    /// Parses the JSON of an Expected file; `file` is only used to name it in errors.
    public static func parse(_ data: Data, file: URL) throws -> Expectations {
        let parser = ExpectedParser(file: file)
        return try parser.document(JSONValue.parse(data, file: file))
    }
}

/// Turns a JSON tree into `Expectations`, rejecting anything it does not understand: an
/// unknown key is far more often a typo (`"epcoh"`) than an extension, and a typo that
/// silently dropped a check would make a failing chapter pass.
struct ExpectedParser {
    let file: URL

    func document(_ json: JSONValue) throws -> Expectations {
        let root = try object(json, at: "", allowed: ["chapter", "profiles", "note"])
        let chapterID = try root["chapter"].map { try string($0, at: "chapter") }
        _ = try root["note"].map { try string($0, at: "note") }
        guard let profilesJSON = root["profiles"] else {
            throw error(nil, "missing \"profiles\" (e.g. {\"profiles\": {\"full\": {\"cells\": {…}}}})")
        }
        var profiles: [String: Profile] = [:]
        for (name, value) in try object(profilesJSON, at: "profiles", allowed: nil) {
            profiles[name] = try profile(name, value, at: "profiles.\(name)")
        }
        if profiles.isEmpty { throw error("profiles", "names no profile; add at least \"full\"") }
        try rejectAmbiguousParameters(profiles)
        return Expectations(file: file, chapterID: chapterID, profiles: profiles)
    }

    private func profile(_ name: String, _ json: JSONValue, at path: String) throws -> Profile {
        let fields = try object(json, at: path, allowed: ["parameters", "cells", "note"])
        _ = try fields["note"].map { try string($0, at: path + ".note") }
        var parameters: [String: String] = [:]
        if let json = fields["parameters"] {
            for (key, value) in try object(json, at: path + ".parameters", allowed: nil) {
                guard case .string(let text) = value else {
                    throw error("\(path).parameters.\(key)",
                                "must be a string, as given to --param (e.g. \"5\"), not \(value.kind)")
                }
                parameters[key] = text
            }
        }
        guard let cellsJSON = fields["cells"] else { throw error(path, "missing \"cells\"") }
        var cells: [String: [Check]] = [:]
        for (cell, value) in try object(cellsJSON, at: path + ".cells", allowed: nil) {
            let cellPath = "\(path).cells.\(cell)"
            guard case .array(let items) = value else {
                throw error(cellPath, "must be an array of checks, not \(value.kind)")
            }
            cells[cell] = try items.enumerated().map { try check($1, at: "\(cellPath)[\($0)]") }
        }
        return Profile(name: name, parameters: parameters, cells: cells)
    }

    private func check(_ json: JSONValue, at path: String) throws -> Check {
        let allKeys: Set = ["metric", "epoch", "final", "range", "informational", "source",
                            "output", "matches", "note"]
        let fields = try object(json, at: path, allowed: allKeys)
        _ = try fields["note"].map { try string($0, at: path + ".note") }
        let kinds = ["metric", "output", "matches"].filter { fields[$0] != nil }
        guard kinds.count == 1, let kind = kinds.first else {
            throw error(path, "a check needs exactly one of \"metric\", \"output\" or \"matches\""
                        + (kinds.isEmpty ? "" : " (found \(kinds.joined(separator: ", ")))"))
        }
        switch kind {
        case "output":
            try only(["output", "note"], in: fields, at: path)
            return .output(try string(fields["output"]!, at: path + ".output"))
        case "matches":
            try only(["matches", "note"], in: fields, at: path)
            let pattern = try string(fields["matches"]!, at: path + ".matches")
            do {
                _ = try NSRegularExpression(pattern: pattern)
            } catch {
                throw self.error(path + ".matches", "is not a valid regular expression: \(pattern)")
            }
            return .matches(pattern)
        default:
            return .metric(try metric(fields, at: path))
        }
    }

    private func metric(_ fields: [String: JSONValue], at path: String) throws -> MetricCheck {
        let name = try string(fields["metric"]!, at: path + ".metric")
        if name.isEmpty { throw error(path + ".metric", "must name a metric, e.g. \"perplexity\"") }

        let selector: MetricCheck.Selector
        switch (fields["epoch"], fields["final"]) {
        case (let epoch?, nil):
            guard case .number(let value) = epoch, value >= 0, value == value.rounded(), value < 1e9 else {
                throw error(path + ".epoch", "must be a whole number ≥ 0, not \(describe(epoch))")
            }
            selector = .epoch(Int(value))
        case (nil, .bool(true)?):
            selector = .final
        case (nil, let other?):
            throw error(path + ".final", "must be true (the last reported value), not \(describe(other))")
        case (.some, .some):
            throw error(path, "give either \"epoch\" or \"final\", not both")
        case (nil, nil):
            throw error(path, "say which value of \(name) to check: \"epoch\": N, or \"final\": true")
        }

        let informational = try fields["informational"].map { try bool($0, at: path + ".informational") } ?? false
        var range: ClosedRange<Double>?
        switch (fields["range"], informational) {
        case (let json?, false):
            range = try closedRange(json, at: path + ".range")
        case (nil, true):
            range = nil
        case (.some, true):
            throw error(path, "an informational metric is never judged, so it takes no \"range\"")
        case (nil, false):
            throw error(path, "add \"range\": [min, max], or \"informational\": true for a figure "
                        + "that is reported but never judged")
        }
        let source = try fields["source"].map { try number($0, at: path + ".source") }
        return MetricCheck(name: name, at: selector, range: range, source: source)
    }

    private func closedRange(_ json: JSONValue, at path: String) throws -> ClosedRange<Double> {
        guard case .array(let items) = json, items.count == 2 else {
            throw error(path, "must be [min, max], not \(describe(json))")
        }
        let low = try number(items[0], at: path + "[0]")
        let high = try number(items[1], at: path + "[1]")
        guard low <= high else { throw error(path, "min \(low) is greater than max \(high)") }
        return low...high
    }

    /// Two profiles for the same overrides would make the choice of profile a coin toss.
    private func rejectAmbiguousParameters(_ profiles: [String: Profile]) throws {
        let names = profiles.keys.sorted()
        for (i, a) in names.enumerated() {
            for b in names[(i + 1)...] where profiles[a]!.parameters == profiles[b]!.parameters {
                throw error("profiles.\(b).parameters",
                            "same parameters as profile \"\(a)\"; a run could not tell them apart")
            }
        }
    }

    // MARK: Typed access with paths

    private func object(_ json: JSONValue, at path: String, allowed: Set<String>?) throws -> [String: JSONValue] {
        guard case .object(let fields) = json else {
            throw error(path.isEmpty ? nil : path, "must be a JSON object, not \(json.kind)")
        }
        if let allowed { try only(allowed, in: fields, at: path) }
        return fields
    }

    private func only(_ allowed: Set<String>, in fields: [String: JSONValue], at path: String) throws {
        if let unknown = fields.keys.sorted().first(where: { !allowed.contains($0) }) {
            let prefix = path.isEmpty ? "" : path + "."
            throw error(prefix + unknown, "unknown key \"\(unknown)\" (allowed here: "
                        + allowed.sorted().joined(separator: ", ") + ")")
        }
    }

    private func string(_ json: JSONValue, at path: String) throws -> String {
        guard case .string(let value) = json else { throw error(path, "must be a string, not \(json.kind)") }
        return value
    }

    private func number(_ json: JSONValue, at path: String) throws -> Double {
        guard case .number(let value) = json else { throw error(path, "must be a number, not \(json.kind)") }
        return value
    }

    private func bool(_ json: JSONValue, at path: String) throws -> Bool {
        guard case .bool(let value) = json else { throw error(path, "must be true or false, not \(json.kind)") }
        return value
    }

    private func describe(_ json: JSONValue) -> String {
        switch json {
        case .number(let value): return value == value.rounded() && abs(value) < 1e15 ? "\(Int(value))" : "\(value)"
        case .string(let value): return "\"\(value)\""
        case .bool(let value): return "\(value)"
        default: return json.kind
        }
    }

    private func error(_ path: String?, _ message: String) -> ExpectedError {
        ExpectedError(file: file, path: path, message: message)
    }
}
