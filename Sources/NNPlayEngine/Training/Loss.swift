import Foundation

/// The per-point loss. The loss of a batch is the mean over its points (plus the regularisation term).
///
/// Targets: see `TargetEncoding` (for class c, output k aims at the output's "on" value when k = c and
/// its "off" value otherwise; a single output aims at "on" for class 1).
public enum Loss: String, CaseIterable, Sendable, Codable {
    /// Binary cross-entropy, Σₖ −[yₖ log aₖ + (1 − yₖ) log(1 − aₖ)]: sigmoid outputs.
    case bce
    /// Cross-entropy, −log a_c: softmax outputs (or one sigmoid output, where it equals bce).
    case ce
    /// Squared error, ½ Σₖ (aₖ − yₖ)²: any output.
    case mse

    /// Why this loss cannot be used with an output (for a problem), or nil when it can. Regression
    /// takes mse only: bce and ce measure class probabilities.
    public func incompatibility(with output: OutputActivation, outputCount: Int, problem: Problem = .classification) -> String? {
        if problem == .regression && self != .mse {
            return "loss \(rawValue) is for classes: regression data takes loss mse"
        }
        switch self {
        case .bce where output != .sigmoid:
            return "loss bce needs a sigmoid output (the output is \(output.rawValue)): use `set loss \(Loss.natural(for: output).rawValue)`"
        case .ce where !(output == .softmax || (output == .sigmoid && outputCount == 1)):
            return "loss ce needs a softmax output (the output is \(output.rawValue)): use `set loss \(Loss.natural(for: output).rawValue)`"
        default:
            return nil
        }
    }

    /// The loss that suits an output best: bce for sigmoid, ce for softmax, mse otherwise.
    public static func natural(for output: OutputActivation) -> Loss {
        switch output {
        case .sigmoid: return .bce
        case .softmax: return .ce
        case .tanh, .linear: return .mse
        }
    }

    public init?(name: String) { self.init(rawValue: name.lowercased()) }

    public static let namesList = allCases.map(\.rawValue).joined(separator: " ")
}

/// Loss values and output-layer gradients, computed from the output layer's sums, activations and
/// targets in a workspace (all neuron-major, `stride` apart; the targets from `TargetEncoding`).
struct LossKernel {
    let loss: Loss
    let output: OutputActivation
    let size: Int

    /// The loss of point s (computed from the sums where that avoids log(0)). An output that is not
    /// a number (its sums met +∞ and −∞) gives no answer at all: its loss is +∞, never NaN.
    func value(z: UnsafePointer<Double>, a: UnsafePointer<Double>, y: UnsafePointer<Double>, point s: Int, stride: Int) -> Double {
        let v = rawValue(z: z, a: a, y: y, point: s, stride: stride)
        return v.isNaN ? .infinity : v
    }

    private func rawValue(z: UnsafePointer<Double>, a: UnsafePointer<Double>, y: UnsafePointer<Double>, point s: Int, stride: Int) -> Double {
        switch loss {
        case .ce where output == .softmax:   // Σₖ yₖ (log-sum-exp(z) − zₖ); one-hot: lse(z) − z_c
            var m = -Double.infinity
            for k in 0..<size { m = max(m, z[k * stride + s]) }
            if m == .infinity {
                // overflowed sums: the limit, not ∞ − ∞ (shared among the outputs at +∞)
                var atInfinity = 0.0
                for k in 0..<size where z[k * stride + s] == .infinity { atInfinity += 1 }
                var total = 0.0
                for k in 0..<size where y[k * stride + s] != 0 {
                    total += y[k * stride + s] * (z[k * stride + s] == .infinity ? log(atInfinity) : .infinity)
                }
                return total
            }
            var sum = 0.0
            for k in 0..<size { sum += exp(z[k * stride + s] - m) }
            // the targets' weights sum to 1 (a class is one-hot), and outputs with target 0 add nothing
            var aimed = 0.0
            for k in 0..<size where y[k * stride + s] != 0 { aimed += y[k * stride + s] * z[k * stride + s] }
            return m + log(sum) - aimed
        case .bce, .ce:   // sigmoid outputs: the same arithmetic as the sum of many points, in one lane
            var total = Vec()
            for k in 0..<size {
                total += logisticLoss(z: Vec(repeating: z[k * stride + s]), y: Vec(repeating: y[k * stride + s]))
            }
            return total[0]
        case .mse:
            var total = 0.0
            for k in 0..<size {
                let d = a[k * stride + s] - y[k * stride + s]
                total += 0.5 * d * d
            }
            return total
        }
    }

    /// `delta` for the first `count` points: a − y eight points at a time where that is the
    /// derivative (the same arithmetic per point; the padding lanes get values of their own), else
    /// point by point.
    func deltas(a: UnsafePointer<Double>, y: UnsafePointer<Double>, into d: UnsafeMutablePointer<Double>, count: Int,
                stride: Int, scale: Double) {
        guard loss == .bce || loss == .ce else {
            for s in 0..<count { delta(a: a, y: y, into: d, point: s, stride: stride, scale: scale) }
            return
        }
        LayerKernels.checkRows(stride: stride, count: count)
        let sv = Vec(repeating: scale)
        for k in 0..<size {
            let o = k &* stride
            var c = 0
            while c < count {
                d.store((a.vec(o &+ c) - y.vec(o &+ c)) * sv, o &+ c)
                c &+= 8
            }
        }
    }

    /// Fills δ = ∂(loss of point s)/∂z · scale for every output neuron.
    @inline(__always)
    func delta(a: UnsafePointer<Double>, y: UnsafePointer<Double>, into d: UnsafeMutablePointer<Double>, point s: Int,
               stride: Int, scale: Double) {
        switch loss {
        case .bce, .ce:   // sigmoid + bce, softmax + ce: ∂/∂z = a − y
            for k in 0..<size { d[k * stride + s] = (a[k * stride + s] - y[k * stride + s]) * scale }
        case .mse:
            switch output {
            case .softmax:  // δⱼ = aⱼ (gⱼ − Σₖ aₖ gₖ) with gₖ = aₖ − yₖ
                var dot = 0.0
                for k in 0..<size { dot += a[k * stride + s] * (a[k * stride + s] - y[k * stride + s]) }
                for k in 0..<size {
                    let ak = a[k * stride + s]
                    d[k * stride + s] = ak * ((ak - y[k * stride + s]) - dot) * scale
                }
            case .sigmoid, .tanh, .linear:
                for k in 0..<size {
                    let ak = a[k * stride + s]
                    let slope = output == .sigmoid ? ak * (1 - ak) : output == .tanh ? 1 - ak * ak : 1
                    d[k * stride + s] = (ak - y[k * stride + s]) * slope * scale
                }
            }
        }
    }

    /// The summed loss of the first `count` points of a workspace after a forward pass, with their
    /// targets loaded.
    func sum(_ ws: Workspace, count: Int) -> Double {
        let top = ws.widths.count - 1
        if loss == .bce || (loss == .ce && output != .softmax) {
            return logisticSum(z: ws.sums[top], y: ws.targets, count: count, stride: ws.stride)
        }
        var sum = 0.0
        for s in 0..<count { sum += value(z: ws.sums[top], a: ws.activations[top], y: ws.targets, point: s, stride: ws.stride) }
        return sum
    }

    /// −[y log σ(z) + (1−y) log(1−σ(z))] = max(z, 0) − z·y + log(1 + e^−|z|) for eight (z, y), written
    /// so that z = ±∞ gives its limit rather than ∞ − ∞ (the targets of sigmoid outputs are 0 and 1).
    /// The vector e^x and log(1 + u) are within an ulp or two of the C library's.
    @inline(__always)
    func logisticLoss(z: Vec, y: Vec) -> Vec {
        let positive = z.replacing(with: 0, where: .!(z .> 0)), negative = (-z).replacing(with: 0, where: .!(-z .> 0))
        let linear = (positive - z * y).replacing(with: positive, where: y .== 0).replacing(with: negative, where: y .== 1)
        let az = unsafeBitCast(unsafeBitCast(z, to: SIMD8<UInt64>.self) & SIMD8(repeating: 0x7FFF_FFFF_FFFF_FFFF), to: Vec.self)
        // e^−|z|, 0 where it underflows (the vector exp stops at −708)
        let u = VectorMath.exp(-az.replacing(with: 708, where: az .> 708)).replacing(with: 0, where: az .> 745)
        return linear + VectorMath.log1pUnit(u)
    }

    /// `sum` for sigmoid outputs, eight points at a time (libm's exp and log1p per point took about a
    /// third of workload b's per-epoch metrics); each point's loss as `value` gives it, added in order.
    private func logisticSum(z: UnsafePointer<Double>, y: UnsafePointer<Double>, count: Int, stride: Int) -> Double {
        LayerKernels.checkRows(stride: stride, count: count)
        var sum = 0.0, c = 0
        while c < count {
            var total = Vec()
            for k in 0..<size { total += logisticLoss(z: z.vec(k &* stride &+ c), y: y.vec(k &* stride &+ c)) }
            total = total.replacing(with: .infinity, where: total .!= total)   // not a number: no answer, +∞
            for s in 0..<Swift.min(8, count &- c) { sum += total[s] }
            c &+= 8
        }
        return sum
    }
}
