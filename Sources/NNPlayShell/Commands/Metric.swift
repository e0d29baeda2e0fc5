import NNPlayEngine

/// The numbers `stats` shows and `expect` checks.
public enum Metric: String, CaseIterable, Sendable {
    case epoch
    case trainLoss = "train-loss"
    case testLoss = "test-loss"
    case trainAccuracy = "train-accuracy"
    case testAccuracy = "test-accuracy"
    case steps
    case regLoss = "reg-loss"
    case params
    case gradcheck

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
        case .trainLoss, .trainAccuracy:
            guard let m = train() else { throw ShellError("\(rawValue) has no value: there are no training points") }
            return self == .trainLoss ? m.loss : m.accuracy
        case .testLoss, .testAccuracy:
            guard let m = test() else { throw ShellError("\(rawValue) has no value: there are no test points (hold some out with `data split test=0.5`)") }
            return self == .testLoss ? m.loss : m.accuracy
        }
    }

    /// A value as `stats` prints it: six significant digits, whole numbers without a point.
    public static func text(_ v: Double) -> String {
        v == v.rounded() && abs(v) < 1e15 ? formatNumber(v) : formatMetric(v, digits: 6)
    }
}
