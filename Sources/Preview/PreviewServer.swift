import FlyingFox
import FlyingSocks
import Foundation
import Notebook
import Render

/// `lessons serve`: the book on a loopback HTTP server (FlyingFox), rendered in memory and
/// rendered again when a chapter's `.md`, its Expected file or its stored results change. Each
/// page served gets a small script that polls `/__lessons/version` and reloads the page when
/// the site has been rendered again.
public final class PreviewServer: @unchecked Sendable {
    public struct ServeError: Error, CustomStringConvertible {
        public var message: String
        public var description: String { message }
    }

    private let pipeline: Pipeline
    private let typesetter: Typesetter
    private let host: String
    private let port: UInt16
    private let log: @Sendable (String) -> Void
    private let state = SiteState()
    private var server: HTTPServer?
    private var watcher: Task<Void, Never>?

    /// Seconds between looks at the chapters' files.
    public var pollInterval: Double = 0.3

    /// - Parameter host: a loopback address (`127.0.0.1`, `::1`, `localhost`): the preview
    ///   shows unpublished work and is not meant for other machines.
    public init(pipeline: Pipeline, typesetter: Typesetter, host: String, port: UInt16,
                log: @escaping @Sendable (String) -> Void) throws {
        guard Self.isLoopback(host) else {
            throw ServeError(message: "--host \(host) is not a loopback address; lessons serve listens on 127.0.0.1, ::1 or localhost only")
        }
        self.pipeline = pipeline; self.typesetter = typesetter; self.host = host; self.port = port; self.log = log
    }

    static func isLoopback(_ host: String) -> Bool {
        if host == "localhost" || host == "::1" { return true }
        let parts = host.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4 && parts[0] == "127" && parts.allSatisfy { UInt8($0) != nil }
    }

    /// Renders the book, starts listening and watching, and returns when `stop()` is called.
    /// Throws a `ServeError` when the port is taken or the site cannot be rendered.
    public func run() async throws {
        let entries = Book.entries(pipeline: pipeline, chapters: pipeline.library.chapterIDs())
        await state.publish(try render(entries), entries: entries, sources: SiteSources.snapshot(pipeline))

        let address: any SocketAddress = host == "::1" ? try sockaddr_in6.inet6(ip6: "::1", port: port)
            : try sockaddr_in.inet(ip4: host == "localhost" ? "127.0.0.1" : host, port: port)
        let state = self.state
        let server = HTTPServer(address: address, timeout: 30, logger: .disabled)
        await server.appendRoute("*") { request in await Self.respond(to: request, state: state) }
        self.server = server
        let failure = StartFailure()
        let serving = Task {
            do { try await server.run() } catch {
                await failure.set(error)
                throw error
            }
        }
        // Listening, or the reason it cannot (a port in use fails at once).
        let deadline = Date().addingTimeInterval(10)
        while await !server.isListening {
            if let error = await failure.error { throw Self.explain(error, host: host, port: port) }
            if Date() > deadline {
                serving.cancel()
                throw ServeError(message: "the server did not start listening on \(host) port \(port) within 10 s")
            }
            try await Task.sleep(nanoseconds: 20_000_000)
        }
        let bound = await server.listeningAddress
        if case .ip4(_, let actual)? = bound { log("serving http://\(host):\(actual)/ (Ctrl-C stops)") }
        else if case .ip6(_, let actual)? = bound { log("serving http://[\(host)]:\(actual)/ (Ctrl-C stops)") }
        watcher = Task { [weak self] in await self?.watch() }
        do { try await serving.value } catch {
            if await !state.stopping { throw Self.explain(error, host: host, port: port) }
        }
    }

    /// Stops watching and listening; `run()` then returns.
    public func stop() async {
        await state.setStopping()
        watcher?.cancel()
        await server?.stop(timeout: 1)
    }

    private func render(_ entries: [BookEntry]) throws -> RenderedSite {
        let site = try Book.render(entries, typesetter: typesetter, cache: TypesetCache(root: pipeline.root))
        site.warnings.forEach { log("warning: \($0)") }
        site.errors.forEach { log("error: \($0)") }
        return site
    }

    /// Polls the chapters' files; renders again when any changed.
    private func watch() async {
        while !Task.isCancelled {
            try? await Task.sleep(nanoseconds: UInt64(pollInterval * 1e9))
            let now = SiteSources.snapshot(pipeline)
            let (earlier, entries) = await state.sourcesAndEntries()
            guard now != earlier else { continue }
            var fresh = entries
            if let changed = now.changed(since: earlier) {
                let reloaded = Book.entries(pipeline: pipeline, chapters: entries.map(\.id))
                for (index, entry) in reloaded.enumerated() where changed.contains(entry.id) { fresh[index] = entry }
                log("changed: \(changed.sorted().joined(separator: ", ")); rendering again")
            } else {
                fresh = Book.entries(pipeline: pipeline, chapters: pipeline.library.chapterIDs())
                log("chapters added or removed; rendering again")
            }
            Book.linkNeighbours(&fresh)
            do { await state.publish(try render(fresh), entries: fresh, sources: now) } catch {
                log("error: \(error)")
                await state.remember(now)
            }
        }
    }

    // MARK: - HTTP

    static func respond(to request: HTTPRequest, state: SiteState) async -> HTTPResponse {
        let (site, version) = await state.current()
        var path = request.path.removingPercentEncoding ?? request.path
        while path.hasPrefix("/") { path.removeFirst() }
        if path.isEmpty || path.hasSuffix("/") { path += "index.html" }
        let noCache: HTTPHeaders = [.cacheControl: "no-store"]
        switch path {
        case "__lessons/version":
            return HTTPResponse(statusCode: .ok, headers: noCache.merging([.contentType: "text/plain; charset=utf-8"]), body: Data("\(version)".utf8))
        case "__lessons/reload.js":
            return HTTPResponse(statusCode: .ok, headers: noCache.merging([.contentType: "text/javascript; charset=utf-8"]), body: Data(reloadScript.utf8))
        default:
            break
        }
        guard let site, var body = site.files[path] ?? site.copies[path].flatMap({ try? Data(contentsOf: $0) }) else {
            return HTTPResponse(statusCode: .notFound, headers: [.contentType: "text/plain; charset=utf-8"], body: Data("not found: /\(path)\n".utf8))
        }
        if path.hasSuffix(".html") {
            let page = String(decoding: body, as: UTF8.self)
            body = Data(page.replacingOccurrences(of: "</body>", with: "<script src=\"/__lessons/reload.js\" data-version=\"\(version)\"></script></body>").utf8)
        }
        return HTTPResponse(statusCode: .ok, headers: noCache.merging([.contentType: contentType(path)]), body: body)
    }

    static func contentType(_ path: String) -> String {
        switch URL(fileURLWithPath: path).pathExtension {
        case "html": return "text/html; charset=utf-8"
        case "css": return "text/css; charset=utf-8"
        case "js": return "text/javascript; charset=utf-8"
        case "json": return "application/json"
        case "woff2": return "font/woff2"
        case "svg": return "image/svg+xml"
        default: return "application/octet-stream"
        }
    }

    /// Polls the version the page was served with; reloads when the site was rendered again.
    static let reloadScript = """
        "use strict";
        (function () {
          const me = document.currentScript, served = me && me.dataset.version;
          setInterval(function () {
            fetch("/__lessons/version", { cache: "no-store" }).then(function (r) { return r.text(); })
              .then(function (now) { if (served && now.trim() !== served) location.reload(); })
              .catch(function () {});
          }, 700);
        })();

        """

    // MARK: - Errors

    static func explain(_ error: Error, host: String, port: UInt16) -> ServeError {
        if case SocketError.failed(let type, let code, _) = error, type == "Bind", code == EADDRINUSE {
            return ServeError(message: "port \(port) on \(host) is already in use (another lessons serve?); choose another with --port")
        }
        if case SocketError.failed(let type, let code, let message) = error, type == "Bind" {
            return ServeError(message: "cannot listen on \(host) port \(port): \(message) (errno \(code))")
        }
        if let error = error as? ServeError { return error }
        return ServeError(message: "the server stopped: \(error)")
    }
}

extension HTTPHeaders {
    func merging(_ other: HTTPHeaders) -> HTTPHeaders {
        var merged = self
        for (name, value) in other { merged[name] = value }
        return merged
    }
}

/// The error that kept the server from starting, once there is one.
actor StartFailure {
    private(set) var error: Error?
    func set(_ error: Error) { self.error = error }
}

/// The site being served, its version (bumped at every render) and what it was made from.
actor SiteState {
    private(set) var site: RenderedSite?
    private(set) var version = 0
    private var entries: [BookEntry] = []
    private var sources = SiteSources(chapters: [:])
    private(set) var stopping = false

    func publish(_ site: RenderedSite, entries: [BookEntry], sources: SiteSources) {
        self.site = site
        self.entries = entries
        self.sources = sources
        version += 1
    }

    func remember(_ sources: SiteSources) { self.sources = sources }
    func current() -> (RenderedSite?, Int) { (site, version) }
    func sourcesAndEntries() -> (SiteSources, [BookEntry]) { (sources, entries) }
    func setStopping() { stopping = true }
}
