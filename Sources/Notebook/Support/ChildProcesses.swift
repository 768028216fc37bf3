import Foundation

/// The processes the runner starts (the compiler, chapter programs), each in its own process
/// group, and what happens to them when the user stops `lessons`.
///
/// Foundation's `Process` puts every child in a new process group, so the terminal's Ctrl-C
/// reaches only `lessons`. `installInterruptHandler()` turns SIGINT, SIGTERM and SIGHUP into
/// an orderly stop: every registered group is sent SIGTERM (then SIGKILL), `isInterrupted`
/// becomes true, and the stages that were waiting on a child see it end and report
/// `interrupted`, so that temporary folders are removed and finished reports are written.
/// A second signal ends `lessons` at once.
public final class ChildProcesses: @unchecked Sendable {
    public static let shared = ChildProcesses()

    private let lock = NSLock()
    private var groups: Set<pid_t> = []
    private var interrupted = false
    private var sources: [DispatchSourceSignal] = []

    /// True once SIGINT, SIGTERM or SIGHUP arrived.
    public var isInterrupted: Bool { lock.lock(); defer { lock.unlock() }; return interrupted }

    /// Routes the stop signals through `interrupt()`. Call once, early, from the command line tool.
    public func installInterruptHandler() {
        for signalNumber in [SIGINT, SIGTERM, SIGHUP] {
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
            source.setEventHandler { [weak self] in self?.interrupt() }
            source.resume()
            sources.append(source)
        }
    }

    /// Stops every registered child group; the second call exits the process.
    public func interrupt() {
        lock.lock()
        let again = interrupted
        interrupted = true
        let running = groups
        lock.unlock()
        for group in running { kill(-group, SIGTERM) }
        if again {
            for group in running { kill(-group, SIGKILL) }
            _exit(ExitStatus.interrupted)
        }
        // Whatever ignores SIGTERM is killed two seconds later.
        DispatchQueue.global().asyncAfter(deadline: .now() + 2) { [weak self] in
            guard let self else { return }
            self.lock.lock(); let left = self.groups; self.lock.unlock()
            for group in left { kill(-group, SIGKILL) }
        }
    }

    /// Starts `process` and keeps its group until `forget` is called. If the run was already
    /// interrupted, the process is not started.
    public func start(_ process: Process) throws {
        lock.lock(); defer { lock.unlock() }
        if interrupted { throw ChapterFailure(kind: .interrupted, message: "stopped before it started") }
        try process.run()
        groups.insert(process.processIdentifier)
    }

    /// Kills whatever is left of the child's process group (helpers a cell started) and stops tracking it.
    public func forget(_ process: Process) {
        let group = process.processIdentifier
        kill(-group, SIGKILL)
        lock.lock(); groups.remove(group); lock.unlock()
    }

    /// SIGTERM to the child's process group, then SIGKILL if it is still there after `grace` seconds.
    public static func stop(_ process: Process, grace: Double = 2) {
        let group = -process.processIdentifier
        if kill(group, SIGTERM) != 0 { process.terminate() }
        let deadline = Date().addingTimeInterval(grace)
        while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.02) }
        kill(group, SIGKILL)
    }
}

/// Temporary folders named `<prefix><pid>-<anything>`: whoever created one and died without
/// removing it (SIGKILL, a power cut) leaves it to the next run, which removes it once that
/// process is gone.
enum AbandonedFolders {
    static func name(_ prefix: String) -> String { "\(prefix)\(getpid())-\(UUID().uuidString.prefix(8))" }

    static func sweep(in directory: URL, prefix: String) {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        for name in names where name.hasPrefix(prefix) {
            let rest = name.dropFirst(prefix.count)
            guard let pid = pid_t(rest.prefix { $0.isNumber }), pid != getpid() else { continue }
            if kill(pid, 0) != 0 && errno == ESRCH {
                try? FileManager.default.removeItem(at: directory.appendingPathComponent(name))
            }
        }
    }
}
