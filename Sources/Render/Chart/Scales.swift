import Foundation

/// A logarithmic axis: values in `domain` mapped onto `range` (pixels, top to bottom for y).
struct LogScale {
    var lower: Double
    var upper: Double
    /// Pixel positions of `lower` and `upper`.
    var from: Double
    var to: Double

    /// The domain around `values`, widened by a few per cent on either side (in log space) so
    /// that no point sits on the frame; a single value gets a span of its own.
    init(covering values: [Double], from: Double, to: Double) {
        let positive = values.filter { $0 > 0 && $0.isFinite }
        var low = log10(positive.min() ?? 1), high = log10(positive.max() ?? 10)
        if high - low < 0.02 { low -= 0.01; high += 0.01 }
        let pad = (high - low) * 0.06
        lower = pow(10, low - pad)
        upper = pow(10, high + pad)
        self.from = from
        self.to = to
    }

    func position(_ value: Double) -> Double {
        let t = (log10(value) - log10(lower)) / (log10(upper) - log10(lower))
        return from + t * (to - from)
    }

    /// Tick values: the coarsest of a series of ever finer mantissa sets (1; 1, 3; 1, 2, 5;
    /// …) that gives at least four ticks inside the domain, and never more than a dozen.
    func ticks() -> [Double] {
        let mantissaSets: [[Double]] = [[1], [1, 3], [1, 2, 5], [1, 1.5, 2, 3, 5, 7],
                                        [1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 7, 8, 9],
                                        [1, 1.02, 1.05, 1.1, 1.2, 1.5, 2, 3, 5, 7]]
        var best: [Double] = []
        for mantissas in mantissaSets {
            var ticks: [Double] = []
            for exponent in Int(floor(log10(lower)))...Int(ceil(log10(upper))) {
                for m in mantissas {
                    let value = m * pow(10, Double(exponent))
                    if value >= lower && value <= upper { ticks.append(value) }
                }
            }
            if ticks.count > 12 { break }
            best = ticks
            if ticks.count >= 4 { break }
        }
        return best
    }
}

/// A linear axis of whole epochs.
struct EpochScale {
    var lower: Double
    var upper: Double
    var from: Double
    var to: Double

    init(epochs: [Int], from: Double, to: Double) {
        let low = Double(epochs.min() ?? 0), high = Double(epochs.max() ?? 1)
        lower = high - low < 1 ? low - 1 : min(low, 0)
        // A little room on the right, so that a range drawn at the last epoch is not cut off.
        upper = high - low < 1 ? high + 1 : high + max(0.5, (high - min(low, 0)) * 0.025)
        self.from = from
        self.to = to
    }

    func position(_ epoch: Double) -> Double {
        from + (epoch - lower) / (upper - lower) * (to - from)
    }

    /// Round epochs, 1, 2 or 5 times a power of ten apart, at most nine of them.
    func ticks() -> [Int] {
        let span = upper - lower
        var step = 1.0
        search: for exponent in 0...6 {
            for m in [1.0, 2.0, 5.0] {
                step = m * pow(10, Double(exponent))
                if span / step < 9 { break search }
            }
        }
        let first = Int(ceil(lower / step) * step)
        return stride(from: first, through: Int(upper), by: Int(step)).map { $0 }
    }
}

/// A tick label: `1.05`, `20`, `1000` — no more digits than the tick has.
func tickLabel(_ value: Double) -> String {
    if value >= 1000 { return String(Int(value.rounded())) }
    var text = String(format: "%.3f", value)
    while text.hasSuffix("0") { text.removeLast() }
    if text.hasSuffix(".") { text.removeLast() }
    return text
}
