import Foundation

/// A training curve as inline SVG, drawn here rather than by a script: perplexity per epoch
/// on a log scale, the Expected ranges as whiskers over translucent bands, the source
/// document's figures as diamonds, one line per stored run. Every mark has a `<title>`, which
/// browsers show as a tooltip. Colours come from the page's stylesheet (classes, CSS
/// variables), so they follow dark mode and print; runs differ by dash pattern as well.
struct CurveChart {
    struct Series {
        var label: String
        var points: [(epoch: Int, value: Double)]
        /// The run the page shows; other runs are drawn dashed, without point marks.
        var primary: Bool
    }

    struct Band {
        var epoch: Int
        var min: Double
        var max: Double
        var label: String
    }

    struct SourceFigure {
        var epoch: Int
        var value: Double
    }

    var title: String
    var metric: String
    var series: [Series]
    var bands: [Band] = []
    var sources: [SourceFigure] = []

    static let width = 640.0, height = 300.0
    static let left = 58.0, right = 14.0, top = 12.0, bottom = 42.0

    func svg() -> String {
        let plotLeft = Self.left, plotRight = Self.width - Self.right
        let plotTop = Self.top, plotBottom = Self.height - Self.bottom
        let values = series.flatMap { $0.points.map(\.value) } + bands.flatMap { [$0.min, $0.max] } + sources.map(\.value)
        let epochs = series.flatMap { $0.points.map(\.epoch) } + bands.map(\.epoch) + sources.map(\.epoch)
        let y = LogScale(covering: values, from: plotBottom, to: plotTop)
        let x = EpochScale(epochs: epochs, from: plotLeft, to: plotRight)
        func px(_ value: Double) -> String { String(format: "%.1f", value) }

        var svg = "<svg class=\"curve\" viewBox=\"0 0 \(Int(Self.width)) \(Int(Self.height))\" role=\"img\" "
            + "xmlns=\"http://www.w3.org/2000/svg\"><title>\(HTML.escape(title))</title>"
        // Grid and axes.
        svg += "<g class=\"grid\">"
        for tick in y.ticks() {
            let py = px(y.position(tick))
            svg += "<line x1=\"\(px(plotLeft))\" x2=\"\(px(plotRight))\" y1=\"\(py)\" y2=\"\(py)\"/>"
        }
        svg += "</g><g class=\"axis\">"
        svg += "<line x1=\"\(px(plotLeft))\" x2=\"\(px(plotLeft))\" y1=\"\(px(plotTop))\" y2=\"\(px(plotBottom))\"/>"
        svg += "<line x1=\"\(px(plotLeft))\" x2=\"\(px(plotRight))\" y1=\"\(px(plotBottom))\" y2=\"\(px(plotBottom))\"/>"
        for tick in y.ticks() {
            let py = y.position(tick)
            svg += "<line x1=\"\(px(plotLeft - 4))\" x2=\"\(px(plotLeft))\" y1=\"\(px(py))\" y2=\"\(px(py))\"/>"
            svg += "<text class=\"tick\" x=\"\(px(plotLeft - 7))\" y=\"\(px(py + 4))\" text-anchor=\"end\">\(tickLabel(tick))</text>"
        }
        for tick in x.ticks() {
            let position = x.position(Double(tick))
            svg += "<line x1=\"\(px(position))\" x2=\"\(px(position))\" y1=\"\(px(plotBottom))\" y2=\"\(px(plotBottom + 4))\"/>"
            svg += "<text class=\"tick\" x=\"\(px(position))\" y=\"\(px(plotBottom + 17))\" text-anchor=\"middle\">\(tick)</text>"
        }
        svg += "<text class=\"label\" x=\"\(px((plotLeft + plotRight) / 2))\" y=\"\(px(Self.height - 6))\" text-anchor=\"middle\">epoch</text>"
        svg += "<text class=\"label y-label\" transform=\"rotate(-90)\" x=\"\(px(-(plotTop + plotBottom) / 2))\" y=\"14\" "
            + "text-anchor=\"middle\">\(HTML.escape(metric)) (log scale)</text></g>"

        // Expected ranges: a band and a whisker with caps at each checked epoch.
        if !bands.isEmpty {
            svg += "<g class=\"expected\">"
            for band in bands {
                let cx = x.position(Double(band.epoch))
                let (high, low) = (y.position(band.max), y.position(band.min))
                svg += "<g><title>\(HTML.escape(band.label))</title>"
                svg += "<rect class=\"band\" x=\"\(px(cx - 7))\" y=\"\(px(high))\" width=\"14\" height=\"\(px(max(1, low - high)))\"/>"
                svg += "<path class=\"whisker\" d=\"M\(px(cx - 5)) \(px(high))H\(px(cx + 5))M\(px(cx)) \(px(high))V\(px(low))M\(px(cx - 5)) \(px(low))H\(px(cx + 5))\"/></g>"
            }
            svg += "</g>"
        }

        // Runs: other runs first, so the shown one is drawn on top.
        for (index, run) in series.enumerated().sorted(by: { !$0.element.primary && $1.element.primary }) {
            let points = run.points.filter { $0.value > 0 && $0.value.isFinite }
            guard !points.isEmpty else { continue }
            let path = points.enumerated().map { i, point in
                (i == 0 ? "M" : "L") + px(x.position(Double(point.epoch))) + " " + px(y.position(point.value))
            }.joined()
            let kind = run.primary ? "run primary" : "run other other-\(index % 3)"
            svg += "<g class=\"\(kind)\"><title>\(HTML.escape(run.label))</title><path class=\"line\" d=\"\(path)\"/>"
            if run.primary {
                for point in points {
                    svg += "<circle class=\"pt\" cx=\"\(px(x.position(Double(point.epoch))))\" cy=\"\(px(y.position(point.value)))\" r=\"2.2\">"
                        + "<title>epoch \(point.epoch): \(HTML.escape(metric)) \(proseFigure(point.value))</title></circle>"
                }
            }
            svg += "</g>"
        }

        // The source's figures, on top of everything.
        if !sources.isEmpty {
            svg += "<g class=\"source\">"
            for figure in sources where figure.value > 0 {
                let (cx, cy) = (x.position(Double(figure.epoch)), y.position(figure.value))
                svg += "<path class=\"src\" d=\"M\(px(cx)) \(px(cy - 6))L\(px(cx + 6)) \(px(cy))L\(px(cx)) \(px(cy + 6))L\(px(cx - 6)) \(px(cy))Z\">"
                    + "<title>the source reports \(proseFigure(figure.value)) at epoch \(figure.epoch)</title></path>"
            }
            svg += "</g>"
        }
        return svg + "</svg>"
    }
}
