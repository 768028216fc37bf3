import XCTest
@testable import Notebook

/// The results cache: atomic files, and staleness whenever an input of the result changes.
final class CacheResultsTests: XCTestCase {
    private var root: URL!
    private var cache: ResultsCache!

    override func setUpWithError() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("cache-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        cache = ResultsCache(root: root)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: root)
    }

    private func inputs(chapter: Chapter = Sample.chapter(), expected: String = Sample.expectedJSON,
                        program: String? = "prog1", toolchain: String = "Swift 6.3.1",
                        parameters: [String: String] = [:], seed: Int = 0, profile: String? = "full",
                        data: [String] = ["a", "b"]) -> ResultKeyInputs {
        ResultKeyInputs(chapter: chapter, expected: Data(expected.utf8), programKey: program, toolchain: toolchain,
                        parameters: parameters, seed: seed, profile: profile, data: data)
    }

    private func report(failed: Bool = false) -> ChapterReport {
        let verdict: CheckOutcome.Verdict = failed ? .failed : .passed
        return ChapterReport(chapterID: "12-gru", profile: "full", result: Sample.run(),
                             outcomes: [CheckOutcome(cell: "train", kind: .metric, title: "final perplexity",
                                                     verdict: verdict, measured: .nan)])
    }

    /// The status of the chapter's first stored result (`full` first), as `lessons list` shows it.
    private func status(_ now: ResultKeyInputs?) -> ResultStatus {
        cache.entries(for: "12-gru").first.map { ResultsCache.status(of: $0, current: now) } ?? .never
    }

    func testStoreThenLoadLeavesOnlyTheResultFile() throws {
        try cache.store(report(), inputs: inputs())
        try cache.store(report(failed: true), inputs: inputs())
        let entries = cache.entries(for: "12-gru")
        XCTAssertEqual(entries.count, 1)
        XCTAssertEqual(entries.first?.report.outcomes.first?.verdict, .failed, "the last result wins")
        XCTAssertEqual(entries.first?.report.outcomes.first?.measured?.isNaN, true)
        let folder = cache.directory.appendingPathComponent("12-gru")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.path), ["full.json"])
        XCTAssertEqual(cache.url(for: "12-gru", variant: "full").path,
                       root.appendingPathComponent(".lessons/results/12-gru/full.json").path)
    }

    /// The old cache kept one result per chapter, so a smoke run evicted the full run's result.
    func testOneResultPerProfileAndPerUnjudgedParameters() throws {
        try cache.store(report(), inputs: inputs())
        var smoke = report(failed: true)
        smoke.profile = "smoke"
        try cache.store(smoke, inputs: inputs(parameters: ["epochs": "5"], profile: "smoke"))
        try cache.store(report(), inputs: inputs(parameters: ["epochs": "7"], profile: nil))
        try cache.store(report(), inputs: inputs(parameters: ["epochs": "8"], profile: nil))
        let entries = cache.entries(for: "12-gru")
        XCTAssertEqual(entries.count, 4)
        XCTAssertEqual(entries.first?.inputs.variant, "full", "full comes first, whatever is newer")
        XCTAssertEqual(Set(entries.map(\.inputs.variant)).count, 4)
        XCTAssertEqual(status(inputs()).word, "passed")
    }

    func testConcurrentStoresLeaveOneWholeFile() throws {
        let cache = self.cache!
        let inputs = self.inputs()
        let reports = (0..<16).map { seed -> ChapterReport in var r = report(); r.seed = seed; return r }
        let failures = Counter()
        DispatchQueue.concurrentPerform(iterations: reports.count) { i in
            do { try cache.store(reports[i], inputs: inputs) } catch { failures.increment() }
        }
        XCTAssertEqual(failures.value, 0)
        XCTAssertEqual(cache.entries(for: "12-gru").count, 1, "decodes: no interleaved writes")
        let folder = cache.directory.appendingPathComponent("12-gru")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.path), ["full.json"])
    }

    func testStatusIsCurrentWhileNothingChanged() throws {
        XCTAssertEqual(status(inputs()).word, "never")
        try cache.store(report(), inputs: inputs())
        XCTAssertEqual(status(inputs()).word, "passed")
        try cache.store(report(failed: true), inputs: inputs())
        XCTAssertEqual(status(inputs()).word, "failed")
    }

    func testEveryInputMakesTheResultStale() throws {
        try cache.store(report(), inputs: inputs())
        var edited = Sample.chapter()
        edited.cells[1].code = "train(epochs: 41)"
        var prose = Sample.chapter()
        prose.source += "More prose.\n"
        prose.cells[1].line += 3
        XCTAssertEqual(staleness(inputs(chapter: prose)), [], "prose and line numbers do not count")

        XCTAssertEqual(staleness(inputs(chapter: edited)), ["cells"])
        XCTAssertEqual(staleness(inputs(expected: Sample.expectedJSON + " ")), ["Expected file"])
        XCTAssertEqual(staleness(inputs(program: "prog2")), ["program or Engine build"])
        XCTAssertEqual(staleness(inputs(program: nil)), ["program or Engine build"])
        XCTAssertEqual(staleness(inputs(toolchain: "Swift 6.4")), ["toolchain"])
        XCTAssertEqual(staleness(inputs(parameters: ["epochs": "5"])), ["parameters"])
        XCTAssertEqual(staleness(inputs(seed: 1)), ["seed"])
        XCTAssertEqual(staleness(inputs(profile: nil)), ["profile"])
        XCTAssertEqual(staleness(inputs(data: ["a", "c"])), ["data"])
    }

    func testUnreadableEntryCountsAsNever() throws {
        let url = cache.url(for: "12-gru", variant: "full")
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data("{half a fi".utf8).write(to: url)
        XCTAssertEqual(status(inputs()), .never)
    }

    func testInputsThatCannotBeComputedAreStale() throws {
        try cache.store(report(), inputs: inputs())
        guard case .stale(let changed, _) = status(nil) else { return XCTFail("\(status(nil))") }
        XCTAssertEqual(changed, ["chapter"])
    }

    /// What changed according to the cache, or [] when the stored result is still current.
    private func staleness(_ now: ResultKeyInputs) -> [String] {
        switch status(now) {
        case .stale(let changed, _): return changed
        case .current: return []
        case .never: return ["never"]
        }
    }
}

/// A thread-safe count, for work done in `concurrentPerform`.
final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    func increment() { lock.lock(); count += 1; lock.unlock() }
    var value: Int { lock.lock(); defer { lock.unlock() }; return count }
}
