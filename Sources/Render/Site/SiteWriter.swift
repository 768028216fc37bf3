import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Writes a site so that readers never see half of it: every file goes into a temporary
/// folder beside the destination, which then takes the destination's place in one rename
/// (`renameat2(RENAME_EXCHANGE)` where the kernel has it, else two renames in a row). An
/// interrupted render leaves the old site whole, plus a `.NAME.tmp-*` folder the next render
/// sweeps away.
enum SiteWriter {
    struct WriteError: Error, CustomStringConvertible {
        var message: String
        var description: String { message }
    }

    /// Publishes `files` (site-relative path → bytes) and `copies` (site-relative path → file
    /// to copy) as the folder `destination`, replacing whatever was there.
    static func publish(files: [String: Data], copies: [String: URL], to destination: URL) throws {
        let manager = FileManager.default
        let parent = destination.deletingLastPathComponent()
        let name = destination.lastPathComponent
        try manager.createDirectory(at: parent, withIntermediateDirectories: true)
        sweep(parent, name: name)
        let temporary = parent.appendingPathComponent(".\(name).tmp-\(getpid())-\(UUID().uuidString.prefix(8))", isDirectory: true)
        do {
            try manager.createDirectory(at: temporary, withIntermediateDirectories: true)
            for (path, data) in files {
                let url = temporary.appendingPathComponent(path)
                try manager.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try data.write(to: url)
            }
            for (path, source) in copies {
                let url = temporary.appendingPathComponent(path)
                try manager.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try manager.copyItem(at: source.resolvingSymlinksInPath(), to: url)
            }
            try swap(temporary, into: destination)
        } catch {
            try? manager.removeItem(at: temporary)
            if error is WriteError { throw error }
            throw WriteError(message: "cannot write the site to \(destination.path): \(error.localizedDescription)")
        }
    }

    /// Moves `folder` to `destination`; what was at `destination` is removed afterwards.
    private static func swap(_ folder: URL, into destination: URL) throws {
        let manager = FileManager.default
        guard manager.fileExists(atPath: destination.path) else {
            guard rename(folder.path, destination.path) == 0 else { throw errnoError("move \(folder.path) to \(destination.path)") }
            return
        }
        if exchange(folder.path, destination.path) {
            try? manager.removeItem(at: folder)   // now holds the old site
            return
        }
        let old = destination.deletingLastPathComponent()
            .appendingPathComponent(".\(destination.lastPathComponent).tmp-old-\(UUID().uuidString.prefix(8))")
        guard rename(destination.path, old.path) == 0 else { throw errnoError("move the old site aside") }
        guard rename(folder.path, destination.path) == 0 else {
            let error = errnoError("move \(folder.path) to \(destination.path)")
            _ = rename(old.path, destination.path)
            throw error
        }
        try? manager.removeItem(at: old)
    }

    private typealias RenameAt2 = @convention(c) (Int32, UnsafePointer<CChar>, Int32, UnsafePointer<CChar>, UInt32) -> Int32

    /// Swaps two paths in one step, where the C library and the file system can.
    private static func exchange(_ a: String, _ b: String) -> Bool {
        #if os(Linux)
        guard let symbol = dlsym(nil, "renameat2") else { return false }
        let renameat2 = unsafeBitCast(symbol, to: RenameAt2.self)
        let renameExchange: UInt32 = 1 << 1
        return renameat2(AT_FDCWD, a, AT_FDCWD, b, renameExchange) == 0
        #else
        return false
        #endif
    }

    /// Removes temporary folders of earlier renders that were interrupted.
    private static func sweep(_ parent: URL, name: String) {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: parent.path)) ?? []
        for entry in names where entry.hasPrefix(".\(name).tmp-") {
            let parts = entry.dropFirst(".\(name).tmp-".count).split(separator: "-")
            // Leave the folder of a render still running in another process.
            if let pid = parts.first.flatMap({ Int32($0) }), pid != getpid(), kill(pid, 0) == 0 { continue }
            try? FileManager.default.removeItem(at: parent.appendingPathComponent(entry))
        }
    }

    private static func errnoError(_ what: String) -> WriteError {
        WriteError(message: "cannot \(what): \(String(cString: strerror(errno)))")
    }
}
