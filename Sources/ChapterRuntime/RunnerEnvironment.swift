import Foundation

#if !os(Linux)
#error("lessons runs chapter programs with Linux facilities (/proc, process groups, prctl); it builds on Linux only")
#endif

/// How the runner hands a chapter program its settings: environment variables it sets for
/// the child explicitly, never by changing its own environment.
public enum RunnerEnvironment {
    /// The file the program appends `Event` lines to.
    public static let events = "LESSONS_EVENTS"
    /// The folder where each cell's stdout and stderr go (`<index>.out`, `<index>.err`).
    public static let outputDirectory = "LESSONS_OUTPUT_DIR"
    /// The run's seed, a decimal integer (negative values allowed).
    public static let seed = "LESSONS_SEED"
    /// The runner's process id: the program exits when its parent is no longer the runner.
    public static let runnerPID = "LESSONS_RUNNER_PID"
    /// The datasets' folder (read by Engine's `DataStore`).
    public static let dataDirectory = "LESSONS_DATA_DIR"
}

/// What a chapter program learns from the runner when it starts.
public struct RunnerSettings: Equatable, Sendable {
    /// The seed for `manualSeed`, as the 64 bits of the run's seed (so `--seed -1` is a seed too).
    public var seed: UInt64
    /// Nil when the program runs outside the runner (e.g. compiled by hand).
    public var outputDirectory: String?
    public var runnerPID: pid_t?

    public init(environment: [String: String]) {
        seed = environment[RunnerEnvironment.seed].flatMap(Int64.init).map { UInt64(bitPattern: $0) } ?? 0
        outputDirectory = environment[RunnerEnvironment.outputDirectory]
        runnerPID = environment[RunnerEnvironment.runnerPID].flatMap { pid_t($0) }
    }
}

/// The first statement of every tangled chapter program.
public enum ChapterProgram {
    /// Reads the runner's settings and starts watching the runner, before any cell runs.
    public static func start(environment: [String: String] = ProcessInfo.processInfo.environment) -> RunnerSettings {
        let settings = RunnerSettings(environment: environment)
        if settings.outputDirectory != nil {
            // Line buffering: a trap loses at most the unfinished line, not a 4 KB block.
            setvbuf(stdout, nil, _IOLBF, 0)
        }
        if let runner = settings.runnerPID { exitWhenOrphaned(runner: runner) }
        NotebookCell.settings = settings
        return settings
    }

    /// The runner starts the program in its own process group, so a Ctrl-C or a kill of the
    /// runner does not reach it directly. Rather than train on as an orphan, the program
    /// exits as soon as its parent is no longer the runner.
    private static func exitWhenOrphaned(runner: pid_t) {
        if getppid() != runner { _exit(129) }
        let watcher = Thread {
            while getppid() == runner { Thread.sleep(forTimeInterval: 0.2) }
            _exit(129)
        }
        watcher.start()
    }
}
