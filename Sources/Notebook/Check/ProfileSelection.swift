import Foundation

extension Expectations {
    /// Checks the file against the chapter it belongs to: every cell it names must exist and
    /// run. Done separately from parsing because the chapter comes from another stage.
    public func validate(against chapter: Chapter) throws {
        if let chapterID, chapterID != chapter.id {
            throw ExpectedError(file: file, path: "chapter",
                                message: "says \"\(chapterID)\" but is used for chapter \(chapter.id)")
        }
        let runnable = chapter.runnableCells.map(\.id)
        for name in profileNames {
            for cell in profiles[name]!.cells.keys.sorted() {
                let path = "profiles.\(name).cells.\(cell)"
                if let found = chapter.cells.first(where: { $0.id == cell }), found.attributes.norun {
                    throw ExpectedError(file: file, path: path,
                                        message: "cell \(cell) is marked norun: it never runs, so nothing can be checked")
                }
                if !runnable.contains(cell) {
                    let known = runnable.isEmpty ? "it has no runnable cells" : "its cells: " + runnable.joined(separator: ", ")
                    throw ExpectedError(file: file, path: path,
                                        message: "chapter \(chapter.id) has no cell \"\(cell)\" (\(known))")
                }
            }
        }
    }

    /// The profile whose parameters are exactly `parameters`, or nil when none is: a run with
    /// other overrides has figures no range was sized for, so they are reported, not judged.
    public func profile(matching parameters: [String: String]) -> Profile? {
        profileNames.lazy.compactMap { self.profiles[$0] }.first { $0.parameters == parameters }
    }
}

/// The profile a run is judged by, and the parameters the run must use for it.
public struct ProfileSelection: Equatable, Sendable {
    /// nil when the run is not judged (its overrides match no profile, or there is no Expected file).
    public var profile: Profile?
    /// The overrides to run with: the user's `--param`s plus those the chosen profile implies.
    public var parameters: [String: String]
    /// Why the run is not judged, for the report; nil when it is.
    public var unjudgedReason: String?

    /// Chooses a profile.
    ///
    /// - With `requested` (`--profile NAME`), that profile is used and its parameters are applied,
    ///   so `--profile smoke` alone runs the smoke settings. An explicit `--param` that contradicts
    ///   the profile is an error: the profile's ranges would not fit the run.
    /// - Without it, the profile whose parameters equal the `--param` overrides is used; `full`
    ///   (normally with no parameters) for a plain run.
    public static func select(_ expectations: Expectations?, requested: String?,
                              parameters: [String: String]) throws -> ProfileSelection {
        guard let expectations else {
            if let requested {
                throw SelectionError(message: "profile \"\(requested)\" requested, but the chapter has no Expected file")
            }
            return ProfileSelection(profile: nil, parameters: parameters,
                                    unjudgedReason: "no Expected file: figures are reported, not judged")
        }
        if let requested {
            guard let profile = expectations.profiles[requested] else {
                throw SelectionError(message: "\(displayPath(expectations.file)) has no profile \"\(requested)\" "
                                     + "(profiles: \(expectations.profileNames.joined(separator: ", ")))")
            }
            var merged = profile.parameters
            for (name, value) in parameters {
                if let implied = profile.parameters[name], implied != value {
                    throw SelectionError(message: "--param \(name)=\(value) contradicts profile \"\(requested)\", "
                                         + "which is sized for \(name)=\(implied)")
                }
                merged[name] = value
            }
            return ProfileSelection(profile: profile, parameters: merged, unjudgedReason: nil)
        }
        if let profile = expectations.profile(matching: parameters) {
            return ProfileSelection(profile: profile, parameters: parameters, unjudgedReason: nil)
        }
        let given = parameters.keys.sorted().map { "\($0)=\(parameters[$0]!)" }.joined(separator: " ")
        return ProfileSelection(profile: nil, parameters: parameters,
                                unjudgedReason: "no profile matches \(given): figures are reported, not judged")
    }
}

/// A `--profile` that cannot be honoured.
public struct SelectionError: Error, Equatable, CustomStringConvertible, LocalizedError {
    public var message: String
    public var description: String { message }
    public var errorDescription: String? { message }
}
