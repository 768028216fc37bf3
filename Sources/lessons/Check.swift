import ArgumentParser
import Foundation
import Notebook
import Render

/// `lessons check`: everything `run` does before running — fast enough for a pre-commit hook.
struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Parse and compile chapters, and validate their Expected files, without running them.",
        discussion: """
        Finds in seconds what would stop `lessons run` later: Markdown errors, Swift that does not \
        compile (diagnostics point at the .md lines), an Expected file that is malformed or names \
        a cell the chapter lacks, and profile parameters the chapter does not declare; and prose \
        references ({{cell.metric@EPOCH}}) that name no cell or metric.

        Exit codes: 0 every chapter is fine; 2 a chapter has an error; 64 bad usage; 130 interrupted.

        Examples:
          lessons check 12-gru
          lessons check --all
        """)

    @OptionGroup var selection: ChapterArguments

    func run() throws {
        ChildProcesses.shared.installInterruptHandler()
        let pipeline = try findProject()
        let style = Console.outStyle
        var errors = 0, checked = 0
        for name in selection.names(in: pipeline.library) {
            let report = pipeline.compileOnly(name)
            if report.failure?.kind == .interrupted {
                Console.err(Console.errStyle.red("interrupted") + " in \(name)\n")
                throw ExitCode(ExitStatus.interrupted)
            }
            checked += 1
            let references = report.failure == nil ? referenceProblems(name, pipeline) : []
            if !references.isEmpty {
                errors += 1
                Console.out(style.red("✗") + " \(report.chapterID)\n")
                references.forEach { Console.error($0.description) }
            } else if let failure = TextReport(style: Console.errStyle).failure(report) {
                errors += 1
                Console.out(style.red("✗") + " \(report.chapterID)\n")
                Console.err(failure)
            } else {
                let time = report.seconds > 0 ? String(format: "compiled in %.2f s", report.seconds) : "compiled (cached)"
                Console.out(style.green("✓") + " \(report.chapterID)  " + style.dim(time) + "\n")
            }
        }
        let summary = "check: \(checked) chapter\(checked == 1 ? "" : "s"), \(errors) with errors"
        Console.out((errors == 0 ? style.green(summary) : style.red(summary)) + "\n")
        try finish(with: errors == 0 ? ExitStatus.passed : ExitStatus.chapterError)
    }

    /// Prose references the chapter's cells, Expected file and stored runs cannot fill in.
    private func referenceProblems(_ name: String, _ pipeline: Pipeline) -> [RenderMessage] {
        guard let loaded = try? pipeline.load(name) else { return [] }
        return ProseReferences.check(loaded.chapter, expectations: loaded.expectations,
                                     stored: pipeline.storedResults(for: loaded.chapter.id),
                                     markdownPath: ChapterLoader.displayPath(of: loaded.chapter.path, root: pipeline.root))
    }
}
