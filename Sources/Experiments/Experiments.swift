import Engine

/// The seeds' experiments (`../shared/reference/experiments.md`) by id, at full settings:
/// Jay Chou lyrics, 35 steps, batch 32, prefixes 分开 and 不分开.
public struct Experiment: Sendable {
    public enum Model: Sendable { case scratchRNN, scratchGRU, scratchLSTM, builtIn(BuiltIn) }
    public enum BuiltIn: Sendable { case gru(layers: Int, bidirectional: Bool), lstm(layers: Int) }

    public let id: String
    public let model: Model
    public let hidden: Int
    public let settings: TrainingSettings

    public func makeModel(vocabSize: Int) -> RecurrentModel {
        switch model {
        case .scratchRNN: return scratchRNN(vocabSize: vocabSize, hidden: hidden)
        case .scratchGRU: return scratchGRU(vocabSize: vocabSize, hidden: hidden)
        case .scratchLSTM: return scratchLSTM(vocabSize: vocabSize, hidden: hidden)
        case .builtIn(let kind): return builtInModel(kind, vocabSize: vocabSize, hidden: hidden)
        }
    }
}

extension Experiment {
    static func scratch(_ id: String, _ model: Model, sampling: Sampling, epochs: Int, predictEvery: Int) -> Experiment {
        Experiment(id: id, model: model, hidden: 256,
                   settings: TrainingSettings(epochs: epochs, optimizer: .sgd(learningRate: 100), clipTheta: 0.01,
                                              sampling: sampling, stateCarry: .perEpoch, predictEvery: predictEvery))
    }

    static func concise(_ id: String, _ kind: BuiltIn, hidden: Int = 256) -> Experiment {
        Experiment(id: id, model: .builtIn(kind), hidden: hidden,
                   settings: TrainingSettings(epochs: 160, optimizer: .adam(learningRate: 0.01), clipTheta: 0.01,
                                              sampling: .consecutive, stateCarry: .acrossEpochs, predictEvery: 40))
    }

    public static let all: [Experiment] = [
        scratch("rnn-random", .scratchRNN, sampling: .random, epochs: 250, predictEvery: 50),
        scratch("rnn-consecutive", .scratchRNN, sampling: .consecutive, epochs: 250, predictEvery: 50),
        scratch("gru-scratch", .scratchGRU, sampling: .consecutive, epochs: 160, predictEvery: 40),
        concise("gru-concise", .gru(layers: 1, bidirectional: false)),
        scratch("lstm-scratch", .scratchLSTM, sampling: .consecutive, epochs: 160, predictEvery: 40),
        concise("lstm-concise", .lstm(layers: 1)),
        concise("deep-lstm-2", .lstm(layers: 2)),
        concise("deep-lstm-6", .lstm(layers: 6)),
        concise("bi-gru", .gru(layers: 1, bidirectional: true), hidden: 128),
    ]

    public static func named(_ id: String) -> Experiment? { all.first { $0.id == id } }
}
