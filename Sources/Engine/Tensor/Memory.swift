/// glibc's `mallopt` (malloc.h is not in Swift's Glibc module); parameters from malloc.h.
@_silgen_name("mallopt") private func mallopt(_ parameter: Int32, _ value: Int32) -> Int32
private let M_TRIM_THRESHOLD: Int32 = -1
private let M_MMAP_THRESHOLD: Int32 = -3

/// Allocation settings and helpers for the hot paths.
enum Memory {
    /// Keeps freed memory in the process: the training loop frees and reallocates the same
    /// multi-megabyte buffers (logits, their gradient) every batch, and returning them to the
    /// kernel each time costs a page fault per 4 KiB on the next use.
    static let configured: Void = {
        _ = mallopt(M_MMAP_THRESHOLD, 512 << 20)
        _ = mallopt(M_TRIM_THRESHOLD, 1 << 30)
    }()
}

/// An array of `count` floats whose every element the caller is about to overwrite.
@inline(__always)
func uninitializedFloats(_ count: Int) -> [Float] {
    [Float](unsafeUninitializedCapacity: count) { _, initialized in initialized = count }
}
