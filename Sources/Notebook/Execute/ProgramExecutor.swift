import ChapterRuntime
import Foundation

/// The Execute stage: runs a compiled chapter program as a child process and turns what it
/// did into a `RunResult`.
///
/// The child's environment is built here from the run's settings (`RunnerEnvironment`): the
/// events file it appends to, the folder for each cell's stdout/stderr, the seed, the data
/// folder and the runner's pid. Both files live in a temporary folder that is removed
/// afterwards, and a folder left by a runner that was killed is removed by the next run, so
/// nothing half-written lands anywhere. The runner reads the events file every 50 ms, in
/// bounded chunks, to follow the current cell, pass events to the caller and enforce limits.
public struct ProgramExecutor: Sendable {
    /// The child's working directory (the project root, so chapters can use relative paths).
    public var root: URL
    /// How often the events file is read.
    public var pollInterval: Double = 0.05

    public init(root: URL) { self.root = root }

    static let temporaryPrefix = "lessons-run-"

    /// Runs `program` to completion, a crash, a limit, or an interruption (`settings.timeout`
    /// seconds for the whole chapter; a cell's `timeout=` attribute limits that cell). `onEvent`
    /// is called on the calling thread with every event soon after the program sends it.
    /// Never throws: every failure is in `RunResult.failure`.
    public func execute(_ program: CompiledProgram, chapter: Chapter, settings: RunSettings,
                        onEvent: (Event) -> Void = { _ in }) -> RunResult {
        func result(_ cells: [CellResult], _ failure: ChapterFailure?) -> RunResult {
            RunResult(chapterID: chapter.id, seed: settings.seed, parameters: program.tangled.overrides,
                      compileSeconds: program.compileSeconds, cells: cells, failure: failure)
        }
        let temporary = FileManager.default.temporaryDirectory
        AbandonedFolders.sweep(in: temporary, prefix: Self.temporaryPrefix)
        let work = temporary.appendingPathComponent(AbandonedFolders.name(Self.temporaryPrefix))
        defer { try? FileManager.default.removeItem(at: work) }
        let output = work.appendingPathComponent("out", isDirectory: true)
        let eventsFile = work.appendingPathComponent("events.jsonl")
        let process = Process()
        let tail: EventTail
        do {
            try FileManager.default.createDirectory(at: output, withIntermediateDirectories: true)
            FileManager.default.createFile(atPath: eventsFile.path, contents: nil)
            for name in ["pre.out", "pre.err"] { FileManager.default.createFile(atPath: output.appendingPathComponent(name).path, contents: nil) }
            tail = try EventTail(file: eventsFile)
            let environment = environment(events: eventsFile, output: output, settings: settings)
            if let sandbox = settings.sandbox {
                // Untrusted code: limits, a clean environment, and bubblewrap where it works.
                let launch = try sandbox.launch(program: program.executable, work: work, runnerEnvironment: environment)
                process.executableURL = launch.executable
                process.arguments = launch.arguments
                process.currentDirectoryURL = launch.directory
                process.environment = launch.environment
            } else {
                process.executableURL = program.executable
                process.currentDirectoryURL = root
                process.environment = environment
            }
            process.standardInput = FileHandle.nullDevice
            // Whatever is written before the first cell begins (normally nothing).
            let preOut = try FileHandle(forWritingTo: output.appendingPathComponent("pre.out"))
            let preErr = try FileHandle(forWritingTo: output.appendingPathComponent("pre.err"))
            defer { try? preOut.close(); try? preErr.close() }  // the child has its own copies
            process.standardOutput = preOut
            process.standardError = preErr
            try ChildProcesses.shared.start(process)
        } catch {
            let failure = error as? ChapterFailure ?? ChapterFailure(kind: .internalError,
                message: "cannot start \(program.executable.path): \(error.localizedDescription)")
            return result(chapter.cells.map(CellResult.unstarted), failure)
        }
        defer { ChildProcesses.shared.forget(process) }

        var trace = RunTrace(chapter: chapter, started: RunTrace.now())
        var stopped: ChapterFailure?
        let watch = settings.sandbox.map { SandboxWatch($0, process) }
        func readEvents() -> Bool {
            let (events, more) = tail.next()
            for event in events { trace.record(event, at: RunTrace.now()); onEvent(event) }
            return more
        }
        while true {
            let more = readEvents()
            if ChildProcesses.shared.isInterrupted {
                stopped = ChapterFailure(kind: .interrupted, cell: trace.current?.cell.id,
                                         message: "the run was interrupted" + (trace.current.map { " in cell '\($0.cell.id)'" } ?? ""))
            } else if let failure = trace.limitExceeded(chapterLimit: settings.timeout, at: RunTrace.now())
                        ?? watch?.overrun(at: RunTrace.now()) {
                stopped = failure
            }
            if stopped != nil { ChildProcesses.stop(process); break }
            if !process.isRunning && !more { break }
            if !more { Thread.sleep(forTimeInterval: pollInterval) }
        }
        process.waitUntilExit()
        if settings.sandbox != nil { Sandbox.removeLinks(in: output) }
        if stopped == nil {
            // Whatever the program wrote just before it exited.
            while readEvents() {}
        }
        trace.finished = RunTrace.now()

        var exit: ProgramExit = process.terminationReason == .uncaughtSignal
            ? .signal(process.terminationStatus) : .status(process.terminationStatus)
        if let sandbox = settings.sandbox { exit = sandbox.programExit(exit) }
        var failure = stopped ?? trace.failure(exit: exit, output: output, markdownPath: program.tangled.markdownPath)
        if let sandbox = settings.sandbox, stopped == nil, let found = failure { failure = sandbox.explainLimit(found, exit: exit) }
        return result(trace.cellResults(failure: failure, output: output), failure)
    }

    private func environment(events: URL, output: URL, settings: RunSettings) -> [String: String] {
        var environment = ProcessInfo.processInfo.environment
        environment[RunnerEnvironment.events] = events.path
        environment[RunnerEnvironment.outputDirectory] = output.path
        environment[RunnerEnvironment.seed] = String(settings.seed)
        environment[RunnerEnvironment.runnerPID] = String(getpid())
        if let data = settings.dataDirectory {
            environment[RunnerEnvironment.dataDirectory] = data.standardizedFileURL.path
        }
        if environment["SWIFT_BACKTRACE"] == nil {
            // A short backtrace of the crashed thread: its frames name the `.md` line.
            environment["SWIFT_BACKTRACE"] = "interactive=no,color=no,threads=crashed,registers=none,images=none,limit=24"
        }
        return environment
    }
}

extension CellResult {
    /// The result of a cell that never began: `skipped` if `norun`, else `notRun`.
    static func unstarted(_ cell: Cell) -> CellResult {
        CellResult(id: cell.id, status: cell.attributes.norun ? .skipped : .notRun, seconds: 0, stdout: "", stderr: "", metrics: [])
    }
}

enum ProgramExit: Equatable {
    case status(Int32)
    case signal(Int32)
}
