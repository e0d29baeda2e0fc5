import Foundation

/// The built-in synthetic datasets, after TensorFlow Playground's `dataset.ts` (circle, xor, gauss,
/// spiral) and scikit-learn's `make_moons`. Every point lies within [-6, 6]². The points are drawn
/// in equal shares per class (the first `n mod K` classes one more); with noise, `circle` and `xor`
/// then label each point where it would be after a random move, so their shares drift.
///
/// What `noise` (0…1) means for each:
/// - `circle`: labels are taken at the point moved by up to ±5·noise in x and y (as in Playground),
///   so points near the ring boundary may carry the other class; the points themselves do not move.
/// - `xor`: the same, with moves of up to ±5·noise.
/// - `gauss`: the variance of each blob, from 0.5 (noise 0) to 4 (noise 1).
/// - `spiral`: each point moves by up to ±noise in x and y.
/// - `moons`: each point moves by a normal deviate of standard deviation 3.3·noise (scikit-learn's
///   `noise` in its own units; the moons are scaled by 3.3 to fill the frame).
public enum DatasetKind: String, CaseIterable, Sendable {
    case circle, xor, gauss, spiral, moons

    /// Largest class count each kind supports.
    public var maxClasses: Int {
        switch self {
        case .circle, .gauss, .spiral: return Dataset.maxClasses
        case .xor, .moons: return 2
        }
    }

    public static let namesList = allCases.map(\.rawValue).joined(separator: " ")

    /// Makes the points of this kind: coordinates and labels, class after class.
    public func generate(count n: Int, noise: Double, classes k: Int, seed: UInt64)
        throws -> (xs: [Double], ys: [Double], labels: [Int]) {
        guard (2...maxClasses).contains(k) else {
            throw NNPlayError(maxClasses == 2
                ? "\(rawValue) has 2 classes only (classes=\(k)); circle, gauss and spiral take classes=2…\(Dataset.maxClasses)"
                : "classes=\(k) is out of range: \(rawValue) takes classes=2…\(maxClasses)")
        }
        guard n >= k else { throw NNPlayError("n=\(n) is too few points for \(k) classes: n must be at least \(k)") }
        guard n <= Dataset.maxPoints else {
            throw NNPlayError("n=\(n) is more than the limit of \(Dataset.maxPoints) points")
        }
        guard noise.isFinite, (0...1).contains(noise) else {
            throw NNPlayError("noise=\(formatNumber(noise)) is out of range: noise is in [0, 1]")
        }
        var rng = SeededGenerator(seed: seed, stream: .data)
        var xs = [Double](), ys = [Double](), labels = [Int]()
        xs.reserveCapacity(n); ys.reserveCapacity(n); labels.reserveCapacity(n)
        for c in 0..<k {
            let m = n / k + (c < n % k ? 1 : 0)
            for i in 0..<m {
                let (x, y, label) = point(index: i, of: m, inClass: c, classes: k, noise: noise, rng: &rng)
                xs.append(x); ys.append(y); labels.append(label)
            }
        }
        return (xs, ys, labels)
    }

    private func point(index i: Int, of m: Int, inClass c: Int, classes k: Int, noise: Double,
                       rng: inout SeededGenerator) -> (Double, Double, Int) {
        switch self {
        case .circle:
            // Classes are rings counted from the outside in; for 2 classes, Playground's layout:
            // class 1 inside radius 2.5, class 0 between 3.5 and 5.
            let radius = 5.0, band = radius / Double(k)
            let outer = radius - Double(c) * band
            let inner = c == k - 1 ? 0 : outer - band + 0.4 * band
            let r = rng.nextUniform(inner, outer)
            let angle = rng.nextUniform(0, 2 * Double.pi)
            let x = r * sin(angle), y = r * cos(angle)
            let nx = rng.nextUniform(-radius, radius) * noise, ny = rng.nextUniform(-radius, radius) * noise
            let rho = ((x + nx) * (x + nx) + (y + ny) * (y + ny)).squareRoot()
            let label = Swift.min(k - 1, Swift.max(0, Int(((radius - rho) / band).rounded(.down))))
            return (x, y, label)
        case .xor:
            // Class 1 in the quadrants where x·y ≥ 0, class 0 in the others; 0.3 apart from the axes.
            let pad = 0.3
            var x = rng.nextUniform(-5, 5)
            x += x > 0 ? pad : -pad
            let magnitude = rng.nextUniform(0, 5) + pad
            let y = (c == 1) == (x > 0) ? magnitude : -magnitude
            let nx = rng.nextUniform(-5, 5) * noise, ny = rng.nextUniform(-5, 5) * noise
            return (x, y, (x + nx) * (y + ny) >= 0 ? 1 : 0)
        case .gauss:
            // Blob centres on a circle, the last class at 45° and the others after it counter-clockwise:
            // for 2 classes Playground's layout, class 1 (its positive, blue class) at (2, 2) and
            // class 0 at (−2, −2).
            let variance = 0.5 + 3.5 * noise
            let sd = variance.squareRoot()
            let r = k <= 4 ? 2 * 2.0.squareRoot() : 4.0
            let angle = Double.pi / 4 + 2 * Double.pi * Double((c + 1) % k) / Double(k)
            let cx = r * cos(angle), cy = r * sin(angle)
            while true {   // resample the few points that would leave the frame
                let x = cx + sd * rng.nextNormal(), y = cy + sd * rng.nextNormal()
                if abs(x) <= 6 && abs(y) <= 6 { return (x, y, c) }
            }
        case .spiral:
            // Arm of class c starts at angle 2π(K−1−c)/K; for 2 classes Playground's two arms.
            let r = Double(i) / Double(m) * 5
            let t = 1.75 * Double(i) / Double(m) * 2 * Double.pi + 2 * Double.pi * Double(k - 1 - c) / Double(k)
            let x = r * sin(t) + rng.nextUniform(-1, 1) * noise
            let y = r * cos(t) + rng.nextUniform(-1, 1) * noise
            return (x, y, c)
        case .moons:
            // scikit-learn's make_moons, scaled by 3.3 about its centre (0.5, 0.25) to span [-5, 5].
            let t = rng.nextUniform(0, Double.pi)
            let (mx, my) = c == 0 ? (cos(t), sin(t)) : (1 - cos(t), 0.5 - sin(t))
            while true {
                let x = (mx - 0.5 + noise * rng.nextNormal()) * 3.3
                let y = (my - 0.25 + noise * rng.nextNormal()) * 3.3
                if abs(x) <= 6 && abs(y) <= 6 { return (x, y, c) }
            }
        }
    }

    /// Parses a dataset name (case-insensitive).
    public init?(name: String) { self.init(rawValue: name.lowercased()) }
}

extension Dataset {
    /// A synthetic dataset: `Dataset.generate(.spiral, count: 500, noise: 0, classes: 3, test: 0.5, seed: 1)`.
    public static func generate(_ kind: DatasetKind, count: Int = 500, noise: Double = 0, classes: Int = 2,
                                testFraction: Double = 0.5, seed: UInt64 = 1) throws -> Dataset {
        let (xs, ys, labels) = try kind.generate(count: count, noise: noise, classes: classes, seed: seed)
        var origin = "\(kind.rawValue) n=\(count) noise=\(formatNumber(noise))"
        if classes != 2 { origin += " classes=\(classes)" }
        return try Dataset(xs: xs, ys: ys, labels: labels, classCount: classes, testFraction: testFraction,
                           seed: seed, frame: .standard, origin: origin)
    }
}
