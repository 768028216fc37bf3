/// The loss over `batches` run as one sequence, backpropagated through every step.
func untruncatedGradient(_ parameters: [Tensor], _ batches: [Batch], clipTo theta: Float?) -> (loss: Float, norm: Float) {
    var state = zeroState(batches[0].batchSize)
    var logits: [Tensor] = []
    var targets: [Int] = []
    for batch in batches {
        let (batchLogits, newState) = rnnForward(oneHot(batch.inputs, vocabSize), state, parameters)
        state = newState                       // no detach(): the graph runs on into the next minibatch
        logits.append(batchLogits)
        targets += timeMajor(batch.targets)
    }
    let loss = softmaxCrossEntropy(concat(logits), targets)
    zeroGrad(parameters)
    loss.backward()
    let norm = globalGradientNorm(parameters)
    if let theta { clipByGlobalNorm(parameters, theta: theta) }
    return (loss.item, norm)
}
