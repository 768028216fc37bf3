import Foundation
import Notebook

/// One cell as the page shows it: its code, what it printed in the shown run, a note when
/// that output is missing or out of date, its training curve and its checks. Everything that
/// comes from the run is escaped.
struct CellView {
    var cell: Cell
    var input: ChapterPageInput
    /// highlight.js's markup of the code, or nil to show it plain.
    var highlighted: String?

    var report: ChapterReport? { input.report }
    var result: CellResult? { report?.result?.cells.first { $0.id == cell.id } }

    func html() -> String {
        guard !cell.attributes.hidden else { return "" }
        let anchor = "cell-" + cell.id
        var html = "<section class=\"cell\(cell.attributes.norun ? " norun" : "")\" id=\"\(HTML.escape(anchor))\">"
        html += "<div class=\"cell-head\"><a class=\"cell-id\" href=\"#\(HTML.escape(anchor))\">\(HTML.escape(cell.id))</a>"
        html += badges() + "</div>"
        html += "<pre class=\"code\"><code class=\"language-swift hljs\">\(highlighted ?? HTML.escape(cell.code))</code></pre>"
        if cell.attributes.norun {
            return html + "</section>"
        }
        html += parameters()
        html += note()
        html += output()
        html += chart()
        html += ChecksTable.html(report?.outcomes.filter { $0.cell == cell.id } ?? [], profile: report?.profile)
        return html + "</section>"
    }

    private func badges() -> String {
        var badges: [(String, String)] = []
        if cell.attributes.norun { badges.append(("norun", "not run")) }
        if cell.attributes.parameters { badges.append(("parameters", "parameters")) }
        if let exercise = cell.attributes.exercise { badges.append(("exercise", "exercise " + exercise)) }
        if let result, !cell.attributes.norun {
            switch result.status {
            case .passed: badges.append(("ran", String(format: "%.1f s", result.seconds)))
            case .failed: badges.append(("failed", "failed"))
            case .skipped, .notRun: break
            }
        }
        return badges.map { "<span class=\"badge \($0.0)\">\(HTML.escape($0.1))</span>" }.joined()
    }

    /// Why the output below is missing or may be out of date, if it is.
    private func note() -> String {
        func note(_ kind: String, _ text: String) -> String { "<p class=\"note \(kind)\">\(HTML.escape(text))</p>" }
        switch input.shown {
        case .never:
            return "<p class=\"note never\">not run yet: <code>lessons run \(HTML.escape(input.chapter.id))</code> "
                + "or <code>lessons render --execute</code> fills this in</p>"
        case .stale(let changed, let entry):
            var text = "stale: \(changed.joined(separator: ", ")) changed since this output was recorded (\(ResultWords.date(entry.savedAt)))"
            if result == nil { text = "stale: this cell is not in the stored run (\(changed.joined(separator: ", ")) changed)" }
            return note("stale", text) + failureNote()
        case .current:
            if result == nil { return note("never", "not in the stored run") }
            return failureNote()
        }
    }

    private func failureNote() -> String {
        guard let result else { return "" }
        let failure = report?.failure
        switch result.status {
        case .notRun:
            let why = failure.map { ": the run stopped (\($0.headline))" } ?? ""
            return "<p class=\"note failed\">\(HTML.escape("did not run" + why))</p>"
        case .failed:
            guard let failure else { return "" }
            return "<div class=\"note failed\"><p>\(HTML.escape(failure.headline + (failure.location.map { " at \($0)" } ?? "")))</p>"
                + "<pre>\(HTML.escape(failure.message))</pre></div>"
        case .passed, .skipped:
            return ""
        }
    }

    private func output() -> String {
        guard let result, !(result.stdout.isEmpty && result.stderr.isEmpty) else { return "" }
        var html = "<div class=\"output\">"
        if !result.stdout.isEmpty { html += "<pre class=\"stdout\">\(HTML.escape(trimmedNewline(result.stdout)))</pre>" }
        if !result.stderr.isEmpty {
            html += "<pre class=\"stderr\" title=\"standard error\">\(HTML.escape(trimmedNewline(result.stderr)))</pre>"
        }
        return html + "</div>"
    }

    /// The values this cell's parameters had in the shown run, overrides marked.
    private func parameters() -> String {
        guard cell.attributes.parameters, let report else { return "" }
        let declared = Tangler.parameters(of: input.chapter).filter { $0.cell == cell.id }
        guard !declared.isEmpty else { return "" }
        var html = "<table class=\"parameters\"><caption>Values in the shown run</caption><tbody>"
        for parameter in declared {
            let used = report.parameters[parameter.name]
            let overridden = used != nil && used != parameter.defaultLiteral
            html += "<tr\(overridden ? " class=\"overridden\"" : "")><th scope=\"row\"><code>\(HTML.escape(parameter.name))</code></th>"
            html += "<td><code>\(HTML.escape(used ?? parameter.defaultLiteral))</code></td>"
            html += "<td>\(overridden ? "overridden (the chapter says <code>\(HTML.escape(parameter.defaultLiteral))</code>)" : "as written")</td></tr>"
        }
        return html + "</tbody></table>"
    }

    /// The perplexity curve, when the cell reported perplexity per epoch.
    private func chart() -> String {
        let metric = "perplexity"
        func curve(_ cellResult: CellResult?) -> [(epoch: Int, value: Double)] {
            (cellResult?.metrics ?? []).compactMap { m in m.name == metric ? m.epoch.map { ($0, m.value) } : nil }
        }
        let points = curve(result)
        guard !points.isEmpty, let report else { return "" }
        var series = [CurveChart.Series(label: "this run (\(ResultWords.settings(report)))", points: points, primary: true)]
        for other in input.others {
            guard let entry = other.entry,
                  let otherPoints = entry.report.result?.cells.first(where: { $0.id == cell.id }).map(curve),
                  !otherPoints.isEmpty else { continue }
            series.append(CurveChart.Series(label: "another stored run (\(ResultWords.settings(entry.report))\(other.isStale ? ", stale" : ""))",
                                            points: otherPoints, primary: false))
        }
        let lastEpoch = points.map(\.epoch).max() ?? 0
        var bands: [CurveChart.Band] = []
        var sources: [CurveChart.SourceFigure] = []
        for outcome in report.outcomes where outcome.cell == cell.id && outcome.metric == metric {
            guard let epoch = outcome.epoch ?? (outcome.final == true ? lastEpoch : nil) else { continue }
            if let min = outcome.min, let max = outcome.max {
                bands.append(CurveChart.Band(epoch: epoch, min: min, max: max,
                                             label: "expected at epoch \(epoch): \(formatFigure(min)) – \(formatFigure(max))"))
            }
            if let source = outcome.source { sources.append(CurveChart.SourceFigure(epoch: epoch, value: source)) }
        }
        let chart = CurveChart(title: "\(metric) of \(cell.id) per epoch", metric: metric,
                               series: series, bands: bands, sources: sources)
        var legend = ["<span class=\"key primary\">this run</span>"]
        if series.count > 1 { legend.append("<span class=\"key other\">other stored runs</span>") }
        if !bands.isEmpty { legend.append("<span class=\"key expected\">expected range</span>") }
        if !sources.isEmpty { legend.append("<span class=\"key source\">the source's figure</span>") }
        return "<figure class=\"chart\">" + chart.svg()
            + "<figcaption>Perplexity of <code>\(HTML.escape(cell.id))</code> per epoch, log scale: "
            + legend.joined(separator: " ") + "</figcaption></figure>"
    }

    private func trimmedNewline(_ text: String) -> String {
        text.hasSuffix("\n") ? String(text.dropLast()) : text
    }
}
