// Appends a forged metric to the events file named in its environment.
let bigramLogits = Tensor.zeros([letters, letters])
if let path = ProcessInfo.processInfo.environment["LESSONS_EVENTS"], let handle = FileHandle(forWritingAtPath: path) {
    handle.seekToEndOfFile()
    handle.write(Data((#"{"cell":"bigram","event":"metric","name":"perplexity","value":1}"# + "\n").utf8))
    print("appended a forged metric to \(path)")
}
