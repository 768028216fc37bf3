/// glibc's `mallopt` (malloc.h is not in Swift's Glibc module); parameters from malloc.h.
@_silgen_name("mallopt") private func mallopt(_ parameter: Int32, _ value: Int32) -> Int32
private let M_TRIM_THRESHOLD: Int32 = -1
private let M_MMAP_THRESHOLD: Int32 = -3

/// Tunes glibc's allocator for training; call it once at start-up, before the first tensor.
///
/// The training loop frees and reallocates the same multi-megabyte buffers (logits, their
/// gradient, the layers' tapes) every batch. By default glibc hands blocks that large to the
/// kernel on free and maps them afresh on the next allocation, which costs a page fault per
/// 4 KiB on first use. These two settings keep them in the process: blocks under 512 MiB come
/// from the heap, and the heap is trimmed only when 1 GiB at its top is free. The price is that
/// peak memory stays reserved until the process ends. Returns whether glibc accepted both.
@discardableResult
public func configureAllocator() -> Bool {
    let mmapSet = mallopt(M_MMAP_THRESHOLD, 512 << 20) == 1
    let trimSet = mallopt(M_TRIM_THRESHOLD, 1 << 30) == 1
    return mmapSet && trimSet
}

/// An array of `count` floats whose every element the caller is about to overwrite.
@inline(__always)
func uninitializedFloats(_ count: Int) -> [Float] {
    [Float](unsafeUninitializedCapacity: count) { _, initialized in initialized = count }
}
