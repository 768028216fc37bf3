import Foundation

/// `--shard K/N`: the K-th of N disjoint shares of the chapters, for spreading `lessons run` or
/// `lessons grade` over the jobs of a CI matrix. Shares are balanced by recorded run time
/// (longest first, each to the least loaded shard) and depend only on the chapter ids and the
/// times, so every job computes the same split: jobs must read the same times, which is why a
/// committed timings file wins over each machine's own results cache.
public struct Shard: Equatable, Sendable, CustomStringConvertible {
    /// 1-based.
    public var index: Int
    public var count: Int

    /// Parses `K/N` with 1 ≤ K ≤ N.
    public init?(_ text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let index = Int(parts[0]), let count = Int(parts[1]), count >= 1, (1...count).contains(index) else {
            return nil
        }
        self.index = index; self.count = count
    }

    public var description: String { "\(index)/\(count)" }

    /// All `count` shares of `ids`; an id without a recorded time counts as the mean of the others.
    public static func split(_ ids: [String], weights: [String: Double], into count: Int) -> [[String]] {
        let known = ids.compactMap { weights[$0] }.filter { $0.isFinite && $0 >= 0 }
        let fallback = known.isEmpty ? 1 : known.reduce(0, +) / Double(known.count)
        let weight = { (id: String) -> Double in weights[id].flatMap { $0.isFinite && $0 >= 0 ? $0 : nil } ?? fallback }
        let order = Array(Set(ids)).sorted { (weight($0), $1) > (weight($1), $0) }  // heaviest first, then by id
        var shares = [[String]](repeating: [], count: count)
        var loads = [Double](repeating: 0, count: count)
        for id in order {
            let lightest = loads.indices.min { (loads[$0], $0) < (loads[$1], $1) }!
            shares[lightest].append(id)
            loads[lightest] += weight(id)
        }
        return shares.map { $0.sorted() }
    }

    /// This shard's share of `ids`, in id order.
    public func select(_ ids: [String], weights: [String: Double]) -> [String] {
        Self.split(ids, weights: weights, into: count)[index - 1]
    }
}

/// Recorded seconds per chapter, for balancing shards: `timings.json` at the project root,
/// written by `lessons report merge --timings` from a full run's reports.
///
///     {"grade": {"10-rnn-scratch": 12.5, …}, "run": {"10-rnn-scratch": 431.2, …}}
public struct Timings: Codable, Equatable, Sendable {
    public var run: [String: Double]
    public var grade: [String: Double]

    public init(run: [String: Double] = [:], grade: [String: Double] = [:]) { self.run = run; self.grade = grade }

    public static func fileURL(in root: URL) -> URL { root.appendingPathComponent("timings.json") }

    /// The file, or nil when there is none; throws when it exists but cannot be read.
    public static func load(_ url: URL) throws -> Timings? {
        guard FileManager.default.fileExists(atPath: url.path) else { return nil }
        do { return try JSONDecoder().decode(Timings.self, from: Data(contentsOf: url)) } catch {
            throw LibraryError("\(url.path) is not a timings file: \(error.localizedDescription)")
        }
    }

    public func write(to url: URL) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        var data = try encoder.encode(self)
        data.append(0x0A)
        try AtomicFile.write(data, to: url)
    }
}
