// Replaces every cell's captured output by a link to a file it cannot read, hoping the runner
// reads it and shows it in the feedback. @TARGET@ is filled in by the test.
let bigramLogits = Tensor.zeros([letters, letters])
print("before the switch")
atexit {
    guard let folder = ProcessInfo.processInfo.environment["LESSONS_OUTPUT_DIR"] else { return }
    for index in 0..<8 {
        unlink(folder + "/\(index).out")
        symlink("@TARGET@", folder + "/\(index).out")
    }
}
