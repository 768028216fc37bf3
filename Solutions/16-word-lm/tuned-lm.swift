// Narrower and faster: 128 hidden units instead of 256 halve the output layer, the bulk of the
// work, and a larger learning rate makes the most of a single pass over the same tokens.
let tuneTokens = 150_000
let tunedHidden = 128
let tunedEmbedding = Embedding(vocabSize, embeddingSize)
let tunedLSTM = LSTM(inputSize: embeddingSize, hiddenSize: tunedHidden)
let tunedDecoder = Linear(tunedHidden, vocabSize)
let tunedParameters = tunedEmbedding.parameters + tunedLSTM.parameters + tunedDecoder.parameters
typealias TunedState = (h: Tensor, c: Tensor)

func tunedModel(_ inputs: [[Int]], _ state: TunedState?) -> (logits: Tensor, state: TunedState) {
    let (B, T) = (inputs.count, inputs[0].count)
    let (y, newState) = tunedLSTM(tunedEmbedding(timeMajor(inputs)).reshaped([T, B, embeddingSize]), state)
    return (tunedDecoder(y.reshaped([T * B, tunedHidden])), newState)
}

let tunedOptimizer = Adam(tunedParameters, learningRate: 0.008)
var tunedState: TunedState? = nil
var tunedTokens = 0
let tunedStart = Date()
for batch in trainBatches where tunedTokens + batch.batchSize * batch.steps <= tuneTokens {
    tunedState = tunedState.map { ($0.h.detach(), $0.c.detach()) }
    let (logits, newState) = tunedModel(batch.inputs, tunedState)
    tunedState = newState
    let loss = softmaxCrossEntropy(logits, timeMajor(batch.targets))
    tunedOptimizer.zeroGrad()
    loss.backward()
    clipGradNorm(tunedParameters, maxNorm: clipNorm)
    tunedOptimizer.step()
    tunedTokens += batch.batchSize * batch.steps
}
print("trained on \(tunedTokens) tokens in \(Int(Date().timeIntervalSince(tunedStart))) s")
