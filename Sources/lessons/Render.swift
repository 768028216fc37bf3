import ArgumentParser
import Foundation
import Notebook
import Render

/// `lessons render`: the chapters as an offline HTML book, from the results cache.
struct RenderCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "render",
        abstract: "Write the chapters as a static HTML site, with every cell's output from its last run.",
        discussion: """
        Each page has the chapter's prose (math typeset with KaTeX), its code (highlighted), and \
        under each cell what it printed in the chapter's last stored run, its training curve and \
        its checks. A chapter without a stored result, or with one that no longer matches \
        (stale), is rendered with a note saying so; --execute runs those chapters first. \
        Figures written in the prose as {{cell.metric@EPOCH}} or {{cell.metric@final}} are filled \
        in from the run.

        The site needs no network: open Site/index.html from disk, or `lessons serve`. It is \
        built in a temporary folder and then moved into place.

        Exit codes: 0 the site was written; 2 it was written, but a chapter could not be loaded \
        or its prose names a figure that does not exist (each listed with its .md line), or the \
        site could not be written; 64 bad usage.

        Examples:
          lessons render --all
          lessons render 12-gru --open
          lessons render --all --execute --stats
        """)

    @Argument(help: ArgumentHelp("Chapters to put in the site (default: all).", valueName: "chapter"))
    var chapters: [String] = []

    @Flag(help: "Every chapter in Chapters/ (the default when none is named).")
    var all = false

    @Option(help: ArgumentHelp("The folder to write the site to (default: Site/ in the project).", valueName: "dir"))
    var out: String?

    @Flag(help: "Run the chapters whose stored result is missing or stale first (as `lessons run` does).")
    var execute = false

    @Flag(help: "Open the index page in a browser afterwards (xdg-open).")
    var open = false

    @Flag(help: "Print the render time and the size of every page and of the whole site.")
    var stats = false

    func validate() throws {
        if all && !chapters.isEmpty { throw ValidationError("Name chapters or pass --all, not both.") }
    }

    func run() throws {
        ChildProcesses.shared.installInterruptHandler()
        let pipeline = try findProject()
        let ids: [String]
        do { ids = try chapters.isEmpty ? pipeline.library.chapterIDs() : chapters.map { try pipeline.library.load($0).id } } catch {
            Console.error(explain(ChapterFailure(error)))
            throw ExitCode(ExitStatus.chapterError)
        }
        if execute { try executeStale(ids, pipeline) }

        let started = Date()
        let folder = out.map { URL(fileURLWithPath: $0).standardizedFileURL }
            ?? pipeline.root.appendingPathComponent("Site", isDirectory: true)
        let site: RenderedSite
        do {
            site = try Book.render(Book.entries(pipeline: pipeline, chapters: ids), typesetter: Typesetter.locate(),
                                   cache: TypesetCache(root: pipeline.root))
            try site.write(to: folder)
        } catch {
            Console.error(explain(error))
            throw ExitCode(ExitStatus.chapterError)
        }
        let seconds = Date().timeIntervalSince(started)
        site.warnings.forEach { Console.warning($0.description) }
        site.errors.forEach { Console.error($0.description) }
        let shown = ChapterLoader.displayPath(of: folder, root: URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
        Console.out("rendered \(site.pages.count) chapter\(site.pages.count == 1 ? "" : "s") to \(shown)/index.html"
                    + String(format: " in %.2f s", seconds) + "\n")
        if stats { Console.out(RenderStatistics.text(site, seconds: seconds)) }
        if open { openInBrowser(folder.appendingPathComponent("index.html")) }
        try finish(with: site.errors.isEmpty ? ExitStatus.passed : ExitStatus.chapterError)
    }

    /// Runs, through the same pipeline as `lessons run`, every chapter whose stored result is
    /// missing or stale.
    private func executeStale(_ ids: [String], _ pipeline: Pipeline) throws {
        for id in ids {
            if case .current = pipeline.lastResult(for: id) { continue }
            Console.err(Console.errStyle.dim("running \(id)…") + "\n")
            let run = pipeline.run(id, settings: RunSettings())
            if run.report.failure?.kind == .interrupted { throw ExitCode(ExitStatus.interrupted) }
            Console.err("  \(id): \(run.report.status.rawValue) (\(run.report.tally.summary))\n")
            run.warnings.forEach(Console.warning)
        }
    }

    private func openInBrowser(_ page: URL) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["xdg-open", page.path]
        do { try process.run() } catch { Console.warning("cannot open \(page.path): \(error.localizedDescription)") }
    }
}

/// `--stats`: the figures the render budget is stated in.
enum RenderStatistics {
    static func text(_ site: RenderedSite, seconds: Double) -> String {
        var text = String(format: "render time  %.2f s\n", seconds)
        for page in site.pages {
            text += "  " + page.file.padding(toLength: 34, withPad: " ", startingAt: 0)
                + String(format: "%7.1f KB\n", Double(page.bytes) / 1024)
        }
        let pages = site.pages.reduce(0) { $0 + $1.bytes }
        text += String(format: "chapter pages %.1f KB in all, largest %.1f KB\n", Double(pages) / 1024,
                       Double(site.pages.map(\.bytes).max() ?? 0) / 1024)
        text += String(format: "whole site    %.2f MB (fonts, scripts and search index included)\n",
                       Double(site.totalBytes) / 1_048_576)
        return text
    }
}
