import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A file write that readers never see half done: the bytes go to a temporary file in the
/// same directory (so the rename cannot cross file systems), which is then renamed over the
/// target. Two `lessons` processes writing the same report or cache entry leave one whole
/// file, never a mix, and a crash mid-write leaves the old file in place.
public enum AtomicFile {
    public struct WriteError: Error, CustomStringConvertible, LocalizedError {
        public var path: String
        public var reason: String
        public var description: String { "cannot write \(path): \(reason)" }
        public var errorDescription: String? { description }
    }

    public static func write(_ data: Data, to url: URL) throws {
        let directory = url.deletingLastPathComponent()
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw WriteError(path: url.path, reason: error.localizedDescription)
        }
        let temporary = directory.appendingPathComponent(
            ".\(url.lastPathComponent).\(getpid()).\(UUID().uuidString.prefix(8)).tmp")
        do {
            try writeAndSync(data, to: temporary.path)
            guard rename(temporary.path, url.path) == 0 else { throw errnoError(url.path) }
        } catch {
            unlink(temporary.path)
            throw error
        }
    }

    /// Writes every byte and flushes them to disk before the rename makes them visible.
    private static func writeAndSync(_ data: Data, to path: String) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0o644)
        guard fd >= 0 else { throw errnoError(path) }
        defer { close(fd) }
        try data.withUnsafeBytes { (buffer: UnsafeRawBufferPointer) in
            var offset = 0
            while offset < buffer.count {
                let written = posixWrite(fd, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    throw errnoError(path)
                }
                offset += written
            }
        }
        guard fsync(fd) == 0 else { throw errnoError(path) }
    }

    private static func errnoError(_ path: String) -> WriteError {
        WriteError(path: path, reason: String(cString: strerror(errno)))
    }
}

#if canImport(Glibc)
private let posixWrite = Glibc.write
#else
private let posixWrite = Darwin.write
#endif
