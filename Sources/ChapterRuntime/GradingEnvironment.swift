import Foundation

/// How `lessons grade` hands files to a graded chapter program and to the grader program that
/// judges it. This channel runs one way: the graded program only writes its artifact; the
/// grader, a separate process started after the graded one has ended, reads it and writes the
/// results, in a folder the graded program was never given.
public enum GradingEnvironment {
    /// Where the graded program's harness leaves its artifact (a `TensorArchive`).
    public static let artifact = "LESSONS_GRADE_ARTIFACT"
    /// The run's secret, a decimal UInt64: the seed of the inputs a function contract is called
    /// on, drawn afresh for every run, so that no answer can be prepared in advance.
    public static let secret = "LESSONS_GRADE_SECRET"
    /// Where the grader program writes its measurements (never given to the graded program).
    public static let results = "LESSONS_GRADE_RESULTS"
}
