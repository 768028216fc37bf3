import Foundation
import XCTest

/// Runs the real `lessons` binary, the way a user does, for the end-to-end tests of every test
/// target (each wraps it with its own fixture project).
public enum LessonsProcess {
    public struct Output {
        public var status: Int32
        public var stdout: String
        public var stderr: String
        /// Both streams, for assertion messages.
        public var all: String { "exit \(status)\n--- stdout\n\(stdout)--- stderr\n\(stderr)" }
    }

    /// The repository this checkout's tests belong to.
    public static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// Where the datasets are: `LESSONS_DATA_DIR` (relative to the package), else
    /// `../shared/data` beside the package.
    public static var dataDirectory: String {
        if let dir = ProcessInfo.processInfo.environment["LESSONS_DATA_DIR"], !dir.isEmpty {
            return dir.hasPrefix("/") ? dir : packageRoot.appendingPathComponent(dir).standardizedFileURL.path
        }
        return packageRoot.appendingPathComponent("../shared/data").standardizedFileURL.path
    }

    /// `lessons` in the build directory this test bundle belongs to (`.build*/debug/`), or
    /// `LESSONS_TEST_BINARY` — e.g. an older build, to see a new test fail on the old code.
    public static func binary() throws -> URL {
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

    /// A fresh project in a temporary folder: `folders` copied from `fixtures`, and the
    /// `Package.swift` beside `Chapters/` by which `lessons` finds its project.
    public static func makeProject(from fixtures: URL, folders: [String], name: String) throws -> URL {
        let root = try TestFolders.make(name)
        for folder in folders {
            try FileManager.default.copyItem(at: fixtures.appendingPathComponent(folder), to: root.appendingPathComponent(folder))
        }
        try Data("// marker for lessons' project search\n".utf8).write(to: root.appendingPathComponent("Package.swift"))
        return root
    }

    /// A `lessons` process not started yet: arguments, folder, and this process's environment
    /// without colour, changed by `environment` (a nil value removes a variable).
    public static func process(_ arguments: [String], in folder: URL, environment changes: [String: String?] = [:]) throws -> Process {
        let process = Process()
        process.executableURL = try binary()
        process.arguments = arguments
        process.currentDirectoryURL = folder
        var environment = ProcessInfo.processInfo.environment
        environment["NO_COLOR"] = "1"
        for (name, value) in changes { environment[name] = value }
        process.environment = environment
        process.standardInput = FileHandle.nullDevice
        return process
    }

    /// Starts `lessons arguments…` in `folder`, its output going to files; call `finish`.
    public static func start(_ arguments: [String], in folder: URL, environment: [String: String?] = [:]) throws -> Running {
        let process = try process(arguments, in: folder, environment: environment)
        let id = UUID().uuidString
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("lessons-test-\(id).out")
        let err = FileManager.default.temporaryDirectory.appendingPathComponent("lessons-test-\(id).err")
        _ = FileManager.default.createFile(atPath: out.path, contents: nil)
        _ = FileManager.default.createFile(atPath: err.path, contents: nil)
        process.standardOutput = try FileHandle(forWritingTo: out)
        process.standardError = try FileHandle(forWritingTo: err)
        try process.run()
        return Running(process: process, out: out, err: err)
    }

    /// Runs `lessons arguments…` in `folder` to completion (killing it after `timeout` seconds).
    public static func run(_ arguments: [String], in folder: URL, timeout: Double = 300,
                           environment: [String: String?] = [:]) throws -> Output {
        try start(arguments, in: folder, environment: environment).finish(timeout: timeout)
    }

    public struct Running {
        public var process: Process
        var out: URL
        var err: URL

        /// Waits (killing the process after `timeout` seconds) and collects its output.
        public func finish(timeout: Double = 300) throws -> Output {
            defer { try? FileManager.default.removeItem(at: out); try? FileManager.default.removeItem(at: err) }
            let deadline = Date().addingTimeInterval(timeout)
            while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
            if process.isRunning {
                process.terminate()
                XCTFail("lessons \(process.arguments ?? []) did not finish in \(timeout) s")
            }
            process.waitUntilExit()
            return Output(status: process.terminationStatus,
                          stdout: try String(contentsOf: out, encoding: .utf8),
                          stderr: try String(contentsOf: err, encoding: .utf8))
        }
    }
}
