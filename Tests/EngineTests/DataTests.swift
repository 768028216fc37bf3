import Engine
import Foundation
import XCTest

/// Where the tests find the real datasets: `LESSONS_DATA_DIR` if set (CI sets it to
/// `../shared/data`, relative to the repository), else `../shared/data` beside the package
/// root, else `/work/shared/data`. The package root comes from this file's path.
enum DataFixtures {
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // EngineTests
        .deletingLastPathComponent()  // Tests
        .deletingLastPathComponent()

    static var dataDirectory: URL {
        let fileManager = FileManager.default
        if let dir = ProcessInfo.processInfo.environment["LESSONS_DATA_DIR"], !dir.isEmpty {
            if dir.hasPrefix("/") { return URL(fileURLWithPath: dir, isDirectory: true) }
            // Relative: to the working directory if it is there, else to the package root.
            let fromWorkingDirectory = URL(fileURLWithPath: dir, isDirectory: true)
            if fileManager.fileExists(atPath: fromWorkingDirectory.path) { return fromWorkingDirectory }
            return packageRoot.appendingPathComponent(dir, isDirectory: true).standardizedFileURL
        }
        let beside = packageRoot.appendingPathComponent("../shared/data", isDirectory: true)
            .standardizedFileURL
        if fileManager.fileExists(atPath: beside.path) { return beside }
        return URL(fileURLWithPath: "/work/shared/data", isDirectory: true)
    }

    /// A store that can only use the real data directory: not the user's cache, no download.
    static func offlineStore() -> DataStore {
        DataStore(dataDirectory: dataDirectory, environment: ["LESSONS_CACHE_DIR": unusedPath().path],
                  allowsDownload: false)
    }

    /// A path in the temporary folder that nothing uses yet.
    static func unusedPath() -> URL {
        FileManager.default.temporaryDirectory
            .appendingPathComponent("lessons-data-tests-\(UUID().uuidString)", isDirectory: true)
    }

    /// A fresh, empty directory; the caller removes it.
    static func temporaryDirectory() throws -> URL {
        let url = unusedPath()
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}

final class DataTests: XCTestCase {
    // MARK: SHA-1

    func testSHA1KnownVectors() {
        XCTAssertEqual(sha1Hex(Data()), "da39a3ee5e6b4b0d3255bfef95601890afd80709")
        XCTAssertEqual(sha1Hex(Data("abc".utf8)), "a9993e364706816aba3e25717850c26c9cd0d89d")
        XCTAssertEqual(sha1Hex(Data("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8)),
                       "84983e441c3bd26ebaae4aa1f95129e5e54670f1")
        XCTAssertEqual(sha1Hex(Data(repeating: UInt8(ascii: "a"), count: 1_000_000)),
                       "34aa973cd4c4daa4f61eeb2bdbad27316534016f")
    }

    /// Lengths around the padding boundary (55 fits one block, 56 needs a second).
    func testSHA1PaddingBoundaries() {
        let a = UInt8(ascii: "a")
        XCTAssertEqual(sha1Hex(Data(repeating: a, count: 55)), "c1c8bbdc22796e28c0e15163d20899b65621d65a")
        XCTAssertEqual(sha1Hex(Data(repeating: a, count: 56)), "c2db330f6083854c99d4b5bfb6e8f29f201be699")
        XCTAssertEqual(sha1Hex(Data(repeating: a, count: 64)), "0098ba824b5c16427bd7a1122a5a442a25ec644d")
    }

    /// The README's checksums, against both the files and the registry.
    func testSHA1OfTheDatasetFiles() throws {
        let published = [
            "jaychou_lyrics.txt.zip": "9529987e701a4f37048ab778270a5dde9a762a0b",
            "timemachine.txt": "090b5e7e70c295757f55df93cb0a180b9691891a",
            "ptb.zip": "319d85e578af0cdc590547f26231e4e31cdf1e42",
        ]
        for (name, sha1) in published {
            let bytes = try Data(contentsOf: DataFixtures.dataDirectory.appendingPathComponent(name))
            XCTAssertEqual(sha1Hex(bytes), sha1, name)
            XCTAssertEqual(DatasetSpec.named(name)?.sha1, sha1, name)
        }
        XCTAssertEqual(Set(DatasetSpec.all.map(\.name)), Set(published.keys))
    }

    // MARK: Vocab

    func testVocabFirstOccurrenceOrderWithReservedTokensFirst() {
        let vocab = Vocab(["b", "a", "b", "c", "a"], reservedTokens: ["<unk>"])
        XCTAssertEqual(vocab.tokens, ["<unk>", "b", "a", "c"])
        XCTAssertEqual(vocab.count, 4)
        XCTAssertEqual(vocab.index(of: "a"), 2)
        XCTAssertEqual(vocab[3], "c")
        XCTAssertEqual(vocab.indices(of: ["c", "a", "zzz"]), [3, 2, 0])
        XCTAssertEqual(vocab.tokens(at: [1, 2, 3]), ["b", "a", "c"])
        XCTAssertFalse(vocab.contains("zzz"))
    }

    func testVocabWithoutUnknownTokenHasNoIndexForUnknownTokens() {
        let vocab = Vocab(["x", "y"])
        XCTAssertNil(vocab.index(of: "z"))
        XCTAssertNil(vocab.unknownIndex)
        XCTAssertEqual(vocab.index(of: "y"), 1)
    }

    // MARK: Corpora

    func testCorpusFromTextIsOneTokenPerUnicodeScalar() {
        let corpus = Corpus(characters: "ab\r\nba")
        XCTAssertEqual(corpus.vocab.tokens, ["a", "b", "\r", "\n"])
        XCTAssertEqual(corpus.indices, [0, 1, 2, 3, 1, 0])
        XCTAssertEqual(corpus.tokens.joined(), "ab\r\nba")
        XCTAssertEqual(corpus.count, 6)
    }

    func testJayChouLyrics() throws {
        let corpus = try Corpus.jayChouLyrics(store: DataFixtures.offlineStore())
        XCTAssertEqual(corpus.indices.count, 10_000)
        XCTAssertEqual(corpus.vocab.count, 1_027)
        XCTAssertEqual(corpus.tokens.prefix(13).joined(), "想要有直升机 想要和你飞到")
        XCTAssertFalse(corpus.vocab.contains("\n"))
        XCTAssertFalse(corpus.vocab.contains("\r"))
        XCTAssertEqual(corpus.indices.prefix(8), [0, 1, 2, 3, 4, 5, 6, 0])
    }

    func testJayChouLyricsUncut() throws {
        let corpus = try Corpus.jayChouLyrics(store: DataFixtures.offlineStore(), maxCharacters: nil)
        XCTAssertEqual(corpus.count, 63_282)
    }

    func testTimeMachine() throws {
        let full = try Corpus.timeMachine(store: DataFixtures.offlineStore(), maxTokens: nil)
        XCTAssertEqual(full.count, 170_580)
        XCTAssertEqual(full.vocab.count, 28)

        let corpus = try Corpus.timeMachine(store: DataFixtures.offlineStore())
        XCTAssertEqual(corpus.count, 10_000)
        XCTAssertEqual(corpus.vocab.count, 28)
        XCTAssertEqual(corpus.vocab.tokens.first, "<unk>")
        XCTAssertEqual(Set(corpus.vocab.tokens), Set("abcdefghijklmnopqrstuvwxyz ".map(String.init) + ["<unk>"]))
        // Lines are joined with no separator: "...h g wells" + "i" + "the time traveller".
        XCTAssertEqual(corpus.tokens.prefix(48).joined(), "the time machine by h g wellsithe time traveller")
    }

    func testTimeMachineLineCleaning() {
        let lines = Corpus.timeMachineLines("The Time-Machine, 1898!\n\n  H. G. Wells  \r\nend")
        XCTAssertEqual(lines, ["the time machine", "", "h g wells", "end"])
    }

    func testPennTreebank() throws {
        let ptb = try PennTreebank.load(store: DataFixtures.offlineStore())
        let eos = try XCTUnwrap(ptb.vocab.index(of: "<eos>"))
        XCTAssertEqual(ptb.vocab.count, 10_000)
        XCTAssertTrue(ptb.vocab.contains("<unk>"))
        XCTAssertEqual(ptb.train.count, 887_521 + 42_068)
        XCTAssertEqual(ptb.train.filter { $0 == eos }.count, 42_068)
        XCTAssertEqual(ptb.valid.count, 70_390 + 3_370)
        XCTAssertEqual(ptb.test.count, 78_669 + 3_761)
        XCTAssertEqual(ptb.vocab.tokens(at: ptb.train.prefix(3)), ["aer", "banknote", "berlitz"])
        XCTAssertEqual(ptb.train.last, eos)
    }

    func testPTBTokenizeAppendsEndOfSentencePerLine() {
        XCTAssertEqual(PennTreebank.tokenize(" a  b \n\nc\n"), ["a", "b", "<eos>", "<eos>", "c", "<eos>"])
    }
}
