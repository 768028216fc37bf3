import ArgumentParser
import Foundation
import Notebook

/// `lessons list`: the chapters, their size, and whether their last result still holds.
struct ListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List the chapters with their cells, checks and last result.",
        discussion: """
        LAST is the result of the chapter's last `lessons run`: passed, failed or \
        error while everything it depends on is unchanged (cells, Expected file, \
        Engine build, toolchain, data, parameters, seed); stale, naming what \
        changed, once anything has; never if it has not run here. CHECKS counts \
        the checks of the `full` profile.

        Example:
          lessons list
        """)

    func run() throws {
        let runner = try findProject()
        let checker = ChapterChecker(runner: runner)
        let cache = ResultsCache(root: runner.root)
        let identity = try? ProgramIdentity()
        let style = TerminalStyle.detect(fileDescriptor: 1)

        var rows: [[String]] = [["ID", "TITLE", "CELLS", "CHECKS", "LAST"]]
        for id in runner.library.chapterIDs() {
            guard let chapter = try? runner.load(id) else {
                rows.append([id, "(does not parse: run `lessons check \(id)`)", "-", "-", "error"])
                continue
            }
            let checks: String
            switch Result(catching: { try checker.prepare(id) }) {
            case .success(let prepared):
                checks = prepared.expectations.map { "\($0.profiles[Expectations.defaultProfile]?.checkCount ?? 0)" } ?? "-"
            case .failure:
                checks = "bad"
            }
            let status = cache.status(of: id) { entry in
                identity.flatMap { checker.currentInputs(for: entry, identity: $0) }
            }
            rows.append([id, chapter.title, "\(chapter.runnableCells.count)", checks, describe(status)])
        }
        Console.out(table(rows, style: style))
    }

    /// `passed (seed 0, 2026-11-28 10:42)`, `stale (Expected file changed)`, `never`.
    private func describe(_ status: ResultStatus) -> String {
        switch status {
        case .never:
            return "never"
        case .stale(let changed):
            return "stale (\(changed.joined(separator: ", ")) changed)"
        case .current(let verdict, let entry):
            var details = ["seed \(entry.report.seed)"]
            if let profile = entry.report.profile, profile != Expectations.defaultProfile { details.append(profile) }
            details += entry.report.parameters.keys.sorted().map { "\($0)=\(entry.report.parameters[$0]!)" }
            let formatter = DateFormatter()
            formatter.dateFormat = "yyyy-MM-dd HH:mm"
            details.append(formatter.string(from: entry.savedAt))
            // A run no profile judged cannot be said to have passed.
            let word = verdict == .passed && entry.report.profile == nil ? "not judged" : verdict.rawValue
            return "\(word) (\(details.joined(separator: ", ")))"
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
                    : last.hasPrefix("stale") ? style.yellow(last) : last
                line = String(line.dropLast(last.count)) + coloured
            }
            text += line + "\n"
        }
        return text
    }
}
