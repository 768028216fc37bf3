import ChapterRuntime
import XCTest
@testable import Notebook

/// The report people read, and the progress display.
final class ReportTextTests: XCTestCase {
    private func report(perplexity: [(Int, Double)] = [(40, 170.5), (160, 1.4)],
                        failure: ChapterFailure? = nil) throws -> ChapterReport {
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

    func testCrashShowsTheMessageOnceAndTheUnjudgedChecksOnOneLine() throws {
        let crash = ChapterFailure(kind: .crash, cell: "sample", file: "Chapters/12-gru.md", line: 15,
                                   message: "SIGSEGV (Segmentation fault)\nlast line 1\nlast line 2")
        let report = try report(perplexity: [(40, 150), (160, 1.4)], failure: crash)
        let text = TextReport(style: .plain).render(report)
        XCTAssertTrue(text.contains("✗ sample     0.20 s  failed"), text)
        XCTAssertTrue(text.contains("  2 checks not judged: the run stopped in cell sample (crash)\n"), text)
        XCTAssertFalse(text.contains("✗ output"), "no check fails for a reason that is not its own: \(text)")
        XCTAssertEqual(TextReport(style: .plain).failure(report),
                       "error: crash in cell 'sample' (Chapters/12-gru.md:15):\n    SIGSEGV (Segmentation fault)\n    last line 1\n    last line 2\n")
        XCTAssertTrue(text.hasSuffix("12-gru: 2 passed, 0 failed, 1 reported, 2 not judged (error)\n"), text)
    }

    func testCellsThatNeverRanShareOneLine() throws {
        let thrown = ChapterFailure(kind: .thrown, cell: "setup", message: "Dataset file 'x' was not found.")
        let expectations = try Sample.expectations()
        var run = Sample.run(failure: thrown)
        run.cells[0].status = .failed
        for i in 1..<run.cells.count { run.cells[i].status = .notRun; run.cells[i].metrics = [] }
        let report = ChapterReport(chapterID: "12-gru", profile: "full", result: run, outcomes: check(run, against: expectations.profiles["full"]))
        let text = TextReport(style: .plain).render(report)
        XCTAssertTrue(text.contains("  – 2 cells not run: train, sample\n"), text)
        XCTAssertTrue(text.contains("  5 checks not judged: the run stopped in cell setup (uncaught error)\n"), text)
        XCTAssertTrue(text.contains("error: cell 'setup' threw:\n    Dataset file 'x' was not found.\n"), text)
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

    func testColourAndLiveProgressOnlyOnATerminalThatWantsThem() {
        XCTAssertTrue(TerminalStyle.detect(isTerminal: true, environment: [:]).colour)
        XCTAssertFalse(TerminalStyle.detect(isTerminal: false, environment: [:]).colour, "pipes get no colour")
        XCTAssertFalse(TerminalStyle.detect(isTerminal: true, environment: ["NO_COLOR": "1"]).colour)
        XCTAssertFalse(TerminalStyle.detect(isTerminal: true, environment: ["TERM": "dumb"]).colour)
        XCTAssertEqual(ProgressDisplay.mode(isTerminal: true, environment: [:]), .live)
        XCTAssertEqual(ProgressDisplay.mode(isTerminal: false, environment: [:]), .plain)
        XCTAssertEqual(ProgressDisplay.mode(isTerminal: true, environment: ["CI": "true"]), .plain)
        XCTAssertEqual(ProgressDisplay.mode(isTerminal: true, environment: ["TERM": "dumb"]), .plain,
                       "a dumb terminal cannot redraw a line")
    }

    func testUnjudgedRunSaysWhy() {
        let run = Sample.run()
        let report = ChapterReport(chapterID: "12-gru", unjudgedReason: "no profile matches epochs=7: figures are reported, not judged",
                                   parameters: ["epochs": "7"], result: run,
                                   outcomes: check(run, against: nil))
        let text = TextReport().render(report)
        XCTAssertTrue(text.contains("(seed 0, epochs=7)"), text)
        XCTAssertTrue(text.contains("note: no profile matches epochs=7"), text)
        XCTAssertTrue(text.hasSuffix("12-gru: nothing judged: no profile matches epochs=7: figures are reported, not judged "
                                     + "(pass --report-only to accept a run that judges nothing)\n"), text)
        XCTAssertTrue(TextReport(acceptsUnjudged: true).render(report)
            .hasSuffix("12-gru: nothing judged: no profile matches epochs=7: figures are reported, not judged\n"))
    }

    func testTotalLine() throws {
        let failing = try report()
        let broken = ChapterReport(chapterID: "13-lstm", error: ChapterFailure(kind: .chapter, message: "unknown chapter"))
        XCTAssertEqual(TextReport().total([failing, broken]), "lessons: 2 chapters, 3 passed, 1 failed, 1 reported, 1 error")
    }

    // MARK: Progress

    func testPlainProgressWritesOneLineEveryTenthOfTheEpochs() {
        var output: [String] = []
        var time = 0.0
        let display = ProgressDisplay(mode: .plain, write: { output.append($0) }, now: { time })
        display.handle(Event(.cell, cell: "train", index: 1))
        for epoch in 1...40 {
            time += 2
            display.handle(Event(.progress, cell: "train", name: "perplexity", value: 1000 / Double(epoch),
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
        display.handle(Event(.cell, cell: "train", index: 1))
        for epoch in 1...4 {
            time += 1
            display.handle(Event(.progress, cell: "train", name: "perplexity", value: 10, epoch: epoch, of: 4))
        }
        display.handle(Event(.progress, cell: "tune", name: "loss", value: 2, epoch: 1, of: 10))
        display.finish()
        let lines = output.split(separator: "\n", omittingEmptySubsequences: false)
        XCTAssertEqual(lines.count, 3, "one line per cell, each ended: \(output.debugDescription)")
        XCTAssertTrue(lines[0].hasSuffix("\r\u{1B}[2K  train  [████████████████████]  4/4  perplexity 10"), "\(lines[0].debugDescription)")
        XCTAssertTrue(lines[0].contains("1/4  perplexity 10  ETA 0:03"), "\(lines[0].debugDescription)")
        XCTAssertTrue(lines[1].contains("tune  [██░░░░░░░░░░░░░░░░░░]  1/10  loss 2"), "\(lines[1].debugDescription)")
        XCTAssertEqual(lines[2], "")
    }

    /// A cell that reports "epoch 1 of 1" for every batch (chapter 15 did, 888 times) redraws
    /// one line on a terminal instead of printing one line per batch.
    func testLiveProgressDoesNotPrintALinePerRepeatedFinalEpoch() {
        var output = ""
        var time = 0.0
        let display = ProgressDisplay(mode: .live, write: { output += $0 }, now: { time })
        display.handle(Event(.cell, cell: "fill", index: 1))
        for _ in 0..<888 {
            time += 0.2
            display.handle(Event(.progress, cell: "fill", name: "loss", value: 2, epoch: 1, of: 1))
        }
        display.finish()
        XCTAssertEqual(output.filter { $0 == "\n" }.count, 1, output.debugDescription)
    }

    func testClock() {
        XCTAssertEqual(clock(34), "0:34")
        XCTAssertEqual(clock(725), "12:05")
        XCTAssertEqual(clock(3729), "1:02:09")
    }
}
