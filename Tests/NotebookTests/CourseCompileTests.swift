import TestSupport
import XCTest

/// The course's own chapters compile against the Engine of this checkout. The full-size run in
/// `scripts/test` would find a chapter that no longer compiles only after the unit tests; this
/// finds it in seconds, without data (an Engine change once removed a function chapter 16 calls).
final class CourseCompileTests: XCTestCase {
    func testEveryCourseChapterCompiles() throws {
        let output = try LessonsCLI.run(["check", "--all"], in: LessonsProcess.packageRoot, timeout: 600)
        XCTAssertEqual(output.status, 0, output.all)
        XCTAssertTrue(output.stdout.contains("✓ 16-word-lm"), output.all)
        XCTAssertTrue(output.stdout.hasSuffix("chapters, 0 with errors\n"), output.all)
    }
}
