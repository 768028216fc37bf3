import ArgumentParser
import Foundation
import Notebook
import Preview
import Render

/// `lessons serve`: the book on a local server, rendered again as chapters change.
struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Preview the rendered book on a local web server that follows your edits.",
        discussion: """
        Renders every chapter (as `lessons render` does, in memory) and serves the book on a \
        loopback address. When a chapter's .md file, its Expected file or its stored results \
        change (say a `lessons run` in another terminal finishes), the book is rendered again and \
        open pages reload themselves. Ctrl-C stops the server.

        Exit codes: 0 stopped with Ctrl-C; 2 the server could not start (the port is in use, \
        the host is not a loopback address); 64 bad usage.

        Examples:
          lessons serve
          lessons serve --port 8080
        """)

    @Option(help: "The port to listen on (0: any free one).")
    var port: UInt16 = 3000

    @Option(help: "The loopback address to listen on.")
    var host = "127.0.0.1"

    func run() throws {
        let pipeline = try findProject()
        let preview: PreviewServer
        do {
            preview = try PreviewServer(pipeline: pipeline, typesetter: Typesetter.locate(), host: host, port: port) { line in
                Console.out(line + "\n")
            }
        } catch {
            Console.error(explain(error))
            throw ExitCode(ExitStatus.chapterError)
        }
        // Ctrl-C (and SIGTERM) stop the server; the command then returns normally.
        var sources: [DispatchSourceSignal] = []
        for signalNumber in [SIGINT, SIGTERM] {
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
            source.setEventHandler { Task { await preview.stop() } }
            source.resume()
            sources.append(source)
        }
        let finished = DispatchSemaphore(value: 0)
        let outcome = Outcome()
        Task {
            do { try await preview.run() } catch { outcome.error = error }
            finished.signal()
        }
        finished.wait()
        sources.forEach { $0.cancel() }
        if let error = outcome.error {
            Console.error(explain(error))
            throw ExitCode(ExitStatus.chapterError)
        }
        Console.out("stopped\n")
    }
}

/// How the server task ended, read after it signalled.
private final class Outcome: @unchecked Sendable {
    var error: Error?
}
