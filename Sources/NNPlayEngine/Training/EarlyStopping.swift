/// `train until`: train epoch after epoch until a metric meets a bound, or (with patience) until
/// the validation loss has not improved for a number of epochs, at most `maxEpochs`.
public struct StoppingRule: Equatable, Sendable {
    /// A number measured at the end of every epoch.
    public enum EpochMetric: String, CaseIterable, Sendable {
        case trainLoss = "train-loss", testLoss = "test-loss", valLoss = "val-loss"
        case trainAccuracy = "train-accuracy", testAccuracy = "test-accuracy", valAccuracy = "val-accuracy"
        /// Regression only.
        case trainRmse = "train-rmse", testRmse = "test-rmse", valRmse = "val-rmse"
        case trainR2 = "train-r2", testR2 = "test-r2", valR2 = "val-r2"

        /// Its value in an epoch's record, nil when that set is empty (or the metric is not of the problem).
        public func value(in r: EpochRecord) -> Double? {
            switch self {
            case .trainLoss: return r.train?.loss
            case .testLoss: return r.test?.loss
            case .valLoss: return r.validation?.loss
            case .trainAccuracy: return r.train?.accuracy
            case .testAccuracy: return r.test?.accuracy
            case .valAccuracy: return r.validation?.accuracy
            case .trainRmse: return r.train?.rmse
            case .testRmse: return r.test?.rmse
            case .valRmse: return r.validation?.rmse
            case .trainR2: return r.train?.r2
            case .testR2: return r.test?.r2
            case .valR2: return r.validation?.r2
            }
        }

        var needsValidation: Bool { rawValue.hasPrefix("val-") }
        var needsTest: Bool { rawValue.hasPrefix("test-") }

        /// The problem the metric needs (nil: a loss, any problem).
        public var problem: Problem? {
            if rawValue.hasSuffix("-accuracy") { return .classification }
            if rawValue.hasSuffix("-rmse") || rawValue.hasSuffix("-r2") { return .regression }
            return nil
        }
    }

    public enum Comparison: String, CaseIterable, Sendable {
        case less = "<", lessOrEqual = "<=", greater = ">", greaterOrEqual = ">="

        public func holds(_ x: Double, _ bound: Double) -> Bool {
            switch self {
            case .less: return x < bound
            case .lessOrEqual: return x <= bound
            case .greater: return x > bound
            case .greaterOrEqual: return x >= bound
            }
        }
    }

    public struct Condition: Equatable, Sendable {
        public var metric: EpochMetric
        public var comparison: Comparison
        public var bound: Double

        public init(_ metric: EpochMetric, _ comparison: Comparison, _ bound: Double) {
            (self.metric, self.comparison, self.bound) = (metric, comparison, bound)
        }

        public var description: String { "\(metric.rawValue) \(comparison.rawValue) \(formatNumber(bound))" }
    }

    public var condition: Condition?
    /// Epochs without a lower validation loss after which training stops.
    public var patience: Int?
    public var maxEpochs: Int

    public init(condition: Condition? = nil, patience: Int? = nil, maxEpochs: Int) {
        (self.condition, self.patience, self.maxEpochs) = (condition, patience, maxEpochs)
    }
}

/// How a `train until` ended.
public struct StoppingOutcome: Sendable {
    public enum Reason: Equatable, Sendable {
        /// The condition held at the end of this epoch; its weights are kept.
        case conditionMet(epoch: Int)
        /// The validation loss had not improved for `patience` epochs.
        case patienceRanOut
        /// `maxEpochs` epochs ran without the condition holding.
        case reachedMax
        /// Ctrl-C, or training diverged (see `training`).
        case stoppedEarly
    }

    public var training: TrainingOutcome
    public var reason: Reason
    /// With patience: the epoch of the lowest validation loss and that loss.
    public var best: (epoch: Int, validationLoss: Double)?
    /// Whether the weights were set back to those of the best epoch.
    public var restoredBest: Bool
}

/// What the epoch-end observer found, shared with the stop test.
private final class StoppingState {
    var reason: StoppingOutcome.Reason?
    var best: (epoch: Int, loss: Double, parameters: [Double])?
    var sinceBest = 0
}

extension Playground {
    /// Trains until `rule` says stop. The condition is checked at the end of every epoch (at least one
    /// runs); with patience, the weights of the epoch with the lowest validation loss are put back
    /// when patience runs out or `maxEpochs` is reached (when the condition holds, its weights stay;
    /// Ctrl-C and divergence keep what they keep in every run).
    public mutating func train(until rule: StoppingRule, control: TrainingControl = TrainingControl()) throws -> StoppingOutcome {
        if rule.patience != nil || rule.condition?.metric.needsValidation == true, dataset.validationIndices.isEmpty {
            let what = rule.patience != nil ? "patience watches the validation loss" : "\(rule.condition?.metric.rawValue ?? "val-loss") is measured on the validation points"
            throw NNPlayError("\(what), and there are none: hold some training points out with `set validation 0.2`")
        }
        if rule.condition?.metric.needsTest == true, dataset.testIndices.isEmpty {
            throw NNPlayError("\(rule.condition?.metric.rawValue ?? "test-loss") is measured on the test points, and there are none: `data split test=0.5`")
        }
        if let metric = rule.condition?.metric, let needed = metric.problem, needed != dataset.problem {
            throw NNPlayError(needed == .classification
                ? "\(metric.rawValue) needs classes: this is regression data (use rmse or r2, e.g. test-r2)"
                : "\(metric.rawValue) is for regression data: this is classification data (use accuracy, e.g. test-accuracy)")
        }
        guard rule.maxEpochs >= 1 else { throw NNPlayError("max=\(rule.maxEpochs): train until runs at least one epoch") }
        if let p = rule.patience, p < 1 { throw NNPlayError("patience=\(p): patience is at least 1 epoch") }
        let state = StoppingState()
        var watched = control
        watched.recordHistory = true
        watched.onProgress = { report, network in
            control.onProgress?(report, network)
            guard report.endedEpoch, let r = report.latest, state.reason == nil else { return }
            if let patience = rule.patience, let v = r.validation?.loss {
                if state.best.map({ v < $0.loss }) ?? true {
                    state.best = (r.epoch, v, network().parameters)
                    state.sinceBest = 0
                } else {
                    state.sinceBest += 1
                    if state.sinceBest >= patience { state.reason = .patienceRanOut }
                }
            }
            if let c = rule.condition, let x = c.metric.value(in: r), c.comparison.holds(x, c.bound) {
                state.reason = .conditionMet(epoch: r.epoch)
            }
        }
        watched.shouldStop = { state.reason != nil || control.shouldStop() }
        var training = try train(.epochs(rule.maxEpochs), control: watched)
        let userStopped = training.interrupted && control.shouldStop()
        if state.reason != nil && !userStopped { training.interrupted = false }
        let reason: StoppingOutcome.Reason
        if userStopped || training.divergence != nil {
            reason = .stoppedEarly
        } else {
            reason = state.reason ?? .reachedMax
        }
        var restored = false
        // Ctrl-C keeps the weights reached, as every train does (and as a replay of its steps gives)
        if rule.patience != nil, let best = state.best, reason == .patienceRanOut || reason == .reachedMax,
           best.parameters != network.parameters {
            try setParameters(best.parameters)
            restored = true
        }
        return StoppingOutcome(training: training, reason: reason, best: state.best.map { ($0.epoch, $0.loss) }, restoredBest: restored)
    }
}
