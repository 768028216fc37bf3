let budgetEpochs = 15
let budgetGRU = GRU(inputSize: vocabSize, hiddenSize: 128)
let budgetGRUModel = RecurrentModel(layer: budgetGRU, vocabSize: vocabSize)
func parameterCount(_ model: RecurrentModel) -> Int { model.parameters.map(\.count).reduce(0, +) }
// An LSTM layer has 4 gates to the GRU's 3: the hidden size with the closest parameter count.
func lstmCount(_ hidden: Int) -> Int { 4 * (vocabSize * hidden + hidden * hidden + 2 * hidden) + (hidden + 1) * vocabSize }
let gruCount = parameterCount(budgetGRUModel)
let lstmHidden = (16...256).min { abs(lstmCount($0) - gruCount) < abs(lstmCount($1) - gruCount) }!
let budgetLSTM = LSTM(inputSize: vocabSize, hiddenSize: lstmHidden)
let budgetLSTMModel = RecurrentModel(lstm: budgetLSTM, vocabSize: vocabSize)
print("GRU 128: \(parameterCount(budgetGRUModel)) parameters, LSTM \(lstmHidden): \(parameterCount(budgetLSTMModel))")
let budgetSettings = TrainingSettings(epochs: budgetEpochs, optimizer: .adam(learningRate: 0.01), clipTheta: 0.01,
                                      sampling: .consecutive, stateCarry: .acrossEpochs, predictEvery: budgetEpochs)
let budgetGRUHistory = trainAndPredict(budgetGRUModel, corpus: corpus, budgetSettings)
let budgetLSTMHistory = trainAndPredict(budgetLSTMModel, corpus: corpus, budgetSettings)
let lowerPerplexity = budgetGRUHistory.finalPerplexity < budgetLSTMHistory.finalPerplexity ? "GRU" : "LSTM"
print("lower perplexity after \(budgetEpochs) epochs: \(lowerPerplexity)")
