import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Finding the dataset files.
///
/// The datasets are not part of the repository. `DataStore` looks for a file, by name, in
/// this order and uses the first place that has it:
///
/// 1. the data directory: the one passed in explicitly (the CLI's `--data-dir`), else the
///    environment variable `LESSONS_DATA_DIR`;
/// 2. the local cache: `$LESSONS_CACHE_DIR` if set, else `~/.cache/lessons/data`;
/// 3. a download from the file's canonical URL into the cache (written to a temporary file,
///    checked, then renamed into place, so the cache never holds a partial file).
///
/// Wherever it is found, the file's SHA-1 must match the published one: a mismatch is an
/// error, never a fall-through to the next place, so a corrupt file (in the data directory
/// or the cache) is never silently used. A missing file, a failed download or a checksum
/// mismatch throws a `DataError` whose description names the file, every place searched,
/// both hashes where they apply, and what to do.
public struct DataStore: Sendable {
    /// The data directory searched first (explicit, else `LESSONS_DATA_DIR`), if any.
    public var dataDirectory: URL?
    /// Where downloads go, and the second place searched.
    public var cacheDirectory: URL
    /// When false, a file found nowhere is an error instead of a download.
    public var allowsDownload: Bool
    /// How downloads are fetched; `DataStore.defaultFetcher` unless a test injects one.
    public var fetch: DataFetcher

    /// Says where `dataDirectory` came from, for error messages.
    private var dataDirectoryOrigin = "data directory"

    /// - Parameters:
    ///   - dataDirectory: overrides `LESSONS_DATA_DIR` (the CLI passes its flag here).
    ///   - environment: read for `LESSONS_DATA_DIR` and `LESSONS_CACHE_DIR`; injectable for tests.
    ///   - allowsDownload: false keeps the store offline (step 3 is skipped).
    ///   - fetch: how step 3 gets the bytes.
    public init(dataDirectory: URL? = nil,
                environment: [String: String] = ProcessInfo.processInfo.environment,
                allowsDownload: Bool = true,
                fetch: @escaping DataFetcher = DataStore.defaultFetcher) {
        if let dataDirectory {
            self.dataDirectory = dataDirectory
            dataDirectoryOrigin = "data directory (passed in)"
        } else if let dir = environment["LESSONS_DATA_DIR"], !dir.isEmpty {
            self.dataDirectory = URL(fileURLWithPath: dir, isDirectory: true)
            dataDirectoryOrigin = "data directory (LESSONS_DATA_DIR)"
        }
        if let dir = environment["LESSONS_CACHE_DIR"], !dir.isEmpty {
            cacheDirectory = URL(fileURLWithPath: dir, isDirectory: true)
        } else {
            cacheDirectory = FileManager.default.homeDirectoryForCurrentUser
                .appendingPathComponent(".cache/lessons/data", isDirectory: true)
        }
        self.allowsDownload = allowsDownload
        self.fetch = fetch
    }

    /// The verified bytes of a dataset file, found (or downloaded) in the documented order.
    public func data(for spec: DatasetSpec) throws -> Data {
        try find(spec).data
    }

    /// The verified location of a dataset file, found (or downloaded) in the documented order.
    public func url(for spec: DatasetSpec) throws -> URL {
        try find(spec).url
    }

    /// The verified bytes of one of the known files, e.g. `"timemachine.txt"`.
    public func data(named name: String) throws -> Data {
        guard let spec = DatasetSpec.named(name) else { throw DataError.unknownDataset(name: name) }
        return try data(for: spec)
    }

    private func find(_ spec: DatasetSpec) throws -> (url: URL, data: Data) {
        var searched: [String] = []
        var places: [(origin: String, directory: URL)] = []
        if let dataDirectory { places.append((dataDirectoryOrigin, dataDirectory)) }
        places.append(("cache", cacheDirectory))

        for (origin, directory) in places {
            let file = directory.appendingPathComponent(spec.name)
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: file.path, isDirectory: &isDirectory),
                  !isDirectory.boolValue else {
                let why = FileManager.default.fileExists(atPath: directory.path)
                    ? "not there" : "no such directory"
                searched.append("\(origin): \(file.path) (\(why))")
                continue
            }
            let bytes: Data
            do {
                bytes = try Data(contentsOf: file)
            } catch {
                throw DataError.unreadable(file: spec.name, path: file.path, reason: "\(error)")
            }
            try verify(bytes, spec: spec, source: file.path, inCache: origin == "cache")
            return (file, bytes)
        }

        guard allowsDownload else {
            searched.append("download: skipped (downloads are turned off)")
            throw DataError.notFound(file: spec.name, searched: searched, downloadFailure: nil)
        }
        let bytes: Data
        do {
            bytes = try fetch(spec.url)
        } catch {
            searched.append("download: \(spec.url.absoluteString) (failed)")
            throw DataError.notFound(file: spec.name, searched: searched,
                                     downloadFailure: Self.sentence(describing: error))
        }
        // Checked before it lands in the cache: a bad download never becomes a cached file.
        try verify(bytes, spec: spec, source: spec.url.absoluteString, inCache: false)
        let destination = cacheDirectory.appendingPathComponent(spec.name)
        do {
            try writeAtomically(bytes, to: destination)
        } catch {
            throw DataError.unreadable(file: spec.name, path: destination.path,
                                       reason: "could not write the download to the cache: \(error)")
        }
        return (destination, bytes)
    }

    private func verify(_ bytes: Data, spec: DatasetSpec, source: String, inCache: Bool) throws {
        let actual = sha1Hex(bytes)
        if actual != spec.sha1 {
            throw DataError.checksumMismatch(file: spec.name, path: source, expected: spec.sha1,
                                             actual: actual, url: spec.url, inCache: inCache)
        }
    }

    /// Writes to a temporary file in the same directory, then renames it over `destination`:
    /// a reader sees either no file or the whole file, even if the process dies mid-write.
    private func writeAtomically(_ bytes: Data, to destination: URL) throws {
        let directory = destination.deletingLastPathComponent()
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let temporary = directory.appendingPathComponent(
            ".\(destination.lastPathComponent).\(UUID().uuidString).partial")
        do {
            try bytes.write(to: temporary)
            if rename(temporary.path, destination.path) != 0 {
                throw CocoaError(.fileWriteUnknown, userInfo: [
                    NSFilePathErrorKey: destination.path,
                    NSLocalizedDescriptionKey: String(cString: strerror(errno)),
                ])
            }
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw error
        }
    }
}

/// Fetches the bytes at a URL. Injectable so tests never need the network.
public typealias DataFetcher = @Sendable (URL) throws -> Data

extension DataStore {
    /// Reads `file://` URLs directly and others with `URLSession`, failing on any HTTP
    /// status other than 200 (so an error page is reported as such, not as a bad checksum).
    public static let defaultFetcher: DataFetcher = { url in
        if url.isFileURL { return try Data(contentsOf: url) }
        let result = FetchResult()
        let done = DispatchSemaphore(value: 0)
        let request = URLRequest(url: url, cachePolicy: .reloadIgnoringLocalCacheData,
                                 timeoutInterval: 60)
        URLSession.shared.dataTask(with: request) { data, response, error in
            result.set(data: data, response: response, error: error)
            done.signal()
        }.resume()
        done.wait()
        return try result.get(url: url)
    }
}

/// The completion handler's answer, handed across threads under a lock.
private final class FetchResult: @unchecked Sendable {
    private let lock = NSLock()
    private var data: Data?
    private var response: URLResponse?
    private var error: Error?

    func set(data: Data?, response: URLResponse?, error: Error?) {
        lock.lock(); defer { lock.unlock() }
        (self.data, self.response, self.error) = (data, response, error)
    }

    func get(url: URL) throws -> Data {
        lock.lock(); defer { lock.unlock() }
        if let error { throw error }
        if let http = response as? HTTPURLResponse, http.statusCode != 200 {
            throw URLError(.badServerResponse, userInfo: [
                NSLocalizedDescriptionKey: "HTTP \(http.statusCode) from \(url.absoluteString)",
            ])
        }
        guard let data else { throw URLError(.zeroByteResource) }
        return data
    }
}

extension DataStore {
    /// An error as one readable sentence: Foundation's network errors keep their message in
    /// an underlying error, and printed whole they are a dump of two dictionaries.
    static func sentence(describing error: Error) -> String {
        var current = error as NSError
        while true {
            if let text = current.userInfo[NSLocalizedDescriptionKey] as? String, !text.isEmpty { return text }
            guard let underlying = current.userInfo[NSUnderlyingErrorKey] as? NSError else { break }
            current = underlying
        }
        if let error = error as? LocalizedError, let text = error.errorDescription { return text }
        return "\(error)"
    }
}
