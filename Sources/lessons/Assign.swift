import ArgumentParser
import Foundation
import Grade
import Notebook

/// `lessons assign`: write the student release.
struct AssignCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "assign",
        abstract: "Write the student release: the chapters with their starter cells, the visible checks, Engine and the tool.",
        discussion: """
        Copies Chapters/ (every exercise cell as its starter, with its contract), Expected/, \
        Sources/, scripts/, docs/, bench/, the README and the non-grading tests, writes a \
        Package.swift without the grading tests and an EXERCISES.md listing every graded check \
        (the bar of hidden checks left out). Graders/ and Solutions/ are never copied; before \
        keeping the release, every file is scanned for the lines of every solution, grader and \
        harness, and a release with a match is refused (exit 2).

        Examples:
          lessons assign                  writes release/
          lessons assign --out ../course-release
        """)

    @Option(help: ArgumentHelp("Where to write the release (a new or empty folder).", valueName: "dir"))
    var out = "release"

    func run() throws {
        let pipeline = try findProject()
        let folder = URL(fileURLWithPath: out).standardizedFileURL
        do {
            let specs = try ExerciseSpec.all(in: pipeline.root.appendingPathComponent("Graders", isDirectory: true))
            let files = try Release(root: pipeline.root, specs: specs).write(to: folder)
            Console.out("wrote \(files.count) files to \(out): \(specs.count) graded exercises, no solutions, graders or hidden ranges\n")
        } catch {
            Console.error(explain(error))
            throw ExitCode(ExitStatus.chapterError)
        }
    }
}
