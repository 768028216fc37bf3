import Foundation
import Notebook

/// A problem in a chapter that Render (and `lessons check`) reports: where, and what.
public struct RenderMessage: Equatable, Sendable, CustomStringConvertible {
    /// The `.md` file as shown to the user (`Chapters/12-gru.md`).
    public var file: String
    public var line: Int?
    public var message: String

    public init(file: String, line: Int?, message: String) {
        self.file = file; self.line = line; self.message = message
    }

    /// `Chapters/12-gru.md:42: message`.
    public var description: String { file + (line.map { ":\($0)" } ?? "") + ": " + message }
}

/// A figure quoted in prose from the run: `{{gru-scratch.perplexity@160}}` is the perplexity
/// cell `gru-scratch` reported for epoch 160; `{{gru-concise.tokens_per_second@final}}` the
/// last value it reported of that metric.
public struct ProseReference: Equatable, Sendable {
    public enum Point: Equatable, Sendable {
        case epoch(Int)
        case final
    }

    public var cell: String
    public var metric: String
    public var point: Point

    /// The reference written between `{{` and `}}`, or nil when it is not of the form
    /// `cell.metric@epoch` or `cell.metric@final` (cell ids may contain dots; metric names may not).
    public init?(parsing text: String) {
        guard let at = text.lastIndex(of: "@"), let dot = text[..<at].lastIndex(of: ".") else { return nil }
        let cell = String(text[..<dot]), metric = String(text[text.index(after: dot)..<at])
        let point = String(text[text.index(after: at)...])
        guard Self.isName(cell), Self.isName(metric), !metric.contains(".") else { return nil }
        if point == "final" {
            self.point = .final
        } else if let epoch = Int(point), epoch >= 0, point.allSatisfy(\.isNumber) {
            self.point = .epoch(epoch)
        } else {
            return nil
        }
        self.cell = cell
        self.metric = metric
    }

    /// `160` or `final`, as written after the `@`.
    public var pointText: String {
        switch point {
        case .epoch(let epoch): return "\(epoch)"
        case .final: return "final"
        }
    }

    /// The reference as written: `{{gru-scratch.perplexity@160}}`.
    public var text: String { "{{\(cell).\(metric)@\(pointText)}}" }

    /// What it stands for, in words: `perplexity of gru-scratch at epoch 160`.
    public var meaning: String {
        "\(metric) of \(cell) " + (point == .final ? "(its last report)" : "at epoch \(pointText)")
    }

    /// The metric's value in `result`, if the cell reported it there.
    public func value(in result: RunResult?) -> Double? {
        guard let metrics = result?.cells.first(where: { $0.id == cell })?.metrics.filter({ $0.name == metric }) else { return nil }
        switch point {
        case .final: return metrics.last?.value
        case .epoch(let epoch): return metrics.last(where: { $0.epoch == epoch })?.value
        }
    }

    private static func isName(_ text: String) -> Bool {
        !text.isEmpty && text.unicodeScalars.allSatisfy {
            CharacterSet.alphanumerics.contains($0) || "-_.".unicodeScalars.contains($0)
        }
    }
}

/// Checks the references in a chapter's prose against the chapter, its Expected file and its
/// stored runs. An error is a reference that can never be filled in:
///
/// - it is malformed, or names a cell the chapter does not have or that never runs (`norun`);
/// - it names a metric that neither a stored run of the cell reported nor the Expected file
///   checks for that cell;
/// - a stored run with the chapter's own parameters finished the cell, and it did not report
///   the metric at that epoch (`@200` after 160 epochs).
///
/// A reference the shown run lacks for another reason (a smoke run with 5 epochs, a run that
/// stopped early) is not an error: the page shows a dash and says why.
public enum ProseReferences {
    /// Every reference in the chapter's prose, with its `.md` line, and the problem with it, if any.
    public static func check(_ chapter: Chapter, expectations: Expectations?, stored: [ResultStatus],
                             markdownPath: String) -> [RenderMessage] {
        let prose = ProtectedProse(chapter: chapter)
        return prose.tokens.compactMap { token -> RenderMessage? in
            guard case .reference(let text) = token.kind else { return nil }
            return problem(text, chapter: chapter, expectations: expectations, stored: stored)
                .map { RenderMessage(file: markdownPath, line: token.line, message: $0) }
        }
    }

    /// Why `{{text}}` cannot be filled in, or nil when it can.
    static func problem(_ text: String, chapter: Chapter, expectations: Expectations?, stored: [ResultStatus]) -> String? {
        guard let reference = ProseReference(parsing: text) else {
            return "malformed reference {{\(text)}}: write {{cell.metric@EPOCH}} or {{cell.metric@final}}"
        }
        guard let cell = chapter.cells.first(where: { $0.id == reference.cell }) else {
            let names = chapter.runnableCells.map(\.id).joined(separator: ", ")
            return "unknown reference \(reference.text): the chapter has no cell '\(reference.cell)' (its cells: \(names))"
        }
        if cell.attributes.norun {
            return "unknown reference \(reference.text): cell '\(cell.id)' is norun, so it never reports figures"
        }
        let runs = stored.compactMap(\.entry).compactMap { entry -> (CachedResult, CellResult)? in
            guard let result = entry.report.result?.cells.first(where: { $0.id == cell.id }) else { return nil }
            return (entry, result)
        }
        let reported = Set(runs.flatMap { $0.1.metrics.map(\.name) })
        let checked = Set((expectations?.profiles.values.compactMap { $0.cells[cell.id] } ?? []).joined().compactMap { check -> String? in
            if case .metric(let metric) = check { return metric.name }
            return nil
        })
        guard reported.contains(reference.metric) || checked.contains(reference.metric) else {
            let known = reported.union(checked).sorted()
            return "unknown reference \(reference.text): cell '\(cell.id)' reports no metric '\(reference.metric)'"
                + (known.isEmpty ? " (no stored run or Expected check names any metric of it)" : " (it reports: \(known.joined(separator: ", ")))")
        }
        guard case .epoch(let epoch) = reference.point else { return nil }
        // A finished run with the chapter's own settings says exactly which epochs exist.
        for (entry, result) in runs where entry.inputs.parameters.isEmpty && result.status == .passed {
            let epochs = result.metrics.filter { $0.name == reference.metric }.compactMap(\.epoch)
            guard !epochs.isEmpty, !epochs.contains(epoch) else { continue }
            return "unknown reference \(reference.text): cell '\(cell.id)' reported \(reference.metric) at epochs "
                + "\(epochs.min()!)–\(epochs.max()!) in its last run with the chapter's own parameters, not at \(epoch)"
        }
        return nil
    }
}

/// A measured figure as prose quotes it: whole numbers above 1000, one decimal above 100, two
/// above 10, and below that the digits reports judge on (`1.0036`, `1.503`, `0.0123`).
public func proseFigure(_ value: Double) -> String {
    guard value.isFinite else { return formatFigure(value) }
    let magnitude = abs(value)
    if magnitude >= 1000 { return String(Int(value.rounded())) }
    if magnitude >= 100 { return trimmed(String(format: "%.1f", value)) }
    if magnitude >= 10 { return trimmed(String(format: "%.2f", value)) }
    return formatFigure(value)
}

private func trimmed(_ text: String) -> String {
    guard text.contains(".") else { return text }
    var text = text
    while text.hasSuffix("0") { text.removeLast() }
    if text.hasSuffix(".") { text.removeLast() }
    return text
}
