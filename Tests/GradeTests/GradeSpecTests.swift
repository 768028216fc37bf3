import Foundation
import XCTest
@testable import Grade

/// Placeholder until the grading tests land: the spec parser rejects what it does not know.
final class GradeSpecTests: XCTestCase {
    func testAnUnknownKeyIsRejected() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("spec-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("x.json")
        try Data(#"{"exercise": "x", "title": "t", "checks": [{"id": "a", "title": "a", "measured": "m", "points": 1, "range": [0, 1], "pionts": 2}]}"#.utf8).write(to: file)
        XCTAssertThrowsError(try ExerciseSpec.load(file, chapterID: "01")) { error in
            XCTAssertTrue("\(error)".contains("checks[0].pionts: unknown key"), "\(error)")
        }
    }
}
