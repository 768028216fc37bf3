import ArgumentParser
import Foundation
import Notebook
import Render

/// `lessons export --ipynb`: chapters as Jupyter notebooks, with their stored outputs.
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write chapters as Jupyter notebooks (nbformat 4.5), with the outputs of their last run.",
        discussion: """
        Prose becomes Markdown cells; each swift cell a code cell whose metadata.lessons holds \
        its attributes (id, hidden, norun, parameters, exercise, timeout) and whose outputs are \
        what it printed in the chapter's last stored run. `lessons import` reads such a \
        notebook back into a chapter.

        Examples:
          lessons export --all --ipynb
          lessons export 12-gru --ipynb --out /tmp/notebooks
        """)

    @OptionGroup var selection: ChapterArguments

    @Flag(help: "Write Jupyter notebooks (the one format there is).")
    var ipynb = false

    @Option(help: ArgumentHelp("The folder to write <chapter-id>.ipynb files to (default: Notebooks/ in the project).",
                               valueName: "dir"))
    var out: String?

    func validate() throws {
        if !ipynb { throw ValidationError("Say which format: --ipynb.") }
    }

    func run() throws {
        let pipeline = try findProject()
        let folder = out.map { URL(fileURLWithPath: $0, isDirectory: true) }
            ?? pipeline.root.appendingPathComponent("Notebooks", isDirectory: true)
        var errors = 0
        for name in selection.names(in: pipeline.library) {
            do {
                let loaded = try pipeline.load(name)
                let chapter = loaded.chapter
                let notebook = NotebookExport.notebook(chapter, markdownPath: ChapterLoader.displayPath(of: chapter.path, root: pipeline.root),
                                                       shown: pipeline.lastResult(for: chapter.id))
                let file = folder.appendingPathComponent(chapter.id + ".ipynb")
                try AtomicFile.write(NotebookExport.data(notebook), to: file)
                Console.out("wrote \(ChapterLoader.displayPath(of: file, root: URL(fileURLWithPath: FileManager.default.currentDirectoryPath)))\n")
            } catch {
                errors += 1
                Console.error(explain(ChapterFailure(error)))
            }
        }
        try finish(with: errors == 0 ? ExitStatus.passed : ExitStatus.chapterError)
    }
}
