import Engine
import Foundation
import XCTest
@testable import Grade

/// The cheating submissions of issue 10, through the real binary: each is the `bigram` cell of
/// the fixture course, graded beside the honest `scale` exercise of the same chapter. Each must
/// earn nothing for `bigram`, with a message that says why, while `scale`, graded next, still
/// earns its 4 points: the grader survives whatever the submission did.
final class GradeCheatTests: XCTestCase {
    nonisolated(unsafe) private static var project: URL?

    private var root: URL {
        get throws {
            if let project = Self.project { return project }
            let project = try GradeCLI.makeFixtureProject()
            Self.project = project
            return project
        }
    }

    override class func tearDown() {
        if let project { try? FileManager.default.removeItem(at: project) }
        project = nil
    }

    /// Grades chapter 01 with `code` as the bigram cell (from a solutions folder, or from a
    /// student's checkout when `checkout` is set); returns the report and the bigram result.
    private func grade(_ code: String, checkout: Bool = false, arguments: [String] = [], environment: [String: String] = [:],
                       timeout: Double = 300, file: StaticString = #filePath, line: UInt = #line)
        throws -> (output: GradeCLI.Output, bigram: ExerciseResult, report: GradeReport) {
        let root = try self.root
        let json = root.appendingPathComponent("grade-\(UUID().uuidString).json")
        let submission = checkout ? ["--submission", try GradeCLI.checkout(bigram: code, from: root).path]
                                  : ["--solutions", try GradeCLI.solutions(bigram: code, in: root).path]
        let output = try GradeCLI.run(["grade", "01-bigram", "--json", json.path] + submission + arguments, in: root,
                                      timeout: timeout, environment: environment)
        XCTAssertEqual(output.status, 1, "points were lost, so the exit code is 1: \(output.all)", file: file, line: line)
        let report = try GradeCLI.report(json)
        let bigram = try XCTUnwrap(report.exercises.first { $0.exercise == "bigram" }, file: file, line: line)
        XCTAssertEqual(bigram.score, 0, "a cheat earns nothing: \(output.all)", file: file, line: line)
        let scale = try XCTUnwrap(report.exercises.first { $0.exercise == "scale" }, file: file, line: line)
        XCTAssertEqual(scale.status, .graded, output.all, file: file, line: line)
        XCTAssertEqual(scale.score, 4, "the next exercise is still graded in full: \(output.all)", file: file, line: line)
        return (output, bigram, report)
    }

    // MARK: Forged figures: the runner's channel is never graded

    func testPrintingAFakePerplexityEarnsNothing() throws {
        let (output, bigram, _) = try grade(try GradeCLI.cheat("print-fake-perplexity"))
        XCTAssertEqual(bigram.status, .graded)
        XCTAssertTrue(bigram.output.contains("perplexity 1.0"), "the printed line is there, and ignored")
        let perplexity = try XCTUnwrap(bigram.checks.first { $0.id == "perplexity" })
        XCTAssertEqual(try XCTUnwrap(perplexity.value), 6, accuracy: 0.01, "zero logits: the uniform guess over 6 letters")
        XCTAssertTrue(output.stdout.contains("perplexity on 4,000 letters your code never saw: 6 (3 points for ≤ 2.5"), output.all)
    }

    /// `lessons run` believes the forged metric (the visible check passes); `lessons grade` does not.
    func testReportingAFakeMetricPassesTheVisibleCheckButEarnsNothing() throws {
        let code = try GradeCLI.cheat("report-fake-metric")
        let checkout = try GradeCLI.checkout(bigram: code, from: try root)
        let run = try GradeCLI.run(["run", "01-bigram"], in: checkout)
        XCTAssertEqual(run.status, 0, "the forged figure passes the visible check: \(run.all)")
        XCTAssertTrue(run.stdout.contains("✓ final perplexity"), run.all)
        let (output, bigram, _) = try grade(code, checkout: true)
        XCTAssertTrue(bigram.notes.contains { $0.contains("figures your code reported itself (perplexity 1) are not graded") }, output.all)
    }

    func testWritingTheWireFormatToTheEventsDescriptorEarnsNothing() throws {
        let code = try GradeCLI.cheat("forge-events-fd")
        let run = try GradeCLI.run(["run", "01-bigram"], in: try GradeCLI.checkout(bigram: code, from: try root))
        XCTAssertEqual(run.status, 0, "the forged line reaches the runner's channel: \(run.all)")
        let (output, bigram, _) = try grade(code)
        XCTAssertTrue(bigram.output.contains("forged a metric through descriptor"), output.all)
        XCTAssertEqual(bigram.status, .graded)
    }

    func testAppendingToTheEventsFileEarnsNothing() throws {
        let (output, bigram, _) = try grade(try GradeCLI.cheat("forge-events-file"))
        XCTAssertTrue(bigram.output.contains("appended a forged metric"), output.all)
    }

    func testRewritingAnotherCellsOutputEarnsNothing() throws {
        let (output, bigram, _) = try grade(try GradeCLI.cheat("rewrite-output"))
        XCTAssertTrue(bigram.output.contains("rewrote"), output.all)
        XCTAssertEqual(bigram.status, .graded)
    }

    // MARK: The runner protocol

    func testAnExitHandlerThatReportsAfterTheLastCellIsCaught() throws {
        let (_, bigram, _) = try grade(try GradeCLI.cheat("atexit-report"))
        XCTAssertEqual(bigram.problem?.kind, "protocolViolation")
        XCTAssertTrue(bigram.problem?.message.contains("sent a metric event after its last cell finished") ?? false, "\(bigram)")
        XCTAssertTrue(bigram.problem?.message.contains("nothing is graded") ?? false)
    }

    func testAnnouncingALaterCellIsCaught() throws {
        let (_, bigram, _) = try grade(try GradeCLI.cheat("forge-later-cell"))
        XCTAssertEqual(bigram.problem?.kind, "protocolViolation", "\(bigram)")
        XCTAssertTrue(bigram.problem?.message.contains("was announced") ?? false, "\(bigram)")
    }

    func testEndingTheProgramEarlySoThatLaterCellsNeverRunIsCaught() throws {
        let (_, bigram, _) = try grade(try GradeCLI.cheat("end-early"))
        XCTAssertEqual(bigram.problem?.kind, "protocolViolation", "\(bigram)")
        XCTAssertTrue(bigram.problem?.message.contains("said it had finished before cell 'grading-harness' began") ?? false, "\(bigram)")
    }

    /// An artifact replaced, after the harness wrote it, by a link to a perfect one elsewhere:
    /// the grader reads only a regular file in the submission's own folder.
    func testAnArtifactThatIsALinkToAnotherFileIsRefused() throws {
        let perfect = try GradeCLI.temporaryFolder("perfect").appendingPathComponent("artifact.lsn")
        var archive = Engine.TensorArchive()
        var logits = [Float](repeating: -30, count: 36)
        for a in 0..<6 { for (k, p) in [0.7, 0.2, 0.1].enumerated() { logits[a * 6 + (2 * a + k) % 6] = Float(Foundation.log(p)) } }
        archive["logits"] = Engine.Tensor(logits, shape: [6, 6])
        try archive.write(to: perfect)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: perfect.deletingLastPathComponent().path)
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: perfect.path)
        let (_, bigram, _) = try grade(try GradeCLI.cheat("artifact-symlink", ["TARGET": perfect.path]))
        XCTAssertEqual(bigram.problem?.kind, "artifact", "\(bigram)")
        XCTAssertEqual(bigram.problem?.message, "the artifact is not a regular file")
    }

    /// Captured output replaced by links to a file of the grading machine: the runner reads
    /// only regular files, so the file's text never reaches the feedback.
    func testOutputReplacedByALinkToAHiddenFileShowsNothingOfIt() throws {
        let secret = try GradeCLI.temporaryFolder("secret").appendingPathComponent("grader-notes.txt")
        try Data("TOP-SECRET-GRADER-TEXT\n".utf8).write(to: secret)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: secret.deletingLastPathComponent().path)
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: secret.path)
        let (output, bigram, report) = try grade(try GradeCLI.cheat("output-symlink", ["TARGET": secret.path]))
        XCTAssertFalse(output.stdout.contains("TOP-SECRET") || output.stderr.contains("TOP-SECRET"), output.all)
        XCTAssertFalse(try report.encoded().range(of: Data("TOP-SECRET".utf8)) != nil, "the JSON report holds the hidden file's text")
        XCTAssertEqual(bigram.status, .graded)
    }

    /// A checkout whose chapter is a link to a file of the grading machine is not read.
    func testASubmittedChapterThatLinksOutOfTheCheckoutIsNotRead() throws {
        let checkout = try GradeCLI.checkout(bigram: try GradeCLI.cheat("print-fake-perplexity"), from: try root)
        let chapter = checkout.appendingPathComponent("Chapters/01-bigram.md")
        try FileManager.default.removeItem(at: chapter)
        try FileManager.default.createSymbolicLink(at: chapter, withDestinationURL: try root.appendingPathComponent("Chapters/01-bigram.md"))
        let json = try root.appendingPathComponent("linked.json")
        let output = try GradeCLI.run(["grade", "01-bigram", "--submission", checkout.path, "--json", json.path], in: try root)
        XCTAssertEqual(output.status, 1, output.all)
        let report = try GradeCLI.report(json)
        XCTAssertEqual(report.score, 0)
        XCTAssertTrue(report.exercises.allSatisfy { $0.problem?.message.contains("must be a file of the submission itself") ?? false }, output.all)
    }

    // MARK: The sandbox

    /// The grader's files, the solutions, the Expected ranges and another student's checkout are
    /// not even there inside the sandbox.
    func testTheHiddenFilesAndOtherStudentsWorkCannotBeRead() throws {
        try GradeCLI.requireBubblewrap()
        let other = try GradeCLI.checkout(bigram: try String(contentsOf: try root.appendingPathComponent("Solutions/01-bigram/bigram.swift")), from: try root)
        let (output, bigram, report) = try grade(try GradeCLI.cheat("read-secrets", ["PROJECT": try root.path, "OTHER": other.path]))
        XCTAssertEqual(report.isolation, "bubblewrap")
        XCTAssertFalse(bigram.output.contains("LEAKED"), output.all)
        XCTAssertEqual(bigram.output.components(separatedBy: "cannot read").count - 1, 6, bigram.output)
    }

    /// Without bubblewrap the same submission reads them: grading still works, with the limits
    /// alone, and says so loudly on stderr and in every report. (This is why CI insists on it.)
    func testWithoutBubblewrapGradingRunsOnLimitsAloneAndSaysSoLoudly() throws {
        let (output, bigram, report) = try grade(try GradeCLI.cheat("read-secrets", ["PROJECT": try root.path, "OTHER": "/nonexistent"]),
                                                 environment: ["LESSONS_BWRAP": ""])
        XCTAssertEqual(report.isolation, "limits-only")
        XCTAssertTrue(output.stderr.contains("warning: NO SANDBOX: bubblewrap (bwrap) is not installed"), output.all)
        XCTAssertTrue(report.warnings.contains { $0.contains("NO SANDBOX") })
        XCTAssertTrue(bigram.output.contains("LEAKED"), "without bubblewrap the hidden files are readable: \(bigram.output)")
        let required = try GradeCLI.run(["grade", "01-bigram", "--sandbox", "bubblewrap"], in: try root, environment: ["LESSONS_BWRAP": ""])
        XCTAssertEqual(required.status, 2, "--sandbox bubblewrap refuses to grade without it: \(required.all)")
    }

    func testWritingOutsideItsFolderFails() throws {
        try GradeCLI.requireBubblewrap()
        let marker = UUID().uuidString.prefix(8)
        let chapter = try root.appendingPathComponent("Chapters/01-bigram.md")
        let before = try String(contentsOf: chapter, encoding: .utf8)
        let (output, bigram, _) = try grade(try GradeCLI.cheat("write-outside", ["PROJECT": try root.path, "MARKER": String(marker)]))
        XCTAssertFalse(bigram.output.contains("WROTE \(try root.path)"), output.all)
        for path in [try root.appendingPathComponent("pwned-\(marker).txt").path, "/tmp/pwned-\(marker).txt", "/var/tmp/pwned-\(marker).txt"] {
            XCTAssertFalse(FileManager.default.fileExists(atPath: path), "\(path) was written: \(bigram.output)")
        }
        XCTAssertEqual(try String(contentsOf: chapter, encoding: .utf8), before)
    }

    func testAnEndlessLoopIsStoppedAtTheTimeLimit() throws {
        let started = Date()
        let (_, bigram, _) = try grade(try GradeCLI.cheat("loop-forever"), arguments: ["--timeout", "8"])
        XCTAssertEqual(bigram.problem?.kind, "timeout", "\(bigram)")
        XCTAssertTrue(bigram.problem?.message.contains("your code did not finish within its time limit of 8 s") ?? false, "\(bigram)")
        XCTAssertLessThan(Date().timeIntervalSince(started), 60)
    }

    func testAllocatingWithoutBoundHitsTheMemoryLimit() throws {
        let (_, bigram, _) = try grade(try GradeCLI.cheat("allocate-without-bound"))
        XCTAssertEqual(bigram.problem?.kind, "limit", "\(bigram)")
        XCTAssertTrue(bigram.problem?.message.contains("ran out of memory: it may use 2 GiB of address space") ?? false, "\(bigram)")
    }

    func testForkingInALoopHitsTheProcessLimitAndLeavesNothingRunning() throws {
        let temporary = try GradeCLI.temporaryFolder("tmp")
        let (_, bigram, _) = try grade(try GradeCLI.cheat("fork-in-a-loop"), arguments: ["--timeout", "20"],
                                       environment: ["TMPDIR": temporary.path])
        XCTAssertEqual(bigram.problem?.kind, "limit", "\(bigram)")
        XCTAssertTrue(bigram.problem?.message.contains("started more than 64 processes") ?? false, "\(bigram)")
        let deadline = Date().addingTimeInterval(5)
        var left = Self.processes(mentioning: temporary.path)
        while !left.isEmpty && Date() < deadline { Thread.sleep(forTimeInterval: 0.1); left = Self.processes(mentioning: temporary.path) }
        XCTAssertEqual(left, [], "processes of the fork bomb outlived the run")
    }

    /// A server on the grading machine's loopback is out of reach: the sandbox has a network of its own.
    func testTheNetworkIsOutOfReach() throws {
        try GradeCLI.requireBubblewrap()
        let listener = try LoopbackListener()
        defer { listener.close() }
        let (output, bigram, _) = try grade(try GradeCLI.cheat("network", ["PORT": String(listener.port)]))
        XCTAssertTrue(bigram.output.contains("no network:"), output.all)
        XCTAssertFalse(bigram.output.contains("CONNECTED"), output.all)
        XCTAssertFalse(listener.acceptedAnyone(), "the submission reached the grading machine")
    }

    func testCodeThatDoesNotCompileGetsTheCompilerMessageAtItsOwnLine() throws {
        let (output, bigram, _) = try grade(try GradeCLI.cheat("does-not-compile"), checkout: true, arguments: ["--github"])
        XCTAssertEqual(bigram.problem?.kind, "compile", "\(bigram)")
        let message = try XCTUnwrap(bigram.problem?.message)
        XCTAssertTrue(message.contains("Chapters/01-bigram.md:") && message.contains("error: cannot find type 'NoSuchType' in scope"), message)
        XCTAssertTrue(message.contains("error (in the code that calls yours): cannot find 'bigramLogits' in scope"), message)
        XCTAssertFalse(message.contains("gradingArchive"), "feedback shows no line of the harness: \(message)")
        XCTAssertTrue(bigram.file?.hasSuffix("Chapters/01-bigram.md") ?? false)
        let line = try XCTUnwrap(bigram.line)
        XCTAssertTrue(output.stdout.contains("::error file=\(bigram.file!),line=\(line),title=01-bigram/bigram%3A 0/4 points::"), output.stdout)
        let submitted = try String(contentsOf: URL(fileURLWithPath: bigram.file!), encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
        XCTAssertTrue(submitted[line - 1].contains("NoSuchType"), "the annotation points at the offending line of the student's .md")
    }

    func testNothingOfTheGradersEnvironmentReachesTheSubmission() throws {
        let (output, bigram, _) = try grade(try GradeCLI.cheat("print-environment"), environment: ["GITHUB_TOKEN": "sekrit-token-42"])
        XCTAssertFalse(bigram.output.contains("sekrit-token-42"), output.all)
        XCTAssertFalse(bigram.output.contains("GITHUB_TOKEN"), output.all)
        XCTAssertTrue(bigram.output.contains("HOME="), "the program did print its environment: \(bigram.output)")
    }

    /// Processes whose command line mentions `text`.
    static func processes(mentioning text: String) -> [Int32] {
        ((try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []).compactMap { Int32($0) }.filter { pid in
            guard pid != getpid(), let data = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") else { return false }
            return String(decoding: data.map { $0 == 0 ? 0x20 : $0 }, as: UTF8.self).contains(text)
        }
    }
}

/// A TCP listener on 127.0.0.1 that records whether anyone connected.
final class LoopbackListener {
    let socketHandle: Int32
    let port: UInt16

    init() throws {
        let handle = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        socketHandle = handle
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(handle, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(handle, 8) == 0 else { throw CocoaError(.fileWriteUnknown) }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(handle, $0, &length) }
        }
        port = UInt16(bigEndian: address.sin_port)
        _ = fcntl(handle, F_SETFL, fcntl(handle, F_GETFL) | O_NONBLOCK)
    }

    func acceptedAnyone() -> Bool {
        let client = accept(socketHandle, nil, nil)
        if client >= 0 { Glibc.close(client); return true }
        return false
    }

    func close() { Glibc.close(socketHandle) }
}
