import Foundation
import XCTest

/// Runs the real `lessons` binary (built next to this test bundle) in a copy of the render
/// fixture project.
enum LessonsBinary {
    struct Output {
        var status: Int32
        var stdout: String
        var stderr: String
        var all: String { "exit \(status)\n--- stdout\n\(stdout)--- stderr\n\(stderr)" }
    }

    static func url() throws -> URL {
        if let path = ProcessInfo.processInfo.environment["LESSONS_TEST_BINARY"], !path.isEmpty {
            return URL(fileURLWithPath: path)
        }
        let me = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        var folder = URL(fileURLWithPath: me).resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = folder.appendingPathComponent("lessons")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            folder = folder.deletingLastPathComponent()
        }
        throw CocoaError(.fileNoSuchFile, userInfo: [NSLocalizedDescriptionKey: "no lessons binary near \(me); run swift build first"])
    }

    /// A copy of `Tests/Fixtures/render` (chapters and Expected files) as a project of its own.
    static func makeProject(withStoredResults: Bool = false) throws -> URL {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("lessons-render-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        for name in ["Chapters", "Expected"] {
            try FileManager.default.copyItem(at: RenderFixture.folder.appendingPathComponent(name), to: root.appendingPathComponent(name))
        }
        if withStoredResults {
            try FileManager.default.createDirectory(at: root.appendingPathComponent(".lessons"), withIntermediateDirectories: true)
            try FileManager.default.copyItem(at: RenderFixture.folder.appendingPathComponent("results"),
                                             to: root.appendingPathComponent(".lessons/results"))
        }
        try Data("// marker for lessons' project search\n".utf8).write(to: root.appendingPathComponent("Package.swift"))
        return root
    }

    static func start(_ arguments: [String], in root: URL) throws -> Process {
        let process = Process()
        process.executableURL = try url()
        process.arguments = arguments
        process.currentDirectoryURL = root
        var environment = ProcessInfo.processInfo.environment
        environment["NO_COLOR"] = "1"
        process.environment = environment
        return process
    }

    static func run(_ arguments: [String], in root: URL, timeout: Double = 300) throws -> Output {
        let process = try start(arguments, in: root)
        let out = root.appendingPathComponent(".out-\(UUID().uuidString)"), err = root.appendingPathComponent(".err-\(UUID().uuidString)")
        _ = FileManager.default.createFile(atPath: out.path, contents: nil)
        _ = FileManager.default.createFile(atPath: err.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: out); try? FileManager.default.removeItem(at: err) }
        process.standardOutput = try FileHandle(forWritingTo: out)
        process.standardError = try FileHandle(forWritingTo: err)
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        if process.isRunning {
            process.terminate()
            XCTFail("lessons \(arguments) did not finish in \(timeout) s")
        }
        process.waitUntilExit()
        return Output(status: process.terminationStatus, stdout: try String(contentsOf: out, encoding: .utf8),
                      stderr: try String(contentsOf: err, encoding: .utf8))
    }
}
