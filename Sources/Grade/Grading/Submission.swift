import Foundation
import Notebook

/// Where the code for each exercise cell comes from.
public enum Submission: Equatable, Sendable {
    /// The chapters' own exercise cells: the starters, as a blank submission.
    case starters
    /// A student's checkout of the release: each exercise cell of its `Chapters/*.md`. Only those
    /// cells are taken; every other cell, and every Expected file, is the course's own.
    case release(URL)
    /// One file per exercise: `<folder>/<chapter-id>/<exercise>.swift` (the reference solutions).
    case solutions(URL)

    /// What to splice into the exercise cell (nil keeps the chapter's own code), or the reason
    /// there is nothing to grade.
    func code(for spec: ExerciseSpec, in chapter: Chapter, root: URL) -> Result<CellReplacement?, SubmissionProblem> {
        switch self {
        case .starters:
            return .success(nil)
        case .solutions(let folder):
            let file = folder.appendingPathComponent(spec.chapterID).appendingPathComponent(spec.exercise + ".swift")
            guard Self.isOwnFile(file, in: folder), let code = try? String(contentsOf: file, encoding: .utf8) else {
                return .failure(SubmissionProblem(kind: "missing", message: "no submission for \(spec.id): \(displayPath(file)) is missing",
                                                  file: displayPath(file), line: nil))
            }
            return .success(CellReplacement(code: code, file: displayPath(file), line: 1))
        case .release(let checkout):
            let file = checkout.appendingPathComponent("Chapters").appendingPathComponent(spec.chapterID + ".md")
            let shown = displayPath(file)
            guard FileManager.default.fileExists(atPath: file.path) else {
                return .failure(SubmissionProblem(kind: "missing", message: "no submission for \(spec.id): \(shown) is missing", file: shown, line: nil))
            }
            guard Self.isOwnFile(file, in: checkout) else {
                return .failure(SubmissionProblem(kind: "missing", message: "\(shown) must be a file of the submission itself, not a link out of it",
                                                  file: shown, line: nil))
            }
            let submitted: Chapter
            do { submitted = try ChapterLoader.load(contentsOf: file, root: nil) } catch {
                return .failure(SubmissionProblem(kind: "chapter", message: "\(shown) does not parse: \(explain(error))", file: shown, line: nil))
            }
            let cells = submitted.cells.filter { $0.attributes.exercise == spec.exercise }
            guard cells.count == 1, let cell = cells.first else {
                let what = cells.isEmpty ? "has no cell marked exercise=\(spec.exercise)" : "has \(cells.count) cells marked exercise=\(spec.exercise)"
                return .failure(SubmissionProblem(kind: "missing", message: "\(shown) \(what): keep the exercise cell's fence line as the release has it",
                                                  file: shown, line: cells.dropFirst().first?.line))
            }
            return .success(CellReplacement(code: cell.code, file: shown, line: cell.line))
        }
    }

    /// Whether `file` is a regular file that lies inside `folder` once links are resolved: a
    /// submission must not make the grader read files of the grading machine as its own.
    static func isOwnFile(_ file: URL, in folder: URL) -> Bool {
        let resolved = file.resolvingSymlinksInPath().path, base = folder.resolvingSymlinksInPath().path
        let type = (try? FileManager.default.attributesOfItem(atPath: resolved))?[.type] as? FileAttributeType
        return type == .typeRegular && resolved.hasPrefix(base.hasSuffix("/") ? base : base + "/")
    }

    /// How reports name it.
    public var description: String {
        switch self {
        case .starters: return "the starter cells"
        case .release(let folder): return "the submission in \(displayPath(folder))"
        case .solutions(let folder): return "the solutions in \(displayPath(folder))"
        }
    }
}
