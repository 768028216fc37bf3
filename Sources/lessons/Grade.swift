import ArgumentParser
import Foundation
import Grade
import Notebook

/// `lessons grade`: score submitted exercises with grader programs the submission never sees.
struct GradeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "grade",
        abstract: "Grade exercise solutions: run each submitted exercise cell under a sandbox, then score what it left behind.",
        discussion: """
        For every exercise of the chosen chapters (Graders/<chapter-id>/<exercise>.json), the \
        submitted code replaces the chapter's exercise cell; the cells it needs run with it, \
        under resource limits and (where it works) bubblewrap, and leave an artifact. A grader \
        program the submission never sees measures the artifact in a process of its own; the \
        measurements earn the points of docs/grading-format.md. Nothing the submission prints \
        or reports itself is graded.

        Submissions: the chapters' own starter cells (default), a student's release checkout \
        (--submission DIR: the exercise cells of DIR/Chapters/*.md), or one file per exercise \
        (--solutions DIR: DIR/<chapter-id>/<exercise>.swift).

          0    the score reaches the pass mark (without --pass-mark: full marks)
          1    it does not
          2    grading itself could not run (a broken grader or points file, no
               toolchain, no bubblewrap with --sandbox bubblewrap)
          64   bad usage
          130  interrupted

        Examples:
          lessons grade --all --solutions Solutions
          lessons grade 12-gru --submission ../student-repo
          lessons grade --all --submission work --pass-mark 60% --github \\
                        --junit grade.xml --gradescope results.json --json grade.json
          lessons grade --all --shard 2/4 --json shard-2.json
        """)

    @OptionGroup var selection: ChapterArguments

    @Option(help: ArgumentHelp("A student's checkout of the release: grade the exercise cells of its Chapters/*.md.", valueName: "dir"))
    var submission: String?

    @Option(help: ArgumentHelp("Grade one file per exercise: DIR/<chapter-id>/<exercise>.swift.", valueName: "dir"))
    var solutions: String?

    @Option(help: ArgumentHelp("Points needed to pass (or a share, e.g. 60%); default: full marks.", valueName: "points"))
    var passMark: String?

    @Option(help: ArgumentHelp("Write the grade report as JSON (lessons report merge reads it).", valueName: "file"))
    var json: String?

    @Option(help: ArgumentHelp("Write a JUnit XML report, one test case per check.", valueName: "file"))
    var junit: String?

    @Option(help: ArgumentHelp("Write Gradescope's results.json.", valueName: "file"))
    var gradescope: String?

    @Flag(help: "Print GitHub Actions annotations, and append the summary to $GITHUB_STEP_SUMMARY.")
    var github = false

    @Option(help: ArgumentHelp("Write the Markdown summary to a file.", valueName: "file"))
    var summary: String?

    @OptionGroup var sharding: ShardArguments

    @Option(help: ArgumentHelp("Isolation: auto (bubblewrap if it works here, else limits only, with a warning), bubblewrap, or limits-only.",
                               valueName: "mode"))
    var sandbox = "auto"

    @Option(help: ArgumentHelp("Cap every exercise's time limit (seconds).", valueName: "seconds"))
    var timeout: Double?

    @Option(help: ArgumentHelp("Where the datasets are (else LESSONS_DATA_DIR, the cache).", valueName: "dir"))
    var dataDir: String?

    func validate() throws {
        if submission != nil && solutions != nil { throw ValidationError("Pass --submission or --solutions, not both.") }
        if let passMark, GradeReport.passMarkPoints(passMark, total: 100) == nil {
            throw ValidationError("--pass-mark must be a number of points or a share like 60%.")
        }
        if !["auto", "bubblewrap", "limits-only"].contains(sandbox) {
            throw ValidationError("--sandbox must be auto, bubblewrap or limits-only.")
        }
        if let timeout, !(timeout > 0) { throw ValidationError("--timeout must be a positive number of seconds.") }
        for folder in [submission, solutions, dataDir].compactMap({ $0 }) {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory), isDirectory.boolValue else {
                throw ValidationError("\(folder) is not a directory.")
            }
        }
    }

    func run() throws {
        ChildProcesses.shared.installInterruptHandler()
        let pipeline = try findProject()
        let (isolation, warnings) = try chooseIsolation()
        warnings.forEach(Console.warning)
        let grader: ExerciseGrader
        do {
            grader = try ExerciseGrader(pipeline: pipeline, settings: GradeSettings(
                isolation: isolation, timeout: timeout, dataDirectory: dataDir.map { URL(fileURLWithPath: $0) }))
        } catch {
            Console.error(explain(error))
            throw ExitCode(ExitStatus.chapterError)
        }
        let chapters = try chosenChapters(grader, pipeline)
        let submitted: Submission = submission.map { .release(URL(fileURLWithPath: $0)) }
            ?? solutions.map { .solutions(URL(fileURLWithPath: $0)) } ?? .starters
        let text = GradeText(style: Console.outStyle)
        let progress = ProgressDisplay(mode: ProgressDisplay.mode(fileDescriptor: 2), style: Console.errStyle, write: Console.err)

        var results: [ExerciseResult] = []
        grading: for chapter in chapters {
            for spec in grader.specs(forChapter: chapter) {
                if ChildProcesses.shared.isInterrupted { break grading }
                Console.err(Console.errStyle.dim("grading \(spec.id) (\(submitted.description))…") + "\n")
                let result = grader.grade(spec, submission: submitted, onEvent: progress.handle)
                progress.finish()
                if ChildProcesses.shared.isInterrupted { break grading }
                Console.out(text.exercise(result))
                if let error = result.gradingError { Console.error("grading \(spec.id) failed: \(error)") }
                results.append(result)
            }
        }
        let report = GradeReport(exercises: results, passMark: passMark, isolation: isolation.rawValue, warnings: warnings)
        Console.out(text.total(report))
        try writeOutputs(report)
        if ChildProcesses.shared.isInterrupted {
            Console.err(Console.errStyle.red("interrupted") + "; \(results.count) graded exercise(s) reported\n")
            throw ExitCode(ExitStatus.interrupted)
        }
        try finish(with: report.exitCode)
    }

    /// bubblewrap where it works; otherwise limits only, loudly — or exit 2 if bubblewrap was required.
    private func chooseIsolation() throws -> (Sandbox.Isolation, [String]) {
        if sandbox == "limits-only" {
            return (.limitsOnly, ["--sandbox limits-only: submissions run with resource limits only; they can read every file "
                                  + "this user can (Graders/, Solutions/, other submissions) and use the network"])
        }
        guard let problem = Sandbox.bubblewrapProblem() else { return (.bubblewrap, []) }
        if sandbox == "bubblewrap" {
            Console.error("--sandbox bubblewrap: \(problem)")
            throw ExitCode(ExitStatus.chapterError)
        }
        return (.limitsOnly, ["NO SANDBOX: \(problem). Submissions run with resource limits only: they can read every file "
                              + "this user can (Graders/, Solutions/, other submissions) and use the network. "
                              + "Install bubblewrap (./scripts/install-deps) or pass --sandbox bubblewrap to refuse to grade without it."])
    }

    /// The chapters named (or, with --all, every chapter with an exercise), then this shard's share.
    private func chosenChapters(_ grader: ExerciseGrader, _ pipeline: Pipeline) throws -> [String] {
        var ids: [String] = []
        if selection.all {
            ids = Array(Set(grader.specs.map(\.chapterID))).sorted()
        } else {
            for name in selection.chapters {
                do {
                    let id = try pipeline.library.resolve(name).deletingPathExtension().lastPathComponent
                    if grader.specs(forChapter: id).isEmpty { Console.warning("\(id) has no graded exercises") } else { ids.append(id) }
                } catch {
                    Console.error(explain(error))
                    throw ExitCode(ExitStatus.chapterError)
                }
            }
        }
        ids = try sharding.share(of: ids, kind: .grade, pipeline: pipeline)
        if ids.isEmpty && sharding.shard == nil {
            Console.error("nothing to grade: no exercises in \(selection.all ? "Graders/" : selection.chapters.joined(separator: ", "))")
            throw ExitCode(ExitStatus.chapterError)
        }
        return ids
    }

    private func writeOutputs(_ report: GradeReport) throws {
        do { try GradeOutputWriter(json: json, junit: junit, gradescope: gradescope, github: github, summary: summary).write(report) } catch {
            Console.error(explain(error))
            throw ExitCode(ExitStatus.chapterError)
        }
    }
}

/// The report files of `lessons grade` and `lessons report merge`.
struct GradeOutputWriter {
    var json: String?
    var junit: String?
    var gradescope: String?
    var github: Bool
    var summary: String?

    func write(_ report: GradeReport) throws {
        if let json { try report.write(to: URL(fileURLWithPath: json)) }
        if let junit { try AtomicFile.write(Data(GradeOutputs.junit(report).utf8), to: URL(fileURLWithPath: junit)) }
        if let gradescope { try AtomicFile.write(GradeOutputs.gradescope(report), to: URL(fileURLWithPath: gradescope)) }
        let markdown = GradeOutputs.markdown(report)
        if let summary { try AtomicFile.write(Data(markdown.utf8), to: URL(fileURLWithPath: summary)) }
        if github {
            Console.out(GradeOutputs.githubAnnotations(report))
            if let path = ProcessInfo.processInfo.environment["GITHUB_STEP_SUMMARY"], !path.isEmpty {
                guard let handle = FileHandle(forWritingAtPath: path) else {
                    throw LibraryError("cannot append the summary to \(path) ($GITHUB_STEP_SUMMARY)")
                }
                handle.seekToEndOfFile()
                handle.write(Data((markdown + "\n").utf8))
                try? handle.close()
            }
        }
    }
}
