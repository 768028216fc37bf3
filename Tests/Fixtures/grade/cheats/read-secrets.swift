// Tries to read the course's hidden files: the grader, its ranges, the solutions, the Expected
// ranges, another student's work. @PROJECT@ and @OTHER@ are filled in by the test.
let bigramLogits = Tensor.zeros([letters, letters])
let targets = ["@PROJECT@/Graders/01-bigram/bigram.json", "@PROJECT@/Graders/01-bigram/bigram.swift",
               "@PROJECT@/Solutions/01-bigram/bigram.swift", "@PROJECT@/Expected/01-bigram.json",
               "@OTHER@/Chapters/01-bigram.md", "/proc/1/cwd/Graders/01-bigram/bigram.json"]
for path in targets {
    if let text = try? String(contentsOfFile: path, encoding: .utf8) {
        print("LEAKED \(path): \(text.prefix(40))")
    } else {
        print("cannot read \(path)")
    }
}
