import Foundation
import XCTest

/// Temporary folders for the end-to-end tests, all removed when the test bundle finishes (by a
/// test observer, so no test has to remember to). A folder may outlive the test that made it —
/// a class may share one between its tests — but not the run: the grading tests used to leave a
/// few dozen folders in the system's temporary directory on every run.
public enum TestFolders {
    /// A fresh, empty folder named `lessons-<name>-<id>` in the temporary directory.
    public static func make(_ name: String) throws -> URL {
        let folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("lessons-\(name)-\(UUID().uuidString.prefix(8))", isDirectory: true)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        FolderRemover.shared.add(folder)
        return folder
    }
}

/// Removes every folder `TestFolders` made once the bundle's tests have all run.
private final class FolderRemover: NSObject, XCTestObservation, @unchecked Sendable {
    static let shared: FolderRemover = {
        let remover = FolderRemover()
        XCTestObservationCenter.shared.addTestObserver(remover)
        return remover
    }()

    private let lock = NSLock()
    private var folders: [URL] = []

    func add(_ folder: URL) { lock.withLock { folders.append(folder) } }

    func testBundleDidFinish(_ testBundle: Bundle) {
        let made = lock.withLock { defer { folders = [] }; return folders }
        for folder in made { try? FileManager.default.removeItem(at: folder) }
    }
}
