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
    /// Regression: root mean squared error and r² of each set.
    case trainRmse = "train-rmse"
    case testRmse = "test-rmse"
    case valRmse = "val-rmse"
    case trainR2 = "train-r2"
    case testR2 = "test-r2"
    case valR2 = "val-r2"
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
        case .trainLoss, .trainAccuracy, .trainRmse, .trainR2:
            try checkProblem(p)
            guard let m = train() else { throw ShellError("\(rawValue) has no value: there are no training points") }
            return try pick(m)
        case .valLoss, .valAccuracy, .valRmse, .valR2:
            try checkProblem(p)
            guard let m = p.validationMetrics else { throw ShellError("\(rawValue) has no value: there are no validation points (hold some out with `set validation 0.2`)") }
            return try pick(m)
        case .testLoss, .testAccuracy, .testRmse, .testR2:
            try checkProblem(p)
            guard let m = test() else { throw ShellError("\(rawValue) has no value: there are no test points (hold some out with `data split test=0.5`)") }
            return try pick(m)
        }
    }

    /// What a set's metric measures: loss (any problem), accuracy (classes), rmse or r² (regression).
    enum Measure: Sendable { case loss, accuracy, rmse, r2 }

    var measure: Measure? {
        switch self {
        case .trainLoss, .testLoss, .valLoss: return .loss
        case .trainAccuracy, .testAccuracy, .valAccuracy: return .accuracy
        case .trainRmse, .testRmse, .valRmse: return .rmse
        case .trainR2, .testR2, .valR2: return .r2
        default: return nil
        }
    }

    /// The problem this metric needs, or nil when it has a value for both.
    public var problem: Problem? {
        switch measure {
        case .accuracy: return .classification
        case .rmse, .r2: return .regression
        default: return nil
        }
    }

    /// Throws when this metric does not apply to the data's problem.
    func checkProblem(_ p: Playground) throws {
        guard let needed = problem, needed != p.dataset.problem else { return }
        throw ShellError(needed == .classification
            ? "\(rawValue) needs classes: this is regression data (use rmse or r2, e.g. test-r2)"
            : "\(rawValue) is for regression data: this is classification data (use accuracy, e.g. test-accuracy)")
    }

    private func pick(_ m: Metrics) throws -> Double {
        switch measure {
        case .accuracy?:
            guard let a = m.accuracy else { throw ShellError("\(rawValue) has no value") }
            return a
        case .rmse?:
            guard let r = m.rmse else { throw ShellError("\(rawValue) has no value") }
            return r
        case .r2?:
            guard let r = m.r2 else { throw ShellError("\(rawValue) has no value: every target of these points is the same") }
            return r
        default:
            return m.loss
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
