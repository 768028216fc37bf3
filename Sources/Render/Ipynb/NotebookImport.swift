import Foundation
import Notebook

/// A Jupyter notebook back into a chapter's Markdown: Markdown and raw cells as prose, code
/// cells as `swift` cells with the attributes in their `metadata.lessons`. Outputs are dropped:
/// the next `lessons run` makes them again.
public enum NotebookImport {
    public struct ImportError: Error, CustomStringConvertible {
        public var message: String
        public var description: String { message }
    }

    public static func markdown(fromNotebook data: Data, name: String) throws -> String {
        guard let notebook = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw ImportError(message: "\(name) is not a JSON notebook")
        }
        guard notebook["nbformat"] as? Int == 4, let cells = notebook["cells"] as? [[String: Any]] else {
            throw ImportError(message: "\(name) is not an nbformat 4 notebook (no \"nbformat\": 4 and \"cells\")")
        }
        var pieces: [String] = []
        for (number, cell) in cells.enumerated() {
            let source = text(cell["source"])
            switch cell["cell_type"] as? String {
            case "markdown", "raw":
                if !source.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { pieces.append(source) }
            case "code":
                let lessons = (cell["metadata"] as? [String: Any])?["lessons"] as? [String: Any] ?? [:]
                let info = try infoString(lessons, cell: number + 1, name: name)
                let fence = fenceFor(source)
                pieces.append(fence + info + "\n" + source + (source.isEmpty ? "" : "\n") + fence)
            default:
                throw ImportError(message: "\(name): cell \(number + 1) has an unknown cell_type")
            }
        }
        return pieces.joined(separator: "\n\n") + "\n"
    }

    /// The fence's info string: the one the chapter had, when it still says what the metadata
    /// says (so an untouched chapter comes back byte for byte); else one written from the metadata.
    static func infoString(_ lessons: [String: Any], cell: Int, name: String) throws -> String {
        var attributes = CellAttributes()
        attributes.hidden = lessons["hidden"] as? Bool ?? false
        attributes.norun = lessons["norun"] as? Bool ?? false
        attributes.parameters = lessons["parameters"] as? Bool ?? false
        attributes.exercise = lessons["exercise"] as? String
        attributes.timeout = (lessons["timeout"] as? NSNumber)?.doubleValue
        let id = lessons["id"] as? String
        if let info = lessons["info"] as? String, let parsed = try? parseInfo(info),
           parsed.attributes == attributes, id == nil || parsed.id == id || (parsed.id == nil && id?.hasPrefix("cell-") == true) {
            return info
        }
        var words = ["swift"]
        if let id, !id.isEmpty { words.append("id=\(id)") }
        if attributes.parameters { words.append("parameters") }
        if attributes.hidden { words.append("hidden") }
        if attributes.norun { words.append("norun") }
        if let exercise = attributes.exercise { words.append("exercise=\(exercise)") }
        if let timeout = attributes.timeout { words.append("timeout=\(formatFigure(timeout))") }
        let info = words.joined(separator: " ")
        do { _ = try parseInfo(info) } catch {
            throw ImportError(message: "\(name): cell \(cell) has attributes lessons cannot read: \(explain(error))")
        }
        return info
    }

    /// What `ChapterLoader` makes of a fence with this info string.
    private static func parseInfo(_ info: String) throws -> (attributes: CellAttributes, id: String?) {
        let chapter = try ChapterLoader.parse("```\(info)\n```\n", path: URL(fileURLWithPath: "/notebook-cell.md"))
        guard let cell = chapter.cells.first else { throw ImportError(message: "not a swift cell: \(info)") }
        return (cell.attributes, info.contains("id=") ? cell.id : nil)
    }

    /// A fence longer than any run of backticks that starts a line of the code.
    private static func fenceFor(_ code: String) -> String {
        let lines: [Substring] = code.split(separator: "\n")
        let longest = lines.map { line -> Int in line.drop { $0 == " " }.prefix { $0 == "`" }.count }.max() ?? 0
        return String(repeating: "`", count: max(3, longest + 1))
    }

    /// nbformat's multi-line string: a string, or a list of strings to concatenate.
    private static func text(_ value: Any?) -> String {
        if let string = value as? String { return string }
        if let list = value as? [String] { return list.joined() }
        return ""
    }
}
