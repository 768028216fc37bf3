import Foundation

/// What one run of one chapter asks for. Travels as a value from the command line to the
/// child program: nothing here reaches the chapter through the runner's own environment.
public struct RunSettings: Equatable, Sendable {
    /// Seconds a chapter may run when nothing else is said.
    public static let defaultTimeout: Double = 1800

    /// `--param` overrides (name → value as typed).
    public var parameters: [String: String]
    public var seed: Int
    /// `--profile NAME`; nil chooses by `parameters`.
    public var profile: String?
    /// `--expected FILE`; nil means the chapter's own `Expected/<chapter-id>.json`, if any.
    public var expectedFile: URL?
    /// Seconds for the whole chapter.
    public var timeout: Double
    /// `--data-dir`: where the chapter finds its datasets; nil keeps the child's inherited
    /// `LESSONS_DATA_DIR`, then the cache, then a download.
    public var dataDirectory: URL?

    // Grading (`lessons grade`): what runs, and how.

    /// Exercise cells whose code is replaced before tangling: exercise name → submitted code.
    public var replacements: [String: CellReplacement] = [:]
    /// When set, only these cells run (ids; the rest are skipped as if `norun`), then
    /// `appendedCells`. A partial run is never judged by the chapter's Expected file.
    public var onlyCells: [String]?
    /// Cells run after the chapter's own (e.g. the grader's harness).
    public var appendedCells: [Cell] = []
    /// Run the program as untrusted code: resource limits, and bubblewrap where it works.
    public var sandbox: Sandbox?

    public init(parameters: [String: String] = [:], seed: Int = 0, profile: String? = nil,
                expectedFile: URL? = nil, timeout: Double = RunSettings.defaultTimeout, dataDirectory: URL? = nil) {
        self.parameters = parameters; self.seed = seed; self.profile = profile
        self.expectedFile = expectedFile; self.timeout = timeout; self.dataDirectory = dataDirectory
    }
}
