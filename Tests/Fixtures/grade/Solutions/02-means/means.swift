func columnMeans(_ x: Tensor) -> Tensor {
    x.mean(axis: 0)
}
