import Foundation

/// Elementwise functions of one tensor, each forward loop followed by its gradient loop,
/// written in terms of the input x or the output y, whichever is cheaper.

extension Tensor {
    enum UnaryOp { case sigmoid, tanh, relu, exp, log, square, sqrt, reciprocal }

    func unary(_ op: UnaryOp) -> Tensor {
        var out = data
        out.withUnsafeMutableBufferPointer { y in
            switch op {
            case .sigmoid: for i in 0..<y.count { y[i] = 1 / (1 + Foundation.exp(-y[i])) }
            case .tanh: for i in 0..<y.count { y[i] = Foundation.tanh(y[i]) }
            case .relu: for i in 0..<y.count { y[i] = Swift.max(y[i], 0) }
            case .exp: for i in 0..<y.count { y[i] = Foundation.exp(y[i]) }
            case .log: for i in 0..<y.count { y[i] = Foundation.log(y[i]) }
            case .square: for i in 0..<y.count { y[i] = y[i] * y[i] }
            case .sqrt: for i in 0..<y.count { y[i] = y[i].squareRoot() }
            case .reciprocal: for i in 0..<y.count { y[i] = 1 / y[i] }
            }
        }
        return Tensor.record(shape, out, inputs: [self]) { result in
            result.grad!.data.withUnsafeBufferPointer { g in
                result.data.withUnsafeBufferPointer { y in
                    self.data.withUnsafeBufferPointer { x in
                        self.accumulateGrad { d in
                            switch op {
                            case .sigmoid: for i in 0..<d.count { d[i] += g[i] * y[i] * (1 - y[i]) }
                            case .tanh: for i in 0..<d.count { d[i] += g[i] * (1 - y[i] * y[i]) }
                            case .relu: for i in 0..<d.count where x[i] > 0 { d[i] += g[i] }  // 0 at the kink, as in PyTorch
                            case .exp: for i in 0..<d.count { d[i] += g[i] * y[i] }
                            case .log: for i in 0..<d.count { d[i] += g[i] / x[i] }
                            case .square: for i in 0..<d.count { d[i] += g[i] * 2 * x[i] }
                            case .sqrt: for i in 0..<d.count { d[i] += g[i] * 0.5 / y[i] }
                            case .reciprocal: for i in 0..<d.count { d[i] -= g[i] * y[i] * y[i] }
                            }
                        }
                    }
                }
            }
        }
    }

    /// σ(x) = 1 / (1 + e^(−x)); σ' = y(1 − y).
    public func sigmoid() -> Tensor { unary(.sigmoid) }
    /// tanh' = 1 − y².
    public func tanh() -> Tensor { unary(.tanh) }
    /// max(x, 0).
    public func relu() -> Tensor { unary(.relu) }
    public func exp() -> Tensor { unary(.exp) }
    public func log() -> Tensor { unary(.log) }
    public func square() -> Tensor { unary(.square) }
    public func sqrt() -> Tensor { unary(.sqrt) }
    public func reciprocal() -> Tensor { unary(.reciprocal) }
}

/// Free-function forms, so equations read as on paper: `sigmoid(X.matmul(W_xz) + b_z)`.
public func sigmoid(_ x: Tensor) -> Tensor { x.sigmoid() }
public func tanh(_ x: Tensor) -> Tensor { x.tanh() }
public func relu(_ x: Tensor) -> Tensor { x.relu() }
public func exp(_ x: Tensor) -> Tensor { x.exp() }
public func log(_ x: Tensor) -> Tensor { x.log() }
