import XCTest
@testable import Engine

final class TrainingTests: XCTestCase {
    /// A small scratch GRU on the real lyrics corpus: three epochs must lower the perplexity
    /// well below an untrained model's (≈ the vocabulary size, 1,027).
    func testShortGRURunOnTheLyricsLowersPerplexity() throws {
        let corpus = try Corpus.jayChouLyrics(store: DataFixtures.offlineStore())
        manualSeed(1)
        let model = smallGRU(vocabSize: corpus.vocab.count, hidden: 64)
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
        let reported = events.filter { $0.event == "metric" && $0.name == "perplexity" }
        XCTAssertEqual(reported.map(\.epoch), [1, 2, 3, 4])
        XCTAssertEqual(reported.last?.value, history.finalPerplexity)
    }

    /// Without clipping, an absurd learning rate blows the loss up; `.stop` ends training there
    /// and says so instead of reporting NaN perplexities.
    func testDivergenceStopsTrainingAndIsReported() {
        let corpus = Corpus(characters: String(repeating: "abcdefghij", count: 40))
        manualSeed(2)
        let model = smallGRU(vocabSize: corpus.vocab.count, hidden: 8)
        let settings = TrainingSettings(epochs: 50, steps: 5, batchSize: 4, optimizer: .sgd(learningRate: 1e12),
                                        clipTheta: nil, predictEvery: 1000, prefixes: ["a"], onDivergence: .stop)
        let history = trainAndPredict(model, corpus: corpus, settings, quiet: true)
        XCTAssertNotNil(history.divergedAtEpoch)
        XCTAssertTrue(history.perplexities.allSatisfy(\.isFinite))
        XCTAssertLessThan(history.perplexities.count, 50)
    }

    func testGreedyPredictionKeepsThePrefixAndFeedsPredictionsBack() {
        let corpus = Corpus(characters: "abcabcabc")
        let model = smallGRU(vocabSize: corpus.vocab.count, hidden: 4)
        let text = predict("ab", length: 6, model: model, vocab: corpus.vocab)
        XCTAssertEqual(text.count, 8)
        XCTAssertTrue(text.hasPrefix("ab"))
        XCTAssertEqual(predict("ab", length: 6, model: model, vocab: corpus.vocab), text, "greedy is deterministic")
    }

    func testSampledTokensFollowTheirWeights() {
        var generator = RandomGenerator(seed: 5)
        var counts = [0, 0, 0]
        for _ in 0..<30_000 { counts[sampleCategorical([1, 0, 3], using: &generator)] += 1 }
        XCTAssertEqual(counts[1], 0)
        XCTAssertEqual(Double(counts[2]) / Double(counts[0]), 3, accuracy: 0.15)
    }

    func testTimeMajorOrder() {
        XCTAssertEqual(timeMajor([[1, 2, 3], [4, 5, 6]]), [1, 4, 2, 5, 3, 6])
    }
}

/// A GRU written from ops, as the chapters write it.
private func smallGRU(vocabSize V: Int, hidden H: Int) -> RecurrentModel {
    func weight(_ r: Int, _ c: Int) -> Tensor { Tensor.normal([r, c], std: 0.01, requiresGrad: true) }
    func bias(_ n: Int) -> Tensor { Tensor.zeros([n], requiresGrad: true) }
    let (W_xz, W_hz, b_z) = (weight(V, H), weight(H, H), bias(H))
    let (W_xr, W_hr, b_r) = (weight(V, H), weight(H, H), bias(H))
    let (W_xh, W_hh, b_h) = (weight(V, H), weight(H, H), bias(H))
    let (W_hq, b_q) = (weight(H, V), bias(V))
    return RecurrentModel(vocabSize: V, parameters: [W_xz, W_hz, b_z, W_xr, W_hr, b_r, W_xh, W_hh, b_h, W_hq, b_q],
                          initialState: { B in [Tensor.zeros([B, H])] }) { inputs, state in
        var h = state[0]
        var hiddens: [Tensor] = []
        for x in inputs {
            let z = sigmoid(x.matmul(W_xz) + h.matmul(W_hz) + b_z)
            let r = sigmoid(x.matmul(W_xr) + h.matmul(W_hr) + b_r)
            let candidate = tanh(x.matmul(W_xh) + r * h.matmul(W_hh) + b_h)
            h = z * h + (1 - z) * candidate
            hiddens.append(h)
        }
        return (concat(hiddens).matmul(W_hq) + b_q, [h])
    }
}
