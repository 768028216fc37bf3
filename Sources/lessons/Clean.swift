import ArgumentParser
import Foundation
import Notebook

/// `lessons clean`: remove what `lessons` keeps under `.lessons/`.
struct CleanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "clean",
        abstract: "Remove compiled chapter programs (and, with --results, stored results).",
        discussion: """
        Compiled programs (.lessons/build, .lessons/module-cache) are rebuilt on the next run; \
        stored results (.lessons/results) are what `lessons list` and `lessons render` show, so \
        they are kept unless you pass --results. Reports you wrote with --json or --junit are \
        yours and are never touched.

        Examples:
          lessons clean
          lessons clean --results
        """)

    @Flag(help: "Also remove stored results.")
    var results = false

    func run() throws {
        let pipeline = try findProject()
        let state = pipeline.root.appendingPathComponent(".lessons", isDirectory: true)
        var folders = ["build", "module-cache"]
        if results { folders.append("results") }
        var removed: [String] = []
        for folder in folders {
            let url = state.appendingPathComponent(folder, isDirectory: true)
            guard FileManager.default.fileExists(atPath: url.path) else { continue }
            do { try FileManager.default.removeItem(at: url) } catch {
                Console.error("cannot remove \(url.path): \(error.localizedDescription)")
                throw ExitCode(ExitStatus.chapterError)
            }
            removed.append(".lessons/" + folder)
        }
        Console.out(removed.isEmpty ? "nothing to remove\n" : "removed " + removed.joined(separator: ", ") + "\n")
    }
}
