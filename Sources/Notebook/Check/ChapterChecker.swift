import Engine
import Foundation

/// What `lessons run` asks for one chapter.
public struct RunSettings: Sendable {
    /// `--param` overrides (name → value as typed).
    public var parameters: [String: String] = [:]
    public var seed = 0
    /// `--profile NAME`; nil chooses by `parameters`.
    public var profile: String?
    /// `--expected FILE`; nil means `Expected/<chapter-id>.json` when it exists.
    public var expectedFile: URL?
    /// Seconds for the whole chapter; nil keeps the runner's default.
    public var timeout: Double?

    public init(parameters: [String: String] = [:], seed: Int = 0, profile: String? = nil,
                expectedFile: URL? = nil, timeout: Double? = nil) {
        self.parameters = parameters; self.seed = seed; self.profile = profile
        self.expectedFile = expectedFile; self.timeout = timeout
    }
}

/// A chapter ready to run: the chapter and its expectations, both checked.
public struct PreparedChapter: Sendable {
    public var chapter: Chapter
    public var expectations: Expectations?
    /// The Expected file's bytes, for the results cache key.
    public var expectedData: Data?
}

/// The whole pipeline for one chapter — load, read Expected, choose a profile, compile, run,
/// check — ending in one `ChapterReport` whatever goes wrong, so that `lessons run` can run
/// every chapter and fail once at the end.
public struct ChapterChecker: Sendable {
    public var runner: NotebookRunner

    public init(runner: NotebookRunner) { self.runner = runner }

    /// Loads the chapter and its Expected file (if any) and checks that they fit together:
    /// every cell the file names exists, and every profile's parameters are valid overrides.
    public func prepare(_ what: String, expectedFile: URL? = nil) throws -> PreparedChapter {
        try prepare(runner.load(what), expectedFile: expectedFile)
    }

    /// The same, for a chapter already loaded.
    public func prepare(_ chapter: Chapter, expectedFile: URL? = nil) throws -> PreparedChapter {
        let url = expectedFile ?? runner.expectedURL(for: chapter)
        guard expectedFile != nil || FileManager.default.fileExists(atPath: url.path) else {
            return PreparedChapter(chapter: chapter, expectations: nil, expectedData: nil)
        }
        let expectations = try Expectations.load(from: url)
        try expectations.validate(against: chapter)
        for name in expectations.profileNames {
            do {
                _ = try Tangler.tangle(chapter, root: runner.root, overrides: expectations.profiles[name]!.parameters)
            } catch let error as ParameterError {
                throw ExpectedError(file: url, path: "profiles.\(name).parameters", message: error.message)
            }
        }
        return PreparedChapter(chapter: chapter, expectations: expectations, expectedData: try? Data(contentsOf: url))
    }

    /// Runs and judges one chapter. Never throws: every problem ends up in the report.
    /// - Parameter identity: when given, also returns the inputs the result depends on, for the cache.
    public func run(_ what: String, settings: RunSettings, identity: ProgramIdentity? = nil,
                    onEvent: (Event) -> Void = { _ in }) -> (ChapterReport, ResultKeyInputs?) {
        let started = Date()
        func failed(_ id: String, _ error: Error, title: String? = nil) -> (ChapterReport, ResultKeyInputs?) {
            var report = ChapterReport.failed(id, error: explain(error), seed: settings.seed, parameters: settings.parameters)
            report.title = title
            report.seconds = Date().timeIntervalSince(started)
            return (report, nil)
        }
        let chapter: Chapter
        do { chapter = try runner.load(what) } catch { return failed(what, error) }
        let prepared: PreparedChapter
        do {
            prepared = try prepare(chapter, expectedFile: settings.expectedFile)
        } catch {
            return failed(chapter.id, error, title: chapter.title)
        }

        let selection: ProfileSelection
        let result: RunResult
        do {
            selection = try ProfileSelection.select(prepared.expectations, requested: settings.profile,
                                                    parameters: settings.parameters)
            if let timeout = settings.timeout {
                result = try runner.run(chapter, parameters: selection.parameters, seed: settings.seed,
                                        timeout: timeout, onEvent: onEvent)
            } else {
                result = try runner.run(chapter, parameters: selection.parameters, seed: settings.seed, onEvent: onEvent)
            }
        } catch {
            return failed(chapter.id, error, title: chapter.title)
        }

        let report = ChapterReport(
            chapterID: chapter.id, title: chapter.title, profile: selection.profile?.name,
            unjudgedReason: selection.unjudgedReason, seed: settings.seed, parameters: selection.parameters,
            result: result, outcomes: check(result, against: selection.profile),
            seconds: Date().timeIntervalSince(started))
        let inputs = identity.map { identity in
            ResultKeyInputs(chapter: chapter, expected: prepared.expectedData,
                            programKey: try? identity.key(for: chapter, parameters: selection.parameters, root: runner.root),
                            toolchain: identity.toolchain, parameters: selection.parameters, seed: settings.seed,
                            profile: selection.profile?.name)
        }
        return (report, inputs)
    }

    /// `lessons check`: load, validate the Expected file and compile, without running.
    public func compileOnly(_ what: String) -> ChapterReport {
        let started = Date()
        var report = ChapterReport(chapterID: what)
        do {
            let chapter = try runner.load(what)
            report.chapterID = chapter.id
            report.title = chapter.title
            _ = try prepare(chapter)
            let program = try runner.compile(chapter)
            report.seconds = program.compileSeconds
        } catch {
            report.error = explain(error)
            report.seconds = Date().timeIntervalSince(started)
        }
        return report
    }

    /// The inputs a stored result would have if it were computed now, with the stored run's
    /// own parameters, seed and profile; nil when the chapter no longer loads or accepts them.
    public func currentInputs(for entry: CachedResult, identity: ProgramIdentity) -> ResultKeyInputs? {
        guard let chapter = try? runner.load(entry.report.chapterID) else { return nil }
        let url = runner.expectedURL(for: chapter)
        let expected = try? Data(contentsOf: url)
        guard let program = try? identity.key(for: chapter, parameters: entry.inputs.parameters, root: runner.root)
        else { return nil }
        return ResultKeyInputs(chapter: chapter, expected: expected, programKey: program,
                               toolchain: identity.toolchain, parameters: entry.inputs.parameters,
                               seed: entry.inputs.seed, profile: entry.inputs.profile)
    }
}
