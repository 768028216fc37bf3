import ArgumentParser
import Foundation
import Notebook

/// The chapters a command works on: names as typed (`12-gru`, `12`, `gru`, a path), or `--all`.
struct ChapterArguments: ParsableArguments {
    @Argument(help: ArgumentHelp("Chapters: an id (12-gru), its number (12) or name (gru), or a path to a .md file.",
                                 valueName: "chapter"))
    var chapters: [String] = []

    @Flag(help: "Every chapter in Chapters/.")
    var all = false

    func validate() throws {
        if all && !chapters.isEmpty { throw ValidationError("Name chapters or pass --all, not both.") }
        if !all && chapters.isEmpty { throw ValidationError("Name at least one chapter, or pass --all.") }
    }

    /// The names to run, in order.
    func names(in library: ChapterLibrary) -> [String] {
        all ? library.chapterIDs() : chapters
    }
}

/// `--param NAME=VALUE`.
struct ParameterAssignment: ExpressibleByArgument {
    var name: String
    var value: String

    init?(argument: String) {
        guard let equals = argument.firstIndex(of: "="), equals != argument.startIndex else { return nil }
        name = String(argument[..<equals])
        value = String(argument[argument.index(after: equals)...])
    }

    static var defaultValueDescription: String { "NAME=VALUE" }
}

/// Unbuffered writes, so the report on stdout and errors and progress on stderr interleave in
/// the order they happened.
enum Console {
    static func out(_ text: String) { FileHandle.standardOutput.write(Data(text.utf8)) }
    static func err(_ text: String) { FileHandle.standardError.write(Data(text.utf8)) }

    static let outStyle = TerminalStyle.detect(fileDescriptor: 1)
    static let errStyle = TerminalStyle.detect(fileDescriptor: 2)

    /// Prints `error: message` to stderr, coloured on a terminal.
    static func error(_ message: String) {
        err(errStyle.red("error: ") + message + "\n")
    }

    static func warning(_ message: String) {
        err(errStyle.yellow("warning: ") + message + "\n")
    }
}

/// The project around the current directory, or exit 2 with the reason.
func findProject() throws -> Pipeline {
    do {
        return try Pipeline.forCurrentDirectory()
    } catch {
        Console.error(explain(error))
        throw ExitCode(ExitStatus.chapterError)
    }
}

/// Ends the command with `status` (0 returns normally).
func finish(with status: Int32) throws {
    if status != ExitStatus.passed { throw ExitCode(status) }
}
