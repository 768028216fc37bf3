import ArgumentParser
import Foundation
import Notebook

/// `lessons list`: the chapters, their size, and whether their last result still holds;
/// `lessons list CHAPTER`: one chapter's cells, parameters, checks and stored results.
struct ListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List the chapters with their cells, checks and last result, or one chapter in detail.",
        discussion: """
        LAST is the chapter's stored `full` result (else its newest): passed, failed, error or \
        unjudged while everything it depends on is unchanged (cells, Expected file, Engine \
        build, toolchain, data, parameters, seed); stale, naming what changed, once anything \
        has; never if it has not run here. CHECKS counts the checks of the `full` profile.

        With a chapter, lists its cells (line, attributes), its parameters, every profile's \
        checks, and every stored result (one per profile).

        Examples:
          lessons list
          lessons list 12-gru
        """)

    @Argument(help: ArgumentHelp("A chapter to show in detail (12-gru, 12, gru or a path).", valueName: "chapter"))
    var chapter: String?

    func run() throws {
        let pipeline = try findProject()
        if let chapter { return try detail(chapter, pipeline) }
        var rows: [[String]] = [["ID", "TITLE", "CELLS", "CHECKS", "LAST"]]
        for id in pipeline.library.chapterIDs() {
            let loaded: LoadedChapter
            do { loaded = try pipeline.load(id) } catch {
                let failure = ChapterFailure(error)
                let what = failure.kind == .expected ? "Expected file is bad" : "does not parse"
                rows.append([id, "(\(what): run `lessons check \(id)`)", "-", "-", "error"])
                continue
            }
            let checks = loaded.expectations.map { "\($0.profiles[Expectations.defaultProfile]?.checkCount ?? 0)" } ?? "-"
            rows.append([id, loaded.chapter.title, "\(loaded.chapter.runnableCells.count)", checks,
                         describe(pipeline.lastResult(for: id))])
        }
        Console.out(table(rows, style: Console.outStyle))
    }

    private func detail(_ name: String, _ pipeline: Pipeline) throws {
        let loaded: LoadedChapter
        do { loaded = try pipeline.load(name) } catch {
            Console.error(explain(ChapterFailure(error)))
            throw ExitCode(ExitStatus.chapterError)
        }
        let style = Console.outStyle
        let chapter = loaded.chapter
        var text = style.bold("\(chapter.id): \(chapter.title)") + "  " + style.dim(ChapterLoader.displayPath(of: chapter.path, root: pipeline.root)) + "\n"
        text += "\ncells:\n"
        for cell in chapter.cells {
            var attributes: [String] = []
            if cell.attributes.parameters { attributes.append("parameters") }
            if cell.attributes.hidden { attributes.append("hidden") }
            if cell.attributes.norun { attributes.append("norun") }
            if let exercise = cell.attributes.exercise { attributes.append("exercise=\(exercise)") }
            if let timeout = cell.attributes.timeout { attributes.append("timeout=\(formatFigure(timeout))") }
            text += "  " + padded(cell.id, 24) + "  line \(cell.line)" + (attributes.isEmpty ? "" : "  " + style.dim(attributes.joined(separator: " "))) + "\n"
        }
        let parameters = Tangler.parameters(of: chapter)
        if !parameters.isEmpty {
            text += "\nparameters (--param NAME=VALUE):\n"
            for parameter in parameters { text += "  \(parameter.name) = \(parameter.defaultLiteral)  " + style.dim("line \(parameter.line)") + "\n" }
        }
        if let expectations = loaded.expectations {
            for name in expectations.profileNames {
                let profile = expectations.profiles[name]!
                let settings = profile.parameters.keys.sorted().map { "\($0)=\(profile.parameters[$0]!)" }.joined(separator: " ")
                text += "\nprofile \(name)" + (settings.isEmpty ? "" : " (\(settings))") + ": \(profile.checkCount) checks\n"
                for cell in chapter.runnableCells.map(\.id) where profile.cells[cell] != nil {
                    for check in profile.cells[cell]! { text += "  " + padded(cell, 24) + "  " + describe(check) + "\n" }
                }
            }
        } else {
            text += "\nno Expected file: its figures are reported, not judged\n"
        }
        let stored = pipeline.storedResults(for: chapter.id)
        text += "\nstored results:" + (stored.isEmpty ? " none\n" : "\n")
        for status in stored { text += "  " + describe(status) + "\n" }
        Console.out(text)
    }

    private func describe(_ check: Check) -> String {
        switch check {
        case .metric(let metric):
            let range = metric.range.map { "[\(formatFigure($0.lowerBound)), \(formatFigure($0.upperBound))]" } ?? "reported"
            return metric.title + "  " + range + (metric.source.map { "  source \(formatFigure($0))" } ?? "")
        case .output, .matches:
            return check.title
        }
    }

    /// `passed (full, seed 0, 2026-11-28 10:42)`, `stale (Expected file changed)`, `never`.
    private func describe(_ status: ResultStatus) -> String {
        guard let entry = status.entry else { return "never" }
        var details = [entry.report.profile ?? "no profile", "seed \(entry.report.seed)"]
        details += entry.report.parameters.keys.sorted().map { "\($0)=\(entry.report.parameters[$0]!)" }
        let formatter = DateFormatter()
        formatter.dateFormat = "yyyy-MM-dd HH:mm"
        details.append(formatter.string(from: entry.savedAt))
        switch status {
        case .stale(let changed, _):
            return "stale (\(changed.joined(separator: ", ")) changed; was \(entry.report.status.rawValue), \(details.joined(separator: ", ")))"
        default:
            return "\(entry.report.status.rawValue) (\(details.joined(separator: ", ")))"
        }
    }

    /// Left-aligned columns, numbers right-aligned, header dimmed; LAST coloured by verdict.
    private func table(_ rows: [[String]], style: TerminalStyle) -> String {
        let widths = rows[0].indices.map { column in rows.map { $0[column].count }.max() ?? 0 }
        var text = ""
        for (index, row) in rows.enumerated() {
            var cells: [String] = []
            for (column, cell) in row.enumerated() {
                let pad = String(repeating: " ", count: widths[column] - cell.count)
                let last = column == row.count - 1
                cells.append(column == 2 || column == 3 ? pad + cell : last ? cell : cell + pad)
            }
            var line = cells.joined(separator: "  ")
            if index == 0 {
                line = style.dim(line)
            } else if let last = row.last {
                let coloured = last.hasPrefix("passed") ? style.green(last)
                    : last.hasPrefix("failed") || last.hasPrefix("error") ? style.red(last)
                    : last.hasPrefix("stale") || last.hasPrefix("unjudged") ? style.yellow(last) : last
                line = String(line.dropLast(last.count)) + coloured
            }
            text += line + "\n"
        }
        return text
    }

    private func padded(_ text: String, _ width: Int) -> String {
        text + String(repeating: " ", count: max(0, width - text.count))
    }
}
