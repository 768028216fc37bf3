// Tries to write outside the folder it was given. @PROJECT@ and @MARKER@ are filled in by the test.
let bigramLogits = Tensor.zeros([letters, letters])
for path in ["@PROJECT@/Chapters/01-bigram.md", "@PROJECT@/pwned-@MARKER@.txt", "/tmp/pwned-@MARKER@.txt", "/var/tmp/pwned-@MARKER@.txt"] {
    let written = (try? "pwned\n".write(toFile: path, atomically: false, encoding: .utf8)) != nil
    print(written ? "WROTE \(path)" : "cannot write \(path)")
}
