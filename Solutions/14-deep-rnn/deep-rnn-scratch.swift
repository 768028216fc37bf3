let deepRNNEpochs = 100
let deepHidden = 256
let tmVocab = timeMachine.vocab.count
func deepWeight(_ rows: Int, _ columns: Int) -> Tensor { Tensor.normal([rows, columns], std: 0.01, requiresGrad: true) }
func deepBias(_ size: Int) -> Tensor { Tensor.zeros([size], requiresGrad: true) }
let deepRNNParameters = [deepWeight(tmVocab, deepHidden), deepWeight(deepHidden, deepHidden), deepBias(deepHidden),
                         deepWeight(deepHidden, deepHidden), deepWeight(deepHidden, deepHidden), deepBias(deepHidden),
                         deepWeight(deepHidden, tmVocab), deepBias(tmVocab)]

/// Two stacked tanh layers, then the output layer applied once to the top layer's states.
func deepRNNForward(_ inputs: [Tensor], _ state: [Tensor], _ p: [Tensor]) -> (Tensor, [Tensor]) {
    var (below, above) = (state[0], state[1])
    var tops: [Tensor] = []
    for x in inputs {
        below = tanh(x.matmul(p[0]) + below.matmul(p[1]) + p[2])        // layer 1 reads the input
        above = tanh(below.matmul(p[3]) + above.matmul(p[4]) + p[5])    // layer 2 reads layer 1
        tops.append(above)
    }
    return (concat(tops).matmul(p[6]) + p[7], [below, above])
}

let deepRNN = RecurrentModel(vocabSize: tmVocab, parameters: deepRNNParameters,
                             initialState: { n in [Tensor.zeros([n, deepHidden]), Tensor.zeros([n, deepHidden])] },
                             cell: { deepRNNForward($0, $1, deepRNNParameters) })
trainAndPredict(deepRNN, corpus: timeMachine, TrainingSettings(
    epochs: deepRNNEpochs, optimizer: .sgd(learningRate: 1), clipTheta: 1, sampling: .sequential,
    stateCarry: .perEpoch, predictEvery: 50, prefixes: ["time traveller"]))
