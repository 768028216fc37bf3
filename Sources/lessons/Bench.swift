import ArgumentParser
import Engine
import Experiments
import Foundation

struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Time the course's experiments on this machine.",
        discussion: """
        Trains each experiment of chapters 10 and 12–15 (rnn-random … bi-gru: the Jay Chou \
        lyrics, batch 32, 35 steps, their full model sizes) for a few epochs, each in a process \
        of its own, and prints per experiment: the median seconds per epoch, tokens per second, \
        the GFLOP/s achieved in matrix products (over the median epoch), the GFLOP/s of the same \
        products run alone, the machine's practical peak (a 2048 × 2048 product, measured in the \
        same process), the peak resident memory, and the perplexity reached. Build in release \
        mode for figures worth quoting; bench/compare.py runs PyTorch beside it.

        With --breakdown it also prints where the training time went, as shares of it: the \
        fused recurrent layers' passes over the steps, their weight-gradient products, the \
        other matrix products (each with the GFLOP/s done inside it), the rest (gate math of \
        the scratch models, loss, clipping, the optimizer, copies), and, overlapping those, \
        the time spent waiting for the other core. Timing the phases costs a little speed.

        Examples:
          swift run -c release lessons bench
          swift run -c release lessons bench gru-scratch lstm-scratch --epochs 10
          swift run -c release lessons bench --json > bench.jsonl
          swift run -c release lessons bench deep-lstm-6 gru-scratch --breakdown
        """)

    @Argument(help: "Experiments to run (default: all): \(Experiment.all.map(\.id).joined(separator: ", ")).")
    var experiments: [String] = []

    @Option(help: "Epochs per experiment (the median epoch time is reported).")
    var epochs = 5

    @Flag(help: "Run each experiment for its full number of epochs instead of --epochs.")
    var full = false

    @Flag(help: "Print one JSON object per experiment instead of a table.")
    var json = false

    @Flag(help: "Also print where the training time went (see above).")
    var breakdown = false

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
        let chosen = experiments.isEmpty ? Experiment.all : experiments.compactMap(Experiment.named)
        if !json { print(BenchResult.header + (breakdown ? Breakdown.header : "")) }
        for experiment in chosen {
            // One experiment per process, so that each one's peak memory is its own.
            let result = chosen.count == 1 ? try measure(experiment) : try measureInChild(experiment)
            print(json ? result.json : result.row)
            fflush(stdout)
        }
    }

    private func measure(_ experiment: Experiment) throws -> BenchResult {
        let corpus = try Corpus.jayChouLyrics(dataDir: dataDir.map { URL(fileURLWithPath: $0) })
        manualSeed(seed)
        var settings = experiment.settings
        if !full { settings.epochs = epochs }
        settings.predictEvery = Int.max  // generation is not what we time
        let model = experiment.makeModel(vocabSize: corpus.vocab.count)
        MatmulLog.reset()
        MatmulLog.isRecording = true
        PhaseLog.reset()
        PhaseLog.isRecording = breakdown
        let history = trainAndPredict(model, corpus: corpus, settings, quiet: true)
        (MatmulLog.isRecording, PhaseLog.isRecording) = (false, false)
        // Every epoch does the same products; GFLOP/s over the median epoch, like s/epoch (the
        // first epoch also creates every kernel).
        let flopsPerEpoch = MatmulLog.flops / Double(max(history.epochSeconds.count, 1))
        let sgemmAlone = MatmulLog.replay(MatmulLog.shapes)
        return BenchResult(experiment: experiment.id, epochs: settings.epochs,
                           secondsPerEpoch: history.medianEpochSeconds,
                           tokensPerSecond: history.tokensPerSecond,
                           gflops: flopsPerEpoch / history.medianEpochSeconds / 1e9,
                           sgemmGflops: sgemmAlone,
                           peakGflops: MatmulLog.practicalPeak(),
                           maxRSSMegabytes: peakResidentMegabytes(),
                           perplexity: history.finalPerplexity,
                           breakdown: breakdown ? Breakdown(PhaseLog.totals, trainingSeconds: history.epochSeconds.reduce(0, +)) : nil)
    }

    /// Runs `lessons bench <id> --json` with the same settings and reads its one result.
    private func measureInChild(_ experiment: Experiment) throws -> BenchResult {
        var arguments = ["bench", experiment.id, "--json", "--epochs", String(epochs), "--seed", String(seed)]
        if full { arguments.append("--full") }
        if breakdown { arguments.append("--breakdown") }
        if let dataDir { arguments += ["--data-dir", dataDir] }
        let child = Process()
        child.executableURL = Bundle.main.executableURL ?? URL(fileURLWithPath: CommandLine.arguments[0])
        child.arguments = arguments
        let output = Pipe()
        child.standardOutput = output
        try child.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        child.waitUntilExit()
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        guard child.terminationStatus == 0, let result = try? decoder.decode(BenchResult.self, from: data) else {
            throw ValidationError("bench of \(experiment.id) failed (exit \(child.terminationStatus))")
        }
        return result
    }
}

/// The process's peak resident memory so far (getrusage's ru_maxrss, in KiB on Linux), in MB.
private func peakResidentMegabytes() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_maxrss) * 1024 / 1e6
}

struct BenchResult: Codable {
    let experiment: String
    let epochs: Int
    let secondsPerEpoch: Double
    let tokensPerSecond: Double
    let gflops: Double
    let sgemmGflops: Double
    let peakGflops: Double
    let maxRSSMegabytes: Double
    let perplexity: Double
    let breakdown: Breakdown?

    enum CodingKeys: String, CodingKey {
        case experiment, epochs, perplexity, gflops, breakdown
        case secondsPerEpoch = "seconds_per_epoch", tokensPerSecond = "tokens_per_second"
        case sgemmGflops = "sgemm_gflops", peakGflops = "peak_gflops", maxRSSMegabytes = "max_rss_mb"
    }

    static let header = "experiment        epochs  s/epoch   tokens/s  GFLOP/s  sgemm GFLOP/s  peak GFLOP/s  max RSS MB  perplexity"

    var row: String {
        experiment.padding(toLength: 16, withPad: " ", startingAt: 0)
            + String(format: "  %6d  %7.3f  %9.0f  %7.1f  %13.1f  %12.1f  %10.0f  %10.3f",
                     epochs, secondsPerEpoch, tokensPerSecond, gflops, sgemmGflops, peakGflops, maxRSSMegabytes, perplexity)
            + (breakdown?.columns ?? "")
    }

    var json: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return String(decoding: (try? encoder.encode(self)) ?? Data(), as: UTF8.self)
    }
}

/// Where one experiment's training time went (`PhaseLog`): shares of the summed epoch times,
/// and the GFLOP/s of the matrix products done inside each phase (0 where it did none).
struct Breakdown: Codable {
    let recurrentPassesShare, recurrentPassesGflops: Double
    let weightGradientsShare, weightGradientsGflops: Double
    let otherProductsShare, otherProductsGflops: Double
    /// 1 − the three shares above: work outside every phase.
    let restShare: Double
    /// Waiting for the other core; overlaps the phases and the rest.
    let waitingShare: Double

    enum CodingKeys: String, CodingKey {
        case recurrentPassesShare = "recurrent_passes_share", recurrentPassesGflops = "recurrent_passes_gflops"
        case weightGradientsShare = "weight_gradients_share", weightGradientsGflops = "weight_gradients_gflops"
        case otherProductsShare = "other_products_share", otherProductsGflops = "other_products_gflops"
        case restShare = "rest_share", waitingShare = "waiting_share"
    }

    init(_ totals: PhaseLog.Totals, trainingSeconds: Double) {
        let total = max(trainingSeconds, .leastNonzeroMagnitude)
        func share(_ phase: PhaseLog.Phase) -> Double { totals.seconds[phase.rawValue] / total }
        func gflops(_ phase: PhaseLog.Phase) -> Double {
            let seconds = totals.seconds[phase.rawValue]
            return seconds > 0 ? totals.flops[phase.rawValue] / seconds / 1e9 : 0
        }
        (recurrentPassesShare, recurrentPassesGflops) = (share(.recurrentPasses), gflops(.recurrentPasses))
        (weightGradientsShare, weightGradientsGflops) = (share(.weightGradients), gflops(.weightGradients))
        (otherProductsShare, otherProductsGflops) = (share(.otherProducts), gflops(.otherProducts))
        restShare = 1 - recurrentPassesShare - weightGradientsShare - otherProductsShare
        waitingShare = totals.waitingSeconds / total
    }

    static let header = "  layer passes (GFLOP/s)  weight grads (GFLOP/s)  other products (GFLOP/s)  rest  waiting"

    var columns: String {
        String(format: "  %11.0f%% (%7.1f)  %11.0f%% (%7.1f)  %13.0f%% (%7.1f)  %3.0f%%  %6.1f%%",
               100 * recurrentPassesShare, recurrentPassesGflops, 100 * weightGradientsShare, weightGradientsGflops,
               100 * otherProductsShare, otherProductsGflops, 100 * restShare, 100 * waitingShare)
    }
}
