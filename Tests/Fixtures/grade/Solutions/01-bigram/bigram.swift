// Counts with add-one smoothing; the logits are the log-probabilities.
var counts = [Float](repeating: 1, count: letters * letters)
for (a, b) in zip(trainingText, trainingText.dropFirst()) { counts[a * letters + b] += 1 }
var logProbabilities = [Float](repeating: 0, count: letters * letters)
for a in 0..<letters {
    let total = counts[(a * letters)..<((a + 1) * letters)].reduce(0, +)
    for b in 0..<letters { logProbabilities[a * letters + b] = Foundation.log(counts[a * letters + b] / total) }
}
let bigramLogits = Tensor(logProbabilities, shape: [letters, letters])
var trainingLoss = 0.0
for (a, b) in zip(trainingText, trainingText.dropFirst()) { trainingLoss -= Double(logProbabilities[a * letters + b]) }
Report.metric("perplexity", Foundation.exp(trainingLoss / Double(trainingText.count - 1)))
