import ArgumentParser
import Foundation
import Notebook
import Render

/// `lessons import`: a Jupyter notebook back into a chapter's Markdown.
struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Turn a Jupyter notebook (from `lessons export`, edited or not) back into a chapter.",
        discussion: """
        Markdown cells become prose, code cells swift cells with the attributes kept in their \
        metadata.lessons (code cells without it become plain swift cells). Outputs are dropped. \
        Without --out the chapter is printed.

        Examples:
          lessons import Notebooks/12-gru.ipynb --out Chapters/12-gru.md
          lessons import draft.ipynb > Chapters/17-draft.md
        """)

    @Argument(help: ArgumentHelp("The notebook to read.", valueName: "notebook.ipynb"))
    var notebook: String

    @Option(help: ArgumentHelp("Write the chapter to this file (replaced in one step) instead of printing it.", valueName: "file"))
    var out: String?

    func run() throws {
        let markdown: String
        do {
            let data = try Data(contentsOf: URL(fileURLWithPath: notebook))
            markdown = try NotebookImport.markdown(fromNotebook: data, name: notebook)
            // Whatever the notebook held, the result must be a chapter lessons can load.
            _ = try ChapterLoader.parse(markdown, path: URL(fileURLWithPath: out ?? "imported.md"))
        } catch {
            Console.error(explain(ChapterFailure(error)))
            throw ExitCode(ExitStatus.chapterError)
        }
        guard let out else { return Console.out(markdown) }
        do { try AtomicFile.write(Data(markdown.utf8), to: URL(fileURLWithPath: out)) } catch {
            Console.error(explain(error))
            throw ExitCode(ExitStatus.chapterError)
        }
        Console.err("wrote \(out)\n")
    }
}
