import Engine
import XCTest

/// The d2l samplers on the corpus 0…29 with batch 2 and steps 6. The expected batches are
/// worked out by hand from the definitions in `shared/reference/experiments.md`.
final class DataSamplersTests: XCTestCase {
    let corpus = Array(0..<30)

    private func row(_ range: ClosedRange<Int>) -> [Int] { Array(range) }

    func testConsecutiveBatches() {
        // batch_len = 30 / 2 = 15, epoch_size = (15 - 1) / 6 = 2; rows 0…14 and 15…29.
        let batches = consecutiveBatches(corpus: corpus, batchSize: 2, steps: 6)
        XCTAssertEqual(batches, [
            Batch(inputs: [row(0...5), row(15...20)], targets: [row(1...6), row(16...21)]),
            Batch(inputs: [row(6...11), row(21...26)], targets: [row(7...12), row(22...27)]),
        ])
    }

    func testSequentialBatchesAtOffsetZero() {
        // num_tokens = (29 / 2) * 2 = 28: rows 0…13 and 14…27; 14 / 6 = 2 batches.
        XCTAssertEqual(sequentialBatches(corpus: corpus, batchSize: 2, steps: 6, offset: 0), [
            Batch(inputs: [row(0...5), row(14...19)], targets: [row(1...6), row(15...20)]),
            Batch(inputs: [row(6...11), row(20...25)], targets: [row(7...12), row(21...26)]),
        ])
    }

    func testSequentialBatchesAtOffsetFive() {
        // num_tokens = (24 / 2) * 2 = 24 from 5: rows 5…16 and 17…28; 12 / 6 = 2 batches.
        XCTAssertEqual(sequentialBatches(corpus: corpus, batchSize: 2, steps: 6, offset: 5), [
            Batch(inputs: [row(5...10), row(17...22)], targets: [row(6...11), row(18...23)]),
            Batch(inputs: [row(11...16), row(23...28)], targets: [row(12...17), row(24...29)]),
        ])
    }

    func testSequentialBatchesAtOffsetSix() {
        // num_tokens = (23 / 2) * 2 = 22 from 6: rows 6…16 and 17…27; 11 / 6 = 1 batch.
        XCTAssertEqual(sequentialBatches(corpus: corpus, batchSize: 2, steps: 6, offset: 6), [
            Batch(inputs: [row(6...11), row(17...22)], targets: [row(7...12), row(18...23)]),
        ])
    }

    func testSequentialRandomOffsetIsDrawnFromZeroThroughSteps() {
        var generator = RandomGenerator(seed: 7)
        var offsets = Set<Int>()
        for _ in 0..<300 {
            let batches = sequentialBatches(corpus: corpus, batchSize: 2, steps: 6, using: &generator)
            let offset = batches[0].inputs[0][0]
            XCTAssertEqual(batches, sequentialBatches(corpus: corpus, batchSize: 2, steps: 6, offset: offset))
            offsets.insert(offset)
        }
        XCTAssertEqual(offsets, Set(0...6))
    }

    func testRandomBatchesCoverEachExampleOncePerEpoch() {
        // num_examples = (30 - 1) / 6 = 4 (starting at 0, 6, 12, 18), epoch_size = 4 / 2 = 2.
        var generator = RandomGenerator(seed: 1)
        for _ in 0..<20 {
            let batches = randomBatches(corpus: corpus, batchSize: 2, steps: 6, using: &generator)
            XCTAssertEqual(batches.count, 2)
            let examples = batches.flatMap(\.inputs)
            XCTAssertEqual(examples.sorted { $0[0] < $1[0] }, [row(0...5), row(6...11), row(12...17), row(18...23)])
            for batch in batches {
                XCTAssertEqual(batch.batchSize, 2)
                XCTAssertEqual(batch.steps, 6)
                XCTAssertEqual(batch.targets, batch.inputs.map { $0.map { $0 + 1 } })
            }
        }
    }

    func testRandomBatchesShuffleWithTheGeneratorPassedIn() {
        var a = RandomGenerator(seed: 42), b = RandomGenerator(seed: 42)
        let first = randomBatches(corpus: corpus, batchSize: 2, steps: 6, using: &a)
        XCTAssertEqual(first, randomBatches(corpus: corpus, batchSize: 2, steps: 6, using: &b))
        // Later epochs draw new orders: among 20 epochs not all 4! orders can be the same.
        var orders = Set<[Int]>()
        for _ in 0..<20 {
            orders.insert(randomBatches(corpus: corpus, batchSize: 2, steps: 6, using: &a).flatMap { $0.inputs.map { $0[0] } })
        }
        XCTAssertGreaterThan(orders.count, 1)
    }

    func testRandomBatchesDropTheExamplesThatDoNotFillABatch() {
        // 0…30: num_examples = 30 / 6 = 5; batch 3 gives one batch of 3 examples.
        var generator = RandomGenerator(seed: 3)
        let batches = randomBatches(corpus: Array(0...30), batchSize: 3, steps: 6, using: &generator)
        XCTAssertEqual(batches.count, 1)
        XCTAssertEqual(batches[0].inputs.count, 3)
        XCTAssertTrue(batches[0].inputs.allSatisfy { $0[0] % 6 == 0 && $0[0] <= 24 })
    }

    func testCorporaTooShortForOneBatchGiveNoBatches() {
        var generator = RandomGenerator(seed: 0)
        let tiny = [0, 1, 2]
        XCTAssertEqual(consecutiveBatches(corpus: tiny, batchSize: 2, steps: 6), [])
        XCTAssertEqual(sequentialBatches(corpus: tiny, batchSize: 2, steps: 6, offset: 5), [])
        XCTAssertEqual(randomBatches(corpus: tiny, batchSize: 2, steps: 6, using: &generator), [])
        XCTAssertEqual(randomBatches(corpus: [], batchSize: 2, steps: 6, using: &generator), [])
    }

    /// The lyrics experiments' settings (batch 32, steps 35) on 10,000 characters.
    func testBatchCountsOnTheLyricsCorpus() throws {
        let corpus = try Corpus.jayChouLyrics(store: DataFixtures.offlineStore()).indices
        var generator = RandomGenerator(seed: 0)
        // batch_len = 312, epoch_size = 311 / 35 = 8.
        XCTAssertEqual(consecutiveBatches(corpus: corpus, batchSize: 32, steps: 35).count, 8)
        // num_examples = 9999 / 35 = 285, epoch_size = 285 / 32 = 8.
        let random = randomBatches(corpus: corpus, batchSize: 32, steps: 35, using: &generator)
        XCTAssertEqual(random.count, 8)
        XCTAssertEqual(random[0].inputs.count, 32)
        XCTAssertEqual(random[0].inputs[0].count, 35)
    }
}
