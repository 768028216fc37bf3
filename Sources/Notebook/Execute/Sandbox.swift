import ChapterRuntime
import Foundation

/// The limits untrusted code runs under (a student's submission in `lessons grade`).
public struct ResourceLimits: Codable, Equatable, Sendable {
    /// CPU seconds, all threads together (RLIMIT_CPU); SIGXCPU when they are used up.
    public var cpuSeconds: Int
    /// Address space in bytes (RLIMIT_AS): allocations beyond it fail.
    public var memoryBytes: Int
    /// Processes the program may start: a run with more is stopped, and the kernel (RLIMIT_NPROC)
    /// refuses to create more than twice as many processes and threads beyond those its user
    /// already runs.
    public var processes: Int
    /// The largest file the program may write, its captured output included (RLIMIT_FSIZE).
    public var fileBytes: Int
    /// Open file descriptors (RLIMIT_NOFILE).
    public var openFiles: Int

    public init(cpuSeconds: Int = 600, memoryBytes: Int = 4 << 30, processes: Int = 64,
                fileBytes: Int = 256 << 20, openFiles: Int = 256) {
        self.cpuSeconds = cpuSeconds; self.memoryBytes = memoryBytes; self.processes = processes
        self.fileBytes = fileBytes; self.openFiles = openFiles
    }
}

/// How untrusted code is run: always under kernel resource limits (util-linux's `prlimit`,
/// which sets them in a separate process before the program's first instruction, as hard
/// limits the program cannot raise), and, where it works, inside a bubblewrap sandbox: its own
/// user, pid, network and IPC namespaces (so no network, and no process outside it to signal),
/// the system folders read-only, a private `/tmp`, and of the machine's other files only the
/// data folder (read-only) and its own work folder (read-write). When `lessons` runs as root
/// the program first drops to `nobody` (util-linux's `setpriv`): the kernel does not apply the
/// process limit to root, and root could read every file.
///
/// The environment is rebuilt from scratch, so nothing of the grader's (a CI token, say)
/// reaches the program.
public struct Sandbox: Equatable, Sendable {
    public enum Isolation: String, Codable, Sendable {
        /// Namespaces and a minimal file system (bubblewrap), plus the limits.
        case bubblewrap
        /// The limits alone: the program can read what the user can read, and use the network.
        case limitsOnly = "limits-only"
    }

    public var isolation: Isolation
    public var limits: ResourceLimits
    /// Folders the program may write besides the run's own (e.g. where it leaves its artifact).
    public var writable: [URL]
    /// Files and folders it may read besides the system's (the toolchain's libraries).
    public var readable: [URL]
    /// Variables added to its environment (e.g. the grading channel's).
    public var environment: [String: String]

    public init(isolation: Isolation, limits: ResourceLimits = ResourceLimits(), writable: [URL] = [],
                readable: [URL] = [], environment: [String: String] = [:]) {
        self.isolation = isolation; self.limits = limits; self.writable = writable
        self.readable = readable; self.environment = environment
    }

    /// The user a root `lessons` runs untrusted code as.
    public static let unprivilegedID: uid_t = 65534

    static var dropsPrivileges: Bool { getuid() == 0 }

    // MARK: - What this machine allows

    /// Whether bubblewrap runs here: nil if it does, else why not (missing, or refused by the
    /// kernel, as in containers without user namespaces). Probed once per process.
    public static func bubblewrapProblem() -> String? { probedProblem }

    private static let probedProblem: String? = {
        guard let bwrap = tool("bwrap") else { return "bubblewrap (bwrap) is not installed" }
        var arguments = privilegeDrop() + [bwrap.path] + baseBubblewrapArguments() + ["--", "/bin/true"]
        let executable = URL(fileURLWithPath: arguments.removeFirst())
        do {
            let (status, output) = try runTool(executable, arguments, in: nil)
            if status == 0 { return nil }
            let reason = output.trimmingCharacters(in: .whitespacesAndNewlines)
            return "bwrap does not work here" + (reason.isEmpty ? " (exit \(status))" : ": " + reason)
        } catch {
            return "bwrap could not be started: \(explain(error))"
        }
    }()

    /// `PATH`'s copy of a tool, else `/usr/bin`'s and `/bin`'s. `LESSONS_BWRAP` names the bwrap
    /// to use instead (empty: none, to see how grading behaves where bubblewrap is missing).
    static func tool(_ name: String) -> URL? {
        if name == "bwrap", let chosen = ProcessInfo.processInfo.environment["LESSONS_BWRAP"] {
            return chosen.isEmpty || !FileManager.default.isExecutableFile(atPath: chosen) ? nil : URL(fileURLWithPath: chosen)
        }
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        for folder in path.split(separator: ":").map(String.init) + ["/usr/bin", "/bin", "/usr/sbin"] {
            let candidate = URL(fileURLWithPath: folder).appendingPathComponent(name)
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        return nil
    }

    private static func privilegeDrop() -> [String] {
        guard dropsPrivileges else { return [] }
        return [tool("setpriv")?.path ?? "/usr/bin/setpriv", "--reuid=\(unprivilegedID)", "--regid=\(unprivilegedID)",
                "--clear-groups", "--no-new-privs", "--"]
    }

    /// Namespaces and the system folders, read-only; the same for the probe and for real runs.
    private static func baseBubblewrapArguments() -> [String] {
        var arguments = ["--unshare-all", "--die-with-parent", "--new-session", "--ro-bind", "/usr", "/usr"]
        for path in ["/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32"] {
            if let target = try? FileManager.default.destinationOfSymbolicLink(atPath: path) {
                arguments += ["--symlink", target, path]
            } else if FileManager.default.fileExists(atPath: path) {
                arguments += ["--ro-bind", path, path]
            }
        }
        return arguments + ["--ro-bind", "/etc", "/etc", "--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp"]
    }

    // MARK: - Launching

    struct Launch {
        var executable: URL
        var arguments: [String]
        var environment: [String: String]
        var directory: URL
    }

    /// Prepares `work` (the run's own folder) and returns how to start `program` in it: a copy of
    /// the program inside `work`, every writable folder handed to the unprivileged user when
    /// `lessons` is root, and the command line `setpriv … prlimit … bwrap … program`.
    func launch(program: URL, work: URL, runnerEnvironment: [String: String]) throws -> Launch {
        let copy = work.appendingPathComponent("program")
        let scratch = work.appendingPathComponent("tmp", isDirectory: true)
        do {
            try FileManager.default.copyItem(at: program, to: copy)
            try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
            if Self.dropsPrivileges {
                for folder in [work] + writable { try Self.handOver(folder) }
            }
        } catch {
            throw ChapterFailure(kind: .internalError, message: "cannot prepare the sandbox in \(work.path): \(explain(error))")
        }
        guard let prlimit = Self.tool("prlimit") else {
            throw ChapterFailure(kind: .internalError, message: "prlimit (util-linux) is missing: untrusted code is never run without limits")
        }
        if Self.dropsPrivileges && Self.tool("setpriv") == nil {
            throw ChapterFailure(kind: .internalError, message: "setpriv (util-linux) is missing: untrusted code is never run as root")
        }

        var environment = Self.cleanEnvironment(from: runnerEnvironment, home: work, scratch: scratch)
        let dataFolder = Self.dataFolder(in: runnerEnvironment)
        if let dataFolder { environment[RunnerEnvironment.dataDirectory] = dataFolder.path }
        environment.merge(self.environment) { $1 }

        let owner = Self.dropsPrivileges ? Self.unprivilegedID : getuid()
        // Threads count too, so the kernel's limit leaves room for the program's own threads
        // (OpenBLAS, Dispatch); the watch stops a run with more than `processes` processes first.
        let tasks = Self.taskCount(ofUser: owner) + 2 * limits.processes
        var command = Self.privilegeDrop() + [prlimit.path,
            "--cpu=\(limits.cpuSeconds):\(limits.cpuSeconds + 5)", "--as=\(limits.memoryBytes)", "--nproc=\(tasks)",
            "--fsize=\(limits.fileBytes)", "--nofile=\(limits.openFiles)", "--core=0", "--"]
        switch isolation {
        case .limitsOnly:
            command.append(copy.path)
        case .bubblewrap:
            guard let bwrap = Self.tool("bwrap") else {
                throw ChapterFailure(kind: .internalError, message: "bubblewrap (bwrap) is missing")
            }
            // Inside its own pid namespace the program's parent is not the runner: bwrap's
            // --die-with-parent ends it with the runner instead.
            environment.removeValue(forKey: RunnerEnvironment.runnerPID)
            command += [bwrap.path] + Self.baseBubblewrapArguments()
            for path in (readable + [dataFolder].compactMap { $0 }).map(\.standardizedFileURL.path)
                where !path.hasPrefix("/usr/") && FileManager.default.fileExists(atPath: path) {
                command += ["--ro-bind", path, path]
            }
            for folder in [work] + writable { command += ["--bind", folder.path, folder.path] }
            command += ["--chdir", work.path, "--", copy.path]
        }
        let executable = URL(fileURLWithPath: command.removeFirst())
        return Launch(executable: executable, arguments: command, environment: environment, directory: work)
    }

    /// Only what a chapter program needs: the runner's own variables, locale, OpenBLAS's
    /// settings (some processors need them to compute correctly) and the backtracer's.
    static func cleanEnvironment(from runner: [String: String], home: URL, scratch: URL) -> [String: String] {
        var environment = ["PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": home.path, "TMPDIR": scratch.path]
        let kept = [RunnerEnvironment.events, RunnerEnvironment.outputDirectory, RunnerEnvironment.seed,
                    RunnerEnvironment.runnerPID, "SWIFT_BACKTRACE", "LANG", "LC_ALL", "LC_CTYPE"]
        for (name, value) in runner where kept.contains(name) || name.hasPrefix("OPENBLAS_") {
            environment[name] = value
        }
        return environment
    }

    /// The folder the datasets are read from: the runner's `LESSONS_DATA_DIR`, else the cache.
    public static func dataFolder(in environment: [String: String]) -> URL? {
        if let folder = environment[RunnerEnvironment.dataDirectory], !folder.isEmpty {
            return URL(fileURLWithPath: folder).standardizedFileURL
        }
        let cache = environment["LESSONS_CACHE_DIR"].map { URL(fileURLWithPath: $0) }
            ?? FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".cache/lessons/data")
        return FileManager.default.fileExists(atPath: cache.path) ? cache.standardizedFileURL : nil
    }

    /// Gives a folder and everything in it to the unprivileged user.
    static func handOver(_ folder: URL) throws {
        var paths = [folder.path]
        if let walker = FileManager.default.enumerator(atPath: folder.path) {
            while let relative = walker.nextObject() as? String { paths.append(folder.path + "/" + relative) }
        }
        for path in paths where lchown(path, unprivilegedID, unprivilegedID) != 0 {
            throw ChapterFailure(kind: .internalError, message: "cannot hand \(path) to uid \(unprivilegedID): \(String(cString: strerror(errno)))")
        }
    }

    /// Processes and threads the user runs now: RLIMIT_NPROC counts them all, so the limit is
    /// set this many above them.
    static func taskCount(ofUser uid: uid_t) -> Int {
        var count = 0
        for name in (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? [] where pid_t(name) != nil {
            guard let status = try? String(contentsOfFile: "/proc/\(name)/status", encoding: .utf8) else { continue }
            var owner: uid_t?, threads = 1
            for line in status.split(separator: "\n") {
                if line.hasPrefix("Uid:") { owner = line.split(whereSeparator: { $0 == "\t" || $0 == " " }).dropFirst().first.flatMap { uid_t($0) } }
                if line.hasPrefix("Threads:") { threads = Int(line.dropFirst(8).trimmingCharacters(in: .whitespaces)) ?? 1 }
            }
            if owner == uid { count += threads }
        }
        return count
    }

    // MARK: - After the run

    /// Removes from the captured-output folder whatever is not a regular file: the program could
    /// have replaced a cell's output by a link to a file it cannot read itself (a grader's
    /// source, say), for the runner to read and show.
    static func removeLinks(in folder: URL) {
        for name in (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? [] {
            let path = folder.appendingPathComponent(name).path
            if (try? FileManager.default.attributesOfItem(atPath: path))?[.type] as? FileAttributeType != .typeRegular {
                try? FileManager.default.removeItem(atPath: path)
            }
        }
    }

    /// bwrap reports a program killed by signal N as exit status 128 + N.
    func programExit(_ exit: ProgramExit) -> ProgramExit {
        if isolation == .bubblewrap, case .status(let status) = exit, status > 128, status < 128 + 65 {
            return .signal(status - 128)
        }
        return exit
    }

    /// A failure caused by a limit, said as such: which limit, and how large it was.
    func explainLimit(_ failure: ChapterFailure, exit: ProgramExit) -> ChapterFailure {
        var explained = failure
        let place = failure.cell.map { " in cell '\($0)'" } ?? ""
        func limit(_ what: String) -> ChapterFailure {
            explained.kind = .limit
            explained.message = what + place + "; it was stopped"
            return explained
        }
        if case .signal(let signal) = exit {
            if signal == SIGXCPU || (signal == SIGKILL && failure.kind == .crash) {
                return limit("the program used up its CPU-time limit of \(limits.cpuSeconds) s")
            }
            if signal == SIGXFSZ {
                return limit("the program wrote more than the file-size limit of \(CapturedOutput.byteCount(limits.fileBytes)) (to a file or its output)")
            }
        }
        let outOfMemory = ["Could not allocate memory", "Can't allocate memory", "Cannot allocate memory", "failed to allocate"]
        if outOfMemory.contains(where: failure.message.contains) {
            return limit("the program ran out of memory: it may use \(CapturedOutput.byteCount(limits.memoryBytes)) of address space")
        }
        return explained
    }
}

/// Watches a sandboxed run between polls: stops it when it holds more processes than allowed.
final class SandboxWatch {
    private let limits: ResourceLimits
    private let process: Process
    private var lastLook = 0.0

    init(_ sandbox: Sandbox, _ process: Process) { self.limits = sandbox.limits; self.process = process }

    /// A failure once the program and its descendants number more than `limits.processes`.
    func overrun(at time: Double) -> ChapterFailure? {
        guard time - lastLook >= 0.25 else { return nil }
        lastLook = time
        let count = ProcessTree.descendants(of: process.processIdentifier).count
        guard count > limits.processes else { return nil }
        return ChapterFailure(kind: .limit, message: "the program started more than \(limits.processes) processes (\(count) were running); it was stopped")
    }
}
