import Foundation
import XCTest
@testable import Grade

/// `lessons assign` writes what students get and nothing of what they must not see: no grader,
/// no solution, no hidden bar (nbgrader #917 and #1363 are the failures to avoid).
final class AssignTests: XCTestCase {
    nonisolated(unsafe) private static var release: URL?

    /// The course's own release, written once for the class.
    private func release() throws -> URL {
        if let release = Self.release { return release }
        let folder = try GradeCLI.temporaryFolder("release").appendingPathComponent("release")
        let output = try GradeCLI.run(["assign", "--out", folder.path], in: GradeCLI.packageRoot)
        XCTAssertEqual(output.status, 0, output.all)
        XCTAssertTrue(output.stdout.contains("7 graded exercises, no solutions, graders or hidden ranges"), output.all)
        Self.release = folder
        return folder
    }

    override class func tearDown() {
        if let release { try? FileManager.default.removeItem(at: release.deletingLastPathComponent()) }
        release = nil
    }

    private var specs: [ExerciseSpec] {
        get throws { try ExerciseSpec.all(in: GradeCLI.packageRoot.appendingPathComponent("Graders")) }
    }

    /// An independent scan: no line of a solution, grader or harness (30 characters or more,
    /// and found in neither the chapters nor the library students read anyway) in any file.
    func testTheReleaseHoldsNoLineOfASolutionAGraderOrAHarness() throws {
        let folder = try release()
        let files = Release.files(in: folder)
        XCTAssertTrue(files.contains("Chapters/10-rnn-scratch.md") && files.contains("Sources/Engine/Tensor/Tensor.swift")
                      && files.contains("Expected/12-gru.json") && files.contains("EXERCISES.md"), "\(files.prefix(20))")
        XCTAssertFalse(files.contains { $0.hasPrefix("Graders") || $0.hasPrefix("Solutions") || $0.contains("Fixtures/grade")
                                        || $0.hasPrefix("Tests/GradeTests") || $0.hasPrefix(".ci") || $0.hasPrefix("examples") }, "\(files)")
        var known = ""
        for name in ["Chapters", "Sources/Engine", "Sources/Experiments", "Sources/ChapterRuntime"] {
            for file in Release.files(in: GradeCLI.packageRoot.appendingPathComponent(name)) {
                known += try String(contentsOf: GradeCLI.packageRoot.appendingPathComponent(name).appendingPathComponent(file), encoding: .utf8)
            }
        }
        var secretLines: [(String, String)] = []
        for spec in try specs {
            let solution = GradeCLI.packageRoot.appendingPathComponent("Solutions/\(spec.chapterID)/\(spec.exercise).swift")
            for url in [solution, spec.graderSource, spec.harnessSource] {
                for line in try String(contentsOf: url, encoding: .utf8).split(separator: "\n").map({ $0.trimmingCharacters(in: .whitespaces) })
                    where line.count >= 30 && !known.contains(line) {
                    secretLines.append((line, url.lastPathComponent))
                }
            }
        }
        XCTAssertGreaterThan(secretLines.count, 100, "the scan has something to look for")
        for file in files {
            guard let text = try? String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8) else { continue }
            for (line, origin) in secretLines where text.contains(line) {
                XCTFail("\(file) holds a line of \(origin): \(line)")
            }
        }
    }

    /// EXERCISES.md lists every check with its points; the bars of hidden checks stay hidden,
    /// and no points file's note (which records what the solutions reach) is released.
    func testTheVisibleChecksAreListedAndTheHiddenBarsAreNot() throws {
        let list = try String(contentsOf: try release().appendingPathComponent("EXERCISES.md"), encoding: .utf8)
        for spec in try specs {
            XCTAssertTrue(list.contains("## \(spec.id): \(spec.title) (\(number(spec.points)) points)"), spec.id)
            for check in spec.checks {
                let row = try XCTUnwrap(list.split(separator: "\n").first { $0.hasPrefix("| \(check.title) |") }, check.title)
                XCTAssertEqual(row.hasSuffix("| hidden |"), check.hidden, String(row))
            }
        }
        let all = Release.files(in: try release()).compactMap { try? String(contentsOf: try release().appendingPathComponent($0), encoding: .utf8) }
        for spec in try specs {
            let json = try JSONSerialization.jsonObject(with: Data(contentsOf: spec.specFile)) as? [String: Any]
            let note = try XCTUnwrap(json?["note"] as? String, "every course exercise records what its solution reaches")
            XCTAssertFalse(all.contains { $0.contains(note) }, "the note of \(spec.id) was released")
        }
    }

    /// The release is a project of its own: its manifest names only folders it has, and grading
    /// there finds nothing to grade.
    func testTheReleaseIsAProjectWithoutTheGradingPart() throws {
        let folder = try release()
        let manifest = try String(contentsOf: folder.appendingPathComponent("Package.swift"), encoding: .utf8)
        XCTAssertFalse(manifest.contains("GradeTests") || manifest.contains("Yams"), manifest)
        let pattern = try NSRegularExpression(pattern: #"\.(?:testTarget|target|executableTarget)\(name: "([A-Za-z]+)""#)
        let matches = pattern.matches(in: manifest, range: NSRange(manifest.startIndex..., in: manifest))
        XCTAssertGreaterThan(matches.count, 5)
        for match in matches {
            let name = String(manifest[Range(match.range(at: 1), in: manifest)!])
            let exists = ["Sources/\(name)", "Tests/\(name)"].contains { FileManager.default.fileExists(atPath: folder.appendingPathComponent($0).path) }
            XCTAssertTrue(exists, "the manifest names \(name), which the release lacks")
        }
        let grade = try GradeCLI.run(["grade", "--all"], in: folder)
        XCTAssertEqual(grade.status, 2, grade.all)
        XCTAssertTrue(grade.stderr.contains("nothing to grade"), grade.all)
    }

    /// The scan `assign` runs before keeping a release finds a planted solution line, and a
    /// course-only folder, so a release that leaks is refused rather than written.
    func testAReleaseThatLeaksIsRefused() throws {
        let specs = try self.specs
        let folder = try GradeCLI.temporaryFolder("leaky")
        defer { try? FileManager.default.removeItem(at: folder) }
        let scanner = Release(root: GradeCLI.packageRoot, specs: specs)
        XCTAssertEqual(try scanner.leaks(in: folder), [])
        let solution = try String(contentsOf: GradeCLI.packageRoot.appendingPathComponent("Solutions/12-gru/book-gru.swift"), encoding: .utf8)
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("Chapters"), withIntermediateDirectories: true)
        try Data(("# notes\n" + solution).utf8).write(to: folder.appendingPathComponent("Chapters/notes.md"))
        let found = try scanner.leaks(in: folder)
        XCTAssertTrue(found.contains { $0.contains("Chapters/notes.md contains a line of Solutions/12-gru/book-gru.swift") }, "\(found)")
        try FileManager.default.removeItem(at: folder.appendingPathComponent("Chapters/notes.md"))
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("Graders/x"), withIntermediateDirectories: true)
        try Data("{}".utf8).write(to: folder.appendingPathComponent("Graders/x/y.json"))
        XCTAssertEqual(try scanner.leaks(in: folder), ["Graders/x/y.json is course-only material"])
    }
}
