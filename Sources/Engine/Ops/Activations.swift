import Foundation

/// Elementwise functions of one tensor; each gradient rule is written in terms of the input x
/// and the output y, whichever is cheaper.

extension Tensor {
    @inline(__always)
    func unaryOp(_ forward: (Float) -> Float, derivative: @escaping (_ x: Float, _ y: Float) -> Float) -> Tensor {
        var out = data
        out.withUnsafeMutableBufferPointer { o in for i in 0..<o.count { o[i] = forward(o[i]) } }
        return Tensor.record(shape, out, inputs: [self]) { result in
            let g = result.grad!.data, y = result.data
            self.data.withUnsafeBufferPointer { x in
                self.accumulateGrad { d in for i in 0..<d.count { d[i] += g[i] * derivative(x[i], y[i]) } }
            }
        }
    }

    /// σ(x) = 1 / (1 + e^(−x)); σ' = y(1 − y).
    public func sigmoid() -> Tensor {
        unaryOp({ 1 / (1 + Foundation.exp(-$0)) }, derivative: { _, y in y * (1 - y) })
    }

    /// tanh' = 1 − y².
    public func tanh() -> Tensor {
        unaryOp({ Foundation.tanh($0) }, derivative: { _, y in 1 - y * y })
    }

    /// max(x, 0); the gradient at 0 is taken as 0, as in PyTorch.
    public func relu() -> Tensor {
        unaryOp({ Swift.max($0, 0) }, derivative: { x, _ in x > 0 ? 1 : 0 })
    }

    public func exp() -> Tensor {
        unaryOp({ Foundation.exp($0) }, derivative: { _, y in y })
    }

    public func log() -> Tensor {
        unaryOp({ Foundation.log($0) }, derivative: { x, _ in 1 / x })
    }

    public func square() -> Tensor {
        unaryOp({ $0 * $0 }, derivative: { x, _ in 2 * x })
    }

    public func sqrt() -> Tensor {
        unaryOp({ $0.squareRoot() }, derivative: { _, y in 0.5 / y })
    }

    public func reciprocal() -> Tensor {
        unaryOp({ 1 / $0 }, derivative: { _, y in -y * y })
    }
}

/// Free-function forms, so equations read as on paper: `sigmoid(X.matmul(W_xz) + b_z)`.
public func sigmoid(_ x: Tensor) -> Tensor { x.sigmoid() }
public func tanh(_ x: Tensor) -> Tensor { x.tanh() }
public func relu(_ x: Tensor) -> Tensor { x.relu() }
public func exp(_ x: Tensor) -> Tensor { x.exp() }
public func log(_ x: Tensor) -> Tensor { x.log() }
