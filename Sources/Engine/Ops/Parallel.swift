import Foundation
import Synchronization

/// Splits work over the machine's two cores: the calling thread runs part 0 and one worker
/// thread, started once and kept, runs part 1. Each part runs single-threaded kernels on its own
/// share of the rows, so the parts meet only where `run` returns, not at every small product: a
/// recurrent layer gives each part half of the batch for all its steps and layers.
///
/// The worker spins for a while after each job (in training the next one follows within
/// microseconds) and then sleeps; the caller spins, then yields, while it waits for the worker.
enum Parallel {
    /// How many parts `run` splits into: 2 with two cores or more, else 1.
    static let parts = ProcessInfo.processInfo.activeProcessorCount >= 2 ? 2 : 1

    /// Runs `body(0)` on this thread and, with two parts, `body(1)` on the worker; returns when
    /// both are done. Not reentrant: a body must not call `run` (give it the part instead).
    static func run(_ body: (_ part: Int) -> Void) {
        guard parts > 1 else { body(0); return }
        precondition(!isRunning, "Parallel.run called from inside a parallel body")
        isRunning = true
        defer { isRunning = false }
        withoutActuallyEscaping(body) { body in
            let worker = Worker.shared
            worker.job = body
            let generation = worker.generation.add(1, ordering: .sequentiallyConsistent).newValue
            if worker.isSleeping.load(ordering: .sequentiallyConsistent) { worker.wake.signal() }
            body(0)
            let waitStart = PhaseLog.isRecording ? DispatchTime.now().uptimeNanoseconds : 0
            var spins = 0
            while worker.finished.load(ordering: .acquiring) != generation {
                spins += 1
                if spins > 2_000 { sched_yield() }   // the worker was descheduled: give way
            }
            worker.job = nil
            if PhaseLog.isRecording { PhaseLog.addWaiting(nanoseconds: DispatchTime.now().uptimeNanoseconds - waitStart) }
        }
    }

    nonisolated(unsafe) private static var isRunning = false

    /// Runs `body(part, range)` over 0..<count split into contiguous ranges, one per core, or
    /// whole on this thread when `count` is below `grain` (too little work to hand over).
    /// Inner boundaries fall on multiples of `alignment`.
    static func forEachShare(of count: Int, grain: Int, alignment: Int = 16,
                             _ body: (_ part: Int, _ range: Range<Int>) -> Void) {
        guard parts > 1, count >= grain else { body(0, 0..<count); return }
        run { part in body(part, share(of: count, part: part, alignment: alignment)) }
    }

    /// Splits 0..<count into `Parallel.parts` contiguous ranges, part `part`'s range; with
    /// `alignment`, inner boundaries fall on its multiples (16 floats is one AVX-512 register).
    static func share(of count: Int, part: Int, parts: Int = Parallel.parts, alignment: Int = 1) -> Range<Int> {
        func boundary(_ p: Int) -> Int {
            if p == 0 { return 0 }
            if p == parts { return count }
            let even = count * p / parts
            return Swift.min(count, (even + alignment / 2) / alignment * alignment)
        }
        return boundary(part)..<boundary(part + 1)
    }
}

/// The worker thread: waits for a new generation, runs part 1 of the job, marks it finished.
private final class Worker: @unchecked Sendable {
    static let shared: Worker = {
        let worker = Worker()
        let thread = Thread { worker.loop() }
        thread.name = "Engine worker"
        thread.start()
        return worker
    }()

    let generation = Atomic<Int>(0)
    let finished = Atomic<Int>(0)
    let isSleeping = Atomic<Bool>(false)
    let wake = DispatchSemaphore(value: 0)
    /// Written by the caller before it bumps `generation`, read by the worker after it sees the bump.
    var job: ((Int) -> Void)?

    /// How long the worker spins before it sleeps: a few hundred microseconds covers the serial
    /// work between two parallel sections of a training step; waking from sleep costs tens.
    private let spinNanoseconds: UInt64 = 300_000

    private func loop() {
        useSingleThreadedProducts()
        var seen = 0
        while true {
            var spins = 0
            var spinStart = DispatchTime.now().uptimeNanoseconds
            while generation.load(ordering: .acquiring) == seen {
                spins += 1
                guard spins % 256 == 0 else { continue }
                guard DispatchTime.now().uptimeNanoseconds - spinStart > spinNanoseconds else { continue }
                // Sleep; the caller signals `wake` when it sees `isSleeping`, and we look once
                // more after saying so, so a job published meanwhile is not missed.
                isSleeping.store(true, ordering: .sequentiallyConsistent)
                if generation.load(ordering: .sequentiallyConsistent) == seen { wake.wait() }
                isSleeping.store(false, ordering: .sequentiallyConsistent)
                spinStart = DispatchTime.now().uptimeNanoseconds
            }
            seen = generation.load(ordering: .acquiring)
            job!(1)
            finished.store(seen, ordering: .releasing)
        }
    }
}
