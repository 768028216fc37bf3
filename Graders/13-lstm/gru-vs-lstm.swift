// Rebuilds the two models from the artifact and measures their perplexity on the lyrics.
let corpus = try Corpus.jayChouLyrics()
let vocabSize = corpus.vocab.count

/// Perplexity over the corpus read in order, 32 rows of 35 steps, the state carried.
func perplexity(_ model: RecurrentModel) -> Double {
    withNoGrad {
        var state = model.initialState(32)
        var lossSum = 0.0, count = 0
        for batch in consecutiveBatches(corpus: corpus.indices, batchSize: 32, steps: 35) {
            let (logits, newState) = model.forward(batch.inputs, state)
            state = newState
            let targets = timeMajor(batch.targets)
            lossSum += Double(softmaxCrossEntropy(logits, targets).item) * Double(targets.count)
            count += targets.count
        }
        let value = exp(lossSum / Double(count))
        return value.isNaN ? .infinity : value
    }
}

func hidden(_ name: String) -> Int {
    let value = Grading.number(name)
    guard value >= 1, value <= 2048, value == value.rounded() else { Grading.refuse("\(name) is \(value), not a hidden size") }
    return Int(value)
}
guard Grading.number("gruLayers") == 1, Grading.number("lstmLayers") == 1 else {
    Grading.refuse("both models must have one layer, in one direction")
}
let gruModel = RecurrentModel(layer: GRU(inputSize: vocabSize, hiddenSize: hidden("gruHidden")), vocabSize: vocabSize)
let lstmModel = RecurrentModel(lstm: LSTM(inputSize: vocabSize, hiddenSize: hidden("lstmHidden")), vocabSize: vocabSize)
do {
    try Grading.artifact.load(into: gruModel.parameters, prefix: "gru")
    try Grading.artifact.load(into: lstmModel.parameters, prefix: "lstm")
} catch {
    Grading.refuse("the saved parameters do not fit the models: \(error)")
}

let gruCount = Double(gruModel.parameters.map(\.count).reduce(0, +))
let lstmCount = Double(lstmModel.parameters.map(\.count).reduce(0, +))
let gap = hidden("gruHidden") == 128 ? abs(lstmCount - gruCount) / gruCount : .infinity
Grading.measure("budget", gap, hidden("gruHidden") == 128
    ? String(format: "GRU %.0f parameters, LSTM (hidden %d) %.0f", gruCount, hidden("lstmHidden"), lstmCount)
    : "the GRU must have 128 hidden units")

let gruPerplexity = perplexity(gruModel), lstmPerplexity = perplexity(lstmModel)
Grading.measure("gru", gruPerplexity, "measured by the grader on the lyrics")
Grading.measure("lstm", lstmPerplexity, "measured by the grader on the lyrics")
let answer = Grading.artifact.texts["lowerPerplexity"] ?? ""
let truth = gruPerplexity < lstmPerplexity ? "GRU" : "LSTM"
Grading.measure("answer", answer == truth ? 1 : 0,
                answer == truth ? "the grader measured the same" : "you answered \"\(answer)\"; the grader measured otherwise")
