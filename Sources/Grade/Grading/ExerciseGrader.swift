import ChapterRuntime
import Foundation
import Notebook

/// How `lessons grade` runs submissions.
public struct GradeSettings: Sendable {
    public var isolation: Sandbox.Isolation
    /// Caps every exercise's own time limit (seconds).
    public var timeout: Double?
    /// The datasets' folder (else `LESSONS_DATA_DIR`, else the cache).
    public var dataDirectory: URL?

    public init(isolation: Sandbox.Isolation, timeout: Double? = nil, dataDirectory: URL? = nil) {
        self.isolation = isolation; self.timeout = timeout; self.dataDirectory = dataDirectory
    }
}

/// The Grade stage: for one exercise, splices the submitted code into the exercise cell, runs
/// the cells it needs and the harness through the Pipeline under the sandbox, then hands the
/// artifact the run left to the exercise's grader program and turns its measurements into
/// points. Never throws: every problem ends up in the `ExerciseResult`.
public final class ExerciseGrader {
    public let pipeline: Pipeline
    public let settings: GradeSettings
    public let specs: [ExerciseSpec]
    private var graders: [String: Result<GraderProgram, ChapterFailure>] = [:]

    static let temporaryPrefix = "lessons-grade-"
    /// The harness cell's id and the file name its diagnostics carry.
    static let harnessID = "grading-harness"

    /// Reads every spec under `Graders/`; throws `SpecError` for a malformed one.
    public init(pipeline: Pipeline, settings: GradeSettings) throws {
        self.pipeline = pipeline
        self.settings = settings
        self.specs = try ExerciseSpec.all(in: pipeline.root.appendingPathComponent("Graders", isDirectory: true))
    }

    /// The exercises of a chapter, in file order.
    public func specs(forChapter id: String) -> [ExerciseSpec] { specs.filter { $0.chapterID == id } }

    /// The datasets' folder, for the sandbox and the grader alike.
    var dataFolder: URL? {
        settings.dataDirectory?.standardizedFileURL ?? Sandbox.dataFolder(in: ProcessInfo.processInfo.environment)
    }

    public func grade(_ spec: ExerciseSpec, submission: Submission, onEvent: (Event) -> Void = { _ in }) -> ExerciseResult {
        let started = Date()
        var result = ExerciseResult(chapterID: spec.chapterID, exercise: spec.exercise, title: spec.title, status: .graded,
                                    points: spec.points, score: 0, checks: [], problem: nil, gradingError: nil,
                                    file: nil, line: nil, notes: [], output: "", seconds: 0)
        func finish(_ measured: [GraderProgram.Measurement]?) -> ExerciseResult {
            result.checks = spec.checks.map { check in
                guard let measurement = measured?.first(where: { $0.check == check.id }) else {
                    let why = result.gradingError != nil ? "not graded: grading failed" : "not measured: " + (result.problem?.kind.replacingOccurrences(of: "protocolViolation", with: "runner protocol violated") ?? "no result")
                    return CheckResult(id: check.id, title: check.title, points: check.points, score: 0, value: nil, feedback: why)
                }
                return Self.judge(check, measurement)
            }
            result.score = GradeReport.rounded(result.checks.map(\.score).reduce(0, +))
            result.seconds = Date().timeIntervalSince(started)
            return result
        }
        func gradingFailed(_ message: String) -> ExerciseResult {
            result.status = .error
            result.gradingError = message
            return finish(nil)
        }
        func submissionFailed(_ problem: SubmissionProblem) -> ExerciseResult {
            result.status = .failed
            result.problem = problem
            if let file = problem.file { result.file = file; result.line = problem.line ?? result.line }
            return finish(nil)
        }

        // The chapter, and what the submission puts in its exercise cell.
        let chapter: Chapter
        do {
            chapter = try pipeline.library.load(spec.chapterID)
            try spec.validate(against: chapter)
        } catch {
            return gradingFailed(explain(ChapterFailure(error)))
        }
        let exerciseCell = chapter.cells.first { $0.attributes.exercise == spec.exercise }!
        result.file = displayPath(chapter.path)
        result.line = exerciseCell.line
        let replacement: CellReplacement?
        switch submission.code(for: spec, in: chapter, root: pipeline.root) {
        case .failure(let problem): return submissionFailed(problem)
        case .success(let found): replacement = found
        }
        if let replacement { result.file = replacement.file; result.line = replacement.line }
        let harness: String
        do { harness = try String(contentsOf: spec.harnessSource, encoding: .utf8) } catch {
            return gradingFailed("cannot read \(displayPath(spec.harnessSource))")
        }

        // Folders: the graded run may write only `student/`; the grader works in `grader/`.
        let temporary = FileManager.default.temporaryDirectory
        AbandonedFolders.sweep(in: temporary, prefix: Self.temporaryPrefix)
        let folder = temporary.appendingPathComponent(AbandonedFolders.name(Self.temporaryPrefix), isDirectory: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let student = folder.appendingPathComponent("student", isDirectory: true)
        let graderFolder = folder.appendingPathComponent("grader", isDirectory: true)
        do {
            try FileManager.default.createDirectory(at: student, withIntermediateDirectories: true)
            try FileManager.default.createDirectory(at: graderFolder, withIntermediateDirectories: true)
        } catch {
            return gradingFailed("cannot create \(folder.path): \(error.localizedDescription)")
        }
        let artifact = student.appendingPathComponent("artifact.lsn")
        let secret = UInt64.random(in: UInt64.min...UInt64.max)

        // The graded run.
        let timeout = min(spec.limits.seconds, settings.timeout ?? .infinity)
        var run = RunSettings(parameters: spec.parameters, seed: 0, timeout: timeout, dataDirectory: settings.dataDirectory)
        run.replacements = replacement.map { [spec.exercise: $0] } ?? [:]
        run.onlyCells = spec.cells + [exerciseCell.id]
        run.appendedCells = [Cell(id: Self.harnessID, index: 0, code: harness, line: 1,
                                  attributes: CellAttributes(hidden: true), sourceFile: Self.harnessID + ".swift")]
        run.sandbox = Sandbox(isolation: settings.isolation, limits: spec.limits.resourceLimits(timeout: timeout),
                              writable: [student],
                              environment: [GradingEnvironment.artifact: artifact.path, GradingEnvironment.secret: String(secret)])
        let report = pipeline.run(spec.chapterID, settings: run, cacheResult: false, onEvent: onEvent).report
        let cellResult = report.result?.cells.first { $0.id == exerciseCell.id }
        result.output = String((cellResult?.stdout ?? "").suffix(2000))
        if let metrics = cellResult?.metrics, !metrics.isEmpty {
            let shown = metrics.suffix(3).map { "\($0.name) \(formatFigure($0.value))" + ($0.epoch.map { " at epoch \($0)" } ?? "") }
            result.notes.append("figures your code reported itself (\(shown.joined(separator: ", "))) are not graded: "
                                + "every point comes from the grader's own measurement")
        }
        if let failure = report.failure {
            switch failure.kind {
            case .interrupted:
                return gradingFailed("interrupted")
            case .chapter, .expected, .parameter, .internalError:
                return gradingFailed(explain(failure))
            default:
                return submissionFailed(Self.problem(failure, replacement: replacement, fallback: (result.file, result.line)))
            }
        }

        // The grader, outside the sandbox, on a copy of the artifact.
        let graderArtifact = graderFolder.appendingPathComponent("artifact.lsn")
        // A regular file only: a symbolic link would make the grader read whatever it points at.
        let type = (try? FileManager.default.attributesOfItem(atPath: artifact.path))?[.type] as? FileAttributeType
        guard type == .typeRegular, let bytes = try? Data(contentsOf: artifact), (try? bytes.write(to: graderArtifact)) != nil else {
            return submissionFailed(SubmissionProblem(kind: "artifact", message: type == nil
                ? "your code ran, but left nothing for the grader to measure" : "the artifact is not a regular file",
                file: result.file, line: result.line))
        }
        do {
            let grader = try compiledGrader(spec)
            switch try grader.run(artifact: graderArtifact, secret: secret, folder: graderFolder, data: dataFolder) {
            case .artifactRefused(let why):
                return submissionFailed(SubmissionProblem(kind: "artifact", message: why, file: result.file, line: result.line))
            case .measured(let measurements):
                return finish(measurements)
            }
        } catch {
            return gradingFailed(explain(ChapterFailure(error)))
        }
    }

    private func compiledGrader(_ spec: ExerciseSpec) throws -> GraderProgram {
        if let cached = graders[spec.id] { return try cached.get() }
        let compiled = Result { try GraderProgram.compile(spec, root: pipeline.root, toolchain: pipeline.toolchain()) }
            .mapError { ChapterFailure($0) }
        graders[spec.id] = compiled
        return try compiled.get()
    }

    // MARK: - Feedback

    /// A measurement in points, with feedback that names the value and, unless the check is
    /// hidden, the ranges it was judged by.
    static func judge(_ check: CheckSpec, _ measurement: GraderProgram.Measurement) -> CheckResult {
        let score = check.score(measurement.value)
        var feedback = "\(check.measured): \(formatFigure(measurement.value))"
        if !check.hidden {
            let tiers = [(check.range, check.points)] + check.partial.map { ($0.range, $0.points) }
            feedback += " (" + tiers.map { "\(points($0.1)) for \(interval($0.0))" }.joined(separator: ", ") + ")"
        }
        if !measurement.note.isEmpty { feedback += "; " + measurement.note }
        return CheckResult(id: check.id, title: check.title, points: check.points, score: score,
                           value: measurement.value, feedback: feedback)
    }

    static func points(_ value: Double) -> String {
        let text = value == value.rounded() ? String(Int(value)) : formatFigure(value)
        return text + (value == 1 ? " point" : " points")
    }

    /// `≤ 250`, `≥ 0.21`, `[0.9, 1.1]`.
    static func interval(_ range: ClosedRange<Double>) -> String {
        if range.lowerBound == -.infinity { return "≤ " + formatFigure(range.upperBound) }
        if range.upperBound == .infinity { return "≥ " + formatFigure(range.lowerBound) }
        return "[\(formatFigure(range.lowerBound)), \(formatFigure(range.upperBound))]"
    }

    /// The run's failure as the student should read it: what happened, where in their file.
    static func problem(_ failure: ChapterFailure, replacement: CellReplacement?, fallback: (String?, Int?)) -> SubmissionProblem {
        switch failure.kind {
        case .compile:
            let file = replacement?.file ?? fallback.0 ?? ""
            let (text, line) = CompilerDiagnostics.forStudent(failure.message, studentFile: file)
            return SubmissionProblem(kind: "compile", message: "your code does not compile:\n" + text,
                                     file: fallback.0, line: line ?? fallback.1)
        case .protocolViolation:
            return SubmissionProblem(kind: "protocolViolation", message: "your code broke the runner protocol (\(failure.message)); "
                                     + "nothing it produced can be trusted, so nothing is graded", file: fallback.0, line: fallback.1)
        case .timeout, .limit:
            let message = failure.message.replacingOccurrences(of: "the chapter did not finish within", with: "your code did not finish within its time limit of")
                .replacingOccurrences(of: "'\(harnessID)'", with: "the grading harness")
            return SubmissionProblem(kind: failure.kind.rawValue, message: message, file: fallback.0, line: fallback.1)
        default:
            let inHarness = failure.cell == harnessID
            let message = failure.headline.replacingOccurrences(of: "'\(harnessID)'", with: "the grading harness (the code that calls yours)")
                + ": " + failure.message.replacingOccurrences(of: "'\(harnessID)'", with: "the grading harness")
            return SubmissionProblem(kind: failure.kind.rawValue, message: message,
                                     file: fallback.0, line: inHarness ? fallback.1 : (failure.line ?? fallback.1))
        }
    }
}
