import XCTest
@testable import Notebook

/// The course's own Expected files: every chapter has one, it fits its chapter, and it has a
/// `full` and a `smoke` profile, so that `lessons run --all --profile smoke` checks every chapter.
final class CourseExpectedTests: XCTestCase {
    private let library = ChapterLibrary(root: URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent())

    func testEveryChapterHasAValidExpectedFileWithFullAndSmoke() throws {
        let ids = library.chapterIDs()
        XCTAssertGreaterThanOrEqual(ids.count, 9)
        for id in ids {
            let chapter = try library.load(id)
            let expectations = try Expectations.load(from: library.expectedURL(forChapterID: id))
            XCTAssertNoThrow(try expectations.validate(against: chapter), id)
            XCTAssertEqual(expectations.chapterID, id)
            let full = try XCTUnwrap(expectations.profiles["full"], id)
            let smoke = try XCTUnwrap(expectations.profiles["smoke"], "\(id) has no smoke profile")
            XCTAssertEqual(full.parameters, [:], "\(id): full is the chapter's own values")
            XCTAssertGreaterThan(smoke.cells.values.joined().filter(\.isJudged).count, 0, id)

            // A smoke run is chosen by its parameters too; one with full's settings must extend
            // full, and the plain run stays full.
            let bySettings = try ProfileSelection.select(expectations, for: chapter, requested: nil,
                                                         parameters: smoke.parameters)
            XCTAssertEqual(bySettings.profile?.name, smoke.parameters.isEmpty ? "full" : "smoke", id)
            if smoke.parameters.isEmpty { XCTAssertEqual(smoke.extends, "full", id) }
            // Every check of always is in both profiles.
            for (cell, checks) in expectations.always {
                XCTAssertEqual(Array(full.cells[cell]?.prefix(checks.count) ?? []), checks, "\(id) \(cell)")
                XCTAssertEqual(Array(smoke.cells[cell]?.prefix(checks.count) ?? []), checks, "\(id) \(cell)")
            }
        }
    }

    /// A run whose parameters fit no profile is still judged by `always` where the chapter has
    /// parameter-independent checks (every chapter here does).
    func testEveryChapterHasChecksThatHoldForAnyParameters() throws {
        for id in library.chapterIDs() {
            let expectations = try Expectations.load(from: library.expectedURL(forChapterID: id))
            XCTAssertFalse(expectations.always.isEmpty, id)
        }
    }
}
