// Recomputes the untruncated gradient on the same secret parameters and minibatches, and the
// truncated one too, to tell a student whose gradient stops at the boundaries.
let corpus = try Corpus.jayChouLyrics()
let vocabSize = corpus.vocab.count, hiddenSize = 256
var generator = RandomGenerator(seed: Grading.secret)
func smallRandom(_ shape: [Int]) -> Tensor { Tensor.normal(shape, mean: 0, std: 0.01, requiresGrad: true, using: &generator) }
let parameters = [smallRandom([vocabSize, hiddenSize]), smallRandom([hiddenSize, hiddenSize]),
                  Tensor.zeros([hiddenSize], requiresGrad: true),
                  smallRandom([hiddenSize, vocabSize]), Tensor.zeros([vocabSize], requiresGrad: true)]
parameters[1].data = (0..<parameters[1].count).map { _ in 1.5 / Float(hiddenSize).squareRoot() * generator.nextNormal() }
let count = 2 + Int(generator.next() % 3)
let offset = Int(generator.next() % 2000)
let batches = Array(consecutiveBatches(corpus: Array(corpus.indices[offset...]), batchSize: 8, steps: 20).prefix(count))

func forward(_ x: [Tensor], _ state: Tensor) -> (Tensor, Tensor) {
    var h = state
    var states: [Tensor] = []
    for input in x {
        h = tanh(input.matmul(parameters[0]) + h.matmul(parameters[1]) + parameters[2])
        states.append(h)
    }
    return (concat(states).matmul(parameters[3]) + parameters[4], h)
}

/// The mean loss over all minibatches, and its gradients; `detached` cuts the state at each boundary.
func gradient(detached: Bool) -> (loss: Double, grads: [Tensor]) {
    var state = Tensor.zeros([8, hiddenSize])
    var logits: [Tensor] = [], targets: [Int] = []
    for batch in batches {
        let (batchLogits, newState) = forward(oneHot(batch.inputs, vocabSize), detached ? state.detach() : state)
        state = newState
        logits.append(batchLogits)
        targets += timeMajor(batch.targets)
    }
    let loss = softmaxCrossEntropy(concat(logits), targets)
    zeroGrad(parameters)
    loss.backward()
    return (Double(loss.item), parameters.map { Tensor(shape: $0.grad!.shape, data: $0.grad!.data) })
}
let truncated = gradient(detached: true)
let full = gradient(detached: false)
let norm = full.grads.map { $0.data.map { Double($0 * $0) }.reduce(0, +) }.reduce(0, +).squareRoot()

let loss = Grading.number("loss")
Grading.measure("loss", abs(loss - full.loss) / full.loss, String(format: "your loss %.5f", loss))

func largestGap(_ prefix: String, _ reference: [Tensor]) -> Double {
    reference.indices.map { Grading.relativeDifference(Grading.artifact["\(prefix).\($0)"], reference[$0]) }.max()!
}
let gap = largestGap("gradient", full.grads)
let truncatedGap = largestGap("gradient", truncated.grads)
let untruncatedVsTruncated = zip(full.grads, truncated.grads).map { Grading.relativeDifference($0, $1) }.max()!
var note = String(format: "on these inputs the untruncated and truncated gradients differ by %.2g", untruncatedVsTruncated)
if truncatedGap < gap { note = "your gradients match the truncated (detached) ones: the state must carry its graph from minibatch to minibatch" }
if Grading.artifact["gradient.0"] == nil { note = "no gradient reached the parameters" }
Grading.measure("gradient", gap, note)

let theirNorm = Grading.number("norm")
Grading.measure("norm", abs(theirNorm - norm) / norm, String(format: "your norm %.5g", theirNorm))
let scale = min(1, 0.01 / norm)
let clipped = full.grads.map { Tensor(shape: $0.shape, data: $0.data.map { $0 * Float(scale) }) }
Grading.measure("clipped", largestGap("clipped", clipped), "the gradients after clipping to norm 0.01")
