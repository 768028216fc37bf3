import ChapterRuntime
import Foundation

/// The graded program's end of the grading channel, used by the harness `lessons grade` appends
/// after an exercise cell: the secret the function contract is called with, and where the
/// artifact goes. Outside grading (`lessons run`) there is no secret and nothing is written.
///
/// Nothing here is trusted: the graded code runs in the same process and could write any
/// artifact it likes. Grades come from the grader, which recomputes what the artifact should
/// hold from the secret, or measures the model it holds on its own data.
public enum GradingArtifact {
    /// The run's secret when graded, else nil.
    public static var secret: UInt64? {
        ProcessInfo.processInfo.environment[GradingEnvironment.secret].flatMap { UInt64($0) }
    }

    /// Leaves `archive` for the grader; does nothing outside grading.
    public static func leave(_ archive: TensorArchive) throws {
        guard let path = ProcessInfo.processInfo.environment[GradingEnvironment.artifact], !path.isEmpty else { return }
        try archive.write(to: URL(fileURLWithPath: path))
    }
}
