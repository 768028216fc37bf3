import Foundation

/// A small, fast, seedable generator (xoshiro256**), so runs repeat exactly for a given seed.
public struct RandomGenerator: RandomNumberGenerator {
    private var s: (UInt64, UInt64, UInt64, UInt64)
    private var spareNormal: Float?

    public init(seed: UInt64) {
        // SplitMix64 spreads any seed (0 included) over the 256-bit state.
        var x = seed
        func next() -> UInt64 {
            x &+= 0x9E37_79B9_7F4A_7C15
            var z = x
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        s = (next(), next(), next(), next())
    }

    public mutating func next() -> UInt64 {
        let result = rotl(s.1 &* 5, 7) &* 9
        let t = s.1 << 17
        s.2 ^= s.0; s.3 ^= s.1; s.1 ^= s.2; s.0 ^= s.3
        s.2 ^= t
        s.3 = rotl(s.3, 45)
        return result
    }

    private func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }

    /// Uniform in [0, 1).
    public mutating func nextUniform() -> Float {
        Float(next() >> 40) * (1.0 / Float(1 << 24))
    }

    /// Standard normal (Box–Muller, using both values of each pair).
    public mutating func nextNormal() -> Float {
        if let spare = spareNormal { spareNormal = nil; return spare }
        var u1: Float
        repeat { u1 = nextUniform() } while u1 <= Float.leastNormalMagnitude
        let u2 = nextUniform()
        let radius = (-2 * Foundation.log(u1)).squareRoot()
        spareNormal = radius * Foundation.sin(2 * Float.pi * u2)
        return radius * Foundation.cos(2 * Float.pi * u2)
    }

    /// The generator that tensor creation, samplers and sampling use by default. It starts
    /// from 0; a chapter program's first statements reseed it with the run's `--seed`.
    nonisolated(unsafe) public static var global = RandomGenerator(seed: 0)
}

/// Restarts the global generator from `seed` (PyTorch's `torch.manual_seed`).
public func manualSeed(_ seed: UInt64) {
    RandomGenerator.global = RandomGenerator(seed: seed)
}
