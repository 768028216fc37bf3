// Rebuilds the tuned model and measures its perplexity on the start of the test split.
let ptb = try PennTreebank.load()
let vocabSize = ptb.vocab.count
func size(_ name: String, upTo limit: Double) -> Int {
    let value = Grading.number(name)
    guard value >= 1, value <= limit, value == value.rounded() else { Grading.refuse("\(name) is \(value): the contract allows 1…\(Int(limit))") }
    return Int(value)
}
let width = size("embedding", upTo: 1024), hidden = size("hidden", upTo: 2048)
guard Grading.number("layers") == 1, Grading.number("lstmInput") == Double(width) else {
    Grading.refuse("tunedLSTM must be one layer, one direction, reading the embeddings")
}
let embedding = Embedding(vocabSize, width)
let lstm = LSTM(inputSize: width, hiddenSize: hidden)
let decoder = Linear(hidden, vocabSize)
do { try Grading.artifact.load(into: embedding.parameters + lstm.parameters + decoder.parameters, prefix: "model") } catch {
    Grading.refuse("the saved parameters do not fit Embedding → LSTM → Linear: \(error)")
}

let test = Array(ptb.test.prefix(20_000))
let columns = test.count / 20
let rows = (0..<20).map { Array(test[($0 * columns)..<(($0 + 1) * columns)]) }
let perplexity: Double = withNoGrad {
    var state: (h: Tensor, c: Tensor)? = nil
    var lossSum = 0.0, count = 0
    for i in stride(from: 0, to: columns - 30, by: 30) {
        let inputs = rows.map { Array($0[i..<(i + 30)]) }, targets = rows.map { Array($0[(i + 1)..<(i + 31)]) }
        let (y, next) = lstm(embedding(timeMajor(inputs)).reshaped([30, 20, width]), state)
        state = next
        let flat = timeMajor(targets)
        lossSum += Double(softmaxCrossEntropy(decoder(y.reshaped([600, hidden])), flat).item) * Double(flat.count)
        count += flat.count
    }
    return exp(lossSum / Double(count))
}
Grading.measure("perplexity", perplexity.isNaN ? .infinity : perplexity, "measured by the grader on the first 20,000 tokens of the test split")
