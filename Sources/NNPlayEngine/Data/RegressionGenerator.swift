import Foundation

/// The built-in regression datasets, after TensorFlow Playground's `dataset.ts` (reg-plane and
/// reg-gauss). Points are drawn uniformly in [-6, 6]² (Playground's radius 6) and each gets a real
/// target.
///
/// What `noise` (0…1) means, as in Playground: the target is read at the point moved by up to
/// ±6·noise in x and y (uniformly), so noisy targets belong to a nearby place; the points
/// themselves do not move. (Playground's noise slider goes to 50, that is noise=0.5 here.)
/// - `plane`: target (x + y) / 10, a tilted plane from −1.2 to 1.2.
/// - `multigauss`: six bumps at (−4, 2.5), (0, 2.5), (4, 2.5), (−4, −2.5), (0, −2.5), (4, −2.5)
///   with signs + − + / − + −, each 1 − d/2 at distance d < 2 from its centre (0 beyond); the target is
///   the signed bump largest in size, so it lies in [−1, 1].
public enum RegressionKind: String, CaseIterable, Sendable {
    case plane, multigauss

    public static let namesList = allCases.map(\.rawValue).joined(separator: " ")

    /// The bumps of `multigauss`: centre and sign.
    static let bumps: [(x: Double, y: Double, sign: Double)] = [
        (-4, 2.5, 1), (0, 2.5, -1), (4, 2.5, 1), (-4, -2.5, -1), (0, -2.5, 1), (4, -2.5, -1),
    ]

    /// The noiseless target at (x, y).
    public func target(x: Double, y: Double) -> Double {
        switch self {
        case .plane:
            return (x + y) / 10
        case .multigauss:
            var best = 0.0
            for b in RegressionKind.bumps {
                let d = ((x - b.x) * (x - b.x) + (y - b.y) * (y - b.y)).squareRoot()
                let v = b.sign * Swift.min(1, Swift.max(0, 1 - d / 2))
                if abs(v) > abs(best) { best = v }
            }
            return best
        }
    }

    /// Makes the points and their targets.
    public func generate(count n: Int, noise: Double, seed: UInt64) throws -> (xs: [Double], ys: [Double], values: [Double]) {
        guard (1...Dataset.maxPoints).contains(n) else {
            throw NNPlayError("n=\(n) is out of range: n is 1…\(Dataset.maxPoints) points")
        }
        guard noise.isFinite, (0...1).contains(noise) else {
            throw NNPlayError("noise=\(formatNumber(noise)) is out of range: noise is in [0, 1]")
        }
        let radius = 6.0
        var rng = SeededGenerator(seed: seed, stream: .data)
        var xs = [Double](), ys = [Double](), values = [Double]()
        xs.reserveCapacity(n); ys.reserveCapacity(n); values.reserveCapacity(n)
        for _ in 0..<n {
            let x = rng.nextUniform(-radius, radius), y = rng.nextUniform(-radius, radius)
            let nx = rng.nextUniform(-radius, radius) * noise, ny = rng.nextUniform(-radius, radius) * noise
            xs.append(x); ys.append(y); values.append(target(x: x + nx, y: y + ny))
        }
        return (xs, ys, values)
    }

    /// Parses a dataset name (case-insensitive).
    public init?(name: String) { self.init(rawValue: name.lowercased()) }
}

extension Dataset {
    /// A synthetic regression dataset: `Dataset.generate(.plane, count: 500, noise: 0, testFraction: 0.5, seed: 1)`.
    public static func generate(_ kind: RegressionKind, count: Int = 500, noise: Double = 0,
                                testFraction: Double = 0.5, seed: UInt64 = 1) throws -> Dataset {
        let (xs, ys, values) = try kind.generate(count: count, noise: noise, seed: seed)
        return try Dataset(xs: xs, ys: ys, values: values, testFraction: testFraction, seed: seed, frame: .standard,
                           origin: "\(kind.rawValue) n=\(count) noise=\(formatNumber(noise))")
    }
}
