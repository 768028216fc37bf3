import Foundation

/// Elementwise functions of one tensor, each forward loop followed by its gradient loop,
/// written in terms of the input x or the output y, whichever is cheaper.

/// An elementwise function a matrix product applies to its result before storing it (oneDNN's
/// eltwise post-op, or a loop after the OpenBLAS product without oneDNN): a recurrent cell's gate
/// activations, computed on the product's output.
enum Activation: Hashable { case none, sigmoid, tanh, relu }

extension Tensor {
    enum UnaryOp { case sigmoid, tanh, relu, exp, log, square, sqrt, reciprocal }

    func unary(_ op: UnaryOp) -> Tensor {
        // y = f(x) written straight into a fresh array (not a copy of x changed in place: one
        // pass over memory instead of two)
        var out = uninitializedFloats(count)
        data.withUnsafeBufferPointer { x in
            out.withUnsafeMutableBufferPointer { y in
                guard let x = x.baseAddress, let y = y.baseAddress else { return }  // empty
                let n = count
                switch op {
                // σ and tanh cost some 40 instructions per 8 floats: a recurrent step's (B, H) =
                // (32, 256) gate takes about 10 µs on one core, so it is worth handing half to
                // the other (which is waiting between the step's products).
                case .sigmoid:
                    Parallel.forEachShare(of: n, grain: 1 << 12) { _, r in
                        sigmoidVector(x + r.lowerBound, into: y + r.lowerBound, count: r.count)
                    }
                case .tanh:
                    Parallel.forEachShare(of: n, grain: 1 << 12) { _, r in
                        tanhVector(x + r.lowerBound, into: y + r.lowerBound, count: r.count)
                    }
                case .relu: for i in 0..<n { y[i] = Swift.max(x[i], 0) }
                case .exp: for i in 0..<n { y[i] = Foundation.exp(x[i]) }
                case .log: for i in 0..<n { y[i] = Foundation.log(x[i]) }
                case .square: for i in 0..<n { y[i] = x[i] * x[i] }
                case .sqrt: for i in 0..<n { y[i] = x[i].squareRoot() }
                case .reciprocal: for i in 0..<n { y[i] = 1 / x[i] }
                }
            }
        }
        return Tensor.record(shape, out, inputs: [self]) { result in
            let (g, y, x) = (result.grad!.data, result.data, self.data)
            switch op {
            case .sigmoid: self.accumulateGrad(elementwise(g, y) { g, y in g * y * (1 - y) })
            case .tanh: self.accumulateGrad(elementwise(g, y) { g, y in g * (1 - y * y) })
            case .relu: self.accumulateGrad(elementwise(g, x) { g, x in x > 0 ? g : 0 })  // 0 at the kink, as in PyTorch
            case .exp: self.accumulateGrad(elementwise(g, y) { g, y in g * y })
            case .log: self.accumulateGrad(elementwise(g, x) { g, x in g / x })
            case .square: self.accumulateGrad(elementwise(g, x) { g, x in g * 2 * x })
            case .sqrt: self.accumulateGrad(elementwise(g, y) { g, y in g * 0.5 / y })
            case .reciprocal: self.accumulateGrad(elementwise(g, y) { g, y in -g * y * y })
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
