/// The knobs of training. Defaults are the default playground's (SPEC.md).
public struct TrainingSettings: Equatable, Sendable {
    public var learningRate: Double = 0.03
    public var batchSize: Int = 10
    public var optimizer: Optimizer = .sgd
    /// μ of the momentum and nesterov optimisers.
    public var momentum: Double = 0.9
    /// Adam's β₁, β₂ and ε (ε also in rmsprop's and adagrad's denominators).
    public var beta1: Double = 0.9
    public var beta2: Double = 0.999
    public var epsilon: Double = 1e-8
    /// ρ of rmsprop: how much of the running mean of g² each step keeps.
    public var decay: Double = 0.9
    /// How the rate changes with the epochs or steps trained (`lr` is its starting value).
    public var schedule: LearningRateSchedule = .constant
    public var loss: Loss = .bce
    public var regularization: Regularization = .none
    public var regularizationRate: Double = 0
    public var initializer: Initializer = .xavier
    /// Seed of the data, the initial weights and the shuffles.
    public var seed: UInt64 = 1
    /// The fraction of the training points held out as validation points (0: none).
    public var validationFraction: Double = 0

    public init() {}

    /// Largest batch size accepted.
    public static let maxBatchSize = 100_000
    /// Largest seed: seeds are whole numbers that JSON (doubles) holds exactly.
    public static let maxSeed = 9_007_199_254_740_991
}
