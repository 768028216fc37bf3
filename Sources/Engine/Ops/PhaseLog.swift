import Dispatch

/// Where training time goes, for `lessons bench --breakdown`: how long the thread that drives
/// training spends in each phase below, and the matrix-product FLOPs done inside it (on both
/// cores), so that each phase's GFLOP/s can sit beside the products' speed alone. What no phase
/// covers (gate math of the scratch models, loss, clipping, the optimizer, copies) is the rest.
/// Separately, and overlapping the phases, it adds up how long that thread waited for the other
/// core at the end of parallel sections.
///
/// Recorded only while `isRecording`; a phase entered inside another counts as the outer one.
/// Its counters are touched by the driving thread alone (the one that calls `Parallel.run`).
public enum PhaseLog {
    public enum Phase: Int, CaseIterable, Sendable {
        /// The fused recurrent layers' passes over the steps, forward and backward, both cores.
        case recurrentPasses
        /// The fused layers' weight-gradient products, each a sum over all T·B rows.
        case weightGradients
        /// Every other matrix product: the scratch models' and output layers' (and their gradients).
        case otherProducts
    }

    public struct Totals: Sendable {
        public var seconds = [Double](repeating: 0, count: Phase.allCases.count)
        public var flops = [Double](repeating: 0, count: Phase.allCases.count)
        public var waitingSeconds = 0.0
    }

    nonisolated(unsafe) public static var isRecording = false
    nonisolated(unsafe) public private(set) static var totals = Totals()
    nonisolated(unsafe) private static var inPhase = false

    public static func reset() { totals = Totals() }

    /// Runs `body` as part of `phase`; its FLOPs are `flops` when given (a product that logged
    /// itself before it began), else whatever `MatmulLog` counts meanwhile.
    @inline(__always)
    static func measure<Result>(_ phase: Phase, flops: Double? = nil, _ body: () -> Result) -> Result {
        guard isRecording, !inPhase else { return body() }
        inPhase = true
        defer { inPhase = false }
        let (start, flopsBefore) = (DispatchTime.now().uptimeNanoseconds, flops == nil ? MatmulLog.flops : 0)
        let result = body()
        totals.seconds[phase.rawValue] += Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        totals.flops[phase.rawValue] += flops ?? (MatmulLog.flops - flopsBefore)
        return result
    }

    static func addWaiting(nanoseconds: UInt64) { totals.waitingSeconds += Double(nanoseconds) / 1e9 }
}
