import Foundation
import Notebook

/// Typeset math and code kept between renders (`.lessons/typeset.json`), keyed by the text, for
/// the library files that typeset it: a render sends node only what it has not seen, so an
/// unchanged book renders without starting node at all.
public struct TypesetCache: Sendable {
    public var file: URL

    public init(file: URL) { self.file = file }

    /// The cache of the project at `root`.
    public init(root: URL) { self.init(file: root.appendingPathComponent(".lessons/typeset.json")) }

    private struct Stored: Codable {
        var version = 1
        /// `Typesetter.identity` of the libraries the entries come from.
        var libraries = ""
        /// `m` (inline) or `M` (display) + TeX → KaTeX's HTML, or `!` + KaTeX's error;
        /// `c` + Swift code → highlight.js's markup.
        var entries: [String: String] = [:]
    }

    /// `typesetter`'s results for `math` and `code`, from the cache where it has them.
    public func typeset(with typesetter: Typesetter, math: [Typesetter.MathRequest], code: [String]) throws
        -> (math: [Typesetter.MathResult?], code: [String?]) {
        let library = typesetter.identity
        var stored = (try? JSONDecoder().decode(Stored.self, from: Data(contentsOf: file))) ?? Stored()
        if stored.version != Stored().version || stored.libraries != library { stored = Stored(libraries: library) }
        let mathKeys = math.map { ($0.display ? "M" : "m") + $0.tex }
        let codeKeys = code.map { "c" + $0 }
        let missingMath = math.indices.filter { stored.entries[mathKeys[$0]] == nil }
        let missingCode = code.indices.filter { stored.entries[codeKeys[$0]] == nil }
        if !missingMath.isEmpty || !missingCode.isEmpty {
            let fresh = try typesetter.typeset(math: missingMath.map { math[$0] }, code: missingCode.map { code[$0] })
            for (index, result) in zip(missingMath, fresh.math) {
                switch result {
                case .html(let html)?: stored.entries[mathKeys[index]] = html
                case .rejected(let reason)?: stored.entries[mathKeys[index]] = "!" + reason
                case .none: break
                }
            }
            for (index, result) in zip(missingCode, fresh.code) where result != nil {
                stored.entries[codeKeys[index]] = result
            }
            // Only what this render used is kept, so the file does not grow with every edit.
            let used = Set(mathKeys + codeKeys)
            stored.entries = stored.entries.filter { used.contains($0.key) }
            if let data = try? JSONEncoder().encode(stored) { try? AtomicFile.write(data, to: file) }
        }
        let mathResults: [Typesetter.MathResult?] = mathKeys.map { key in
            guard let entry = stored.entries[key] else { return nil }
            return entry.hasPrefix("!") ? .rejected(String(entry.dropFirst())) : .html(entry)
        }
        return (mathResults, codeKeys.map { stored.entries[$0] })
    }
}

extension Typesetter {
    /// What the typeset output depends on besides the text: the libraries, by path, size and
    /// modification time (an upgraded package typesets afresh).
    var identity: String {
        [katexDirectory?.appendingPathComponent("katex.min.js"), highlightScript].map { url -> String in
            guard let url, let attributes = try? FileManager.default.attributesOfItem(atPath: url.resolvingSymlinksInPath().path) else {
                return "none"
            }
            let modified = (attributes[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
            return "\(url.path):\(attributes[.size] as? Int ?? 0):\(modified)"
        }.joined(separator: " ")
    }
}
