import Foundation

/// What running a chapter produced: the Execute stage's output, the input of checking and reporting.
public struct RunResult: Codable, Equatable, Sendable {
    public var chapterID: String
    public var seed: Int
    /// `--param` overrides in force (empty for the chapter's own values).
    public var parameters: [String: String]
    /// Seconds spent compiling (0 when a cached program was reused).
    public var compileSeconds: Double
    public var cells: [CellResult]
    /// Set when the run as a whole failed (compile error, crash, timeout); names the cell if known.
    public var failure: ChapterFailure?

    public init(chapterID: String, seed: Int, parameters: [String: String], compileSeconds: Double,
                cells: [CellResult], failure: ChapterFailure?) {
        self.chapterID = chapterID; self.seed = seed; self.parameters = parameters
        self.compileSeconds = compileSeconds; self.cells = cells; self.failure = failure
    }
}

public struct CellResult: Codable, Equatable, Sendable {
    public enum Status: String, Codable, Sendable { case passed, failed, skipped, notRun }
    public var id: String
    public var status: Status
    public var seconds: Double
    /// What the cell printed (at most `CapturedOutput.limit` bytes of each stream are kept;
    /// a longer output keeps its beginning and end around a line saying how much was left out).
    public var stdout: String
    public var stderr: String
    /// Every metric the cell reported, in order.
    public var metrics: [Metric]

    public init(id: String, status: Status, seconds: Double, stdout: String, stderr: String, metrics: [Metric]) {
        self.id = id; self.status = status; self.seconds = seconds
        self.stdout = stdout; self.stderr = stderr; self.metrics = metrics
    }
}

/// A figure reported through `Report.metric`.
public struct Metric: Codable, Equatable, Sendable {
    public var name: String
    /// The epoch it belongs to, if any.
    public var epoch: Int?
    public var value: Double
    public init(name: String, epoch: Int?, value: Double) { self.name = name; self.epoch = epoch; self.value = value }
}
