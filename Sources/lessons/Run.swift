import ArgumentParser
import Foundation
import Notebook

/// `lessons run`: run chapters, judge them against their Expected files, report, exit once.
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run chapters and check the figures they report against Expected/<chapter-id>.json.",
        discussion: """
        Each chapter's swift cells run as one program. Its metrics (e.g. perplexity at \
        epoch 40) and output are judged against Expected/<chapter-id>.json (format: \
        docs/expected-format.md). Every chapter runs; then lessons exits once:

          0    every check passed
          1    a check failed (a figure out of range, missing or NaN, or output
               that differs), or a run judged nothing (see --report-only)
          2    a chapter could not be loaded, compiled or run to the end (crash,
               uncaught error, timeout), or its Expected file is malformed
          64   bad usage
          130  interrupted (Ctrl-C); the reports of finished chapters are written

        Checks live in profiles. A plain run is judged by the `full` profile; a run \
        whose --param values equal a profile's parameters by that profile; --profile \
        NAME applies the profile's parameters. Other values are reported but not \
        judged, and such a run exits 1 unless --report-only says that is what you \
        want.

        Examples:
          lessons run 12-gru                     one chapter (also: 12, or gru)
          lessons run --all --junit junit.xml    every chapter, JUnit report for CI
          lessons run --all --profile smoke      every chapter's quick settings
          lessons run gru --param epochs=5       the same for one chapter, by value
          lessons run gru --param hiddenSize=64 --report-only
                                                 explore: figures shown, not judged
          lessons run gru --repeat 5             seeds 0-4 and each metric's spread
          lessons run draft.md --expected draft.json
          lessons run --all --shard 2/4 --json shard-2.json
                                                 one job of a CI matrix (see lessons report merge)
        """)

    @OptionGroup var selection: ChapterArguments

    @Option(name: .customLong("param"),
            help: ArgumentHelp("Override a chapter parameter (repeatable).", valueName: "name=value"))
    var parameters: [ParameterAssignment] = []

    @Flag(inversion: .prefixedNo, help: "Show what each cell printed under its line in the report.")
    var output = true

    @Option(parsing: .unconditional, help: "The random seed the program starts from (any integer, e.g. -1).")
    var seed = 0

    @Option(name: .customLong("repeat"), help: ArgumentHelp(
        "Run each chapter K times, with seeds seed, seed+1, …, and print each metric's spread.", valueName: "K"))
    var repeatCount = 1

    @Option(help: ArgumentHelp("The Expected file, for a single chapter given as a path.", valueName: "file"))
    var expected: String?

    @Option(help: ArgumentHelp("Judge by this profile and apply its parameters (default: chosen by --param).",
                               valueName: "name"))
    var profile: String?

    @Flag(help: "Accept a run that judges nothing (parameters no profile was sized for, no Expected file): exit 0.")
    var reportOnly = false

    @Option(help: ArgumentHelp("Also write the results and check outcomes as JSON.", valueName: "file"))
    var json: String?

    @Option(help: ArgumentHelp("Also write a JUnit XML report, one test case per check.", valueName: "file"))
    var junit: String?

    @Option(help: ArgumentHelp("Seconds each chapter may run before it is stopped.", valueName: "seconds"))
    var timeout: Double = RunSettings.defaultTimeout

    @Option(help: ArgumentHelp("Where the chapters find their datasets (else LESSONS_DATA_DIR, the cache, a download).",
                               valueName: "dir"))
    var dataDir: String?

    @OptionGroup var sharding: ShardArguments

    func validate() throws {
        if repeatCount < 1 { throw ValidationError("--repeat must be at least 1.") }
        if !(timeout > 0) { throw ValidationError("--timeout must be a positive number of seconds.") }
        if expected != nil && (selection.all || selection.chapters.count != 1) {
            throw ValidationError("--expected applies to exactly one chapter.")
        }
        if let dataDir {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: dataDir, isDirectory: &isDirectory), isDirectory.boolValue else {
                throw ValidationError("--data-dir \(dataDir) is not a directory.")
            }
        }
        var seen = Set<String>()
        for parameter in parameters where !seen.insert(parameter.name).inserted {
            throw ValidationError("--param \(parameter.name) is given twice.")
        }
    }

    func run() throws {
        ChildProcesses.shared.installInterruptHandler()
        let pipeline = try findProject()
        let report = TextReport(style: Console.outStyle, showsOutput: output, acceptsUnjudged: reportOnly)
        let failureReport = TextReport(style: Console.errStyle)
        let progress = ProgressDisplay(mode: ProgressDisplay.mode(fileDescriptor: 2), style: Console.errStyle,
                                       write: Console.err)
        let names = try sharding.share(of: selection.names(in: pipeline.library), kind: .run, pipeline: pipeline)
        if names.isEmpty && sharding.shard == nil { Console.err("No chapters in \(pipeline.library.chaptersDirectory.path).\n") }

        var reports: [ChapterReport] = []
        var interrupted: String?
        runs: for name in names {
            for run in 0..<repeatCount {
                let runSeed = seed &+ run
                if ChildProcesses.shared.isInterrupted { interrupted = name; break runs }
                Console.err(Console.errStyle.dim("running \(name)" + (repeatCount > 1 ? " (seed \(runSeed))" : "") + "…") + "\n")
                let chapterRun = pipeline.run(name, settings: settings(seed: runSeed), onEvent: progress.handle)
                progress.finish()
                if chapterRun.report.failure?.kind == .interrupted { interrupted = chapterRun.report.chapterID; break runs }
                Console.out(report.body(chapterRun.report))
                if let failure = failureReport.failure(chapterRun.report) { Console.err(failure) }
                Console.out(report.summary(chapterRun.report) + "\n")
                chapterRun.warnings.forEach(Console.warning)
                reports.append(chapterRun.report)
            }
        }
        let spreads = repeatCount > 1 ? MetricSpread.collect(reports) : nil
        if let spreads { Console.out("\n" + MetricSpread.render(spreads, runs: repeatCount, style: Console.outStyle)) }
        if reports.count > 1 || (interrupted != nil && !reports.isEmpty) { Console.out(report.total(reports) + "\n") }
        try writeMachineReports(reports, spreads: spreads)
        if let interrupted {
            Console.err(Console.errStyle.red("interrupted") + " in \(interrupted); "
                        + "\(reports.count) finished chapter run\(reports.count == 1 ? "" : "s") reported\n")
            throw ExitCode(ExitStatus.interrupted)
        }
        try finish(with: ExitStatus.of(reports, acceptUnjudged: reportOnly))
    }

    private func settings(seed: Int) -> RunSettings {
        RunSettings(parameters: Dictionary(parameters.map { ($0.name, $0.value) }, uniquingKeysWith: { $1 }),
                    seed: seed, profile: profile, expectedFile: expected.map { URL(fileURLWithPath: $0) },
                    timeout: timeout, dataDirectory: dataDir.map { URL(fileURLWithPath: $0) })
    }

    private func writeMachineReports(_ reports: [ChapterReport], spreads: [MetricSpread]?) throws {
        do {
            if let json {
                try JSONReport(chapters: reports, spreads: spreads, acceptUnjudged: reportOnly)
                    .write(to: URL(fileURLWithPath: json))
            }
            if let junit { try JUnitReport.write(reports, to: URL(fileURLWithPath: junit)) }
        } catch {
            Console.error(explain(error))
            throw ExitCode(ExitStatus.chapterError)
        }
    }
}
