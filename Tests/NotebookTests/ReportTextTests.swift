import Engine
import XCTest
@testable import Notebook

/// The report people read, and the progress display.
final class ReportTextTests: XCTestCase {
    private func report(perplexity: [(Int, Double)] = [(40, 170.5), (160, 1.4)],
                        failure: RunFailure? = nil) throws -> ChapterReport {
        let expectations = try Sample.expectations()
        let sampleStatus: CellResult.Status = failure == nil ? .passed : .failed
        let run = Sample.run(perplexity: perplexity, failure: failure, sampleStatus: sampleStatus)
        return ChapterReport(chapterID: "12-gru", title: "Gated recurrent units", profile: "full", seed: 0,
                             result: run, outcomes: try check(run, against: expectations))
    }

    /// A snapshot: change it only after reading the new output.
    func testSnapshotOfAFailingRange() throws {
        let text = TextReport(style: .plain).render(try report())
        XCTAssertEqual(text, """
        12-gru: Gated recurrent units (profile full, seed 0)
          ✓ setup      0.01 s
          ✓ train     41.20 s
              ✗ perplexity at epoch 40       170.5  not in [140, 160]  source 149.27
              ✓ final perplexity               1.4  in [1.2, 1.6]  source 1.43  (epoch 160)
              · final tokens_per_second       5120  not judged
          ✓ sample     0.20 s
              ✓ output matches /^分开/
              ✓ output
          compiled in 2.50 s
        12-gru: 3 passed, 1 failed, 1 reported

        """)
    }

    func testCrashShowsTheMessageAndFailsTheCellsChecks() throws {
        let crash = RunFailure(kind: .crash, cell: "sample", message: "SIGSEGV (Segmentation fault)\nlast line 1\nlast line 2")
        let text = TextReport(style: .plain).render(try report(perplexity: [(40, 150), (160, 1.4)], failure: crash))
        XCTAssertTrue(text.contains("✗ sample     0.20 s  failed"), text)
        XCTAssertTrue(text.contains("✗ output\n          cell sample failed (crash)"), text)
        XCTAssertTrue(text.contains("error: crash in cell sample:\n    SIGSEGV (Segmentation fault)\n    last line 1\n    last line 2"), text)
        XCTAssertTrue(text.hasSuffix("12-gru: 2 passed, 2 failed, 1 reported (error)\n"), text)
    }

    func testCellOutputIsShownOnlyWhenAsked() throws {
        let withOutput = TextReport(style: .plain, showsOutput: true).render(try report())
        XCTAssertTrue(withOutput.contains("  ✓ setup") && withOutput.contains("      │ training\n"), withOutput)
        XCTAssertFalse(TextReport(style: .plain).render(try report()).contains("│ training"))
    }

    func testColourOnlyWhenAsked() throws {
        let coloured = TextReport(style: TerminalStyle(colour: true)).render(try report())
        XCTAssertTrue(coloured.contains("\u{1B}[31m✗\u{1B}[0m"))
        XCTAssertFalse(TextReport(style: .plain).render(try report()).contains("\u{1B}"))
    }

    func testNoColorAndPipesDisableColour() {
        // File descriptor -1 is never a terminal; NO_COLOR wins even where one is.
        XCTAssertFalse(TerminalStyle.detect(fileDescriptor: -1, environment: [:]).colour)
        XCTAssertFalse(TerminalStyle.detect(fileDescriptor: -1, environment: ["NO_COLOR": "1"]).colour)
        XCTAssertEqual(ProgressDisplay.mode(fileDescriptor: -1, environment: [:]), .plain)
        XCTAssertEqual(ProgressDisplay.mode(fileDescriptor: -1, environment: ["CI": "true"]), .plain)
    }

    func testUnjudgedRunSaysWhy() {
        let run = Sample.run()
        let report = ChapterReport(chapterID: "12-gru", unjudgedReason: "no profile matches epochs=7: figures are reported, not judged",
                                   parameters: ["epochs": "7"], result: run,
                                   outcomes: check(run, against: nil))
        let text = TextReport().render(report)
        XCTAssertTrue(text.contains("(seed 0, epochs=7)"), text)
        XCTAssertTrue(text.contains("note: no profile matches epochs=7"), text)
        XCTAssertTrue(text.hasSuffix("12-gru: 0 passed, 0 failed, 2 reported\n"), text)
    }

    func testTotalLine() throws {
        let failing = try report()
        let broken = ChapterReport.failed("13-lstm", error: "unknown chapter")
        XCTAssertEqual(TextReport().total([failing, broken]), "lessons: 2 chapters, 3 passed, 1 failed, 1 reported, 1 error")
    }

    // MARK: Progress

    func testPlainProgressWritesOneLineEveryTenthOfTheEpochs() {
        var output: [String] = []
        var time = 0.0
        let display = ProgressDisplay(mode: .plain, write: { output.append($0) }, now: { time })
        display.handle(Event(event: "cell", cell: "train", index: 1))
        for epoch in 1...40 {
            time += 2
            display.handle(Event(event: "progress", cell: "train", name: "perplexity", value: 1000 / Double(epoch),
                                 epoch: epoch, of: 40))
        }
        XCTAssertEqual(output.count, 10)
        XCTAssertEqual(output.first, "  train: epoch 4/40, perplexity 250, ETA 1:12\n")
        XCTAssertEqual(output.last, "  train: epoch 40/40, perplexity 25\n")
    }

    func testLiveProgressRedrawsOneLinePerCell() {
        var output = ""
        var time = 0.0
        let display = ProgressDisplay(mode: .live, write: { output += $0 }, now: { time })
        display.handle(Event(event: "cell", cell: "train", index: 1))
        for epoch in 1...4 {
            time += 1
            display.handle(Event(event: "progress", cell: "train", name: "perplexity", value: 10, epoch: epoch, of: 4))
        }
        display.handle(Event(event: "progress", cell: "tune", name: "loss", value: 2, epoch: 1, of: 10))
        display.finish()
        let lines = output.split(separator: "\n", omittingEmptySubsequences: false)
        XCTAssertEqual(lines.count, 3, "one line per cell, each ended: \(output.debugDescription)")
        XCTAssertTrue(lines[0].hasSuffix("\r\u{1B}[2K  train  [████████████████████]  4/4  perplexity 10"), "\(lines[0].debugDescription)")
        XCTAssertTrue(lines[0].contains("1/4  perplexity 10  ETA 0:03"), "\(lines[0].debugDescription)")
        XCTAssertTrue(lines[1].contains("tune  [██░░░░░░░░░░░░░░░░░░]  1/10  loss 2"), "\(lines[1].debugDescription)")
        XCTAssertEqual(lines[2], "")
    }

    func testClock() {
        XCTAssertEqual(clock(34), "0:34")
        XCTAssertEqual(clock(725), "12:05")
        XCTAssertEqual(clock(3729), "1:02:09")
    }
}
