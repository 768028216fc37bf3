import Foundation
import Notebook

/// The student release (`lessons assign`): the chapters with their starter cells and contracts,
/// their visible checks (Expected/ and a generated EXERCISES.md), Engine and the tool. Files are
/// copied from an allow-list, never "everything but", so that a file added later to the course
/// (a new folder of hidden tests, say) stays out until someone decides it belongs in; and the
/// result is scanned for every line of every solution, grader and harness before it is kept.
public struct Release {
    public let root: URL
    public let specs: [ExerciseSpec]

    /// Top-level files and folders students get.
    public static let released = ["Chapters", "Expected", "Sources", "scripts", "docs", "bench", "README.md", ".gitignore"]
    /// Test folders students get (the grading tests and their fixtures stay with the course).
    public static let releasedTests = ["Tests/EngineTests", "Tests/NotebookTests", "Tests/RenderTests", "Tests/TestSupport",
                                       "Tests/Fixtures/cli", "Tests/Fixtures/docs", "Tests/Fixtures/exec", "Tests/Fixtures/render"]

    public init(root: URL, specs: [ExerciseSpec]) { self.root = root; self.specs = specs }

    /// Writes the release into `folder` (which must not exist or be empty) and checks it.
    /// Returns the relative paths written.
    public func write(to folder: URL) throws -> [String] {
        let manager = FileManager.default
        if let existing = try? manager.contentsOfDirectory(atPath: folder.path), !existing.isEmpty {
            throw ReleaseError("\(displayPath(folder)) is not empty: choose a new folder for the release")
        }
        try manager.createDirectory(at: folder, withIntermediateDirectories: true)
        for item in Self.released + Self.releasedTests {
            let source = root.appendingPathComponent(item)
            guard manager.fileExists(atPath: source.path) else { continue }
            let target = folder.appendingPathComponent(item)
            try manager.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
            try manager.copyItem(at: source, to: target)
        }
        try Data(manifest().utf8).write(to: folder.appendingPathComponent("Package.swift"))
        try Data(exerciseList().utf8).write(to: folder.appendingPathComponent("EXERCISES.md"))
        let files = Self.files(in: folder)
        if let leak = try leaks(in: folder, files: files).first { throw ReleaseError("refusing to release: \(leak)") }
        return files
    }

    /// The course's Package.swift without the targets whose folders stay behind.
    func manifest() throws -> String {
        let text = try String(contentsOf: root.appendingPathComponent("Package.swift"), encoding: .utf8)
        let dropped = ["GradeTests", "Yams"]
        return text.split(separator: "\n", omittingEmptySubsequences: false)
            .filter { line in !dropped.contains { line.contains("\"\($0)\"") || line.contains("/\($0)\"") } }
            .joined(separator: "\n")
    }

    /// EXERCISES.md: each exercise, its points and its checks, with the ranges of the visible ones.
    func exerciseList() -> String {
        var text = "# Graded exercises\n\nEach chapter's graded exercise is a cell marked `exercise=NAME`, with its contract "
            + "written above it. `lessons grade` replaces that cell's code with yours, runs it with the cells it needs, and "
            + "measures what it leaves behind in a separate program; what your code prints or reports is never graded. "
            + "Checks marked hidden show their points and what is measured, not the bar.\n"
        let total = specs.map(\.points).reduce(0, +)
        text += "\nTotal: \(number(total)) points.\n"
        for spec in specs {
            text += "\n## \(spec.id): \(spec.title) (\(number(spec.points)) points)\n\n"
            text += "In `Chapters/\(spec.chapterID).md`, cell `exercise=\(spec.exercise)`; time limit \(Int(spec.limits.seconds)) s.\n\n"
            text += "| check | measured | points |\n|---|---|---|\n"
            for check in spec.checks {
                let bar = check.hidden ? "hidden" : ([(check.range, check.points)] + check.partial.map { ($0.range, $0.points) })
                    .map { "\(ExerciseGrader.points($0.1)) for \(ExerciseGrader.interval($0.0))" }.joined(separator: ", ")
                text += "| \(check.title) | \(check.measured) | \(bar) |\n"
            }
        }
        return text
    }

    /// Every file under `folder`, relative, sorted.
    static func files(in folder: URL) -> [String] {
        var found: [String] = []
        let walker = FileManager.default.enumerator(atPath: folder.path)
        while let path = walker?.nextObject() as? String {
            var isFolder: ObjCBool = false
            if FileManager.default.fileExists(atPath: folder.appendingPathComponent(path).path, isDirectory: &isFolder), !isFolder.boolValue {
                found.append(path)
            }
        }
        return found.sorted()
    }

    /// What of the course's hidden material appears in the release: a path under Graders/ or
    /// Solutions/, or a distinctive line of a solution, a grader, a harness or a points file's
    /// note. A line is distinctive when it is long enough to mean something and occurs nowhere
    /// in what students are meant to read anyway: the chapters and the library's sources (a
    /// solution may well contain `let targets = timeMajor(batch.targets)`). A solution pasted
    /// into a chapter is therefore not found here; it is found by the test that every starter
    /// scores what a blank submission does.
    public func leaks(in folder: URL, files: [String]? = nil) throws -> [String] {
        let files = files ?? Self.files(in: folder)
        var problems = files.filter { $0.hasPrefix("Graders/") || $0.hasPrefix("Solutions/") || $0.contains("/Graders/") || $0.contains("/Solutions/") }
            .map { "\($0) is course-only material" }
        let publicLines = Set(["Chapters", "Sources/Engine", "Sources/Experiments", "Sources/ChapterRuntime"].flatMap { folder in
            Self.files(in: root.appendingPathComponent(folder)).flatMap {
                Self.distinctiveLines((try? String(contentsOf: root.appendingPathComponent(folder).appendingPathComponent($0), encoding: .utf8)) ?? "")
            }
        })
        var secrets: [(line: String, origin: String)] = []
        for spec in specs {
            let solution = root.appendingPathComponent("Solutions/\(spec.chapterID)/\(spec.exercise).swift")
            for url in [solution, spec.graderSource, spec.harnessSource] {
                let text = (try? String(contentsOf: url, encoding: .utf8)) ?? ""
                for line in Self.distinctiveLines(text) where !publicLines.contains(line) {
                    secrets.append((line, displayPath(url)))
                }
            }
            if let note = (try? JSONSerialization.jsonObject(with: Data(contentsOf: spec.specFile))) as? [String: Any],
               let text = note["note"] as? String, text.count >= 24 {
                secrets.append((text, displayPath(spec.specFile)))
            }
        }
        for file in files {
            guard let text = try? String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8) else { continue }
            let lines = Set(text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) })
            for secret in secrets where lines.contains(secret.line) || (secret.line.count > 60 && text.contains(secret.line)) {
                problems.append("\(file) contains a line of \(secret.origin): \(secret.line.prefix(60))")
                break
            }
        }
        return problems
    }

    /// Lines of at least 24 characters (trimmed), skipping comments' common words alone.
    static func distinctiveLines(_ text: String) -> [String] {
        text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { $0.count >= 24 }
    }
}

public struct ReleaseError: Error, CustomStringConvertible, LocalizedError {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
    public var errorDescription: String? { message }
}
