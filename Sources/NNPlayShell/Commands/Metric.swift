import NNPlayEngine

/// The numbers `stats` shows and `expect` checks.
public enum Metric: String, CaseIterable, Sendable {
    case epoch
    case trainLoss = "train-loss"
    case testLoss = "test-loss"
    case trainAccuracy = "train-accuracy"
    case testAccuracy = "test-accuracy"
    /// On the validation points (`set validation F`).
    case valLoss = "val-loss"
    case valAccuracy = "val-accuracy"
    case steps
    case regLoss = "reg-loss"
    case params
    case gradcheck
    /// The first hidden layer's weight-gradient norm over the output layer's: far below 1 when the
    /// gradient vanishes on its way down (deep sigmoid nets).
    case gradRatio = "grad-ratio"
    /// ReLU neurons that are never active on the training set.
    case deadRelu = "dead-relu"

    public static var names: [String] { allCases.map(\.rawValue) }

    /// The metric's value now; throws when it has none (e.g. no test points).
    public func value(of p: Playground) throws -> Double {
        try value(of: p, train: p.trainMetrics, test: p.testMetrics)
    }

    /// The value, with the train and test metrics (evaluated only when needed) given by a caller
    /// that reads several metrics of one state and measures each set once.
    public func value(of p: Playground, train: @autoclosure () -> Metrics?, test: @autoclosure () -> Metrics?) throws -> Double {
        switch self {
        case .epoch: return p.epochsTrained
        case .steps: return Double(p.progress.steps)
        case .params: return Double(p.network.parameterCount)
        case .regLoss: return p.regularizationLoss
        case .gradcheck: return p.gradientCheck().maxRelativeError
        case .gradRatio:
            guard p.network.hiddenCount > 0 else { throw ShellError("grad-ratio has no value: the network has no hidden layers") }
            guard !p.dataset.trainIndices.isEmpty else { throw ShellError("grad-ratio has no value: there are no training points") }
            let norms = p.gradientNorms
            guard let first = norms.first, let out = norms.last, out > 0 else {
                throw ShellError("grad-ratio has no value: the output layer's gradient is 0")
            }
            return first / out
        case .deadRelu: return Double(p.deadNeurons.map(\.count).reduce(0, +))
        case .trainLoss, .trainAccuracy:
            guard let m = train() else { throw ShellError("\(rawValue) has no value: there are no training points") }
            return self == .trainLoss ? m.loss : m.accuracy
        case .valLoss, .valAccuracy:
            guard let m = p.validationMetrics else { throw ShellError("\(rawValue) has no value: there are no validation points (hold some out with `set validation 0.2`)") }
            return self == .valLoss ? m.loss : m.accuracy
        case .testLoss, .testAccuracy:
            guard let m = test() else { throw ShellError("\(rawValue) has no value: there are no test points (hold some out with `data split test=0.5`)") }
            return self == .testLoss ? m.loss : m.accuracy
        }
    }

    /// The weight-gradient norm of one layer (`grad-norm-1`, `grad-norm-out`), for `expect`; nil
    /// when `name` is not of that form.
    public static func gradientNorm(named name: String, of p: Playground) throws -> Double? {
        let prefix = "grad-norm-"
        guard name.lowercased().hasPrefix(prefix) else { return nil }
        let word = String(name.dropFirst(prefix.count))
        let k = try References.layer(word, in: p.network, allowInput: false)
        guard !p.dataset.trainIndices.isEmpty else { throw ShellError("\(name) has no value: there are no training points") }
        return p.gradientNorms[k - 1]
    }

    /// A value as `stats` prints it: six significant digits, whole numbers without a point.
    public static func text(_ v: Double) -> String {
        v == v.rounded() && abs(v) < 1e15 ? formatNumber(v) : formatMetric(v, digits: 6)
    }
}
