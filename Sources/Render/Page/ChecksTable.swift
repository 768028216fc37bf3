import Foundation
import Notebook

/// The checks of one cell as a compact table, from the same `CheckOutcome`s the terminal
/// report prints: check, measured, accepted range, the source's figure, verdict.
enum ChecksTable {
    static func html(_ outcomes: [CheckOutcome], profile: String?) -> String {
        guard !outcomes.isEmpty else { return "" }
        var html = "<table class=\"checks\"><caption>Checks" + (profile.map { " (\(HTML.escape($0)) profile)" } ?? "")
            + "</caption><thead><tr><th scope=\"col\">check</th><th scope=\"col\">measured</th>"
            + "<th scope=\"col\">expected</th><th scope=\"col\">source</th><th scope=\"col\"><span class=\"word\">verdict</span></th></tr></thead><tbody>"
        for outcome in outcomes {
            let (mark, word) = verdict(outcome.verdict)
            let check = outcome.kind == .metric ? outcome.title : outcome.kind == .matches ? "output matches" : "output"
            html += "<tr class=\"\(outcome.verdict.rawValue)\"><td>\(HTML.escape(check))</td>"
            html += "<td class=\"num\">\(outcome.measured.map { HTML.escape(formatFigure($0)) } ?? "—")</td>"
            html += "<td class=\"num\">\(HTML.escape(expected(outcome)))</td>"
            html += "<td class=\"num\">\(outcome.source.map { HTML.escape(formatFigure($0)) } ?? "—")</td>"
            html += "<td class=\"verdict\"><span aria-hidden=\"true\">\(mark)</span> <span class=\"word\">\(word)</span></td></tr>"
            if let message = outcome.message, outcome.verdict != .passed {
                html += "<tr class=\"message \(outcome.verdict.rawValue)\"><td colspan=\"5\">\(HTML.escape(message))</td></tr>"
            }
        }
        return html + "</tbody></table>"
    }

    static func verdict(_ verdict: CheckOutcome.Verdict) -> (String, String) {
        switch verdict {
        case .passed: return ("✓", "passed")
        case .failed: return ("✗", "failed")
        case .reported: return ("·", "reported")
        case .unjudged: return ("–", "not judged")
        }
    }

    /// `120 – 190`, the expected output in brief, or `—` for a figure that is only reported.
    private static func expected(_ outcome: CheckOutcome) -> String {
        if let min = outcome.min, let max = outcome.max { return "\(formatFigure(min)) – \(formatFigure(max))" }
        if outcome.kind != .metric, let expected = outcome.expected {
            let firstLine = expected.split(separator: "\n", omittingEmptySubsequences: false).first.map(String.init) ?? ""
            let short = firstLine.count > 40 ? String(firstLine.prefix(40)) + "…" : firstLine
            return outcome.kind == .matches ? "/\(short)/" : short + (expected.contains("\n") ? " …" : "")
        }
        return "—"
    }
}
