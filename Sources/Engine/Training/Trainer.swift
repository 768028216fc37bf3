import ChapterRuntime
import Foundation

/// The d2l training loop (`train_and_predict_rnn`), in its scratch and concise variants.

public enum Sampling: String, Sendable {
    /// Shuffled, non-adjacent examples: the state starts from zero at every batch.
    case random
    /// Adjacent batches continue each other: the state is carried, detached before each batch.
    case consecutive
    /// d2l v2's `seq_data_iter_sequential`: consecutive, from a random offset each epoch.
    case sequential
}

/// What to do when the loss becomes NaN or infinite.
public enum Divergence: Sendable {
    /// Stop the program with a clear message (the runner reports it beside the cell).
    case abort
    /// End training at that epoch, report the metric `diverged_at_epoch`, and return: for
    /// chapters that show what goes wrong without a safeguard.
    case stop
}

/// How the hidden state lives across consecutive batches.
public enum StateCarry: Sendable {
    /// Zeroed at the start of each epoch (the scratch loop).
    case perEpoch
    /// Created once and carried across batches and epochs (the concise loop).
    case acrossEpochs
}

public enum OptimizerChoice: Sendable {
    case sgd(learningRate: Float)
    case adam(learningRate: Float)
}

public struct TrainingSettings: Sendable {
    public var epochs: Int
    public var steps = 35
    public var batchSize = 32
    public var optimizer: OptimizerChoice
    /// Clip the global gradient norm to this (nil: never clip).
    public var clipTheta: Float?
    public var sampling: Sampling = .consecutive
    public var stateCarry: StateCarry = .perEpoch
    /// Print perplexity and generate text every this many epochs.
    public var predictEvery = 40
    public var predictLength = 50
    public var prefixes: [String] = ["分开", "不分开"]
    public var onDivergence: Divergence = .abort

    public init(epochs: Int, steps: Int = 35, batchSize: Int = 32, optimizer: OptimizerChoice,
                clipTheta: Float?, sampling: Sampling = .consecutive, stateCarry: StateCarry = .perEpoch,
                predictEvery: Int = 40, predictLength: Int = 50, prefixes: [String] = ["分开", "不分开"],
                onDivergence: Divergence = .abort) {
        self.epochs = epochs; self.steps = steps; self.batchSize = batchSize; self.optimizer = optimizer
        self.clipTheta = clipTheta; self.sampling = sampling; self.stateCarry = stateCarry
        self.predictEvery = predictEvery; self.predictLength = predictLength; self.prefixes = prefixes
        self.onDivergence = onDivergence
    }
}

/// What a training run measured, epoch by epoch.
public struct TrainingHistory: Sendable {
    public var perplexities: [Double] = []
    public var epochSeconds: [Double] = []
    public var tokensPerEpoch = 0
    /// The last generated continuation of each prefix.
    public var samples: [String] = []
    /// The epoch whose loss was NaN or infinite, when training stopped there (`Divergence.stop`).
    public var divergedAtEpoch: Int?

    public var finalPerplexity: Double { perplexities.last ?? .nan }
    public var medianEpochSeconds: Double {
        let sorted = epochSeconds.sorted()
        return sorted.isEmpty ? .nan : sorted[sorted.count / 2]
    }
    public var tokensPerSecond: Double { Double(tokensPerEpoch) / medianEpochSeconds }
}

/// Trains `model` on `corpus` and reports through `Report`: the metric `perplexity` at every
/// epoch, `tokens_per_second` and `seconds_per_epoch` at the end, and progress for the runner.
/// Every `predictEvery` epochs prints `epoch 40, perplexity 149.271885, time 1.17 sec` and a
/// greedy continuation of each prefix. Stops the program with a clear message if the loss
/// becomes NaN or infinite.
@discardableResult
public func trainAndPredict(_ model: RecurrentModel, corpus: Corpus, _ settings: TrainingSettings,
                            quiet: Bool = false) -> TrainingHistory {
    let optimizer: Optimizer
    switch settings.optimizer {
    case .sgd(let lr): optimizer = SGD(model.parameters, learningRate: lr)
    case .adam(let lr): optimizer = Adam(model.parameters, learningRate: lr)
    }
    var history = TrainingHistory()
    var state: [Tensor]? = nil
    for epoch in 1...max(settings.epochs, 1) where settings.epochs > 0 {
        let start = Date()
        if settings.stateCarry == .perEpoch { state = nil }
        let batches: [Batch]
        switch settings.sampling {
        case .random: batches = randomBatches(corpus: corpus.indices, batchSize: settings.batchSize, steps: settings.steps)
        case .consecutive: batches = consecutiveBatches(corpus: corpus.indices, batchSize: settings.batchSize, steps: settings.steps)
        case .sequential: batches = sequentialBatches(corpus: corpus.indices, batchSize: settings.batchSize, steps: settings.steps)
        }
        var lossSum = 0.0, tokenCount = 0
        for batch in batches {
            if settings.sampling == .random || state == nil {
                // d2l: a fresh state per batch for random sampling, else once per epoch (or run)
                state = model.initialState(batch.batchSize)
            } else {
                state = state!.map { $0.detach() }
            }
            let (logits, newState) = model.forward(batch.inputs, state!)
            state = newState
            let targets = timeMajor(batch.targets)
            let loss = softmaxCrossEntropy(logits, targets)
            optimizer.zeroGrad()
            loss.backward()
            // Clipping and the update in one pass over the gradients: the optimizer multiplies each
            // by the clipping scale as it reads it (the same numbers as clipGradNorm, then step).
            let scale = settings.clipTheta.map { clippingScale(norm: gradientNorm(model.parameters), maxNorm: $0) } ?? 1
            optimizer.step(scalingGradientsBy: scale)
            lossSum += Double(loss.item) * Double(targets.count)
            tokenCount += targets.count
        }
        let seconds = Date().timeIntervalSince(start)
        let perplexity = Foundation.exp(lossSum / Double(max(tokenCount, 1)))
        guard perplexity.isFinite else {
            let message = "training diverged: perplexity is \(perplexity) at epoch \(epoch)"
            if settings.onDivergence == .abort {
                Report.abort(message + " (try a smaller learning rate, or clip gradients)", reason: .diverged)
            }
            if !quiet { print(message) }
            history.divergedAtEpoch = epoch
            Report.metric("diverged_at_epoch", Double(epoch))
            break
        }
        history.perplexities.append(perplexity)
        history.epochSeconds.append(seconds)
        history.tokensPerEpoch = tokenCount
        Report.metric("perplexity", perplexity, epoch: epoch)
        Report.progress(epoch: epoch, of: settings.epochs, value: perplexity)
        if epoch % max(settings.predictEvery, 1) == 0 {
            history.samples = settings.prefixes.map {
                predict($0, length: settings.predictLength, model: model, vocab: corpus.vocab)
            }
            if !quiet {
                print(String(format: "epoch %d, perplexity %f, time %.2f sec", epoch, perplexity, seconds))
                for sample in history.samples { print(" -", sample) }
            }
        }
    }
    if !history.epochSeconds.isEmpty {
        Report.metric("tokens_per_second", history.tokensPerSecond)
        Report.metric("seconds_per_epoch", history.medianEpochSeconds)
    }
    return history
}
