import Foundation

/// The profile a run is judged by, and the parameters the run must use for it.
public struct ProfileSelection: Equatable, Sendable {
    /// nil when the run fits no profile (its overrides match none, or there is no Expected file).
    public var profile: Profile?
    /// The overrides to run with: the user's `--param`s plus those the chosen profile implies.
    public var parameters: [String: String]
    /// Why the run is not judged by a profile, for the report; nil when it is.
    public var unjudgedReason: String?
    /// The Expected file's `always` checks, by cell: they hold for every run, so they judge a run
    /// that fits no profile (a chosen profile already includes them). Empty without any.
    public var always: [String: [Check]]
    /// Every profile of the Expected file and the overrides it is sized for, `full` first: what
    /// a run that fits none could have used. Empty when there is no Expected file.
    public var available: [Option]

    /// A profile a run could choose, for messages.
    public struct Option: Equatable, Sendable {
        public var name: String
        /// Its overrides as written (inherited ones included); empty for the chapter's own values.
        public var parameters: [String: String]

        /// `smoke (epochs=5)`, `full (the chapter's own values)`.
        public var description: String {
            "\(name) (" + (parameters.isEmpty ? "the chapter's own values" : describeOverrides(parameters)) + ")"
        }
    }

    public init(profile: Profile?, parameters: [String: String], unjudgedReason: String?,
                always: [String: [Check]] = [:], available: [Option] = []) {
        self.profile = profile; self.parameters = parameters; self.unjudgedReason = unjudgedReason
        self.always = always; self.available = available
    }

    /// What to judge the run with: the chosen profile, else the `always` checks as a profile named
    /// `always` (see `Expectations.alwaysProfile`), else nil (nothing is judged).
    public var judgedBy: Profile? {
        profile ?? (always.isEmpty ? nil : Profile(name: "always", cells: always))
    }

    /// `full (the chapter's own values), smoke (epochs=5)`: for the last line of a run no
    /// profile fits.
    public var availableDescription: String {
        available.map(\.description).joined(separator: ", ")
    }

    /// Chooses a profile for a run of `chapter`.
    ///
    /// - With `requested` (`--profile NAME`), that profile is used and its parameters are applied,
    ///   so `--profile smoke` alone runs the smoke settings. An explicit `--param` whose value
    ///   differs from the profile's (as a value: `05` is `5`) is an error: the profile's ranges
    ///   would not fit the run.
    /// - Without it, the profile whose parameters equal the run's `--param` overrides, compared as
    ///   values of each parameter's kind, a parameter set to the chapter's own default counting as
    ///   not overridden: a plain run, or `--param epochs=160` where 160 is the default, gets `full`.
    ///   When two profiles fit (allowed only if one extends the other), the one extended wins.
    /// - A run no profile fits has `profile` nil; `always` and `available` say what still judges it
    ///   and what it could have chosen.
    public static func select(_ expectations: Expectations?, for chapter: Chapter, requested: String?,
                              parameters: [String: String]) throws -> ProfileSelection {
        try select(expectations, declared: Tangler.parameters(of: chapter), requested: requested, parameters: parameters)
    }

    /// The same, with the chapter's parameters given directly (`Tangler.parameters(of:)`).
    public static func select(_ expectations: Expectations?, declared: [ChapterParameter], requested: String?,
                              parameters: [String: String]) throws -> ProfileSelection {
        guard let expectations else {
            if let requested {
                throw SelectionError(message: "profile \"\(requested)\" requested, but the chapter has no Expected file")
            }
            return ProfileSelection(profile: nil, parameters: parameters,
                                    unjudgedReason: "no Expected file: figures are reported, not judged")
        }
        let settings = ParameterValues(declared: declared)
        let available = expectations.profileNames.map { Option(name: $0, parameters: expectations.profiles[$0]!.parameters) }
        func selection(_ profile: Profile?, _ parameters: [String: String], _ reason: String? = nil) -> ProfileSelection {
            ProfileSelection(profile: profile, parameters: parameters, unjudgedReason: reason,
                             always: expectations.always, available: available)
        }
        if let requested {
            guard let profile = expectations.profiles[requested] else {
                throw SelectionError(message: "\(displayPath(expectations.file)) has no profile \"\(requested)\" "
                                     + "(profiles: \(expectations.profileNames.joined(separator: ", ")))")
            }
            var merged = profile.parameters
            for name in parameters.keys.sorted() {
                let value = parameters[name]!
                if let implied = profile.parameters[name] {
                    if settings.value(implied, of: name) != settings.value(value, of: name) {
                        throw SelectionError(message: "--param \(name)=\(value) contradicts profile \"\(requested)\", "
                                             + "which is sized for \(name)=\(implied)")
                    }
                } else {
                    merged[name] = value
                }
            }
            return selection(profile, merged)
        }
        let wanted = settings.overrides(parameters)
        let fitting = expectations.profileNames.filter { settings.overrides(expectations.profiles[$0]!.parameters) == wanted }
        // Profiles with the same settings extend one another (validation makes sure); the base wins.
        if let name = fitting.first(where: { name in
            !fitting.contains { other in other != name && expectations.ancestors(of: name).contains(other) }
        }) {
            return selection(expectations.profiles[name]!, parameters)
        }
        let given = parameters.isEmpty ? "the chapter's own values" : describeOverrides(parameters)
        let judged = expectations.always.values.reduce(0) { $0 + $1.filter(\.isJudged).count }
        let what = judged == 0 ? "figures are reported, not judged"
            : judged == 1 ? "only the 1 check that holds for any parameters is judged"
            : "only the \(judged) checks that hold for any parameters are judged"
        return selection(nil, parameters, "no profile is sized for \(given) (profiles: "
                         + available.map(\.description).joined(separator: ", ") + "): \(what)")
    }
}

extension Expectations {
    /// The profiles `name` extends, directly or through others, nearest first.
    public func ancestors(of name: String) -> [String] {
        var found: [String] = []
        var next = profiles[name]?.extends
        while let base = next, !found.contains(base), base != name {
            found.append(base)
            next = profiles[base]?.extends
        }
        return found
    }
}

/// A `--profile` that cannot be honoured.
public struct SelectionError: Error, Equatable, CustomStringConvertible, LocalizedError {
    public var message: String
    public var description: String { message }
    public var errorDescription: String? { message }
}

/// A parameter's value as the program will see it, so that `05` and `5`, or `0.5` and `5e-1`,
/// are one setting. Text that is not a value of the parameter's kind stays text (tangling will
/// reject it with the chapter's line).
enum ParameterValue: Hashable, Sendable {
    case int(Int)
    case double(Double)
    case bool(Bool)
    case string(String)
    /// Not a value of the parameter's kind, or a name the chapter does not declare: compared as
    /// typed.
    case text(String)
}

/// Values of `--param` overrides, read with the chapter's declared kinds and defaults.
struct ParameterValues {
    let declared: [String: ChapterParameter]

    init(declared: [ChapterParameter]) {
        self.declared = Dictionary(declared.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// The overrides that change something: those equal to the chapter's default are dropped.
    func overrides(_ parameters: [String: String]) -> [String: ParameterValue] {
        var result: [String: ParameterValue] = [:]
        for (name, text) in parameters {
            let value = self.value(text, of: name)
            if let parameter = declared[name], value == Self.value(literal: parameter.defaultLiteral, kind: parameter.kind) {
                continue
            }
            result[name] = value
        }
        return result
    }

    /// `text` (as given to `--param`) read as a value of `name`'s kind.
    func value(_ text: String, of name: String) -> ParameterValue {
        guard let parameter = declared[name] else { return .text(text) }
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let digits = trimmed.replacingOccurrences(of: "_", with: "")
        switch parameter.kind {
        case .int:
            return Int(digits).map(ParameterValue.int) ?? .text(text)
        case .double:
            let numeric = !digits.isEmpty && digits.contains(where: \.isNumber)
                && digits.allSatisfy { "0123456789.eE+-".contains($0) }
            return numeric ? Double(digits).map(ParameterValue.double) ?? .text(text) : .text(text)
        case .bool:
            return trimmed == "true" ? .bool(true) : trimmed == "false" ? .bool(false) : .text(text)
        case .string:
            return .string(text)
        }
    }

    /// A chapter's literal (`160`, `150_000`, `0.01`, `"tiny"`, `true`) as a value.
    static func value(literal: String, kind: ChapterParameter.Kind) -> ParameterValue {
        switch kind {
        case .string:
            return .string(unescaped(String(literal.dropFirst().dropLast())))
        default:
            let probe = ChapterParameter(name: "", kind: kind, defaultLiteral: literal, literal: literal, cell: "", line: 0)
            return ParameterValues(declared: [probe]).value(literal, of: "")
        }
    }

    /// The text of a Swift string literal's body: `\"`, `\\`, `\n`, `\t`, `\r`, `\0`, `\'` and
    /// `\u{…}` decoded.
    static func unescaped(_ body: String) -> String {
        var result = String.UnicodeScalarView()
        var scalars = body.unicodeScalars.makeIterator()
        while let scalar = scalars.next() {
            guard scalar == "\\", let escaped = scalars.next() else { result.append(scalar); continue }
            switch escaped {
            case "n": result.append("\n")
            case "t": result.append("\t")
            case "r": result.append("\r")
            case "0": result.append("\0")
            case "u":
                var hex = ""
                while let next = scalars.next(), next != "}" { if next != "{" { hex.unicodeScalars.append(next) } }
                if let code = UInt32(hex, radix: 16), let decoded = Unicode.Scalar(code) { result.append(decoded) }
            default: result.append(escaped)   // \" \\ \'
            }
        }
        return String(result)
    }
}

/// `epochs=5 lr=0.5`, sorted by name.
func describeOverrides(_ parameters: [String: String]) -> String {
    parameters.keys.sorted().map { "\($0)=\(parameters[$0]!)" }.joined(separator: " ")
}
