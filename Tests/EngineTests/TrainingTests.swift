import XCTest
@testable import Engine
import Experiments
import ChapterRuntime

final class TrainingTests: XCTestCase {
    /// A small scratch GRU (the one `lessons bench` runs) on the real lyrics corpus: three epochs must lower the perplexity
    /// well below an untrained model's (≈ the vocabulary size, 1,027).
    func testShortGRURunOnTheLyricsLowersPerplexity() throws {
        let corpus = try Corpus.jayChouLyrics(store: DataFixtures.offlineStore())
        manualSeed(1)
        let model = scratchGRU(vocabSize: corpus.vocab.count, hidden: 64)
        let settings = TrainingSettings(epochs: 4, optimizer: .adam(learningRate: 0.01), clipTheta: 1,
                                        sampling: .consecutive, predictEvery: 4, predictLength: 5)
        var events: [Event] = []
        Report.observe { events.append($0) }
        defer { Report.removeObservers() }
        let history = trainAndPredict(model, corpus: corpus, settings, quiet: true)

        XCTAssertEqual(history.perplexities.count, 4)
        XCTAssertGreaterThan(history.perplexities[0], 250, "the first epoch starts near the vocabulary size")
        XCTAssertLessThan(history.finalPerplexity, history.perplexities[0] * 0.7)
        XCTAssertEqual(history.tokensPerEpoch, 8 * 32 * 35)
        XCTAssertEqual(history.samples.map { $0.count }, [2 + 5, 3 + 5])
        XCTAssertTrue(history.samples[0].hasPrefix("分开"))
        let reported = events.filter { $0.kind == .metric && $0.name == "perplexity" }
        XCTAssertEqual(reported.map(\.epoch), [1, 2, 3, 4])
        XCTAssertEqual(reported.last?.value, history.finalPerplexity)
    }

    /// Without clipping, an absurd learning rate blows the loss up; `.stop` ends training there
    /// and says so instead of reporting NaN perplexities.
    func testDivergenceStopsTrainingAndIsReported() {
        let corpus = Corpus(characters: String(repeating: "abcdefghij", count: 40))
        manualSeed(2)
        let model = scratchGRU(vocabSize: corpus.vocab.count, hidden: 8)
        let settings = TrainingSettings(epochs: 50, steps: 5, batchSize: 4, optimizer: .sgd(learningRate: 1e12),
                                        clipTheta: nil, predictEvery: 1000, prefixes: ["a"], onDivergence: .stop)
        let history = trainAndPredict(model, corpus: corpus, settings, quiet: true)
        XCTAssertNotNil(history.divergedAtEpoch)
        XCTAssertTrue(history.perplexities.allSatisfy(\.isFinite))
        XCTAssertLessThan(history.perplexities.count, 50)
    }

    /// Feeding each prediction back is tested in `GreedyPredictionTests`, on models built to tell.
    func testGreedyPredictionKeepsThePrefixAndIsDeterministic() {
        let corpus = Corpus(characters: "abcabcabc")
        let model = scratchGRU(vocabSize: corpus.vocab.count, hidden: 4)
        let text = predict("ab", length: 6, model: model, vocab: corpus.vocab)
        XCTAssertEqual(text.count, 8)
        XCTAssertTrue(text.hasPrefix("ab"))
        XCTAssertEqual(predict("ab", length: 6, model: model, vocab: corpus.vocab), text, "greedy is deterministic")
    }

    func testSampledTokensFollowTheirWeights() {
        var generator = RandomGenerator(seed: 5)
        var counts = [0, 0, 0]
        for _ in 0..<30_000 { counts[sampleCategorical([1, 0, 3], using: &generator)] += 1 }
        XCTAssertEqual(counts[1], 0, "a zero weight is never drawn")
        XCTAssertEqual(Double(counts[2]) / Double(counts[0]), 3, accuracy: 0.15)
    }

    /// The concise models (built-in layer + linear) return time-major logits and a state of the
    /// layer's shape, and learn a repetitive text quickly with Adam.
    func testConciseModelsLearnARepetitiveText() {
        let corpus = Corpus(characters: String(repeating: "the cat sat on the mat. ", count: 30))
        let V = corpus.vocab.count
        manualSeed(3)
        let models = [
            RecurrentModel(layer: GRU(inputSize: V, hiddenSize: 16, bidirectional: true), vocabSize: V),
            RecurrentModel(lstm: LSTM(inputSize: V, hiddenSize: 16, numLayers: 2), vocabSize: V),
        ]
        let expectedStates = [[[2, 3, 16]], [[2, 3, 16], [2, 3, 16]]]
        for (model, stateShapes) in zip(models, expectedStates) {
            let (logits, state) = model.forward([[0, 1, 2, 3], [1, 2, 3, 4], [2, 3, 4, 5]], model.initialState(3))
            XCTAssertEqual(logits.shape, [4 * 3, V])
            XCTAssertEqual(state.map(\.shape), stateShapes)
            let settings = TrainingSettings(epochs: 30, steps: 8, batchSize: 4, optimizer: .adam(learningRate: 0.02),
                                            clipTheta: 1, stateCarry: .acrossEpochs, predictEvery: 1000, prefixes: ["t"])
            let history = trainAndPredict(model, corpus: corpus, settings, quiet: true)
            XCTAssertLessThan(history.finalPerplexity, history.perplexities[0] / 2, "\(history.perplexities)")
            XCTAssertLessThan(history.finalPerplexity, 1.5, "an untrained model scores ≈ \(V)")
        }
    }

    func testTimeMajorOrder() {
        XCTAssertEqual(timeMajor([[1, 2, 3], [4, 5, 6]]), [1, 4, 2, 5, 3, 6])
    }
}
