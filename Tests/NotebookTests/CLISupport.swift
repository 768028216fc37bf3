import Foundation
import TestSupport
import XCTest

/// Runs the real `lessons` binary (`LessonsProcess`) in a copy of the fixture project
/// `Tests/Fixtures/cli/`, with no `LESSONS_DATA_DIR` unless a test gives one.
enum LessonsCLI {
    typealias Output = LessonsProcess.Output
    typealias Running = LessonsProcess.Running

    static func binary() throws -> URL { try LessonsProcess.binary() }

    /// A fresh copy of the fixture project in a temporary folder.
    static func makeProject() throws -> URL {
        try LessonsProcess.makeProject(from: LessonsProcess.packageRoot.appendingPathComponent("Tests/Fixtures/cli"),
                                       folders: ["Chapters", "Expected"], name: "cli")
    }

    /// Starts `lessons arguments…` in `root`; call `finish` on the result.
    static func start(_ arguments: [String], in root: URL, environment extra: [String: String] = [:]) throws -> Running {
        var environment: [String: String?] = ["LESSONS_DATA_DIR": nil]
        for (name, value) in extra { environment[name] = value }
        return try LessonsProcess.start(arguments, in: root, environment: environment)
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
