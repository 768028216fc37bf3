import Foundation

/// The JUnit XML of `lessons run --junit FILE`, which CI systems show as a test list.
///
/// One `<testsuite>` per chapter run, one `<testcase>` per check (classname `chapter.cell`,
/// name the check's title, time the cell's), with `<failure>` carrying the whole message for a
/// failed check. Figures that are reported but not judged (informational ones, a run no profile
/// fits) and checks the run never got to are `<skipped/>`, with the value or the reason. A
/// chapter that did not complete (load, Expected, compile, crash, timeout) gets one more test
/// case, `run`, with `<error>`, so the error shows up even in a chapter with no checks.
public enum JUnitReport {
    public static func render(_ reports: [ChapterReport]) -> String {
        let tally = reports.map(\.tally).reduce(OutcomeTally(), +)
        let errors = reports.filter { $0.status == .error }.count
        let tests = reports.reduce(0) { $0 + $1.outcomes.count + ($1.status == .error ? 1 : 0) }
        let time = reports.reduce(0.0) { $0 + $1.seconds }
        var xml = #"<?xml version="1.0" encoding="UTF-8"?>"# + "\n"
        xml += #"<testsuites name="lessons" tests="\#(tests)" failures="\#(tally.failed)" "#
            + #"errors="\#(errors)" time="\#(seconds(time))">"# + "\n"
        for report in reports { xml += suite(report, named: suiteName(report, among: reports)) }
        xml += "</testsuites>\n"
        return xml
    }

    public static func write(_ reports: [ChapterReport], to url: URL) throws {
        try AtomicFile.write(Data(render(reports).utf8), to: url)
    }

    /// The chapter id, plus the seed when the same chapter ran more than once (`--repeat`).
    private static func suiteName(_ report: ChapterReport, among reports: [ChapterReport]) -> String {
        let repeated = reports.filter { $0.chapterID == report.chapterID }.count > 1
        return repeated ? "\(report.chapterID) (seed \(report.seed))" : report.chapterID
    }

    private static func suite(_ report: ChapterReport, named name: String) -> String {
        let isError = report.status == .error
        let tests = report.outcomes.count + (isError ? 1 : 0)
        let skipped = report.tally.reported + report.tally.unjudged
        var xml = "  <testsuite name=\"\(escape(name))\" tests=\"\(tests)\" failures=\"\(report.tally.failed)\" "
            + "errors=\"\(isError ? 1 : 0)\" skipped=\"\(skipped)\" time=\"\(seconds(report.seconds))\">\n"
        xml += "    <properties>\n"
        xml += property("seed", "\(report.seed)")
        if let profile = report.profile { xml += property("profile", profile) }
        for key in report.parameters.keys.sorted() { xml += property("param." + key, report.parameters[key]!) }
        xml += "    </properties>\n"
        let cellSeconds = Dictionary((report.result?.cells ?? []).map { ($0.id, $0.seconds) }, uniquingKeysWith: { a, _ in a })
        for outcome in report.outcomes {
            xml += testcase(outcome, chapter: report.chapterID, seconds: cellSeconds[outcome.cell] ?? 0)
        }
        if isError, let failure = report.failure {
            let message = failure.headline + (failure.location.map { " (\($0))" } ?? "") + ": " + failure.message
            xml += "    <testcase classname=\"\(escape(report.chapterID))\" name=\"run\" time=\"\(seconds(report.seconds))\">\n"
            xml += "      <error message=\"\(escape(message, attribute: true))\" type=\"\(failure.kind.rawValue)\">\(escape(message))</error>\n"
            xml += "    </testcase>\n"
        }
        xml += "  </testsuite>\n"
        return xml
    }

    private static func testcase(_ outcome: CheckOutcome, chapter: String, seconds time: Double) -> String {
        var xml = "    <testcase classname=\"\(escape(chapter + "." + outcome.cell))\" "
            + "name=\"\(escape(outcome.title))\" time=\"\(seconds(time))\""
        let detail = details(outcome)
        switch outcome.verdict {
        case .passed:
            return xml + "/>\n"
        case .failed:
            let text = ([detail] + [outcome.message ?? ""]).filter { !$0.isEmpty }.joined(separator: "\n")
            xml += ">\n      <failure message=\"\(escape(outcome.message ?? "failed", attribute: true))\" type=\"\(outcome.kind.rawValue)\">"
                + escape(text) + "</failure>\n"
        case .reported:
            let text = "reported, not judged: " + detail + (outcome.message.map { "\n" + $0 } ?? "")
            xml += ">\n      <skipped message=\"\(escape(text, attribute: true))\"/>\n"
        case .unjudged:
            let text = "not judged: " + (outcome.message ?? "the run stopped") + (detail.isEmpty ? "" : "\n" + detail)
            xml += ">\n      <skipped message=\"\(escape(text, attribute: true))\"/>\n"
        }
        return xml + "    </testcase>\n"
    }

    /// `measured 170; expected [140, 160]; source 149.27`.
    private static func details(_ outcome: CheckOutcome) -> String {
        var parts: [String] = []
        if outcome.kind == .metric { parts.append("measured " + (outcome.measured.map(formatFigure) ?? "nothing")) }
        if let range = outcome.range {
            parts.append("expected [\(formatFigure(range.lowerBound)), \(formatFigure(range.upperBound))]")
        }
        if let source = outcome.source { parts.append("source \(formatFigure(source))") }
        if let expected = outcome.expected { parts.append("expected " + expected) }
        return parts.joined(separator: "; ")
    }

    private static func property(_ name: String, _ value: String) -> String {
        "      <property name=\"\(escape(name))\" value=\"\(escape(value))\"/>\n"
    }

    private static func seconds(_ value: Double) -> String { String(format: "%.3f", value) }

    /// Escapes text for XML 1.0 content and attributes. Characters XML 1.0 cannot hold at all
    /// (most control characters, e.g. the ESC of a colour code in a cell's output) become
    /// U+FFFD, since no escape can represent them and one would make the whole file unreadable.
    /// In an attribute, newlines and tabs are written as references: a parser would otherwise
    /// turn them into spaces, and a multi-line message would arrive as one line.
    public static func escape(_ text: String, attribute: Bool = false) -> String {
        var out = ""
        out.reserveCapacity(text.unicodeScalars.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            case "\n" where attribute: out += "&#10;"
            case "\t" where attribute: out += "&#9;"
            case "\t", "\n": out.unicodeScalars.append(scalar)
            case "\r": out += "&#13;"
            default:
                let allowed = scalar.value >= 0x20 && !(0xFFFE...0xFFFF).contains(scalar.value)
                    && !(0xD800...0xDFFF).contains(scalar.value)
                out.unicodeScalars.append(allowed ? scalar : "\u{FFFD}")
            }
        }
        return out
    }
}
