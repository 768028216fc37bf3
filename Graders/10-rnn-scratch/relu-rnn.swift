// Recomputes the ReLU RNN on the inputs the harness drew from the secret, in the same order.
var generator = RandomGenerator(seed: Grading.secret)
let vocab = 6 + Int(generator.next() % 6), hidden = 3 + Int(generator.next() % 5)
let steps = 2 + Int(generator.next() % 4), batch = 2 + Int(generator.next() % 3)
let shapes = [[vocab, hidden], [hidden, hidden], [hidden], [hidden, vocab], [vocab]]
let parameters = shapes.map { shape in
    Tensor((0..<shape.reduce(1, *)).map { _ in generator.nextNormal() }, shape: shape, requiresGrad: true)
}
let tokens = (0..<batch).map { _ in (0..<steps).map { _ in Int(generator.next() % UInt64(vocab)) } }
let start = Tensor((0..<(batch * hidden)).map { _ in generator.nextNormal() }, shape: [batch, hidden])
let weights = (0..<(steps * batch * vocab)).map { _ in generator.nextNormal() }

var h = start
var states: [Tensor] = []
for x in oneHot(tokens, vocab) {
    h = relu(x.matmul(parameters[0]) + h.matmul(parameters[1]) + parameters[2])
    states.append(h)
}
let logits = concat(states).matmul(parameters[3]) + parameters[4]
(logits * Tensor(weights, shape: logits.shape)).sum().backward()

let theirLogits = Grading.tensor("logits")
Grading.measure("logits", Grading.relativeDifference(theirLogits, logits),
                Grading.describeDifference(theirLogits, logits, what: "the logits (T·n, V)"))
let theirState = Grading.artifact["state"]
Grading.measure("state", Grading.relativeDifference(theirState, h), Grading.describeDifference(theirState, h, what: "the final state"))

let names = ["W_xh", "W_hh", "b_h", "W_hq", "b_q"]
var worst = 0.0, worstNote = "every gradient matches"
for (i, parameter) in parameters.enumerated() {
    let theirs = Grading.artifact["gradient.\(i)"]
    let gap = Grading.relativeDifference(theirs, parameter.grad!)
    if gap > worst || (gap.isInfinite && worst.isFinite) {
        worst = gap
        worstNote = theirs == nil ? "no gradient reached \(names[i]): build the result from Engine's operations"
                                  : Grading.describeDifference(theirs, parameter.grad!, what: "the gradient of \(names[i])")
    }
}
Grading.measure("gradients", worst, worstNote)
