// Rebuilds the filler and measures its accuracy on the held-out windows of the whole file.
let lyrics = try Corpus.jayChouLyrics(maxCharacters: nil)
let vocab = lyrics.vocab.count
let mask = vocab, inputSize = vocab + 1
let radius = 5, windowLength = 2 * radius + 1
guard Grading.number("radius") == Double(radius) else { Grading.refuse("the windows must keep radius = \(radius)") }

let hidden = Grading.number("hidden"), layers = Grading.number("layers")
guard hidden >= 1, hidden <= 1024, hidden == hidden.rounded(), layers == 1 else {
    Grading.refuse("the filler's GRU must have one layer of at most 1024 units (it has \(layers) of \(hidden))")
}
let bidirectional = Grading.number("bidirectional") == 1
let layer = GRU(inputSize: inputSize, hiddenSize: Int(hidden), bidirectional: bidirectional)
let output = Linear(Int(hidden) * layer.directions, vocab)
do { try Grading.artifact.load(into: layer.parameters + output.parameters, prefix: "filler") } catch {
    Grading.refuse("the saved parameters do not fit a Filler: \(error)")
}

let split = lyrics.count * 9 / 10
var inputs: [[Int]] = [], targets: [Int] = []
for start in split...(lyrics.count - windowLength) {
    var window = Array(lyrics.indices[start..<(start + windowLength)])
    targets.append(window[radius])
    window[radius] = mask
    inputs.append(window)
}
let guesses = withNoGrad { output(layer(oneHotSequence(inputs, inputSize)).output[radius]).argmax() }
let accuracy = Double(zip(guesses, targets).filter { $0 == $1 }.count) / Double(targets.count)
Grading.measure("accuracy", accuracy, "measured by the grader on \(targets.count) held-out windows")
Grading.measure("both-sides", bidirectional ? 1 : 0, bidirectional ? "a bidirectional GRU" : "a one-directional GRU sees only the left side")
