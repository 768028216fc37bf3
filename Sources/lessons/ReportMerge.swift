import ArgumentParser
import Foundation
import Grade
import Notebook

/// `lessons report`: work on reports already written.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Combine the JSON reports of sharded runs into one.",
        subcommands: [ReportMergeCommand.self])
}

/// `lessons report merge`: the shards of a CI matrix, back into one verdict and one set of reports.
struct ReportMergeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Merge the --json reports of `lessons grade --shard` (or `lessons run --shard`) jobs.",
        discussion: """
        Reads every FILE (all grade reports, or all run reports), checks that no chapter or \
        exercise appears twice, and writes what one unsharded run would have: the same JSON, \
        JUnit, Gradescope and Markdown reports, GitHub annotations, and the exit code of that \
        run (grade: 0 at or above the pass mark, 1 below, 2 when grading failed; run: as \
        `lessons run`). --timings records each chapter's seconds for balancing future shards.

        Examples:
          lessons report merge shard-*/grade.json --json grade.json --gradescope results.json --github
          lessons report merge run-1.json run-2.json --junit chapters.xml --timings timings.json
        """)

    @Argument(help: ArgumentHelp("The shards' JSON reports.", valueName: "file"))
    var files: [String]

    @Option(help: ArgumentHelp("Write the merged JSON report.", valueName: "file"))
    var json: String?

    @Option(help: ArgumentHelp("Write a JUnit XML report.", valueName: "file"))
    var junit: String?

    @Option(help: ArgumentHelp("Grade reports: write Gradescope's results.json.", valueName: "file"))
    var gradescope: String?

    @Flag(help: "Grade reports: print GitHub Actions annotations and append the summary to $GITHUB_STEP_SUMMARY.")
    var github = false

    @Option(help: ArgumentHelp("Grade reports: write the Markdown summary.", valueName: "file"))
    var summary: String?

    @Option(help: ArgumentHelp("Grade reports: the pass mark (default: the one the shards were graded with).", valueName: "points"))
    var passMark: String?

    @Flag(help: "Run reports: accept chapters that judged nothing, as `lessons run --report-only` does.")
    var reportOnly = false

    @Option(help: ArgumentHelp("Record each chapter's seconds in this timings file (other sections are kept).", valueName: "file"))
    var timings: String?

    func validate() throws {
        if files.isEmpty { throw ValidationError("Name at least one report.") }
        if let passMark, GradeReport.passMarkPoints(passMark, total: 100) == nil {
            throw ValidationError("--pass-mark must be a number of points or a share like 60%.")
        }
    }

    func run() throws {
        var grades: [GradeReport] = [], runs: [JSONReport] = []
        for file in files {
            do {
                let data = try Data(contentsOf: URL(fileURLWithPath: file))
                let kind = (try? JSONSerialization.jsonObject(with: data) as? [String: Any])?["kind"] as? String
                if kind == "grade" { grades.append(try GradeReport.read(from: URL(fileURLWithPath: file))) }
                else { runs.append(try JSONReport.decoder().decode(JSONReport.self, from: data)) }
            } catch {
                Console.error("\(file) is not a lessons report: \(explain(error))")
                throw ExitCode(ExitStatus.chapterError)
            }
        }
        guard grades.isEmpty || runs.isEmpty else {
            Console.error("cannot merge grade reports with run reports")
            throw ExitCode(ExitStatus.chapterError)
        }
        do {
            if !grades.isEmpty { try finish(with: mergeGrades(grades)) } else { try finish(with: mergeRuns(runs)) }
        } catch let error as MergeError {
            Console.error(error.message)
            throw ExitCode(ExitStatus.chapterError)
        }
    }

    private func mergeGrades(_ reports: [GradeReport]) throws -> Int32 {
        let merged = try GradeReport.merged(reports, passMark: passMark)
        let text = GradeText(style: Console.outStyle)
        merged.warnings.forEach(Console.warning)
        for exercise in merged.exercises { Console.out(text.exercise(exercise)) }
        Console.out(text.total(merged))
        do {
            try GradeOutputWriter(json: json, junit: junit, gradescope: gradescope, github: github, summary: summary).write(merged)
            if let timings {
                try record(timings) { $0.grade.merge(Dictionary(merged.exercises.map { ($0.chapterID, $0.seconds) }, uniquingKeysWith: +)) { $1 } }
            }
        } catch {
            Console.error(explain(error))
            throw ExitCode(ExitStatus.chapterError)
        }
        return merged.exitCode
    }

    private func mergeRuns(_ reports: [JSONReport]) throws -> Int32 {
        let chapters = reports.flatMap(\.chapters).sorted { ($0.chapterID, $0.seed) < ($1.chapterID, $1.seed) }
        var seen = Set<String>()
        for chapter in chapters where !seen.insert("\(chapter.chapterID) \(chapter.seed)").inserted {
            throw MergeError(message: "\(chapter.chapterID) (seed \(chapter.seed)) is in more than one report: the shards overlap")
        }
        if gradescope != nil || github || summary != nil || passMark != nil {
            throw MergeError(message: "--gradescope, --github, --summary and --pass-mark apply to grade reports")
        }
        let merged = JSONReport(chapters: chapters, acceptUnjudged: reportOnly)
        let text = TextReport(style: Console.outStyle, acceptsUnjudged: reportOnly)
        for chapter in chapters { Console.out(text.summary(chapter) + "\n") }
        Console.out(text.total(chapters) + "\n")
        do {
            if let json { try merged.write(to: URL(fileURLWithPath: json)) }
            if let junit { try JUnitReport.write(chapters, to: URL(fileURLWithPath: junit)) }
            if let timings {
                try record(timings) { $0.run.merge(Dictionary(chapters.map { ($0.chapterID, $0.seconds) }, uniquingKeysWith: max)) { $1 } }
            }
        } catch {
            Console.error(explain(error))
            throw ExitCode(ExitStatus.chapterError)
        }
        return merged.exitCode
    }

    private func record(_ path: String, _ update: (inout Timings) -> Void) throws {
        let url = URL(fileURLWithPath: path)
        var recorded = try Timings.load(url) ?? Timings()
        update(&recorded)
        try recorded.write(to: url)
    }
}
