import Foundation

/// The random number generator behind every random choice nnplay makes (data, initial weights,
/// shuffles), so that one seed gives the same results on every platform.
///
/// Algorithm: xoshiro256** (Blackman & Vigna, 2018), its 256-bit state filled from the seed by
/// SplitMix64. A `stream` number separates independent uses of one seed: the data, the initial weights
/// and the shuffles each draw from their own stream, so that changing one does not shift the others.
///
/// ```swift
/// var rng = SeededGenerator(seed: 1, stream: .data)
/// let u = rng.nextUniform()          // in [0, 1)
/// ```
public struct SeededGenerator: RandomNumberGenerator, Sendable, Equatable {
    /// Independent uses of one seed.
    public enum Stream: UInt64, Sendable {
        case data = 1, split = 2, initialWeights = 3, shuffle = 4, gradientCheck = 5, test = 6, landscape = 7, dropout = 8, validation = 9
    }

    private var s0, s1, s2, s3: UInt64

    public init(seed: UInt64, stream: Stream) {
        self.init(seed: seed, streamNumber: stream.rawValue)
    }

    public init(seed: UInt64, streamNumber: UInt64) {
        var sm = seed ^ (streamNumber &* 0xD1B5_4A32_D192_ED03)
        self.init(state: (Self.splitMix64(&sm), Self.splitMix64(&sm), Self.splitMix64(&sm), Self.splitMix64(&sm)))
    }

    /// A generator with a given xoshiro256** state (for tests against the reference vectors).
    init(state: (UInt64, UInt64, UInt64, UInt64)) {
        (s0, s1, s2, s3) = state
    }

    /// One step of SplitMix64 (Steele, Lea & Flood, 2014): advances `state` and returns an output.
    static func splitMix64(_ state: inout UInt64) -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    public mutating func next() -> UInt64 {
        let result = rotl(s1 &* 5, 7) &* 9
        let t = s1 << 17
        s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3
        s2 ^= t
        s3 = rotl(s3, 45)
        return result
    }

    @inline(__always) private func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 {
        (x << k) | (x >> (64 - k))
    }

    /// A double in [0, 1) with 53 random bits.
    public mutating func nextUniform() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    /// A double uniformly in [lower, upper).
    public mutating func nextUniform(_ lower: Double, _ upper: Double) -> Double {
        lower + (upper - lower) * nextUniform()
    }

    /// A standard normal deviate (Box–Muller; one value per call, so the sequence is easy to reason about).
    public mutating func nextNormal() -> Double {
        let u1 = 1.0 - nextUniform()          // (0, 1]: log is finite
        let u2 = nextUniform()
        return (-2.0 * log(u1)).squareRoot() * cos(2.0 * Double.pi * u2)
    }

    /// An integer in 0..<bound, without modulo bias (Lemire's method).
    public mutating func nextIndex(below bound: Int) -> Int {
        precondition(bound > 0, "bound must be positive")
        let b = UInt64(bound)
        var m = next().multipliedFullWidth(by: b)
        if m.low < b {
            let threshold = (0 &- b) % b
            while m.low < threshold { m = next().multipliedFullWidth(by: b) }
        }
        return Int(m.high)
    }

    /// Fisher–Yates shuffle with this generator (the standard library's `shuffle(using:)` does not
    /// promise a fixed algorithm across versions).
    public mutating func shuffle<T>(_ array: inout [T]) {
        // through the buffer: j ≤ i < count by construction, so the array's own index checks
        // (and its uniqueness check on every swap) would only cost time
        array.withUnsafeMutableBufferPointer { a in
            guard let base = a.baseAddress else { return }
            var i = a.count - 1
            while i > 0 {
                let j = nextIndex(below: i + 1)
                let t = base[i]
                base[i] = base[j]
                base[j] = t
                i -= 1
            }
        }
    }
}
