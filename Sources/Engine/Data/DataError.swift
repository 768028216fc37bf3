import Foundation

/// Why a dataset could not be had. Each description is meant to be read by a person who
/// just ran a chapter: it names the file, where it was looked for, and what to do next.
public enum DataError: Error, Equatable, CustomStringConvertible, LocalizedError {
    /// A name with no `DatasetSpec`.
    case unknownDataset(name: String)
    /// Found nowhere: `searched` lists every place tried, in order; `downloadFailure` says
    /// why the download failed, if one was tried.
    case notFound(file: String, searched: [String], downloadFailure: String?)
    /// The bytes at `path` (a file, or the download URL) are not the published file.
    case checksumMismatch(file: String, path: String, expected: String, actual: String,
                          url: URL, inCache: Bool)
    /// The file exists but could not be read or written, or lacks an expected zip member.
    case unreadable(file: String, path: String, reason: String)

    public var description: String {
        switch self {
        case let .unknownDataset(name):
            let known = DatasetSpec.all.map(\.name).joined(separator: ", ")
            return "Unknown dataset '\(name)'. Known datasets: \(known)."

        case let .notFound(file, searched, downloadFailure):
            // The fix first: it is what a reader needs, and the list of places can be long.
            var lines = ["Dataset file '\(file)' was not found.", """
                To fix: set LESSONS_DATA_DIR (or pass --data-dir) to the folder that holds \
                '\(file)', or put the file in the cache folder listed below.
                """, "Looked in, in order:"]
            lines += searched.map { "  - \($0)" }
            if let downloadFailure { lines.append("The download failed: \(downloadFailure)") }
            if let spec = DatasetSpec.named(file) {
                lines.append("It can be downloaded from \(spec.url.absoluteString) (SHA-1 \(spec.sha1)).")
            }
            return lines.joined(separator: "\n")

        case let .checksumMismatch(file, path, expected, actual, url, inCache):
            let advice = inCache
                ? "Delete \(path) (a corrupt cached copy); it will be downloaded again on the next run."
                : path == url.absoluteString
                ? "The server's file differs from the one the lessons were written for; download it by hand from a trusted copy and set LESSONS_DATA_DIR to its folder."
                : "Replace it with the original file from \(url.absoluteString), or point LESSONS_DATA_DIR at a folder with the right copy."
            return """
                Dataset file '\(file)' at \(path) failed its checksum check.
                  expected SHA-1: \(expected)
                  actual SHA-1:   \(actual)
                \(advice)
                """

        case let .unreadable(file, path, reason):
            return "Dataset file '\(file)' at \(path) could not be used: \(reason)"
        }
    }

    public var errorDescription: String? { description }
}
