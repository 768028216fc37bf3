// Checks deepRNNForward on the secret inputs, then measures the trained parameters with the
// grader's own two-layer recurrence on text the chapter never trains on.
func forward(_ inputs: [Tensor], _ state: [Tensor], _ p: [Tensor]) -> (Tensor, [Tensor]) {
    var (below, above) = (state[0], state[1])
    var tops: [Tensor] = []
    for x in inputs {
        below = tanh(x.matmul(p[0]) + below.matmul(p[1]) + p[2])
        above = tanh(below.matmul(p[3]) + above.matmul(p[4]) + p[5])
        tops.append(above)
    }
    return (concat(tops).matmul(p[6]) + p[7], [below, above])
}

var generator = RandomGenerator(seed: Grading.secret)
let vocab = 5 + Int(generator.next() % 6), hidden = 3 + Int(generator.next() % 4)
let steps = 2 + Int(generator.next() % 4), batch = 2 + Int(generator.next() % 3)
let shapes = [[vocab, hidden], [hidden, hidden], [hidden], [hidden, hidden], [hidden, hidden], [hidden], [hidden, vocab], [vocab]]
let parameters = shapes.map { shape in Tensor((0..<shape.reduce(1, *)).map { _ in generator.nextNormal() }, shape: shape, requiresGrad: true) }
let tokens = (0..<batch).map { _ in (0..<steps).map { _ in Int(generator.next() % UInt64(vocab)) } }
let start = (0..<2).map { _ in Tensor((0..<(batch * hidden)).map { _ in generator.nextNormal() }, shape: [batch, hidden]) }
let weights = (0..<(steps * batch * vocab)).map { _ in generator.nextNormal() }
let (logits, state) = forward(oneHot(tokens, vocab), start, parameters)
(logits * Tensor(weights, shape: logits.shape)).sum().backward()

let theirLogits = Grading.tensor("logits")
let stateGap = (0..<2).map { Grading.relativeDifference(Grading.artifact["state.\($0)"], state[$0]) }.max()!
Grading.measure("forward", max(Grading.relativeDifference(theirLogits, logits), stateGap),
                Grading.describeDifference(theirLogits, logits, what: "the logits (T·n, V)")
                + (stateGap > 1e-4 ? "; the final [H1, H2] differ" : ""))
let gradientGap = parameters.indices.map { Grading.relativeDifference(Grading.artifact["gradient.\($0)"], parameters[$0].grad!) }.max()!
Grading.measure("gradients", gradientGap, Grading.artifact["gradient.0"] == nil
    ? "no gradient reached the parameters: build the result from Engine's operations" : "the largest over the eight parameters")

// The trained parameters, on characters 10,000-30,000 of the book.
let book = try Corpus.timeMachine(maxTokens: nil)
let trained = Grading.artifact.tensors(prefix: "trained")
let vocabSize = book.vocab.count
guard trained.count == 8, let width = trained[1].shape.first, width <= 256,
      trained.map(\.shape) == [[vocabSize, width], [width, width], [width], [width, width], [width, width], [width], [width, vocabSize], [vocabSize]] else {
    Grading.measure("perplexity", .infinity, "deepRNNParameters does not have the contract's eight shapes (hidden size at most 256)")
    exit(0)
}
let heldOut = Array(book.indices[10_000..<30_000])
let perplexity: Double = withNoGrad {
    var carried = [Tensor.zeros([32, width]), Tensor.zeros([32, width])]
    var lossSum = 0.0, count = 0
    for minibatch in consecutiveBatches(corpus: heldOut, batchSize: 32, steps: 35) {
        let (batchLogits, next) = forward(oneHot(minibatch.inputs, vocabSize), carried, trained)
        carried = next
        let targets = timeMajor(minibatch.targets)
        lossSum += Double(softmaxCrossEntropy(batchLogits, targets).item) * Double(targets.count)
        count += targets.count
    }
    return exp(lossSum / Double(count))
}
Grading.measure("perplexity", perplexity.isNaN ? .infinity : perplexity, "measured by the grader with its own recurrence on 20,000 held-out characters")
