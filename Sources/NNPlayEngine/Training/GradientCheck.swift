/// The result of comparing backpropagation with finite differences.
public struct GradientCheckResult: Equatable, Sendable {
    /// Largest relative error |backprop − numeric| / max(|backprop|, |numeric|, floor) over the
    /// parameters checked.
    public var maxRelativeError: Double
    /// Where it occurred, e.g. `layer 2, weight 3←1` (neuron 3 from input 1).
    public var worst: String
    /// The two gradients at that parameter.
    public var backprop: Double
    public var numeric: Double
    public var parametersChecked: Int
    /// All parameters of the network (more than `parametersChecked` when a sample was checked).
    public var parameterCount: Int
    public var points: Int
    /// True when `shouldStop` ended the check early; the figures cover the parameters done.
    public var interrupted: Bool
}

/// Gradient checking settings.
public enum GradientCheck {
    /// Gradients smaller than this are compared absolutely: the finite differences carry the loss's
    /// rounding error, about 1e-16 · loss / h ≈ 1e-11 here, which is no longer small relative to them.
    public static let floor = 1e-4
    /// Training points in the objective by default: not a multiple of 8 and more than 16, so the
    /// check runs through the kernels' partial vectors and more than one block of points.
    public static let defaultPoints = 21
    /// The step of the finite differences.
    public static let step = 1e-4
    /// Most parameters checked (a seeded sample of them in larger networks).
    public static let maxParameters = 5_000
    /// Fewest parameters checked, however large the network.
    public static let minParameters = 50
    /// Work budget in multiply-adds: each checked parameter costs four forward passes over the
    /// whole network, so a wide network gets a smaller sample and the check stays under a few seconds.
    public static let workBudget = 400_000_000

    /// How many parameters a check of `parameterCount` parameters over `points` points samples.
    public static func sampleSize(parameterCount: Int, points: Int) -> Int {
        let perParameter = 4 * Swift.max(1, parameterCount) * Swift.max(1, points)
        let affordable = Swift.max(minParameters, workBudget / perParameter)
        return Swift.min(parameterCount, maxParameters, affordable)
    }
}

extension Playground {
    /// Compares the gradient of the training objective (mean loss over a few training points plus
    /// the regularisation term) from backpropagation with central finite differences of fourth
    /// order, (−J(θ+2h) + 8J(θ+h) − 8J(θ−h) + J(θ−2h)) / 12h, parameter by parameter.
    /// Activations with a kink (relu, leaky-relu, selu) can show large errors at a point whose
    /// weighted sum lies within 2h of 0; that is the function, not backpropagation.
    /// Large networks are checked on a seeded sample of parameters (see `GradientCheck.sampleSize`);
    /// `shouldStop` is polled between parameters so a long check can be interrupted.
    public func gradientCheck(points requested: Int = GradientCheck.defaultPoints,
                              shouldStop: () -> Bool = { false }) -> GradientCheckResult {
        var rng = SeededGenerator(seed: settings.seed, stream: .gradientCheck)
        var pool = dataset.trainIndices.isEmpty ? Array(dataset.xs.indices) : dataset.trainIndices
        rng.shuffle(&pool)
        let chosen = Array(pool.prefix(Swift.max(1, requested)))
        let count = chosen.count
        let ws = Workspace(network: network, capacity: count)
        let xs = chosen.map { dataset.xs[$0] }, ys = chosen.map { dataset.ys[$0] }
        ws.loadInputs(features: network.features, xs: xs, ys: ys, count: count)
        ws.loadTargets(points: chosen, of: dataset, for: network)
        let kernel = LossKernel(loss: settings.loss, output: network.outputActivation, size: network.outputCount)
        let reg = settings.regularization, rate = settings.regularizationRate
        var isWeight = [Bool](repeating: false, count: network.parameterCount)
        for r in network.weightRanges { for i in r { isWeight[i] = true } }

        // The penalty of all weights but the one being varied, summed once; the varied weight's
        // own term is added per evaluation (or left out at an L1 kink).
        var basePenalty = 0.0
        if reg != .none { for i in network.parameters.indices where isWeight[i] { basePenalty += reg.penalty(network.parameters[i]) } }

        func objective(_ p: [Double], varied i: Int, original: Double, includeOwnPenalty: Bool) -> Double {
            p.withUnsafeBufferPointer { b -> Double in
                guard let base = b.baseAddress else { return .nan }
                network.forward(ws, count: count, parameters: base)
                let total = kernel.sum(ws, count: count)
                var penalty = basePenalty
                if reg != .none && isWeight[i] {
                    penalty -= reg.penalty(original)
                    if includeOwnPenalty { penalty += reg.penalty(p[i]) }
                }
                return total / Double(count) + rate * penalty
            }
        }

        var analytic = [Double](repeating: 0, count: network.parameterCount)
        network.forward(ws, count: count)
        network.parameters.withUnsafeBufferPointer { p in
            analytic.withUnsafeMutableBufferPointer { g in
                guard let pb = p.baseAddress, let gb = g.baseAddress else { return }
                network.backward(ws, count: count, loss: settings.loss, gradient: gb, parameters: pb, dropout: nil)
            }
        }
        for i in analytic.indices where isWeight[i] { analytic[i] += rate * reg.gradient(network.parameters[i]) }

        var which = Array(0..<network.parameterCount)
        let sample = GradientCheck.sampleSize(parameterCount: network.parameterCount, points: count)
        if which.count > sample {
            rng.shuffle(&which)
            which = Array(which.prefix(sample)).sorted()
        }
        var result = GradientCheckResult(maxRelativeError: 0, worst: "", backprop: 0, numeric: 0,
                                         parametersChecked: 0, parameterCount: network.parameterCount,
                                         points: count, interrupted: false)
        var p = network.parameters
        let h = GradientCheck.step
        for i in which {
            if shouldStop() { result.interrupted = true; break }
            let w = p[i]
            // Within 2h of 0, |w| has a kink that finite differences cannot cross: leave that
            // weight's L1 term out of both sides and check the rest of its gradient.
            let atKink = reg == .l1 && rate > 0 && isWeight[i] && abs(w) < 2 * h
            func J() -> Double { objective(p, varied: i, original: w, includeOwnPenalty: !atKink) }
            p[i] = w + 2 * h; let f2 = J()
            p[i] = w + h; let f1 = J()
            p[i] = w - h; let fm1 = J()
            p[i] = w - 2 * h; let fm2 = J()
            p[i] = w
            result.parametersChecked += 1
            let numeric = (-f2 + 8 * f1 - 8 * fm1 + fm2) / (12 * h)
            let a = atKink ? analytic[i] - rate * reg.gradient(w) : analytic[i]
            let error = abs(a - numeric) / Swift.max(abs(a), abs(numeric), GradientCheck.floor)
            if error > result.maxRelativeError || !error.isFinite {
                result.maxRelativeError = error.isFinite ? error : .infinity
                result.worst = describeParameter(i)
                result.backprop = a
                result.numeric = numeric
            }
        }
        return result
    }

    /// Names a parameter by layer and role, e.g. `layer 2, weight 3←1` or `layer 3 (output), bias 1`.
    public func describeParameter(_ index: Int) -> String {
        for (k, shape) in network.layers.enumerated() where index < shape.biasOffset + shape.size {
            let name = k == network.layers.count - 1 ? "layer \(k + 1) (output)" : "layer \(k + 1)"
            if index >= shape.biasOffset { return "\(name), bias \(index - shape.biasOffset + 1)" }
            let local = index - shape.weightOffset
            return "\(name), weight \(local / shape.inputs + 1)←\(local % shape.inputs + 1)"
        }
        return "parameter \(index)"
    }
}
