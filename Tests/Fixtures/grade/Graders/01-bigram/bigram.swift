// Measures the submitted bigram logits on fresh text from the chain, drawn from the run's secret.
func chainText(length: Int, seed: UInt64) -> [Int] {
    var generator = RandomGenerator(seed: seed)
    var text = [0]
    while text.count < length {
        let u = generator.nextUniform()
        text.append((2 * text.last! + (u < 0.7 ? 0 : u < 0.9 ? 1 : 2)) % 6)
    }
    return text
}

let logits = Grading.tensor("logits")
guard logits.shape == [6, 6] else {
    Grading.measure("perplexity", .infinity, "the logits have shape \(logits.shape) where [6, 6] was expected")
    Grading.measure("rows", 1, "not measured: wrong shape")
    exit(0)
}
let probabilities = logits.softmax()
let heldOut = chainText(length: 4001, seed: Grading.secret)
var logLikelihood = 0.0
for (a, b) in zip(heldOut, heldOut.dropFirst()) { logLikelihood += log(Double(probabilities.data[a * 6 + b])) }
let perplexity = exp(-logLikelihood / Double(heldOut.count - 1))
Grading.measure("perplexity", perplexity.isNaN ? .infinity : perplexity)

// Letters that can follow a: (2a + k) mod 6 for k = 0, 1, 2.
var impossible = 0.0
for a in 0..<6 {
    let possible = Set((0..<3).map { (2 * a + $0) % 6 })
    for b in 0..<6 where !possible.contains(b) { impossible = max(impossible, Double(probabilities.data[a * 6 + b])) }
}
Grading.measure("rows", impossible.isNaN ? 1 : impossible, "the largest probability given to a letter that cannot follow")
