import Foundation
import Notebook

/// A chapter as a Jupyter notebook (nbformat 4.5): its prose as Markdown cells, its cells as
/// Swift code cells with their attributes in `metadata.lessons` and what they printed in the
/// stored run as `stream` outputs. Jupyter, VS Code and GitHub show it as it is; `lessons
/// import` turns it back into the chapter.
public enum NotebookExport {
    public static func notebook(_ chapter: Chapter, markdownPath: String, shown: ResultStatus) -> [String: Any] {
        var ids = IDs()
        var cells: [[String: Any]] = []
        let results = shown.entry?.report.result?.cells ?? []
        var executed = 0
        for part in ChapterPart.split(chapter) {
            switch part {
            case .prose(let text):
                cells.append(["id": ids.make("md-\(cells.count + 1)"), "cell_type": "markdown", "metadata": [String: Any](),
                              "source": lines(text)])
            case .cell(let index, let info):
                let cell = chapter.cells[index]
                let attributes = cell.attributes
                var lessons: [String: Any] = ["id": cell.id, "hidden": attributes.hidden, "norun": attributes.norun,
                                              "parameters": attributes.parameters, "info": info]
                lessons["exercise"] = attributes.exercise ?? NSNull()
                lessons["timeout"] = attributes.timeout ?? NSNull()
                var metadata: [String: Any] = ["lessons": lessons]
                if attributes.hidden { metadata["jupyter"] = ["source_hidden": true, "outputs_hidden": true] }
                var outputs: [[String: Any]] = []
                var count: Any = NSNull()
                if let result = results.first(where: { $0.id == cell.id }), result.status == .passed || result.status == .failed {
                    executed += 1
                    count = executed
                    for (name, text) in [("stdout", result.stdout), ("stderr", result.stderr)] where !text.isEmpty {
                        outputs.append(["output_type": "stream", "name": name, "text": lines(text)])
                    }
                }
                let code = cell.code.hasSuffix("\n") ? String(cell.code.dropLast()) : cell.code
                cells.append(["id": ids.make(cell.id), "cell_type": "code", "metadata": metadata,
                              "execution_count": count, "outputs": outputs, "source": lines(code)])
            }
        }
        var about: [String: Any] = ["chapter": chapter.id, "title": chapter.title, "source": markdownPath]
        if let entry = shown.entry {
            var result: [String: Any] = ["status": entry.report.status.rawValue, "seed": entry.report.seed,
                                         "profile": entry.report.profile ?? NSNull(), "parameters": entry.report.parameters,
                                         "saved": ISO8601DateFormatter().string(from: entry.savedAt)]
            if case .stale(let changed, _) = shown { result["stale"] = changed }
            about["result"] = result
        }
        return [
            "nbformat": 4, "nbformat_minor": 5, "cells": cells,
            "metadata": [
                "kernelspec": ["name": "swift", "display_name": "Swift", "language": "swift"],
                "language_info": ["name": "swift", "file_extension": ".swift", "mimetype": "text/x-swift",
                                  "pygments_lexer": "swift", "codemirror_mode": "swift"],
                "lessons": about,
            ] as [String: Any],
        ]
    }

    /// The notebook as JSON text, keys sorted, one space indent (as Jupyter writes it).
    public static func data(_ notebook: [String: Any]) throws -> Data {
        var data = try JSONSerialization.data(withJSONObject: notebook, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        data.append(0x0A)
        return data
    }

    /// A multi-line string as nbformat stores it: lines, each but the last ending in `\n`.
    static func lines(_ text: String) -> [String] {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { String($0) + "\n" }
        if let last = lines.last { lines[lines.count - 1] = String(last.dropLast()) }
        if lines.last == "" { lines.removeLast() }
        return lines
    }

    /// Cell ids nbformat accepts (letters, digits, `-`, `_`; 1 to 64 of them), unique in the notebook.
    struct IDs {
        var taken: Set<String> = []

        mutating func make(_ wanted: String) -> String {
            var base = String(wanted.map { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") ? $0 : "_" }.prefix(60))
            if base.isEmpty { base = "cell" }
            var id = base, n = 2
            while taken.contains(id) { id = "\(base)-\(n)"; n += 1 }
            taken.insert(id)
            return id
        }
    }
}
