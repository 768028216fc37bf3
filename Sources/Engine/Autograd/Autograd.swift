/// Reverse-mode autograd: each op's result keeps its inputs and a closure with the local chain
/// rule; `backward()` runs those closures from the loss back to the leaves.

/// Whether ops record the tape. Off inside `withNoGrad` (prediction, optimizer updates).
enum GradMode {
    nonisolated(unsafe) static var isEnabled = true
    nonisolated(unsafe) static var visitCounter = 0
}

/// Runs `body` without recording gradients (PyTorch's `torch.no_grad()`).
public func withNoGrad<Result>(_ body: () throws -> Result) rethrows -> Result {
    let previous = GradMode.isEnabled
    GradMode.isEnabled = false
    defer { GradMode.isEnabled = previous }
    return try body()
}

/// The local chain rule of one op: reads `out.grad` and accumulates into the inputs' gradients.
/// `pass` is the backward pass running it, for rules that put work off to its end.
typealias BackwardRule = (_ out: Tensor, _ pass: BackwardPass) -> Void

extension Tensor {
    /// Wraps an op's output: when gradients are on and an input needs them, remembers the
    /// inputs and the rule that turns `out.grad` into their gradients.
    static func record(_ shape: [Int], _ data: [Float], inputs: [Tensor],
                       backward: @escaping BackwardRule) -> Tensor {
        let out = Tensor(shape: shape, data: data)
        if GradMode.isEnabled && inputs.contains(where: { $0.requiresGrad }) {
            out.requiresGrad = true
            out.parents = inputs
            out.backwardRule = backward
        }
        return out
    }

    /// The same, for the many rules that need nothing from the backward pass.
    static func record(_ shape: [Int], _ data: [Float], inputs: [Tensor],
                       backward: @escaping (_ out: Tensor) -> Void) -> Tensor {
        record(shape, data, inputs: inputs) { out, _ in backward(out) }
    }

    /// Adds `values` (one per element) into this tensor's gradient. The first contribution
    /// becomes the gradient as it is: no zero-filled buffer, no extra pass, no copy. Does
    /// nothing when the tensor does not require gradients.
    func accumulateGrad(_ values: [Float]) {
        guard requiresGrad else { return }
        guard grad != nil else { grad = Tensor(shape: shape, data: values); return }
        grad!.data.withUnsafeMutableBufferPointer { d in
            values.withUnsafeBufferPointer { v in for i in 0..<d.count { d[i] += v[i] } }
        }
    }

    /// Lets `body` add into this tensor's gradient in place (created as zeros first), for
    /// contributions that touch only some elements or come straight out of a loop or a product.
    /// Does nothing when the tensor does not require gradients.
    func accumulateGrad(_ body: (UnsafeMutableBufferPointer<Float>) -> Void) {
        guard requiresGrad else { return }
        if grad == nil { grad = Tensor.zeros(shape) }
        grad!.data.withUnsafeMutableBufferPointer { body($0) }
    }

    /// Computes the gradient of this scalar with respect to every tensor that led to it and
    /// requires gradients. Leaves (parameters) keep theirs in `grad`, adding to what is there;
    /// the graph is freed afterwards, as in PyTorch.
    public func backward() {
        precondition(count == 1, "backward() needs a scalar loss, shape is \(shape)")
        precondition(requiresGrad, "backward(): nothing that led to this value requires gradients")
        let order = topologicalOrder()
        let pass = BackwardPass()
        accumulateGrad { $0[0] += 1 }
        for node in order.reversed() {
            guard let rule = node.backwardRule else { continue }  // a leaf keeps its gradient
            if node.grad != nil { rule(node, pass) }
            // An intermediate result's gradient and inputs are not needed once its rule ran:
            // freeing them now keeps memory flat and leaves the inputs' gradients unshared.
            node.backwardRule = nil
            node.parents = []
            node.grad = nil
        }
        pass.finish()
    }

    /// Every tensor this one depends on through the tape, inputs before the ops that use them.
    /// Iterative depth-first search: an RNN unrolled over many steps would overflow a recursive one.
    private func topologicalOrder() -> [Tensor] {
        GradMode.visitCounter += 1
        let mark = GradMode.visitCounter
        var order: [Tensor] = []
        var stack: [(node: Tensor, expanded: Bool)] = [(self, false)]
        while let (node, expanded) = stack.popLast() {
            if expanded { order.append(node); continue }
            if node.visitMark == mark { continue }
            node.visitMark = mark
            stack.append((node, true))
            for parent in node.parents where parent.requiresGrad && parent.visitMark != mark {
                stack.append((parent, false))
            }
        }
        return order
    }

    /// The same values, cut from the tape: gradients stop here (PyTorch's `detach()`).
    public func detach() -> Tensor {
        let copy = Tensor(shape: shape, data: data)
        copy.oneHotIndices = oneHotIndices
        return copy
    }

    /// Forgets the accumulated gradient.
    public func zeroGrad() {
        grad = nil
    }
}

/// Forgets the gradients of `parameters` (before the next backward pass).
public func zeroGrad(_ parameters: [Tensor]) {
    for p in parameters { p.zeroGrad() }
}
