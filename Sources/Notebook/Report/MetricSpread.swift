import Foundation

/// How one metric check's measured value varied across `lessons run --repeat K` (seeds
/// seed, seed+1, …): the figures to size an Expected range from.
public struct MetricSpread: Codable, Equatable, Sendable {
    public var chapterID: String
    public var cell: String
    public var title: String
    /// Finite measured values, in seed order.
    public var values: [Double]
    /// Runs where the value was missing, NaN or infinite.
    public var missing: Int
    public var min: Double?
    public var max: Double?
    /// The range currently expected, for comparison.
    public var expectedMin: Double?
    public var expectedMax: Double?

    public var mean: Double? { values.isEmpty ? nil : values.reduce(0, +) / Double(values.count) }

    /// Groups the metric outcomes of several runs of the same chapters by chapter, cell and title.
    public static func collect(_ reports: [ChapterReport]) -> [MetricSpread] {
        var spreads: [MetricSpread] = []
        var index: [String: Int] = [:]
        for report in reports {
            for outcome in report.outcomes where outcome.kind == .metric {
                let key = "\(report.chapterID)\u{0}\(outcome.cell)\u{0}\(outcome.title)"
                if index[key] == nil {
                    index[key] = spreads.count
                    spreads.append(MetricSpread(chapterID: report.chapterID, cell: outcome.cell, title: outcome.title,
                                                values: [], missing: 0, expectedMin: outcome.min,
                                                expectedMax: outcome.max))
                }
                let i = index[key]!
                if let value = outcome.measured, value.isFinite {
                    spreads[i].values.append(value)
                    spreads[i].min = Swift.min(spreads[i].min ?? value, value)
                    spreads[i].max = Swift.max(spreads[i].max ?? value, value)
                } else {
                    spreads[i].missing += 1
                }
            }
        }
        return spreads
    }

    /// A table for people, one line per metric check:
    /// `12-gru  train  perplexity at epoch 40   min 148.2  mean 149.1  max 150.3   expected [140, 160]`.
    public static func render(_ spreads: [MetricSpread], runs: Int, style: TerminalStyle = .plain) -> String {
        guard !spreads.isEmpty else { return "No metric checks to compare across the \(runs) runs.\n" }
        let nameWidth = spreads.map { "\($0.chapterID)  \($0.cell)  \($0.title)".count }.max() ?? 0
        let figures = spreads.map { [$0.min, $0.mean, $0.max].map { $0.map(formatFigure) ?? "—" } }
        let figureWidth = figures.joined().map(\.count).max() ?? 0
        var lines = [style.bold("Spread over \(runs) runs (seeds in order):")]
        for (spread, figures) in zip(spreads, figures) {
            let name = padded("\(spread.chapterID)  \(spread.cell)  \(spread.title)", to: nameWidth)
            let columns = zip(["min", "mean", "max"], figures).map { label, figure in
                label + " " + String(repeating: " ", count: figureWidth - figure.count) + figure
            }
            var line = "  \(name)  " + columns.joined(separator: "  ")
            if let low = spread.expectedMin, let high = spread.expectedMax {
                line += "  " + style.dim("expected [\(formatFigure(low)), \(formatFigure(high))]")
            }
            if spread.missing > 0 { line += "  " + style.red("\(spread.missing) run(s) missing or non-finite") }
            lines.append(line)
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
