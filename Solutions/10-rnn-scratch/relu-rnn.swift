/// The RNN of `rnnForward`, with ReLU instead of tanh.
func reluRNNForward(_ inputs: [Tensor], _ state: [Tensor], _ p: RNNParameters) -> (Tensor, [Tensor]) {
    var h = state[0]
    var states: [Tensor] = []
    for x in inputs {
        h = relu(x.matmul(p.inputWeights) + h.matmul(p.recurrentWeights) + p.hiddenBias)
        states.append(h)
    }
    return (concat(states).matmul(p.outputWeights) + p.outputBias, [h])
}
