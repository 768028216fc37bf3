func squash(_ x: Tensor) -> Tensor {
    x * sigmoid(x)
}
