import Foundation

extension Expectations {
    /// Reads and parses an Expected file. Errors name the file, the JSON path and the line.
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
        let document: JSONDocument
        do {
            document = try JSONValue.read(data)
        } catch let error as JSONSyntaxError {
            throw ExpectedError(file: file, path: error.path, message: "not valid JSON: " + error.message,
                                line: error.line, column: error.column)
        }
        return try ExpectedParser(file: file, lines: document.lines).document(document.root)
    }
}

/// Turns a JSON tree into `Expectations`, rejecting anything it does not understand: an
/// unknown key is far more often a typo (`"epcoh"`) than an extension, and a typo that
/// silently dropped a check would make a failing chapter pass. For the same reason nothing may
/// be empty: a `"cells": {}` or a `"train": []` holds no check, and a run would pass on nothing.
///
/// The file's own structure (a profile's `extends`, the `always` section) is resolved here, so
/// that every `Profile` handed out is complete.
struct ExpectedParser {
    let file: URL
    let lines: [String: Int]

    /// A profile as written, before `extends` and `always` are resolved.
    private struct Written {
        var name: String
        var parameters: [String: String]
        var extends: String?
        /// Own cell lists in file order; an empty list (allowed only when extending) removes the
        /// inherited checks of that cell.
        var cells: [(cell: String, checks: [Check])]
    }

    func document(_ json: JSONValue) throws -> Expectations {
        let root = try object(json, at: "", allowed: ["always", "chapter", "note", "profiles"])
        let chapterID = try root["chapter"].map { try string($0, at: "chapter") }
        _ = try root["note"].map { try string($0, at: "note") }
        var origins = Expectations.Origins(lines: lines)

        var always: [String: [Check]] = [:]
        if let json = root["always"] {
            let fields = try object(json, at: "always", allowed: ["cells", "note"])
            _ = try fields["note"].map { try string($0, at: "always.note") }
            guard let cellsJSON = fields["cells"] else {
                throw error("always", "missing \"cells\": the checks that hold for every run, by cell")
            }
            for (cell, checks) in try cellLists(cellsJSON, at: "always.cells", mayBeEmpty: false) {
                always[cell] = checks
                origins.cellLists.append(.init(path: "always.cells.\(cell)", cell: cell))
            }
        }

        guard let profilesJSON = root["profiles"] else {
            throw error(nil, "missing \"profiles\" (e.g. {\"profiles\": {\"full\": {\"cells\": {…}}}})")
        }
        var written: [String: Written] = [:]
        for member in try object(profilesJSON, at: "profiles", allowed: nil).members {
            let profile = try self.profile(member.key, member.value, at: "profiles.\(member.key)")
            written[member.key] = profile
            origins.ownParameters[member.key] = profile.parameters
            for (cell, _) in profile.cells {
                origins.cellLists.append(.init(path: "profiles.\(member.key).cells.\(cell)", cell: cell))
            }
        }
        if written.isEmpty { throw error("profiles", "names no profile; add at least \"full\"") }

        var resolved: [String: Resolved] = [:]
        var profiles: [String: Profile] = [:]
        for name in written.keys.sorted() {
            let profile = try resolve(name, written, done: &resolved)
            profiles[name] = try complete(written[name]!, profile, always: always)
        }
        var expectations = Expectations(file: file, chapterID: chapterID, always: always, profiles: profiles)
        expectations.origins = origins
        return expectations
    }

    private func profile(_ name: String, _ json: JSONValue, at path: String) throws -> Written {
        if name == "always" {
            throw error(path, "\"always\" is the name of the section every profile includes; "
                        + "call this profile something else")
        }
        if name.isEmpty { throw error(path, "a profile needs a name") }
        let fields = try object(json, at: path, allowed: ["cells", "extends", "note", "parameters"])
        _ = try fields["note"].map { try string($0, at: path + ".note") }
        var parameters: [String: String] = [:]
        if let json = fields["parameters"] {
            let members = try object(json, at: path + ".parameters", allowed: nil).members
            if members.isEmpty {
                throw error(path + ".parameters", "is empty; leave it out for the chapter's own values")
            }
            for member in members {
                guard case .string(let text) = member.value else {
                    throw error("\(path).parameters.\(member.key)",
                                "must be a string, as given to --param (e.g. \"5\"), not \(member.value.kind)")
                }
                parameters[member.key] = text
            }
        }
        let extends = try fields["extends"].map { try string($0, at: path + ".extends") }
        var cells: [(String, [Check])] = []
        if let cellsJSON = fields["cells"] {
            cells = try cellLists(cellsJSON, at: path + ".cells", mayBeEmpty: extends != nil)
        } else if extends == nil {
            throw error(path, "missing \"cells\" (a profile needs checks of its own, or \"extends\": \"NAME\")")
        }
        return Written(name: name, parameters: parameters, extends: extends, cells: cells)
    }

    /// `{"cell": [check, …], …}` in file order. An empty list is allowed only in a profile that
    /// extends another, where it removes the inherited checks of that cell (checked on resolving).
    private func cellLists(_ json: JSONValue, at path: String, mayBeEmpty: Bool) throws -> [(String, [Check])] {
        let members = try object(json, at: path, allowed: nil).members
        if members.isEmpty {
            throw error(path, "names no cell, so it holds no check"
                        + (mayBeEmpty ? "; leave \"cells\" out to inherit every check unchanged" : ""))
        }
        return try members.map { member in
            let cellPath = "\(path).\(member.key)"
            guard case .array(let items) = member.value else {
                throw error(cellPath, "must be an array of checks, not \(member.value.kind)")
            }
            if items.isEmpty && !mayBeEmpty {
                throw error(cellPath, "holds no check; give at least one, or leave the cell out")
            }
            let checks = try items.enumerated().map { try check($1, at: "\(cellPath)[\($0)]") }
            try rejectRepeatedTitles(checks, at: cellPath)
            return (member.key, checks)
        }
    }

    /// Two checks with one title in one cell are a copy (or two outputs of which one must fail).
    private func rejectRepeatedTitles(_ checks: [Check], at path: String, after earlier: [Check] = [],
                                      earlierPath: String? = nil) throws {
        var seen: [String: String] = [:]
        for (i, check) in earlier.enumerated() { seen[check.title] = "\(earlierPath ?? path)[\(i)]" }
        for (i, check) in checks.enumerated() {
            if let first = seen[check.title] {
                let why = earlierPath == nil ? "the same check as \(first)"
                    : "already checked by \(first), which every profile includes"
                throw error("\(path)[\(i)]", "\(check.title): \(why)")
            }
            seen[check.title] = "\(path)[\(i)]"
        }
    }

    /// A profile with `extends` resolved: its parameters and cells, without the `always` checks
    /// (added once, at the end, by `complete`).
    private struct Resolved {
        var parameters: [String: String]
        var cells: [String: [Check]]
    }

    /// Resolves `extends`: the base's parameters and cells, then the profile's own (a cell it
    /// lists replaces the inherited list of that cell; an empty list removes it). `done`
    /// memoizes; `chain` is the path of profiles that led here, to detect cycles.
    private func resolve(_ name: String, _ written: [String: Written], done: inout [String: Resolved],
                         chain: [String] = []) throws -> Resolved {
        if let resolved = done[name] { return resolved }
        let own = written[name]!
        let path = "profiles.\(name)"
        var resolved = Resolved(parameters: [:], cells: [:])
        if let base = own.extends {
            guard written[base] != nil else {
                let known = written.keys.sorted().filter { $0 != name }
                throw error(path + ".extends", "no profile \"\(base)\" to extend"
                            + (known.isEmpty ? "" : " (profiles: \(known.joined(separator: ", ")))"))
            }
            if base == name || chain.contains(base) {
                let cycle = Array((chain + [name]).drop { $0 != base }) + [base]
                throw error(path + ".extends", "profiles extend each other in a cycle: "
                            + cycle.joined(separator: " → "))
            }
            resolved = try resolve(base, written, done: &done, chain: chain + [name])
        }
        resolved.parameters.merge(own.parameters) { _, mine in mine }
        for (cell, checks) in own.cells {
            if checks.isEmpty {
                guard resolved.cells[cell] != nil else {
                    throw error("\(path).cells.\(cell)", "holds no check, and profile \"\(own.extends!)\" "
                                + "gives this cell none to remove")
                }
            }
            resolved.cells[cell] = checks.isEmpty ? nil : checks
        }
        done[name] = resolved
        return resolved
    }

    /// The profile as handed out: `always` first in every cell, then the resolved checks.
    private func complete(_ written: Written, _ resolved: Resolved, always: [String: [Check]]) throws -> Profile {
        let name = written.name
        for (cell, checks) in written.cells {
            guard let shared = always[cell] else { continue }
            try rejectRepeatedTitles(checks, at: "profiles.\(name).cells.\(cell)", after: shared,
                                     earlierPath: "always.cells.\(cell)")
        }
        var cells = resolved.cells
        for (cell, checks) in always { cells[cell] = checks + (cells[cell] ?? []) }
        if cells.isEmpty {
            throw error("profiles.\(name)", "holds no check once \"extends\" is resolved")
        }
        return Profile(name: name, parameters: resolved.parameters, cells: cells, extends: written.extends)
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

    private func metric(_ fields: Fields, at path: String) throws -> MetricCheck {
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

    // MARK: Typed access with paths

    /// An object's members in file order, with lookup by key (keys are unique: the reader
    /// rejects a key given twice).
    struct Fields {
        var members: [JSONMember]
        subscript(key: String) -> JSONValue? { members.first { $0.key == key }?.value }
    }

    private func object(_ json: JSONValue, at path: String, allowed: Set<String>?) throws -> Fields {
        guard case .object(let members) = json else {
            throw error(path.isEmpty ? nil : path, "must be a JSON object, not \(json.kind)")
        }
        let fields = Fields(members: members)
        if let allowed { try only(allowed, in: fields, at: path) }
        return fields
    }

    private func only(_ allowed: Set<String>, in fields: Fields, at path: String) throws {
        if let unknown = fields.members.first(where: { !allowed.contains($0.key) })?.key {
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
        ExpectedError(file: file, path: path, message: message,
                      line: JSONDocument(root: .null, lines: lines).line(of: path ?? ""))
    }
}
