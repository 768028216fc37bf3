import Foundation
import XCTest

/// Runs the real `lessons` binary, built next to this test bundle, in a copy of the fixture
/// project `Tests/Fixtures/cli/`.
enum LessonsCLI {
    struct Output {
        var status: Int32
        var stdout: String
        var stderr: String
        /// Both streams, for assertion messages.
        var all: String { "exit \(status)\n--- stdout\n\(stdout)--- stderr\n\(stderr)" }
    }

    /// `lessons` in the build directory this test bundle belongs to (`.build*/debug/`), or
    /// `LESSONS_TEST_BINARY` — e.g. an older build, to see a new test fail on the old code.
    static func binary() throws -> URL {
        if let path = ProcessInfo.processInfo.environment["LESSONS_TEST_BINARY"], !path.isEmpty {
            return URL(fileURLWithPath: path)
        }
        let me = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
            ?? Bundle.main.executablePath ?? CommandLine.arguments[0]
        var folder = URL(fileURLWithPath: me).resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = folder.appendingPathComponent("lessons")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            folder = folder.deletingLastPathComponent()
        }
        // Fail rather than skip: a skipped end-to-end test would hide a broken CLI.
        throw CocoaError(.fileNoSuchFile, userInfo: [NSLocalizedDescriptionKey:
            "no lessons binary near \(me); build it first (swift build)"])
    }

    /// A fresh copy of the fixture project in a temporary folder.
    static func makeProject() throws -> URL {
        let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/cli")
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("lessons-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        for name in ["Chapters", "Expected"] {
            try FileManager.default.copyItem(at: fixtures.appendingPathComponent(name),
                                             to: root.appendingPathComponent(name))
        }
        // `lessons` finds its project by Chapters/ beside a Package.swift.
        try Data("// marker for lessons' project search\n".utf8).write(to: root.appendingPathComponent("Package.swift"))
        return root
    }

    /// Starts `lessons arguments…` in `root`; call `finish` on the result.
    static func start(_ arguments: [String], in root: URL, environment extra: [String: String] = [:]) throws -> Running {
        let process = Process()
        process.executableURL = try binary()
        process.arguments = arguments
        process.currentDirectoryURL = root
        var environment = ProcessInfo.processInfo.environment
        environment["NO_COLOR"] = "1"
        environment.removeValue(forKey: "LESSONS_DATA_DIR")
        environment.merge(extra) { $1 }
        process.environment = environment
        let id = UUID().uuidString
        let out = root.appendingPathComponent(".out-\(id)"), err = root.appendingPathComponent(".err-\(id)")
        _ = FileManager.default.createFile(atPath: out.path, contents: nil)
        _ = FileManager.default.createFile(atPath: err.path, contents: nil)
        process.standardOutput = try FileHandle(forWritingTo: out)
        process.standardError = try FileHandle(forWritingTo: err)
        process.standardInput = FileHandle.nullDevice
        try process.run()
        return Running(process: process, out: out, err: err)
    }

    /// Runs `lessons arguments…` in `root` to completion.
    static func run(_ arguments: [String], in root: URL, timeout: Double = 300,
                    environment: [String: String] = [:]) throws -> Output {
        try start(arguments, in: root, environment: environment).finish(timeout: timeout)
    }

    /// Waits up to `seconds` for `condition`, polling.
    static func wait(upTo seconds: Double, for condition: () -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if condition() { return true }
            Thread.sleep(forTimeInterval: 0.05)
        }
        return condition()
    }

    /// Whether a process with this id exists (and is not a zombie).
    static func isAlive(_ pid: pid_t) -> Bool {
        guard kill(pid, 0) == 0 else { return false }
        let status = (try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)) ?? ""
        return !status.contains(") Z ")
    }

    /// Ids of live processes whose command line contains `text`.
    static func processes(matching text: String) -> [pid_t] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return names.compactMap { pid_t($0) }.filter { pid in
            guard pid != getpid(), let data = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") else { return false }
            let line = String(decoding: data.map { $0 == 0 ? 0x20 : $0 }, as: UTF8.self)
            return line.contains(text) && isAlive(pid)
        }
    }

    struct Running {
        var process: Process
        var out: URL
        var err: URL

        /// Waits (killing the process after `timeout` seconds) and collects its output.
        func finish(timeout: Double = 300) throws -> Output {
            let deadline = Date().addingTimeInterval(timeout)
            while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
            if process.isRunning {
                process.terminate()
                process.waitUntilExit()
                XCTFail("lessons \(process.arguments ?? []) did not finish in \(timeout) s")
            }
            process.waitUntilExit()
            defer { try? FileManager.default.removeItem(at: out); try? FileManager.default.removeItem(at: err) }
            return Output(status: process.terminationStatus,
                          stdout: try String(contentsOf: out, encoding: .utf8),
                          stderr: try String(contentsOf: err, encoding: .utf8))
        }
    }
}

/// A copy of the fixture project made on first use and shared by one test class's tests.
final class SharedProject: @unchecked Sendable {
    private let lock = NSLock()
    private var url: URL?

    var root: URL {
        get throws {
            lock.lock(); defer { lock.unlock() }
            if let url { return url }
            let made = try LessonsCLI.makeProject()
            url = made
            return made
        }
    }

    func remove() {
        lock.lock(); defer { lock.unlock() }
        if let url { try? FileManager.default.removeItem(at: url) }
        url = nil
    }
}
