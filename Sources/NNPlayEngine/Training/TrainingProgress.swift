/// One line of the training history: the metrics at the end of an epoch.
public struct EpochRecord: Equatable, Sendable {
    public var epoch: Int
    public var steps: Int
    public var train: Metrics?
    public var test: Metrics?
    /// On the validation points (nil when there are none).
    public var validation: Metrics? = nil
    /// The L2 norm of each layer's weight gradient (hidden layers, then the output), averaged over
    /// the epoch's steps: the gradient the optimiser saw, weighted by each batch's points (with
    /// full batches, the full training set's gradient at the epoch's start). Empty when unknown.
    public var gradientNorms: [Double] = []
}

/// How far training has got: counters, the current epoch's order, the optimiser's memory and the
/// history. Part of a playground's state, so that training in pieces equals training at once.
public struct TrainingProgress: Equatable, Sendable {
    /// Completed epochs.
    public internal(set) var epoch = 0
    /// Training points already used in the current epoch.
    public internal(set) var position = 0
    /// Mini-batch steps taken in all.
    public internal(set) var steps = 0
    /// The current epoch's shuffled order of training points.
    var order: [Int] = []
    /// Draws each epoch's order.
    var shuffler: SeededGenerator
    /// Draws the dropout masks of each step (untouched by networks without dropout).
    var dropoutGenerator: SeededGenerator
    public internal(set) var optimizerState: OptimizerState
    /// Metrics at the end of the epochs: every one of the last `exactRecent`, and before them the
    /// first epoch and every `historyStride`-th (see `record`), so that a million epochs keep a
    /// loss curve of a few thousand evenly spaced points, not a million records.
    public internal(set) var history: [EpochRecord] = []
    /// Spacing, in epochs, of the records older than the last `exactRecent`.
    public internal(set) var historyStride = 1
    /// The mini-batch loss of the steps (evenly thinned when long).
    public internal(set) var stepLosses = StepLossLog()
    /// The current epoch's gradients so far, each weighted by its batch's points, and those points:
    /// the epoch's gradient norms, the same whether the epoch is trained in one call or in pieces.
    var epochGradient: [Double] = []
    var epochGradientPoints = 0
    /// The parameters at the start of training and at epoch ends (for `plot landscape`).
    public internal(set) var path = ParameterPath()

    /// Most records the history holds, and how many of the latest are always every epoch's.
    public static let historyLimit = 4096
    public static let exactRecent = 1024

    /// Appends an epoch's record. Past `historyLimit` records, the older ones off the spacing go, and
    /// the spacing doubles while they still fill more than three quarters of the limit: the curve
    /// keeps its shape, evenly sampled, in bounded memory (the spacing grows with the epochs).
    mutating func record(_ r: EpochRecord) {
        history.append(r)
        guard history.count > TrainingProgress.historyLimit else { return }
        repeat {
            let older = history.count - TrainingProgress.exactRecent
            var kept: [EpochRecord] = []
            kept.reserveCapacity(TrainingProgress.historyLimit)
            for (i, record) in history[..<older].enumerated() where i == 0 || record.epoch % historyStride == 0 { kept.append(record) }
            history = kept + history[older...]
            if history.count > TrainingProgress.historyLimit * 3 / 4 { historyStride *= 2 } else { break }
        } while true
    }

    init(seed: UInt64, parameterCount: Int) {
        shuffler = SeededGenerator(seed: seed, stream: .shuffle)
        dropoutGenerator = SeededGenerator(seed: seed, stream: .dropout)
        optimizerState = OptimizerState(parameterCount: parameterCount)
    }

    /// Training so far as a number of epochs, e.g. 3.5 halfway through the fourth.
    public func epochs(trainingPoints n: Int) -> Double {
        n == 0 ? Double(epoch) : Double(epoch) + Double(position) / Double(n)
    }
}

/// How long to train.
public enum TrainingLength: Equatable, Sendable {
    /// Until the epoch counter has grown by N (an epoch in progress counts as the first).
    case epochs(Int)
    /// N mini-batch steps.
    case steps(Int)
}

/// Why training stopped early because numbers stopped being numbers.
public struct Divergence: Equatable, Sendable, CustomStringConvertible {
    public var epoch: Int
    public var step: Int
    /// The layer where non-finite values showed first, if known, by name (`1`…`H`, `out`).
    public var layer: String?
    public var what: String

    public var description: String {
        let place = layer.map { " (first seen in layer \($0))" } ?? ""
        return "training diverged at epoch \(epoch), step \(step): \(what)\(place); weights restored to the last finite values"
    }
}

/// What a call to `train` did.
public struct TrainingOutcome: Equatable, Sendable {
    public var steps = 0
    public var epochs = 0
    /// Stopped by the caller (Ctrl-C) before the planned length.
    public var interrupted = false
    public var divergence: Divergence?

    public init() {}
}

/// A report handed to the progress callback after every step.
public struct TrainingReport: Sendable {
    public var epoch: Int
    public var totalSteps: Int
    public var stepsDone: Int
    public var stepsPlanned: Int
    /// Whether this step ended an epoch (and `latest` is that epoch's record).
    public var endedEpoch: Bool
    public var latest: EpochRecord?
    /// The learning rate this step used (the `lr` setting under the schedule).
    public var learningRate: Double = 0
}

/// Hooks for a caller that watches or stops training.
public struct TrainingControl {
    /// Asked after every step; true stops training there, keeping the weights reached.
    public var shouldStop: () -> Bool
    /// Called after every step with a report and a function that gives the network as it is now.
    public var onProgress: ((TrainingReport, () -> Network) -> Void)?
    /// Whether to measure the train and test sets at the end of every epoch (for the history).
    public var recordHistory: Bool

    public init(shouldStop: @escaping () -> Bool = { false },
                onProgress: ((TrainingReport, () -> Network) -> Void)? = nil, recordHistory: Bool = true) {
        self.shouldStop = shouldStop
        self.onProgress = onProgress
        self.recordHistory = recordHistory
    }
}
