import ChapterRuntime
import Foundation

// The chapter pipeline, stage by stage, run from this one file. Each stage is a folder that
// depends only on the folders above it in this list, and each can be used and tested alone:
//
//   Model     the values stages hand each other: Chapter, RunSettings, RunResult, ChapterFailure
//   Load      ChapterLibrary.resolve, ChapterLoader      what the user typed → Chapter
//   Tangle    Tangler.tangle                             Chapter + parameters → TangledProgram
//   Build     Toolchain.locate, ProgramBuilder.compile   TangledProgram → CompiledProgram
//   Execute   ProgramExecutor.execute                    CompiledProgram → RunResult
//   Check     Expectations, ProfileSelection, check      RunResult + Expected file → [CheckOutcome]
//   Report    ChapterReport, TextReport, JSON, JUnit     everything → one value, and its views
//   Cache     ResultKeyInputs, ResultsCache              ChapterReport → .lessons/results
//
// `Pipeline` is the one place the commands — and Render and Grade — call into. It tangles a
// chapter once, locates and fingerprints the Engine build once per process, and ties every
// stored result to the one program key (`ProgramBuilder.key(for:)`).

/// A chapter with everything read from disk that a run needs.
public struct LoadedChapter: Sendable {
    public var chapter: Chapter
    /// The project the chapter belongs to (its Expected file is that project's), if any.
    public var project: URL?
    /// The Expected file in force, if any, parsed and checked against the chapter.
    public var expectations: Expectations?
    /// Its bytes, for the results cache key.
    public var expectedData: Data?
}

/// A finished run of one chapter.
public struct ChapterRun: Sendable {
    public var report: ChapterReport
    /// What the result depends on; nil when the chapter never got as far as tangling.
    public var inputs: ResultKeyInputs?
    /// Problems that did not change the verdict (e.g. the result could not be cached).
    public var warnings: [String] = []
}

/// Loads, runs, judges and stores chapters of the project at `root`.
public final class Pipeline: @unchecked Sendable {
    public let root: URL
    public let library: ChapterLibrary
    public let cache: ResultsCache
    private let buildDirectory: URL?
    private let lock = NSLock()
    private var located: Result<Toolchain, Error>?

    /// - Parameter buildDirectory: the Engine build chapters link against; nil means the one the
    ///   running executable belongs to.
    public init(root: URL, buildDirectory: URL? = nil) {
        self.root = root.standardizedFileURL
        self.library = ChapterLibrary(root: root)
        self.cache = ResultsCache(root: root)
        self.buildDirectory = buildDirectory
    }

    /// The project holding the current directory (see `ChapterLibrary.findRoot`).
    public static func forCurrentDirectory() throws -> Pipeline {
        Pipeline(root: try ChapterLibrary.findRoot())
    }

    /// The compiler and Engine build, found and fingerprinted on first use, then reused.
    public func toolchain() throws -> Toolchain {
        lock.lock(); defer { lock.unlock() }
        if located == nil { located = Result { try Toolchain.locate(buildDirectory: buildDirectory) } }
        return try located!.get()
    }

    // MARK: - Stages

    /// Load: the chapter (`12-gru`, `12`, `gru`, or a path to a `.md` file) and its Expected
    /// file — `expectedFile`, else `Expected/<id>.json` of the chapter's own project — parsed
    /// and checked against it: every cell it names exists, every profile's parameters are
    /// valid overrides. Throws `ChapterFailure` (`.chapter`, `.expected`).
    public func load(_ what: String, expectedFile: URL? = nil) throws -> LoadedChapter {
        try attachExpectations(to: loadChapter(what), expectedFile: expectedFile)
    }

    private func loadChapter(_ what: String) throws -> Chapter {
        do { return try library.load(what) } catch { throw ChapterFailure(error) }
    }

    private func attachExpectations(to chapter: Chapter, expectedFile: URL?) throws -> LoadedChapter {
        let project = library.isOwnChapter(chapter.path) ? root : ChapterLibrary.project(of: chapter.path)
        let url = expectedFile ?? project.map { ChapterLibrary(root: $0).expectedURL(forChapterID: chapter.id) }
        guard let url, expectedFile != nil || FileManager.default.fileExists(atPath: url.path) else {
            return LoadedChapter(chapter: chapter, project: project)
        }
        do {
            let expectations = try Expectations.load(from: url)
            try expectations.validate(against: chapter)
            for name in expectations.profileNames {
                do {
                    _ = try Tangler.resolve(chapter, overrides: expectations.profiles[name]!.parameters)
                } catch let error as ParameterError {
                    throw ExpectedError(file: url, path: "profiles.\(name).parameters", message: error.message)
                }
            }
            return LoadedChapter(chapter: chapter, project: project, expectations: expectations,
                                 expectedData: try? Data(contentsOf: url))
        } catch {
            throw ChapterFailure(error)
        }
    }

    /// The whole pipeline for one chapter — load, choose a profile, tangle, build, execute,
    /// check, report, cache — ending in one `ChapterReport` whatever goes wrong, so that a
    /// command can run every chapter and fail once at the end. Never throws.
    /// - Parameter cacheResult: store the result under `.lessons/results` (the project's own
    ///   chapters only: one given by path could share an id with one of them).
    public func run(_ what: String, settings: RunSettings, cacheResult: Bool = true,
                    onEvent: (Event) -> Void = { _ in }) -> ChapterRun {
        let started = Date()
        var report = ChapterReport(chapterID: what, seed: settings.seed, parameters: settings.parameters)
        func stopped(_ error: Error) -> ChapterRun {
            report.error = ChapterFailure(error)
            report.seconds = Date().timeIntervalSince(started)
            return ChapterRun(report: report, inputs: nil)
        }

        let chapter: Chapter
        do {
            chapter = try loadChapter(what).prepared(replacements: settings.replacements, onlyCells: settings.onlyCells,
                                                     appended: settings.appendedCells)
        } catch { return stopped(error) }
        report.chapterID = chapter.id
        report.title = chapter.title
        let loaded: LoadedChapter
        if settings.onlyCells != nil {
            // Part of a chapter (grading): its Expected ranges are sized for the whole.
            loaded = LoadedChapter(chapter: chapter, project: nil)
        } else {
            do { loaded = try attachExpectations(to: chapter, expectedFile: settings.expectedFile) } catch { return stopped(error) }
        }

        let selection: ProfileSelection
        let tangled: TangledProgram
        let toolchain: Toolchain
        do {
            selection = try ProfileSelection.select(loaded.expectations, for: chapter, requested: settings.profile,
                                                    parameters: settings.parameters)
            report.profile = selection.profile?.name
            report.unjudgedReason = selection.unjudgedReason
            report.parameters = selection.parameters
            tangled = try Tangler.tangle(chapter, root: root, overrides: selection.parameters)
            toolchain = try self.toolchain()
        } catch {
            return stopped(error)
        }

        let builder = ProgramBuilder(root: root, toolchain: toolchain)
        var runSettings = settings
        runSettings.parameters = selection.parameters
        // The sandbox must let the program load the toolchain's runtime libraries.
        runSettings.sandbox?.readable.append(toolchain.runtimeRoot)
        let result: RunResult
        do {
            let program = try builder.compile(tangled, chapter: chapter)
            result = ProgramExecutor(root: root).execute(program, chapter: chapter, settings: runSettings, onEvent: onEvent)
        } catch {
            result = RunResult(chapterID: chapter.id, seed: settings.seed, parameters: selection.parameters,
                               compileSeconds: 0, cells: chapter.cells.map(CellResult.unstarted), failure: ChapterFailure(error))
        }

        report.result = result
        // A run no profile fits is judged by the checks that hold for any parameters, and its
        // figures are shown unjudged.
        report.outcomes = check(result, against: selection.judgedBy)
            + (selection.profile == nil ? check(result, against: nil) : [])
        report.seconds = Date().timeIntervalSince(started)

        let inputs = ResultKeyInputs(chapter: chapter, expected: loaded.expectedData, programKey: builder.key(for: tangled),
                                     toolchain: toolchain.version, parameters: selection.parameters,
                                     seed: settings.seed, profile: selection.profile?.name)
        var run = ChapterRun(report: report, inputs: inputs)
        if cacheResult && library.isOwnChapter(chapter.path) && result.failure?.kind != .interrupted {
            do { try cache.store(report, inputs: inputs) } catch {
                run.warnings.append("the result of \(chapter.id) was not cached: \(explain(error))")
            }
        }
        return run
    }

    /// `lessons check`: load, validate the Expected file, tangle and compile, without running.
    public func compileOnly(_ what: String) -> ChapterReport {
        let started = Date()
        var report = ChapterReport(chapterID: what)
        do {
            let chapter = try loadChapter(what)
            report.chapterID = chapter.id
            report.title = chapter.title
            let loaded = try attachExpectations(to: chapter, expectedFile: nil)
            let tangled = try Tangler.tangle(loaded.chapter, root: root)
            let program = try ProgramBuilder(root: root, toolchain: toolchain()).compile(tangled, chapter: loaded.chapter)
            report.seconds = program.compileSeconds
        } catch {
            report.error = ChapterFailure(error)
            report.seconds = Date().timeIntervalSince(started)
        }
        return report
    }

    // MARK: - Stored results

    /// The chapter's stored results (`full` first, then the newest), each with whether it still
    /// holds: what Render shows and `lessons list` summarises.
    public func storedResults(for chapterID: String) -> [ResultStatus] {
        cache.entries(for: chapterID).map { ResultsCache.status(of: $0, current: currentInputs(for: $0)) }
    }

    /// The stored result people mean by "the chapter's last result": `full` if stored, else the newest.
    public func lastResult(for chapterID: String) -> ResultStatus {
        storedResults(for: chapterID).first ?? .never
    }

    /// The inputs a stored result would have if it were computed now, with the stored run's own
    /// parameters, seed and profile; nil when the chapter no longer loads or accepts them.
    private func currentInputs(for entry: CachedResult) -> ResultKeyInputs? {
        guard let loaded = try? load(entry.report.chapterID),
              let tangled = try? Tangler.tangle(loaded.chapter, root: root, overrides: entry.inputs.parameters),
              let toolchain = try? toolchain() else { return nil }
        return ResultKeyInputs(chapter: loaded.chapter, expected: loaded.expectedData,
                               programKey: ProgramBuilder(root: root, toolchain: toolchain).key(for: tangled),
                               toolchain: toolchain.version, parameters: entry.inputs.parameters,
                               seed: entry.inputs.seed, profile: entry.inputs.profile)
    }
}

extension ChapterFailure {
    /// Any error a stage throws, as the typed failure reports carry: the kind, and the file
    /// and line when the error knows them.
    public init(_ error: Error) {
        switch error {
        case let failure as ChapterFailure:
            self = failure
        case let error as ChapterError:
            self.init(kind: .chapter, file: error.file, line: error.line, message: error.message)
        case let error as LibraryError:
            self.init(kind: .chapter, message: error.message)
        case let error as ExpectedError:
            self.init(kind: .expected, file: displayPath(error.file),
                      message: (error.path.map { $0 + ": " } ?? "") + error.message)
        case let error as ParameterError:
            self.init(kind: .parameter, message: error.message)
        case let error as SelectionError:
            self.init(kind: .parameter, message: error.message)
        default:
            self.init(kind: .internalError, message: explain(error))
        }
    }
}
