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
        for group in running { Self.send(group, SIGTERM) }
        if again {
            for group in running { Self.send(group, SIGKILL) }
            _exit(ExitStatus.interrupted)
        }
        // Whatever ignores SIGTERM is killed two seconds later.
        DispatchQueue.global().asyncAfter(deadline: .now() + 2) { [weak self] in
            guard let self else { return }
            self.lock.lock(); let left = self.groups; self.lock.unlock()
            for group in left { Self.send(group, SIGKILL) }
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
        Self.send(group, SIGKILL)
        lock.lock(); groups.remove(group); lock.unlock()
    }

    /// SIGTERM to the child, its process group and every process it started, then SIGKILL to
    /// whatever is still there after `grace` seconds.
    public static func stop(_ process: Process, grace: Double = 2) {
        let pid = process.processIdentifier
        send(pid, SIGTERM)
        let deadline = Date().addingTimeInterval(grace)
        while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.02) }
        send(pid, SIGKILL)
    }

    /// Sends `signalNumber` to `pid`'s process group and to every descendant of `pid`: a cell's
    /// helper processes may sit in groups of their own (Foundation's `Process` gives every child
    /// one), so the group alone would miss them. Descendants are found before the signal, while
    /// they are still `pid`'s. A helper that detached itself twice (a daemon) is not found.
    static func send(_ pid: pid_t, _ signalNumber: Int32) {
        let descendants = ProcessTree.descendants(of: pid)
        kill(-pid, signalNumber)
        kill(pid, signalNumber)
        for child in descendants {
            kill(-child, signalNumber)
            kill(child, signalNumber)
        }
    }
}

/// Parent–child links of the running processes, read from `/proc/<pid>/stat`.
enum ProcessTree {
    static func descendants(of root: pid_t) -> [pid_t] {
        var children: [pid_t: [pid_t]] = [:]
        for name in (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? [] {
            guard let pid = pid_t(name), let parent = parent(of: pid) else { continue }
            children[parent, default: []].append(pid)
        }
        var found: [pid_t] = []
        var queue = children[root] ?? []
        while let next = queue.popLast() {
            found.append(next)
            queue += children[next] ?? []
        }
        return found
    }

    /// The fourth field of `/proc/<pid>/stat`, after the command name in parentheses (which may
    /// itself hold spaces and parentheses, hence the last `)`).
    static func parent(of pid: pid_t) -> pid_t? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return nil }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        return fields.count > 1 ? pid_t(fields[1]) : nil
    }
}

/// Temporary folders named `<prefix>pid<PID>-<8 hex digits>`: whoever created one and died
/// without removing it (SIGKILL, a power cut) leaves it to the next run, which removes it once
/// that process is gone. Only names of exactly that form are touched, so folders of other
/// programs — or of older versions of lessons running at the same time — are left alone.
public enum AbandonedFolders {
    public static func name(_ prefix: String) -> String {
        "\(prefix)pid\(getpid())-\(UUID().uuidString.prefix(8))"
    }

    /// The process that made a folder of this name, or nil for a name not of that form.
    static func owner(of name: String, prefix: String) -> pid_t? {
        guard name.hasPrefix(prefix + "pid") else { return nil }
        let rest = name.dropFirst(prefix.count + 3)
        let digits = rest.prefix { $0.isASCII && $0.isNumber }
        let tail = rest.dropFirst(digits.count)
        guard !digits.isEmpty, tail.first == "-", tail.count == 9,
              tail.dropFirst().allSatisfy({ $0.isHexDigit }), let pid = pid_t(digits) else { return nil }
        return pid
    }

    public static func sweep(in directory: URL, prefix: String) {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        for name in names {
            guard let pid = owner(of: name, prefix: prefix), pid != getpid() else { continue }
            if kill(pid, 0) != 0 && errno == ESRCH {
                try? FileManager.default.removeItem(at: directory.appendingPathComponent(name))
            }
        }
    }
}
