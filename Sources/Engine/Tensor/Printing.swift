import Foundation

extension Tensor: CustomStringConvertible {
    /// Small tensors print their values; large ones their shape and a few statistics.
    public var description: String {
        if count > 64 {
            let mean = data.reduce(0, +) / Float(max(count, 1))
            return "Tensor(shape: \(shape), mean: \(format(mean)))"
        }
        switch rank {
        case 0: return format(data[0])
        case 1: return "[" + data.map(format).joined(separator: ", ") + "]"
        case 2: return "[" + rows.map { "[" + $0.map(format).joined(separator: ", ") + "]" }.joined(separator: ",\n ") + "]"
        default: return "Tensor(shape: \(shape), values: \(data.map(format)))"
        }
    }

    private func format(_ x: Float) -> String { String(format: "%.4g", Double(x)) }
}
