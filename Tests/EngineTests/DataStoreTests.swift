import Engine
import Foundation
import XCTest

/// The search order, the checksum check and the download path, each on temporary folders
/// so that no test reads or writes the user's cache or needs the network.
final class DataStoreTests: XCTestCase {
    private var scratch: URL!

    override func setUpWithError() throws {
        scratch = try DataFixtures.temporaryDirectory()
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: scratch)
    }

    private func folder(_ name: String) throws -> URL {
        let url = scratch.appendingPathComponent(name, isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    private func files(in directory: URL) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []).sorted()
    }

    /// A small dataset of our own whose canonical URL is a local file.
    private func tinySpec(_ bytes: Data, name: String = "tiny.txt") throws -> DatasetSpec {
        let source = try folder("server").appendingPathComponent(name)
        try bytes.write(to: source)
        return DatasetSpec(name: name, sha1: sha1Hex(bytes), url: source)
    }

    private let refusingFetcher: DataFetcher = { url in
        throw URLError(.notConnectedToInternet, userInfo: [NSLocalizedDescriptionKey: "no network in tests"])
    }

    // MARK: where it looks

    func testCacheDirectoryDefaultsToHomeCacheAndFollowsEnvironment() {
        let home = FileManager.default.homeDirectoryForCurrentUser
        XCTAssertEqual(DataStore(environment: [:]).cacheDirectory.standardizedFileURL.path,
                       home.appendingPathComponent(".cache/lessons/data").standardizedFileURL.path)
        XCTAssertEqual(DataStore(environment: ["LESSONS_CACHE_DIR": "/tmp/x"]).cacheDirectory.path, "/tmp/x")
        XCTAssertNil(DataStore(environment: [:]).dataDirectory)
    }

    func testExplicitDirectoryWinsOverEnvironment() throws {
        let explicit = try folder("explicit"), fromEnvironment = try folder("env")
        let bytes = Data("hello".utf8)
        let spec = try tinySpec(bytes)
        try bytes.write(to: explicit.appendingPathComponent(spec.name))
        try bytes.write(to: fromEnvironment.appendingPathComponent(spec.name))
        let environment = ["LESSONS_DATA_DIR": fromEnvironment.path, "LESSONS_CACHE_DIR": scratch.path + "/cache"]

        let store = DataStore(dataDirectory: explicit, environment: environment, fetch: refusingFetcher)
        XCTAssertEqual(try store.url(for: spec).path, explicit.appendingPathComponent(spec.name).path)

        let envStore = DataStore(environment: environment, fetch: refusingFetcher)
        XCTAssertEqual(try envStore.url(for: spec).path, fromEnvironment.appendingPathComponent(spec.name).path)
        XCTAssertEqual(try envStore.data(for: spec), bytes)
    }

    func testFileMissingFromDataDirectoryIsTakenFromTheCache() throws {
        let bytes = Data("cached".utf8)
        let spec = try tinySpec(bytes)
        let cache = try folder("cache")
        try bytes.write(to: cache.appendingPathComponent(spec.name))
        let store = DataStore(dataDirectory: try folder("data"), environment: ["LESSONS_CACHE_DIR": cache.path],
                              fetch: refusingFetcher)
        XCTAssertEqual(try store.data(for: spec), bytes)
    }

    // MARK: checksums

    func testCorruptedDatasetThrowsChecksumErrorNamingFileAndBothHashes() throws {
        let data = try folder("data")
        var bytes = try Data(contentsOf: DataFixtures.dataDirectory.appendingPathComponent("timemachine.txt"))
        bytes[1000] ^= 0x01
        try bytes.write(to: data.appendingPathComponent("timemachine.txt"))
        let store = DataStore(dataDirectory: data, environment: ["LESSONS_CACHE_DIR": scratch.path + "/cache"],
                              fetch: refusingFetcher)

        XCTAssertThrowsError(try Corpus.timeMachine(store: store)) { error in
            guard case let DataError.checksumMismatch(file, _, expected, actual, _, _) = error else {
                return XCTFail("expected a checksum mismatch, got \(error)")
            }
            XCTAssertEqual(file, "timemachine.txt")
            XCTAssertEqual(expected, "090b5e7e70c295757f55df93cb0a180b9691891a")
            XCTAssertEqual(actual, sha1Hex(bytes))
            let message = "\(error)"
            XCTAssertTrue(message.contains("timemachine.txt"), message)
            XCTAssertTrue(message.contains("090b5e7e70c295757f55df93cb0a180b9691891a"), message)
            XCTAssertTrue(message.contains(sha1Hex(bytes)), message)
            XCTAssertEqual(error.localizedDescription, message)
        }
    }

    /// A bad file is an error, not a reason to look further: the good cached copy is not used.
    func testCorruptFileIsNotSkippedInFavourOfALaterPlace() throws {
        let good = Data("good".utf8)
        let spec = try tinySpec(good)
        let data = try folder("data"), cache = try folder("cache")
        try Data("bad!".utf8).write(to: data.appendingPathComponent(spec.name))
        try good.write(to: cache.appendingPathComponent(spec.name))
        let store = DataStore(dataDirectory: data, environment: ["LESSONS_CACHE_DIR": cache.path])
        XCTAssertThrowsError(try store.data(for: spec)) { error in
            guard case DataError.checksumMismatch = error else { return XCTFail("got \(error)") }
        }
    }

    func testCorruptCachedFileIsNeitherUsedNorSilentlyReplaced() throws {
        let good = Data("good".utf8)
        let spec = try tinySpec(good)
        let cache = try folder("cache")
        try Data("bad!".utf8).write(to: cache.appendingPathComponent(spec.name))
        let fetches = Counter()
        let store = DataStore(environment: ["LESSONS_CACHE_DIR": cache.path],
                              fetch: { fetches.increment(); return try DataStore.defaultFetcher($0) })
        XCTAssertThrowsError(try store.data(for: spec)) { error in
            guard case DataError.checksumMismatch(_, _, _, _, _, inCache: true) = error else {
                return XCTFail("got \(error)")
            }
            XCTAssertTrue("\(error)".contains("Delete"), "\(error)")
        }
        XCTAssertEqual(fetches.value, 0)
    }

    // MARK: missing files

    func testMissingFileErrorListsEveryPlaceSearchedAndWhatToDo() throws {
        let data = scratch.appendingPathComponent("nowhere", isDirectory: true)
        let cache = scratch.appendingPathComponent("cache", isDirectory: true)
        let store = DataStore(dataDirectory: data, environment: ["LESSONS_CACHE_DIR": cache.path],
                              fetch: refusingFetcher)
        XCTAssertThrowsError(try store.data(named: "ptb.zip")) { error in
            guard case let DataError.notFound(file, searched, failure) = error else {
                return XCTFail("expected notFound, got \(error)")
            }
            XCTAssertEqual(file, "ptb.zip")
            XCTAssertEqual(searched.count, 3)
            XCTAssertNotNil(failure)
            let message = "\(error)"
            for expected in [data.appendingPathComponent("ptb.zip").path, cache.appendingPathComponent("ptb.zip").path,
                             DatasetSpec.ptb.url.absoluteString, "no network in tests", "LESSONS_DATA_DIR"] {
                XCTAssertTrue(message.contains(expected), "missing \(expected) in:\n\(message)")
            }
        }
        XCTAssertEqual(files(in: cache), [], "a failed download leaves nothing in the cache")
    }

    /// Foundation's own download error, as seen offline: the message is in the underlying
    /// error, and printing the error whole gave a dump of both dictionaries.
    func testADownloadFailureReadsAsOneSentence() throws {
        let underlying = NSError(domain: NSURLErrorDomain, code: -1003,
                                 userInfo: [NSLocalizedDescriptionKey: "Could not resolve host: example.org"])
        let store = DataStore(environment: ["LESSONS_CACHE_DIR": scratch.path], fetch: { _ in
            throw NSError(domain: NSURLErrorDomain, code: -1003, userInfo: [NSUnderlyingErrorKey: underlying])
        })
        XCTAssertThrowsError(try store.data(named: "ptb.zip")) { error in
            let message = "\(error)"
            XCTAssertTrue(message.contains("The download failed: Could not resolve host: example.org"), message)
            XCTAssertFalse(message.contains("Error Domain"), message)
        }
    }

    func testMissingFileWithDownloadsOffSaysSo() throws {
        let store = DataStore(environment: ["LESSONS_CACHE_DIR": scratch.path], allowsDownload: false)
        XCTAssertThrowsError(try store.data(for: DatasetSpec.jayChouLyrics)) { error in
            XCTAssertTrue("\(error)".contains("downloads are turned off"), "\(error)")
            XCTAssertTrue("\(error)".contains(scratch.appendingPathComponent("jaychou_lyrics.txt.zip").path))
        }
    }

    func testUnknownDatasetName() {
        XCTAssertThrowsError(try DataStore(environment: [:]).data(named: "mnist.zip")) { error in
            XCTAssertEqual(error as? DataError, .unknownDataset(name: "mnist.zip"))
        }
    }

    // MARK: downloading

    func testDownloadFromFileURLLandsInTheCacheVerifiedAndIsReused() throws {
        let bytes = Data((0..<5000).map { UInt8(truncatingIfNeeded: $0 &* 31) })
        let spec = try tinySpec(bytes, name: "tiny.bin")
        let cache = scratch.appendingPathComponent("new/cache", isDirectory: true)  // not made yet
        let fetches = Counter()
        let store = DataStore(environment: ["LESSONS_CACHE_DIR": cache.path],
                              fetch: { fetches.increment(); return try DataStore.defaultFetcher($0) })

        XCTAssertEqual(try store.data(for: spec), bytes)
        XCTAssertEqual(fetches.value, 1)
        XCTAssertEqual(files(in: cache), ["tiny.bin"], "only the finished file, no temporary left behind")
        XCTAssertEqual(try Data(contentsOf: cache.appendingPathComponent("tiny.bin")), bytes)

        XCTAssertEqual(try store.url(for: spec).path, cache.appendingPathComponent("tiny.bin").path)
        XCTAssertEqual(fetches.value, 1, "the second lookup is served by the cache")
    }

    func testDownloadWithWrongContentIsRejectedAndNotCached() throws {
        let spec = try tinySpec(Data("expected".utf8))
        let cache = try folder("cache")
        let store = DataStore(environment: ["LESSONS_CACHE_DIR": cache.path],
                              fetch: { _ in Data("<html>404</html>".utf8) })
        XCTAssertThrowsError(try store.data(for: spec)) { error in
            guard case let DataError.checksumMismatch(_, path, _, actual, _, _) = error else {
                return XCTFail("got \(error)")
            }
            XCTAssertEqual(path, spec.url.absoluteString)
            XCTAssertEqual(actual, sha1Hex(Data("<html>404</html>".utf8)))
        }
        XCTAssertEqual(files(in: cache), [])
    }

    /// The real network path (URLSession) reports a refused connection as a failed download.
    func testDefaultFetcherReportsUnreachableServer() throws {
        let spec = DatasetSpec(name: "x.txt", sha1: String(repeating: "0", count: 40),
                               url: URL(string: "http://127.0.0.1:9/x.txt")!)
        let store = DataStore(environment: ["LESSONS_CACHE_DIR": scratch.path])
        XCTAssertThrowsError(try store.data(for: spec)) { error in
            guard case DataError.notFound(_, _, let failure?) = error else { return XCTFail("got \(error)") }
            XCTAssertFalse(failure.isEmpty)
        }
    }
}

/// A thread-safe count, for fetch closures (which must be `@Sendable`).
final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    var value: Int { lock.lock(); defer { lock.unlock() }; return count }
    func increment() { lock.lock(); count += 1; lock.unlock() }
}
