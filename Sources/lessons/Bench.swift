import ArgumentParser
import Engine
import Experiments
import Foundation

struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Time the seeds' experiments on this machine.",
        discussion: """
        Trains each experiment of ../shared/reference/experiments.md at its full size (Jay Chou \
        lyrics, batch 32, 35 steps, hidden 256) for a few epochs and prints, per experiment: the \
        median seconds per epoch, tokens per second, the GFLOP/s achieved in matrix products over \
        the whole epoch, the GFLOP/s OpenBLAS reaches on the same products run alone, and the \
        perplexity reached. Build in release mode for figures worth quoting.

        Examples:
          swift run -c release lessons bench
          swift run -c release lessons bench gru-scratch lstm-scratch --epochs 10
          swift run -c release lessons bench --json > bench.jsonl
        """)

    @Argument(help: "Experiments to run (default: all): \(Experiment.all.map(\.id).joined(separator: ", ")).")
    var experiments: [String] = []

    @Option(help: "Epochs per experiment (the median epoch time is reported).")
    var epochs = 5

    @Flag(help: "Run each experiment for its full number of epochs instead of --epochs.")
    var full = false

    @Flag(help: "Print one JSON object per experiment instead of a table.")
    var json = false

    @Option(help: "Folder holding the datasets (else LESSONS_DATA_DIR, the cache, then a download).")
    var dataDir: String?

    @Option(help: "Random seed.")
    var seed: UInt64 = 0

    func validate() throws {
        for id in experiments where Experiment.named(id) == nil {
            throw ValidationError("unknown experiment '\(id)'; known: \(Experiment.all.map(\.id).joined(separator: ", "))")
        }
        guard epochs > 0 else { throw ValidationError("--epochs must be positive") }
    }

    func run() throws {
        configureAllocator()
        let corpus = try Corpus.jayChouLyrics(dataDir: dataDir.map { URL(fileURLWithPath: $0) })
        let chosen = experiments.isEmpty ? Experiment.all : experiments.compactMap(Experiment.named)
        if !json { print(BenchResult.header) }
        for experiment in chosen {
            let result = measure(experiment, corpus: corpus)
            print(json ? result.json : result.row)
            fflush(stdout)
        }
    }

    private func measure(_ experiment: Experiment, corpus: Corpus) -> BenchResult {
        manualSeed(seed)
        var settings = experiment.settings
        if !full { settings.epochs = epochs }
        settings.predictEvery = Int.max  // generation is not what we time
        let model = experiment.makeModel(vocabSize: corpus.vocab.count)
        MatmulLog.reset()
        MatmulLog.isRecording = true
        let history = trainAndPredict(model, corpus: corpus, settings, quiet: true)
        MatmulLog.isRecording = false
        let totalSeconds = history.epochSeconds.reduce(0, +)
        return BenchResult(experiment: experiment.id, epochs: settings.epochs,
                           secondsPerEpoch: history.medianEpochSeconds,
                           tokensPerSecond: history.tokensPerSecond,
                           gflops: MatmulLog.flops / totalSeconds / 1e9,
                           sgemmGflops: MatmulLog.replay(MatmulLog.shapes),
                           perplexity: history.finalPerplexity)
    }
}

struct BenchResult: Encodable {
    let experiment: String
    let epochs: Int
    let secondsPerEpoch: Double
    let tokensPerSecond: Double
    let gflops: Double
    let sgemmGflops: Double
    let perplexity: Double

    enum CodingKeys: String, CodingKey {
        case experiment, epochs, perplexity, gflops
        case secondsPerEpoch = "seconds_per_epoch", tokensPerSecond = "tokens_per_second"
        case sgemmGflops = "sgemm_gflops"
    }

    static let header = "experiment        epochs  s/epoch   tokens/s  GFLOP/s  sgemm GFLOP/s  perplexity"

    var row: String {
        experiment.padding(toLength: 16, withPad: " ", startingAt: 0)
            + String(format: "  %6d  %7.3f  %9.0f  %7.1f  %13.1f  %10.3f",
                     epochs, secondsPerEpoch, tokensPerSecond, gflops, sgemmGflops, perplexity)
    }

    var json: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return String(decoding: (try? encoder.encode(self)) ?? Data(), as: UTF8.self)
    }
}
