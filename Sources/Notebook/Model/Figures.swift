import Foundation

/// A figure as people read it: up to 4 significant decimals, `nan`, `inf`. A value just above a
/// whole number keeps two significant digits of its fraction (1.0000036, not 1), since
/// perplexities near 1 are judged on exactly those digits.
public func formatFigure(_ value: Double) -> String {
    if value.isNaN { return "nan" }
    if value.isInfinite { return value > 0 ? "inf" : "-inf" }
    if value == value.rounded() && abs(value) < 1e12 { return String(Int(value)) }
    let magnitude = abs(value)
    if magnitude < 0.001 { return String(format: "%.3g", value) }
    var digits = magnitude >= 100 ? 2 : magnitude >= 1 ? 3 : 4
    let fraction = magnitude - magnitude.rounded(.down)
    if magnitude >= 1 && fraction > 0 && fraction < 0.01 {
        digits = min(9, Int(-Foundation.log10(fraction).rounded(.down)) + 1)
    }
    var text = String(format: "%.\(digits)f", value)
    while text.hasSuffix("0") { text.removeLast() }
    if text.hasSuffix(".") { text.removeLast() }
    return text
}
