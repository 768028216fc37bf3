import Foundation

/// swiftc's diagnostics as a student should see them: everything about their own file, with
/// the offending line; of the rest (the chapter's cells, the harness that calls their code),
/// only the error messages themselves, so that feedback never shows the grading code.
enum CompilerDiagnostics {
    /// The filtered text and the first line of `studentFile` with an error.
    static func forStudent(_ output: String, studentFile: String) -> (String, Int?) {
        var kept: [String] = []
        var firstLine: Int?
        var keepingExcerpt = false
        for line in output.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            if let (file, number, rest) = location(of: line) {
                keepingExcerpt = file == studentFile
                if keepingExcerpt {
                    kept.append(line)
                    if firstLine == nil && rest.contains("error:") { firstLine = number }
                } else if rest.contains("error:") {
                    let what = file.hasPrefix(ExerciseGrader.harnessID) ? "in the code that calls yours" : "in the chapter's cells"
                    kept.append("error (\(what)):" + rest.components(separatedBy: "error:").dropFirst().joined(separator: "error:"))
                }
            } else if keepingExcerpt, !line.isEmpty {
                kept.append(line)
            }
        }
        let text = kept.isEmpty ? output.split(separator: "\n").filter { $0.contains("error:") }.joined(separator: "\n") : kept.joined(separator: "\n")
        return (text.isEmpty ? "the compiler failed without a message" : text, firstLine)
    }

    /// `FILE:LINE:COL: rest` → (FILE, LINE, rest).
    private static func location(of line: String) -> (String, Int, String)? {
        let parts = line.split(separator: ":", maxSplits: 3, omittingEmptySubsequences: false)
        guard parts.count == 4, let number = Int(parts[1]), Int(parts[2]) != nil else { return nil }
        return (String(parts[0]), number, String(parts[3]))
    }
}
