import ArgumentParser
import Foundation
import Notebook

/// `lessons check`: everything `run` does before running — fast enough for a pre-commit hook.
struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Parse and compile chapters, and validate their Expected files, without running them.",
        discussion: """
        Finds in seconds what would stop `lessons run` later: Markdown errors, Swift that does not \
        compile (diagnostics point at the .md lines), an Expected file that is malformed or names \
        a cell the chapter lacks, and profile parameters the chapter does not declare.

        Exit codes: 0 every chapter is fine; 2 a chapter has an error; 64 bad usage.

        Examples:
          lessons check 12-gru
          lessons check --all
        """)

    @OptionGroup var selection: ChapterArguments

    func run() throws {
        let runner = try findProject()
        let checker = ChapterChecker(runner: runner)
        let style = TerminalStyle.detect(fileDescriptor: 1)
        var reports: [ChapterReport] = []
        for name in selection.names(in: runner.library) {
            let report = checker.compileOnly(name)
            reports.append(report)
            if let error = report.error {
                Console.out(style.red("✗") + " \(report.chapterID)\n" + indented(error) + "\n")
            } else {
                let time = report.seconds > 0 ? String(format: "compiled in %.2f s", report.seconds) : "compiled (cached)"
                Console.out(style.green("✓") + " \(report.chapterID)  " + style.dim(time) + "\n")
            }
        }
        let errors = reports.filter { $0.error != nil }.count
        let summary = "check: \(reports.count) chapter\(reports.count == 1 ? "" : "s"), \(errors) with errors"
        Console.out((errors == 0 ? style.green(summary) : style.red(summary)) + "\n")
        try finish(with: errors == 0 ? ExitStatus.passed : ExitStatus.chapterError)
    }

    private func indented(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).map { "    " + $0 }.joined(separator: "\n")
    }
}
