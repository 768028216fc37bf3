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

          0   every check passed
          1   a check failed: a figure out of range, missing or NaN, or output
              that differs
          2   a chapter could not be loaded, compiled or run to the end (crash,
              timeout), or its Expected file is malformed
          64  bad usage

        Checks live in profiles. A plain run is judged by the `full` profile, a run \
        whose --param overrides equal a profile's parameters by that profile; any \
        other overrides report figures without judging them. --profile NAME applies \
        the profile's parameters.

        Examples:
          lessons run 12-gru                   one chapter (also: 12, or gru)
          lessons run --all --junit junit.xml  every chapter, JUnit report for CI
          lessons run gru --profile smoke      the smoke profile's quick settings
          lessons run gru --param epochs=5     the same, chosen by its parameters
          lessons run gru --param hidden=64    reported, not judged: no profile
          lessons run gru --repeat 5           seeds 0-4 and each metric's spread
          lessons run draft.md --expected draft.json
        """)

    @OptionGroup var selection: ChapterArguments

    @Option(name: .customLong("param"),
            help: ArgumentHelp("Override a chapter parameter (repeatable).", valueName: "name=value"))
    var parameters: [ParameterAssignment] = []

    @Flag(inversion: .prefixedNo, help: "Show what each cell printed under its line in the report.")
    var output = true

    @Option(help: "The random seed the program gets (LESSONS_SEED).")
    var seed = 0

    @Option(name: .customLong("repeat"), help: ArgumentHelp(
        "Run each chapter K times, with seeds seed, seed+1, …, and print each metric's spread.", valueName: "K"))
    var repeatCount = 1

    @Option(help: ArgumentHelp("The Expected file, for a single chapter given as a path.", valueName: "file"))
    var expected: String?

    @Option(help: ArgumentHelp("Judge by this profile and apply its parameters (default: chosen by --param).",
                               valueName: "name"))
    var profile: String?

    @Option(help: ArgumentHelp("Also write the results and check outcomes as JSON.", valueName: "file"))
    var json: String?

    @Option(help: ArgumentHelp("Also write a JUnit XML report, one test case per check.", valueName: "file"))
    var junit: String?

    @Option(help: ArgumentHelp("Seconds each chapter may run before it is stopped (default 1800).",
                               valueName: "seconds"))
    var timeout: Double?

    @Option(help: ArgumentHelp("Where the chapters find their datasets (sets LESSONS_DATA_DIR).", valueName: "dir"))
    var dataDir: String?

    func validate() throws {
        if repeatCount < 1 { throw ValidationError("--repeat must be at least 1.") }
        if let timeout, !(timeout > 0) { throw ValidationError("--timeout must be a positive number of seconds.") }
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
        let runner = try findProject()
        if let dataDir {
            // The chapter program inherits the environment; make the path independent of its cwd.
            setenv("LESSONS_DATA_DIR", URL(fileURLWithPath: dataDir).standardizedFileURL.path, 1)
        }
        let checker = ChapterChecker(runner: runner)
        let cache = ResultsCache(root: runner.root)
        // Without an Engine fingerprint results are still reported, just not cached.
        let identity = try? ProgramIdentity()
        let style = TerminalStyle.detect(fileDescriptor: 1)
        let errorStyle = TerminalStyle.detect(fileDescriptor: 2)
        let progress = ProgressDisplay(mode: ProgressDisplay.mode(fileDescriptor: 2), style: errorStyle,
                                       write: Console.err)
        let names = selection.names(in: runner.library)
        if names.isEmpty { Console.err("No chapters in \(runner.library.chaptersDirectory.path).\n") }

        var reports: [ChapterReport] = []
        for name in names {
            for run in 0..<repeatCount {
                let settings = RunSettings(parameters: overrides, seed: seed + run, profile: profile,
                                           expectedFile: expected.map { URL(fileURLWithPath: $0) }, timeout: timeout)
                Console.err(errorStyle.dim("running \(name)" + (repeatCount > 1 ? " (seed \(seed + run))" : "") + "…") + "\n")
                let (report, inputs) = checker.run(name, settings: settings, identity: identity, onEvent: progress.handle)
                progress.finish()
                Console.out(TextReport(style: style, showsOutput: output).render(report))
                store(report, inputs: inputs, for: name, in: cache, library: runner.library)
                reports.append(report)
            }
        }
        let spreads = repeatCount > 1 ? MetricSpread.collect(reports) : nil
        if let spreads { Console.out("\n" + MetricSpread.render(spreads, runs: repeatCount, style: style)) }
        if reports.count > 1 { Console.out(TextReport(style: style).total(reports) + "\n") }
        try writeMachineReports(reports, spreads: spreads)
        try finish(with: ExitStatus.of(reports))
    }

    private var overrides: [String: String] {
        Dictionary(parameters.map { ($0.name, $0.value) }, uniquingKeysWith: { $1 })
    }

    /// Keeps the result for `lessons list` — only for the project's own chapters, since a
    /// chapter given as a path could share an id with one of them.
    private func store(_ report: ChapterReport, inputs: ResultKeyInputs?, for name: String,
                       in cache: ResultsCache, library: ChapterLibrary) {
        guard let inputs, report.result != nil, let url = try? library.resolve(name),
              url.deletingLastPathComponent().standardizedFileURL == library.chaptersDirectory.standardizedFileURL
        else { return }
        do { try cache.store(report, inputs: inputs) } catch {
            Console.err("warning: the result of \(report.chapterID) was not cached: \(explain(error))\n")
        }
    }

    private func writeMachineReports(_ reports: [ChapterReport], spreads: [MetricSpread]?) throws {
        do {
            if let json { try JSONReport(chapters: reports, spreads: spreads).write(to: URL(fileURLWithPath: json)) }
            if let junit { try JUnitReport.write(reports, to: URL(fileURLWithPath: junit)) }
        } catch {
            Console.error(explain(error))
            throw ExitCode(ExitStatus.chapterError)
        }
    }
}
