import Foundation

/// Math and code typeset at build time: KaTeX turns TeX into HTML (with MathML), highlight.js
/// marks up Swift, both run once per render in one `node` process on the libraries Debian
/// packages. Nothing is fetched; pages need no script to show either.
///
/// Without node or a library, math stays readable TeX and code plain, with one warning.
public struct Typesetter: Sendable {
    public struct MathRequest: Equatable, Sendable {
        public var tex: String
        public var display: Bool
    }

    /// KaTeX's HTML, or why KaTeX rejected the formula.
    public enum MathResult: Equatable, Sendable {
        case html(String)
        case rejected(String)
    }

    public var node: URL?
    /// The folder holding `katex.min.js`, `katex.min.css` and `fonts/`.
    public var katexDirectory: URL?
    public var highlightScript: URL?

    public init(node: URL?, katexDirectory: URL?, highlightScript: URL?) {
        self.node = node; self.katexDirectory = katexDirectory; self.highlightScript = highlightScript
    }

    /// node from `LESSONS_NODE` or `PATH` (`node`, then `nodejs`); KaTeX from `LESSONS_KATEX_DIR`
    /// or `/usr/share/javascript/katex`; highlight.js from `/usr/share/javascript/highlight.js`.
    public static func locate(environment: [String: String] = ProcessInfo.processInfo.environment) -> Typesetter {
        let files = FileManager.default
        var node: URL?
        if let path = environment["LESSONS_NODE"], !path.isEmpty {
            node = URL(fileURLWithPath: path)
        } else {
            search: for name in ["node", "nodejs"] {
                for folder in (environment["PATH"] ?? "/usr/bin").split(separator: ":") {
                    let candidate = URL(fileURLWithPath: String(folder)).appendingPathComponent(name)
                    if files.isExecutableFile(atPath: candidate.path) { node = candidate; break search }
                }
            }
        }
        let katex = URL(fileURLWithPath: environment["LESSONS_KATEX_DIR"] ?? "/usr/share/javascript/katex", isDirectory: true)
        let highlight = URL(fileURLWithPath: "/usr/share/javascript/highlight.js/highlight.js")
        return Typesetter(node: node,
                          katexDirectory: files.fileExists(atPath: katex.appendingPathComponent("katex.min.js").path) ? katex : nil,
                          highlightScript: files.fileExists(atPath: highlight.path) ? highlight : nil)
    }

    /// A typesetter that typesets nothing: math as TeX, code plain.
    public static let none = Typesetter(node: nil, katexDirectory: nil, highlightScript: nil)

    /// What is missing, for one warning; nil when math and code are both typeset.
    public var missing: String? {
        var parts: [String] = []
        if node == nil { parts.append("node (Debian: nodejs)") }
        if katexDirectory == nil { parts.append("KaTeX (Debian: libjs-katex, fonts-katex)") }
        if highlightScript == nil { parts.append("highlight.js (Debian: libjs-highlight.js)") }
        return parts.isEmpty ? nil : "not found: " + parts.joined(separator: ", ")
            + "; math is shown as TeX and code without highlighting"
    }

    /// Typesets everything in one node run. Math entries are nil where KaTeX was unavailable;
    /// code entries nil where highlight.js was.
    public func typeset(math: [MathRequest], code: [String]) throws -> (math: [MathResult?], code: [String?]) {
        let unavailable: ([MathResult?], [String?]) = (math.map { _ in nil }, code.map { _ in nil })
        guard let node, katexDirectory != nil || highlightScript != nil, !(math.isEmpty && code.isEmpty) else {
            return unavailable
        }
        guard let script = Bundle.module.url(forResource: "typeset", withExtension: "js", subdirectory: "Assets") else {
            throw TypesetError(message: "typeset.js is missing from the Render resources")
        }
        let request: [String: Any] = [
            "katex": katexDirectory.map { $0.appendingPathComponent("katex.min.js").path } ?? NSNull(),
            "highlight": highlightScript?.path ?? NSNull(),
            "math": math.map { ["tex": $0.tex, "display": $0.display] as [String: Any] },
            "code": code,
        ]
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("lessons-typeset-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let input = folder.appendingPathComponent("request.json")
        let output = folder.appendingPathComponent("response.json")
        let errors = folder.appendingPathComponent("stderr.txt")
        try JSONSerialization.data(withJSONObject: request).write(to: input)
        _ = FileManager.default.createFile(atPath: output.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errors.path, contents: nil)

        let process = Process()
        process.executableURL = node
        process.arguments = [script.path, input.path]
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = try FileHandle(forWritingTo: output)
        process.standardError = try FileHandle(forWritingTo: errors)
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0,
              let response = try JSONSerialization.jsonObject(with: Data(contentsOf: output)) as? [String: Any],
              let mathOut = response["math"] as? [[String: Any]], let codeOut = response["code"] as? [Any],
              mathOut.count == math.count, codeOut.count == code.count else {
            let stderr = (try? String(contentsOf: errors, encoding: .utf8)) ?? ""
            throw TypesetError(message: "\(node.path) \(script.lastPathComponent) failed (status \(process.terminationStatus)): "
                               + stderr.trimmingCharacters(in: .whitespacesAndNewlines))
        }
        let mathResults: [MathResult?] = mathOut.map { entry in
            if katexDirectory == nil { return nil }
            if let html = entry["html"] as? String { return .html(html) }
            return .rejected(entry["error"] as? String ?? "unknown KaTeX error")
        }
        return (mathResults, codeOut.map { $0 as? String })
    }
}

public struct TypesetError: Error, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}
