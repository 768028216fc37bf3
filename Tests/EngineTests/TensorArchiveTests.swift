import Engine
import Foundation
import XCTest

/// The artifact format a graded cell leaves for the grader: a round trip keeps every bit, and a
/// damaged or hostile file is refused with a reason, never half read.
final class TensorArchiveTests: XCTestCase {
    private func sample() -> TensorArchive {
        var archive = TensorArchive()
        archive["weights"] = Tensor([1, -2.5, .infinity, 3e-8, -0, 7], shape: [2, 3])
        archive["scalar"] = Tensor(Float(0.25))
        archive.add([Tensor([1, 2]), Tensor([[3], [4]])], prefix: "model")
        archive.numbers["hiddenSize"] = 256
        archive.numbers["loss"] = .nan
        archive.texts["kind"] = "gru"
        return archive
    }

    func testARoundTripKeepsNamesShapesValuesNumbersAndTexts() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("archive-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: url) }
        let archive = sample()
        try archive.write(to: url)
        let back = try TensorArchive.read(from: url)
        XCTAssertEqual(back.names, ["weights", "scalar", "model.0", "model.1"])
        XCTAssertEqual(back["weights"]?.shape, [2, 3])
        XCTAssertEqual(back["weights"]?.data.map(\.bitPattern), archive["weights"]?.data.map(\.bitPattern))
        XCTAssertEqual(back["scalar"]?.shape, [])
        XCTAssertEqual(back.tensors(prefix: "model").map(\.shape), [[2], [2, 1]])
        XCTAssertEqual(back.numbers["hiddenSize"], 256)
        XCTAssertTrue(back.numbers["loss"]!.isNaN)
        XCTAssertEqual(back.texts, ["kind": "gru"])
    }

    func testLoadingIntoAModelChecksEveryShapeBeforeCopyingAnything() throws {
        let archive = sample()
        let good = [Tensor.zeros([2]), Tensor.zeros([2, 1])]
        try archive.load(into: good, prefix: "model")
        XCTAssertEqual(good[1].data, [3, 4])
        let wrong = [Tensor.zeros([2]), Tensor.zeros([1, 2])]
        XCTAssertThrowsError(try archive.load(into: wrong, prefix: "model")) { error in
            XCTAssertEqual("\(error)", "'model.1' has shape [2, 1] where [1, 2] was expected")
        }
        XCTAssertEqual(wrong[0].data, [0, 0], "nothing is copied when a shape is wrong")
        XCTAssertThrowsError(try archive.load(into: [Tensor.zeros([2])], prefix: "model"))
    }

    func testDamagedFilesAreRefusedWithAReason() throws {
        let bytes = try sample().encoded()
        func refusal(_ data: Data) -> String {
            do { _ = try TensorArchive.decode(data); return "accepted" } catch { return "\(error)" }
        }
        XCTAssertEqual(refusal(Data("hello world, not an archive".utf8)), "not a tensor archive (no LSNARCH1 marker)")
        XCTAssertTrue(refusal(bytes.dropLast(4)).contains("runs past the end of the file"), refusal(bytes.dropLast(4)))
        XCTAssertEqual(refusal(bytes + Data([0, 0])), "2 bytes follow the last tensor")

        // A header that claims a gigantic tensor must be refused before anything is allocated.
        var huge = TensorArchive.magic
        let header = Data(#"{"numbers":{},"texts":{},"tensors":[{"name":"x","shape":[2147483647,2147483647,4]}]}"#.utf8)
        withUnsafeBytes(of: UInt64(header.count).littleEndian) { huge.append(contentsOf: $0) }
        huge.append(header)
        XCTAssertTrue(refusal(huge).contains("runs past the end of the file"), refusal(huge))
        XCTAssertTrue(refusal(huge.prefix(20)).contains("header runs past the end"), refusal(huge.prefix(20)))
    }

    func testAFileOverTheSizeLimitIsNotRead() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("archive-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: url) }
        try sample().write(to: url)
        XCTAssertThrowsError(try TensorArchive.read(from: url, maximumBytes: 10))
        XCTAssertThrowsError(try TensorArchive.read(from: url.appendingPathExtension("missing")))
    }
}
