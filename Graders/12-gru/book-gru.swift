// Recomputes the textbook GRU step on the same secret sizes, weights and inputs.
var generator = RandomGenerator(seed: Grading.secret)
let d = 4 + Int(generator.next() % 5), h = 3 + Int(generator.next() % 4)
let rows = 2 + Int(generator.next() % 3)
// ScratchGRU's order: W_xz, W_hz, b_z, W_xr, W_hr, b_r, W_xh, W_hh, b_h, W_hq, b_q.
let shapes = [[d, h], [h, h], [h], [d, h], [h, h], [h], [d, h], [h, h], [h], [h, d], [d]]
let p = shapes.map { shape in Tensor((0..<shape.reduce(1, *)).map { _ in 0.8 * generator.nextNormal() }, shape: shape, requiresGrad: true) }
let x = Tensor((0..<(rows * d)).map { _ in generator.nextNormal() }, shape: [rows, d])
let state = Tensor((0..<(rows * h)).map { _ in generator.nextNormal() }, shape: [rows, h], requiresGrad: true)
let weights = (0..<(rows * h)).map { _ in generator.nextNormal() }

let update = sigmoid(x.matmul(p[0]) + state.matmul(p[1]) + p[2])
let reset = sigmoid(x.matmul(p[3]) + state.matmul(p[4]) + p[5])
let book = update * state + (1 - update) * tanh(x.matmul(p[6]) + (reset * state).matmul(p[7]) + p[8])
let source = withNoGrad { update * state + (1 - update) * tanh(x.matmul(p[6]) + reset * state.matmul(p[7]) + p[8]) }
(book * Tensor(weights, shape: book.shape)).sum().backward()

let theirs = Grading.tensor("state")
var note = Grading.describeDifference(theirs, book, what: "the new state")
if Grading.relativeDifference(theirs, source) < 1e-5 { note = "this is the source's form, R ⊙ (H W_hh): apply the reset gate before the product" }
Grading.measure("state", Grading.relativeDifference(theirs, book), note)

let names = ["W_xz", "W_hz", "b_z", "W_xr", "W_hr", "b_r", "W_xh", "W_hh", "b_h"]
var worst = Grading.relativeDifference(Grading.artifact["gradient.h"], state.grad!)
var worstNote = Grading.artifact["gradient.h"] == nil ? "no gradient reached the state h" : Grading.describeDifference(Grading.artifact["gradient.h"], state.grad!, what: "the gradient of h")
for (i, name) in names.enumerated() {
    let gap = Grading.relativeDifference(Grading.artifact["gradient.\(i)"], p[i].grad!)
    if gap > worst || (gap.isInfinite && worst.isFinite) {
        worst = gap
        worstNote = Grading.artifact["gradient.\(i)"] == nil ? "no gradient reached \(name)"
                                                           : Grading.describeDifference(Grading.artifact["gradient.\(i)"], p[i].grad!, what: "the gradient of \(name)")
    }
}
if worst <= 1e-3 { worstNote = "every gradient matches" }
Grading.measure("gradients", worst, worstNote)
