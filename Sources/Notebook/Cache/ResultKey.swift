import Engine
import Foundation

/// Everything a chapter's result depends on, each part hashed on its own, so that a cached
/// result can be shown as current only when nothing it came from has changed — and so that
/// `lessons list` can say *what* changed when it is stale.
public struct ResultKeyInputs: Codable, Equatable, Sendable {
    /// SHA-1 of the runnable cells' ids, attributes and code (prose edits do not count).
    public var cells: String
    /// SHA-1 of the Expected file's bytes, or `none`.
    public var expected: String
    /// The program's key (`ProgramBuilder.key(for:)`): the tangled source (with `--param`
    /// values), the bytes of the Engine build, the compiler version and flags. `none` when the
    /// chapter never got as far as tangling.
    public var program: String
    /// `swiftc --version`, also part of `program`, kept apart so a compile failure's result
    /// still goes stale when the toolchain changes.
    public var toolchain: String
    /// The SHA-1s of the datasets. `DataStore` refuses any file whose bytes differ from these,
    /// so the known checksums stand for the data the chapter could have read.
    public var data: [String]
    public var parameters: [String: String]
    public var seed: Int
    /// The profile the run was judged by (nil: not judged).
    public var profile: String?

    public init(cells: String, expected: String, program: String, toolchain: String, data: [String],
                parameters: [String: String], seed: Int, profile: String?) {
        self.cells = cells; self.expected = expected; self.program = program; self.toolchain = toolchain
        self.data = data; self.parameters = parameters; self.seed = seed; self.profile = profile
    }

    /// Gathers the inputs from their sources.
    /// - Parameters:
    ///   - expected: the Expected file's bytes, nil when the chapter has none.
    ///   - programKey: `ProgramBuilder.key(for:)`, nil when the chapter was not tangled.
    public init(chapter: Chapter, expected: Data?, programKey: String?, toolchain: String,
                parameters: [String: String], seed: Int, profile: String?,
                data: [String] = DatasetSpec.all.map(\.sha1)) {
        self.init(cells: Self.hash(cellsOf: chapter), expected: expected.map(sha1Hex) ?? "none",
                  program: programKey ?? "none", toolchain: toolchain, data: data.sorted(),
                  parameters: parameters, seed: seed, profile: profile)
    }

    /// The key: SHA-1 of every input in a fixed order.
    public var key: String {
        var lines = ["lessons-result-1", "cells \(cells)", "expected \(expected)", "program \(program)",
                     "toolchain \(toolchain)", "data \(data.joined(separator: ","))", "seed \(seed)",
                     "profile \(profile ?? "-")"]
        lines += parameters.keys.sorted().map { "param \($0)=\(parameters[$0]!)" }
        return sha1Hex(Data(lines.joined(separator: "\n").utf8))
    }

    /// Which stored result of the chapter this run replaces: one per profile (`full`, `smoke`),
    /// and one per set of parameters for runs no profile judged, so that a smoke run never
    /// evicts the full run's result.
    public var variant: String {
        if let profile { return profile }
        if parameters.isEmpty { return "unjudged" }
        let text = parameters.keys.sorted().map { "\($0)=\(parameters[$0]!)" }.joined(separator: "\n")
        return "parameters-" + sha1Hex(Data(text.utf8)).prefix(12)
    }

    /// Which inputs differ from `other`, in words: `["Expected file", "Engine build or program"]`.
    public func differences(from other: ResultKeyInputs) -> [String] {
        var changed: [String] = []
        if cells != other.cells { changed.append("cells") }
        if expected != other.expected { changed.append("Expected file") }
        if program != other.program { changed.append("program or Engine build") }
        if toolchain != other.toolchain { changed.append("toolchain") }
        if data != other.data { changed.append("data") }
        if parameters != other.parameters { changed.append("parameters") }
        if seed != other.seed { changed.append("seed") }
        if profile != other.profile { changed.append("profile") }
        return changed
    }

    /// Hashes what the chapter's program is made of: runnable cells in order, with their
    /// attributes. Line numbers and prose are left out: moving a paragraph changes no result.
    static func hash(cellsOf chapter: Chapter) -> String {
        var text = ""
        for cell in chapter.runnableCells {
            let a = cell.attributes
            text += "cell \(cell.index) \(cell.id) hidden=\(a.hidden) parameters=\(a.parameters) "
                + "exercise=\(a.exercise ?? "-") timeout=\(a.timeout.map { "\($0)" } ?? "-")\n"
            text += "\(cell.code.utf8.count)\n\(cell.code)\n"
        }
        return sha1Hex(Data(text.utf8))
    }
}
