import Engine
import Foundation

/// Stage 4: runs a compiled chapter program as a child process and turns what it did into
/// a `RunResult`.
///
/// The child gets `LESSONS_EVENTS` (a file it appends JSON events to), `LESSONS_OUTPUT_DIR`
/// (where `NotebookCell.begin` puts each cell's stdout/stderr) and `LESSONS_SEED`. Both live
/// in a temporary folder that is removed afterwards, so nothing half-written lands in the
/// project. The runner polls the events file every 50 ms to follow the current cell, pass
/// events to the caller and enforce timeouts.
public struct ProgramExecutor: Sendable {
    /// The child's working directory (the project root, so chapters can use relative paths).
    public var root: URL
    /// How often the events file is read.
    public var pollInterval: Double = 0.05

    public init(root: URL) { self.root = root }

    /// Runs `program` to completion, a crash, or a timeout (`timeout` seconds for the whole
    /// chapter; a cell's `timeout=` attribute limits that cell). `onEvent` is called on the
    /// calling thread with every event (`cell`, `metric`, `progress`, `abort`, `end`) soon
    /// after the program sends it. Never throws: every failure is in `RunResult.failure`.
    public func execute(_ program: CompiledProgram, chapter: Chapter, seed: Int, timeout: Double = 1800,
                        onEvent: (Event) -> Void = { _ in }) -> RunResult {
        func result(_ cells: [CellResult], _ failure: RunFailure?) -> RunResult {
            RunResult(chapterID: chapter.id, seed: seed, parameters: program.tangled.overrides,
                      compileSeconds: program.compileSeconds, cells: cells, failure: failure)
        }
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("lessons-run-\(UUID().uuidString)")
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
            process.executableURL = program.executable
            process.currentDirectoryURL = root
            process.environment = environment(events: eventsFile, output: output, seed: seed)
            process.standardInput = FileHandle.nullDevice
            // Whatever is written before the first cell begins (normally nothing).
            let preOut = try FileHandle(forWritingTo: output.appendingPathComponent("pre.out"))
            let preErr = try FileHandle(forWritingTo: output.appendingPathComponent("pre.err"))
            defer { try? preOut.close(); try? preErr.close() }  // the child has its own copies
            process.standardOutput = preOut
            process.standardError = preErr
            try process.run()
        } catch {
            return result(chapter.cells.map(CellResult.unstarted), RunFailure(kind: .internalError, cell: nil,
                                            message: "cannot start \(program.executable.path): \(error.localizedDescription)"))
        }

        var trace = RunTrace(chapter: chapter, started: now())
        var timedOut: RunFailure?
        while true {
            for event in tail.next() { trace.record(event, at: now()); onEvent(event) }
            if !process.isRunning { break }
            if let failure = trace.timeoutExceeded(chapterLimit: timeout, at: now()) {
                timedOut = failure
                stop(process)
                break
            }
            Thread.sleep(forTimeInterval: pollInterval)
        }
        process.waitUntilExit()
        for event in tail.next() { trace.record(event, at: now()); onEvent(event) }
        trace.finished = now()

        let exit: ProgramExit = process.terminationReason == .uncaughtSignal
            ? .signal(process.terminationStatus) : .status(process.terminationStatus)
        let failure = timedOut ?? trace.failure(exit: exit, output: output, markdownPath: program.tangled.markdownPath)
        return result(trace.cellResults(failure: failure, output: output), failure)
    }

    private func environment(events: URL, output: URL, seed: Int) -> [String: String] {
        var environment = ProcessInfo.processInfo.environment
        environment["LESSONS_EVENTS"] = events.path
        environment["LESSONS_OUTPUT_DIR"] = output.path
        environment["LESSONS_SEED"] = String(seed)
        // NotebookCell exits the program if this process dies (e.g. Ctrl-C): the child is in
        // its own process group, so the terminal's SIGINT does not reach it.
        environment["LESSONS_RUNNER_PID"] = String(getpid())
        if environment["SWIFT_BACKTRACE"] == nil {
            // A short backtrace of the crashed thread: its frames name the `.md` line.
            environment["SWIFT_BACKTRACE"] = "interactive=no,color=no,threads=crashed,registers=none,images=none,limit=24"
        }
        return environment
    }

    /// SIGTERM to the program's process group, then SIGKILL if it is still there after 2 s.
    private func stop(_ process: Process) {
        let group = -process.processIdentifier
        if kill(group, SIGTERM) != 0 { process.terminate() }
        let deadline = now() + 2
        while process.isRunning && now() < deadline { Thread.sleep(forTimeInterval: 0.02) }
        if process.isRunning { kill(group, SIGKILL) }
    }
}

/// Monotonic seconds.
private func now() -> Double { RunTrace.now() }

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
