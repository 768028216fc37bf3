import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
#if canImport(FoundationXML)
import FoundationXML
#endif
import XCTest

/// `lessons serve` through the real binary, on loopback.
final class ServeTests: XCTestCase {
    private struct Server {
        var process: Process
        var output: URL
        var errors: URL
        var port: Int

        var log: String { (try? String(contentsOf: output, encoding: .utf8)) ?? "" }
    }

    /// Starts `lessons serve --port 0` in `root` and reads the port it chose from its first line.
    private func startServer(in root: URL, port: Int = 0) throws -> Server {
        let process = try LessonsBinary.start(["serve", "--port", "\(port)"], in: root)
        let output = root.appendingPathComponent(".serve-out"), errors = root.appendingPathComponent(".serve-err")
        _ = FileManager.default.createFile(atPath: output.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errors.path, contents: nil)
        process.standardOutput = try FileHandle(forWritingTo: output)
        process.standardError = try FileHandle(forWritingTo: errors)
        process.standardInput = FileHandle.nullDevice
        try process.run()
        var server = Server(process: process, output: output, errors: errors, port: 0)
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline && process.isRunning {
            if let range = server.log.range(of: #"http://127\.0\.0\.1:(\d+)/"#, options: .regularExpression) {
                server.port = Int(server.log[range].dropFirst("http://127.0.0.1:".count).dropLast())!
                return server
            }
            Thread.sleep(forTimeInterval: 0.05)
        }
        process.terminate()
        throw CocoaError(.fileReadUnknown, userInfo: [NSLocalizedDescriptionKey: "serve did not start: \(server.log)"])
    }

    private func get(_ path: String, port: Int) throws -> (status: Int, body: String, type: String) {
        let url = URL(string: "http://127.0.0.1:\(port)\(path)")!
        let done = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var result: (Int, String, String)?
        nonisolated(unsafe) var failure: Error?
        var request = URLRequest(url: url)
        request.timeoutInterval = 10
        URLSession.shared.dataTask(with: request) { data, response, error in
            if let error { failure = error } else if let response = response as? HTTPURLResponse {
                result = (response.statusCode, String(decoding: data ?? Data(), as: UTF8.self),
                          response.value(forHTTPHeaderField: "Content-Type") ?? "")
            }
            done.signal()
        }.resume()
        XCTAssertEqual(done.wait(timeout: .now() + 15), .success, "GET \(path)")
        if let failure { throw failure }
        return try XCTUnwrap(result, "no response to \(path)")
    }

    func testServeAnswersOnLoopbackReloadsAfterAnEditAndStopsOnCtrlC() throws {
        let root = try LessonsBinary.makeProject(withStoredResults: true)
        defer { try? FileManager.default.removeItem(at: root) }
        let server = try startServer(in: root)
        defer { if server.process.isRunning { server.process.terminate() } }

        let index = try get("/", port: server.port)
        XCTAssertEqual(index.status, 200)
        XCTAssertTrue(index.type.hasPrefix("text/html"), index.type)
        let page = try get("/01-demo.html", port: server.port)
        XCTAssertEqual(page.status, 200)
        let document = try XMLDocument(xmlString: page.body, options: [])
        XCTAssertEqual(try document.one("//section[@id='cell-hello']//pre[hasClass('stdout')]").text,
                       "hello from the demo\n<script>alert(1)</script>")
        let reload = try document.one("//script[@src='/__lessons/reload.js']")
        let served = try XCTUnwrap((reload as? XMLElement)?.attribute(forName: "data-version")?.stringValue)
        XCTAssertEqual(try get("/__lessons/version", port: server.port).body, served)
        XCTAssertEqual(try get("/__lessons/reload.js", port: server.port).status, 200)
        XCTAssertEqual(try get("/assets/book.css", port: server.port).type, "text/css; charset=utf-8")
        XCTAssertEqual(try get("/no-such-page.html", port: server.port).status, 404)

        // An edit to the chapter: the book is rendered again, the version moves on, the page has it.
        let chapter = root.appendingPathComponent("Chapters/01-demo.md")
        try Data((try String(contentsOf: chapter, encoding: .utf8) + "\nA sentence added while serving.\n").utf8).write(to: chapter)
        let deadline = Date().addingTimeInterval(30)
        var version = served
        while version == served && Date() < deadline {
            Thread.sleep(forTimeInterval: 0.2)
            version = try get("/__lessons/version", port: server.port).body
        }
        XCTAssertNotEqual(version, served, "no new version after the edit: \(server.log)")
        XCTAssertTrue(try get("/01-demo.html", port: server.port).body.contains("A sentence added while serving."))
        XCTAssertTrue(server.log.contains("changed: 01-demo"), server.log)

        kill(server.process.processIdentifier, SIGINT)
        let stopBy = Date().addingTimeInterval(10)
        while server.process.isRunning && Date() < stopBy { Thread.sleep(forTimeInterval: 0.05) }
        XCTAssertFalse(server.process.isRunning, "Ctrl-C stops the server")
        server.process.waitUntilExit()
        XCTAssertEqual(server.process.terminationStatus, 0, server.log)
        XCTAssertTrue(server.log.hasSuffix("stopped\n"), server.log)
    }

    func testAPortInUseIsAClearError() throws {
        let root = try LessonsBinary.makeProject()
        defer { try? FileManager.default.removeItem(at: root) }
        let first = try startServer(in: root)
        defer { first.process.terminate(); first.process.waitUntilExit() }
        let second = try LessonsBinary.run(["serve", "--port", "\(first.port)"], in: root, timeout: 60)
        XCTAssertEqual(second.status, 2, second.all)
        XCTAssertTrue(second.stderr.contains("port \(first.port) on 127.0.0.1 is already in use"), second.all)

        let remote = try LessonsBinary.run(["serve", "--host", "0.0.0.0"], in: root, timeout: 60)
        XCTAssertEqual(remote.status, 2, remote.all)
        XCTAssertTrue(remote.stderr.contains("is not a loopback address"), remote.all)
    }
}
