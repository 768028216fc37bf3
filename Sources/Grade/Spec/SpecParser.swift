import Foundation
import Notebook

extension ExerciseSpec {
    /// Every exercise of the project: `Graders/<chapter-id>/<exercise>.json`, sorted by chapter
    /// and exercise. Throws `SpecError` for the first file that is malformed.
    public static func all(in graders: URL) throws -> [ExerciseSpec] {
        let manager = FileManager.default
        var specs: [ExerciseSpec] = []
        for chapter in ((try? manager.contentsOfDirectory(atPath: graders.path)) ?? []).sorted() {
            let folder = graders.appendingPathComponent(chapter, isDirectory: true)
            var isFolder: ObjCBool = false
            guard manager.fileExists(atPath: folder.path, isDirectory: &isFolder), isFolder.boolValue else { continue }
            for name in ((try? manager.contentsOfDirectory(atPath: folder.path)) ?? []).sorted() where name.hasSuffix(".json") {
                specs.append(try load(folder.appendingPathComponent(name), chapterID: chapter))
            }
        }
        return specs
    }

    /// Reads one spec file; its folder's name is the chapter id.
    public static func load(_ file: URL, chapterID: String) throws -> ExerciseSpec {
        let shown = displayPath(file)
        guard let data = try? Data(contentsOf: file) else { throw SpecError(file: shown, path: nil, message: "cannot be read") }
        let json: JSONTree
        do { json = try JSONDecoder().decode(JSONTree.self, from: data) } catch {
            throw SpecError(file: shown, path: nil, message: "not valid JSON: \(error.localizedDescription)")
        }
        return try SpecParser(file: shown).spec(json, chapterID: chapterID, file: file)
    }

    /// Checks the spec against its chapter: the exercise cell and every cell it needs exist and run.
    public func validate(against chapter: Chapter) throws {
        let shown = displayPath(specFile)
        guard let cell = chapter.cells.first(where: { $0.attributes.exercise == exercise }) else {
            throw SpecError(file: shown, path: "exercise", message: "chapter \(chapter.id) has no cell marked exercise=\(exercise)")
        }
        let runnable = chapter.runnableCells.map(\.id)
        for (i, name) in cells.enumerated() where !runnable.contains(name) || name == cell.id {
            throw SpecError(file: shown, path: "cells[\(i)]", message: name == cell.id
                ? "is the exercise cell itself, which always runs" : "chapter \(chapter.id) has no runnable cell \"\(name)\"")
        }
        let order = cells.compactMap { runnable.firstIndex(of: $0) }
        if order != order.sorted() { throw SpecError(file: shown, path: "cells", message: "must be in the chapter's order") }
        if let last = order.last, let exerciseIndex = runnable.firstIndex(of: cell.id), last > exerciseIndex {
            throw SpecError(file: shown, path: "cells", message: "names a cell after the exercise cell")
        }
        for name in [graderSource, harnessSource] where !FileManager.default.fileExists(atPath: name.path) {
            throw SpecError(file: shown, path: nil, message: "\(displayPath(name)) is missing")
        }
    }
}

/// A strict reader: unknown keys and wrong types are errors, so a typo never drops a check.
struct SpecParser {
    let file: String

    func spec(_ json: JSONTree, chapterID: String, file url: URL) throws -> ExerciseSpec {
        let root = try object(json, at: nil, allowed: ["exercise", "title", "cells", "parameters", "limits", "checks", "note"])
        let exercise = try string(root["exercise"], at: "exercise")
        let stem = url.deletingPathExtension().lastPathComponent
        guard exercise == stem else { throw fail("exercise", "is \"\(exercise)\" but the file is \(stem).json") }
        let cells = try array(root["cells"] ?? .array([]), at: "cells").enumerated().map { try string($1, at: "cells[\($0)]") }
        var parameters: [String: String] = [:]
        for (key, value) in try object(root["parameters"] ?? .object([:]), at: "parameters", allowed: nil) {
            parameters[key] = try string(value, at: "parameters.\(key)")
        }
        var limits = ExerciseLimits()
        if let json = root["limits"] {
            let fields = try object(json, at: "limits", allowed: ["seconds", "memoryMiB", "processes", "fileMiB"])
            if let v = fields["seconds"] { limits.seconds = try positive(v, at: "limits.seconds") }
            if let v = fields["memoryMiB"] { limits.memoryMiB = Int(try positive(v, at: "limits.memoryMiB")) }
            if let v = fields["processes"] { limits.processes = Int(try positive(v, at: "limits.processes")) }
            if let v = fields["fileMiB"] { limits.fileMiB = Int(try positive(v, at: "limits.fileMiB")) }
        }
        let items = try array(root["checks"], at: "checks")
        guard !items.isEmpty else { throw fail("checks", "names no check") }
        let checks = try items.enumerated().map { try check($1, at: "checks[\($0)]") }
        var seen = Set<String>()
        for (i, check) in checks.enumerated() where !seen.insert(check.id).inserted {
            throw fail("checks[\(i)].id", "\"\(check.id)\" is used twice")
        }
        return ExerciseSpec(chapterID: chapterID, exercise: exercise, title: try string(root["title"], at: "title"),
                            cells: cells, parameters: parameters, limits: limits, checks: checks,
                            folder: url.deletingLastPathComponent())
    }

    private func check(_ json: JSONTree, at path: String) throws -> CheckSpec {
        let fields = try object(json, at: path, allowed: ["id", "title", "measured", "points", "range", "partial", "hidden", "note"])
        let points = try positive(fields["points"], at: path + ".points")
        let tiers = try array(fields["partial"] ?? .array([]), at: path + ".partial").enumerated().map { i, tier -> CheckSpec.Tier in
            let tierPath = "\(path).partial[\(i)]"
            let tierFields = try object(tier, at: tierPath, allowed: ["range", "points"])
            let tierPoints = try positive(tierFields["points"], at: tierPath + ".points")
            guard tierPoints < points else { throw fail(tierPath + ".points", "must be fewer than the check's \(points)") }
            return .init(range: try range(tierFields["range"], at: tierPath + ".range"), points: tierPoints)
        }
        var hidden = false
        if let value = fields["hidden"] {
            guard case .bool(let flag) = value else { throw fail(path + ".hidden", "must be true or false") }
            hidden = flag
        }
        return CheckSpec(id: try string(fields["id"], at: path + ".id"), title: try string(fields["title"], at: path + ".title"),
                         measured: try string(fields["measured"], at: path + ".measured"), points: points,
                         range: try range(fields["range"], at: path + ".range"), partial: tiers, hidden: hidden)
    }

    // MARK: - Values

    private func fail(_ path: String?, _ message: String) -> SpecError { SpecError(file: file, path: path, message: message) }

    private func object(_ json: JSONTree?, at path: String?, allowed: Set<String>?) throws -> [String: JSONTree] {
        guard case .object(let dictionary)? = json else { throw fail(path, "must be an object") }
        if let allowed, let unknown = dictionary.keys.sorted().first(where: { !allowed.contains($0) }) {
            throw fail(path.map { $0 + "." + unknown } ?? unknown,
                       "unknown key \"\(unknown)\" (allowed here: \(allowed.sorted().joined(separator: ", ")))")
        }
        return dictionary
    }

    private func array(_ json: JSONTree?, at path: String) throws -> [JSONTree] {
        guard case .array(let items)? = json else { throw fail(path, json == nil ? "is missing" : "must be an array") }
        return items
    }

    private func string(_ json: JSONTree?, at path: String) throws -> String {
        guard case .string(let text)? = json, !text.isEmpty else { throw fail(path, json == nil ? "is missing" : "must be a non-empty string") }
        return text
    }

    private func number(_ json: JSONTree?, at path: String) throws -> Double {
        guard case .number(let value)? = json else { throw fail(path, json == nil ? "is missing" : "must be a number") }
        return value
    }

    private func positive(_ json: JSONTree?, at path: String) throws -> Double {
        let value = try number(json, at: path)
        guard value > 0, value.isFinite else { throw fail(path, "must be a positive number") }
        return value
    }

    private func range(_ json: JSONTree?, at path: String) throws -> ClosedRange<Double> {
        let items = try array(json, at: path)
        guard items.count == 2 else { throw fail(path, "must be [min, max]") }
        // null leaves a side open: [null, 250] is "at most 250".
        let low = items[0] == .null ? -Double.infinity : try number(items[0], at: path + "[0]")
        let high = items[1] == .null ? Double.infinity : try number(items[1], at: path + "[1]")
        guard low <= high else { throw fail(path, "min \(low) is greater than max \(high)") }
        return low...high
    }
}
