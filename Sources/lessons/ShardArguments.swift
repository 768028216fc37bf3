import ArgumentParser
import Foundation
import Notebook

/// `--shard K/N` and `--timings FILE`, shared by `run` and `grade`.
struct ShardArguments: ParsableArguments {
    @Option(help: ArgumentHelp("Run only the K-th of N shares of the chapters, balanced by recorded run time (for a CI matrix).",
                               valueName: "K/N"))
    var shard: String?

    @Option(help: ArgumentHelp("Recorded times to balance shards by: a timings file (default: timings.json in the project, "
                               + "else none), or `cache` for this machine's stored results.", valueName: "file"))
    var timings: String?

    enum Kind { case run, grade }

    func validate() throws {
        if let shard, Shard(shard) == nil { throw ValidationError("--shard must be K/N with 1 ≤ K ≤ N, e.g. 2/4.") }
        if timings != nil && shard == nil { throw ValidationError("--timings only applies with --shard.") }
    }

    /// This shard's share of `ids` (all of them without --shard), saying on stderr which it took.
    func share(of ids: [String], kind: Kind, pipeline: Pipeline) throws -> [String] {
        guard let text = shard, let shard = Shard(text) else { return ids }
        var weights: [String: Double] = [:]
        var source = "no recorded times: every chapter counts the same"
        let file = timings.map { URL(fileURLWithPath: $0) } ?? Timings.fileURL(in: pipeline.root)
        do {
            if timings == "cache" {
                // Every job of the matrix must see the same cache, or shards overlap: a job that runs
                // a chapter updates its time. A committed timings file has no such trap.
                for id in ids { if let seconds = pipeline.lastResult(for: id).entry?.report.seconds { weights[id] = seconds } }
                source = "times from this machine's results cache; every job must see the same one"
            } else if let recorded = try Timings.load(file) {
                weights = kind == .run ? recorded.run : recorded.grade
                source = "times from \(file.lastPathComponent)"
            } else if timings != nil {
                throw LibraryError("--timings \(file.path): no such file")
            }
        } catch {
            Console.error(explain(error))
            throw ExitCode(ExitStatus.chapterError)
        }
        let chosen = shard.select(ids, weights: weights)
        Console.err(Console.errStyle.dim("shard \(shard): \(chosen.count) of \(ids.count) chapters (\(source)): "
                                         + (chosen.isEmpty ? "none" : chosen.joined(separator: ", "))) + "\n")
        return chosen
    }
}
