/// The top of every grader program: the API a `Graders/<chapter>/<exercise>.swift` file uses.
/// Compiled with the grader's code into a program of its own, which runs after the graded
/// program has ended and outside its sandbox; the graded code never links or sees it.
///
///     let logits = Grading.tensor("logits")                 // from the artifact
///     Grading.measure("logits", Grading.difference(logits, reference),
///                     Grading.describeDifference(logits, reference, what: "logits"))
///
/// `Grading.measure` writes one JSON line per check to the results file; `lessons grade`
/// turns each value into points with the ranges of `<exercise>.json`.
enum GraderPrelude {
    static let source = #"""
    import ChapterRuntime
    import Engine
    import Foundation

    enum Grading {
        static let environment = ProcessInfo.processInfo.environment

        /// The run's secret: the seed of the inputs the graded code was called on.
        static let secret: UInt64 = environment[GradingEnvironment.secret].flatMap { UInt64($0) } ?? 0

        private static let results: FileHandle? = {
            guard let path = environment[GradingEnvironment.results] else { return nil }
            FileManager.default.createFile(atPath: path, contents: nil)
            return FileHandle(forWritingAtPath: path)
        }()

        /// What the graded code left behind. A missing or malformed artifact is the submission's
        /// fault, not the grader's: it is reported as such, and the grader stops.
        static let artifact: TensorArchive = {
            let path = environment[GradingEnvironment.artifact] ?? ""
            do { return try TensorArchive.read(from: URL(fileURLWithPath: path), maximumBytes: 1 << 30) } catch {
                refuse("the artifact your code left cannot be read: \(error)")
            }
        }()

        /// Ends grading with a message about the artifact: every check scores nothing.
        static func refuse(_ why: String) -> Never {
            write(["artifactError": why])
            exit(0)
        }

        /// The measured value of one check, with a note for the student (what was measured, and
        /// how it compares; never the reference values themselves unless they are harmless).
        static func measure(_ check: String, _ value: Double, _ note: String = "") {
            let encoded: Any
            if value.isNaN { encoded = "nan" } else if value.isInfinite { encoded = value > 0 ? "inf" : "-inf" } else { encoded = value }
            write(["check": check, "value": encoded, "note": note])
        }

        private static func write(_ object: [String: Any]) {
            guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]) else { return }
            results?.write(data + Data([0x0A]))
        }

        /// A tensor the artifact must hold; its absence ends grading.
        static func tensor(_ name: String) -> Tensor {
            guard let found = artifact[name] else { refuse("your code left no tensor named '\(name)'") }
            return found
        }

        /// A number the artifact must hold; its absence ends grading.
        static func number(_ name: String) -> Double {
            guard let found = artifact.numbers[name] else { refuse("your code left no number named '\(name)'") }
            return found
        }

        /// The largest |student − reference| over the entries; +infinity when the shapes differ,
        /// the student's tensor is missing, or any value is NaN.
        static func difference(_ student: Tensor?, _ reference: Tensor) -> Double {
            guard let student, student.shape == reference.shape else { return .infinity }
            var largest = 0.0
            for (a, b) in zip(student.data, reference.data) {
                let gap = Double(abs(a - b))
                if gap.isNaN { return .infinity }
                largest = max(largest, gap)
            }
            return largest
        }

        /// Like `difference`, divided by the reference's largest magnitude (when it is not zero),
        /// so one tolerance fits logits of size 10 and gradients of size 0.001 alike.
        static func relativeDifference(_ student: Tensor?, _ reference: Tensor) -> Double {
            let scale = Double(reference.data.map { abs($0) }.max() ?? 0)
            return difference(student, reference) / (scale > 0 ? scale : 1)
        }

        /// A note for a comparison: the shapes when they differ, else the largest gap and where.
        static func describeDifference(_ student: Tensor?, _ reference: Tensor, what: String) -> String {
            guard let student else { return "\(what): missing" }
            guard student.shape == reference.shape else {
                return "\(what) has shape \(student.shape) where \(reference.shape) was expected"
            }
            var worst = 0, largest: Float = -1
            for i in student.data.indices {
                let gap = abs(student.data[i] - reference.data[i])
                if gap.isNaN { return "\(what) holds NaN at entry \(i)" }
                if gap > largest { largest = gap; worst = i }
            }
            return String(format: "%@: largest difference %.3g, at entry %d", what, Double(largest), worst)
        }
    }

    """#
}
