/// Everything a session builds: the data, the network, the training settings, and how far training
/// has got. A value: copy it to keep a state, compare two to see whether anything changed.
///
/// ```swift
/// var p = Playground.makeDefault()          // circle, 2 → 4 tanh → 2 tanh → 1 sigmoid
/// let outcome = p.train(.epochs(100))
/// print(p.testMetrics?.accuracy ?? 0)
/// ```
public struct Playground: Equatable {
    public private(set) var dataset: Dataset
    public internal(set) var network: Network
    public private(set) var settings: TrainingSettings
    public internal(set) var progress: TrainingProgress

    /// A playground with a freshly initialised network. Throws when the network does not fit the
    /// data (class count) or the loss does not suit the output.
    public init(dataset: Dataset, network: Network, settings: TrainingSettings, initialize: Bool = true) throws {
        guard network.classCount == dataset.classCount else {
            throw NNPlayError(Playground.mismatch(network, dataset, who: "network"))
        }
        try settings.validate()
        if let problem = network.incompatibility(of: settings.loss) {
            throw NNPlayError(problem)
        }
        self.dataset = dataset
        self.network = network
        self.settings = settings
        self.progress = TrainingProgress(seed: settings.seed, parameterCount: network.parameterCount)
        if initialize { self.network.initialize(settings.initializer, seed: settings.seed) }
        holdOutValidation()
    }

    /// Holds the validation fraction of the training points out (after every change of the data,
    /// its split, or the fraction); the epoch order starts again.
    private mutating func holdOutValidation() {
        let before = dataset.trainIndices
        dataset.holdOutValidation(fraction: settings.validationFraction, seed: settings.seed)
        if dataset.trainIndices != before {
            progress.position = 0
            progress.order = []
        }
    }

    /// Why a network does not fit the data: its class count, or its problem.
    static func mismatch(_ net: Network, _ data: Dataset, who: String) -> String {
        switch (net.problem, data.problem) {
        case (.regression, .classification):
            return "the \(who) is for regression (one real output) but the data has \(data.classCount) classes"
        case (.classification, .regression):
            return "the \(who) classifies \(net.classCount) classes but the data is regression data (real targets)"
        default:
            return "the \(who) classifies \(net.classCount) classes but the data has \(data.classCount)"
        }
    }

    /// The default playground of SPEC.md: circle, 500 points, noise 0, half for test; features x y;
    /// hidden layers 4 and 2 with tanh; learning rate 0.03; batch 10; no regularisation; SGD.
    public static func makeDefault(seed: UInt64 = 1) -> Playground {
        var settings = TrainingSettings()
        settings.seed = seed
        do {
            let data = try Dataset.generate(.circle, count: 500, noise: 0, classes: 2, testFraction: 0.5, seed: seed)
            let net = try Network(features: [.x, .y], hidden: [(4, .tanh), (2, .tanh)], classes: 2)
            return try Playground(dataset: data, network: net, settings: settings)
        } catch {
            preconditionFailure("the default playground is valid: \(error)")
        }
    }

    // MARK: Changing the data

    /// Puts in new data. The network and its weights stay when the class count is unchanged;
    /// otherwise the output layer is rebuilt (and the output activation and loss adapted) and the
    /// returned notes say so. Training continues from the weights, with a fresh epoch order.
    ///
    /// Named classes are matched by name: when the current data and the new data both have names
    /// and share any, the new data's classes are numbered as the current ones (its names must all be
    /// among them), so a model trained on one file measures another with its rows in any order.
    @discardableResult
    public mutating func replaceDataset(_ newData: Dataset) throws -> [String] {
        var notes: [String] = []
        var data = newData
        if let current = dataset.classNames, let incoming = data.classNames, !Set(current).isDisjoint(with: incoming) {
            do { data = try data.numbered(as: current) } catch let e as NNPlayError {
                throw NNPlayError("\(e.message) (the classes of the current data): load data of the same classes, or start over with `new`")
            }
            if incoming != current { notes.append("classes matched by name: \(current.joined(separator: ", "))") }
        }
        var next = self
        next.dataset = data
        if data.classCount != network.classCount {
            // sigmoid and softmax follow the class count (their defaults); tanh and linear stay;
            // a change of problem takes the new problem's default (linear for regression)
            var output = network.outputActivation
            if output == .sigmoid || output == .softmax || data.problem != network.problem {
                output = OutputActivation.defaultFor(classes: data.classCount)
            }
            var net = try network.reshaped(classes: data.classCount, output: output)
            // keep the hidden layers' weights, draw the new output layer
            let keep = network.layers.dropLast().last.map { $0.biasOffset + $0.size } ?? 0
            for i in 0..<keep { net.parameters[i] = network.parameters[i] }
            net.initializeLayer(index: net.layers.count - 1, settings.initializer, seed: settings.seed)
            next.network = net
            notes.append("output layer rebuilt for \(data.problem == .regression ? "regression" : "\(data.classCount) classes"): \(net.outputCount) \(output.rawValue)")
            // a loss that was the natural one for the old output follows the output; others stay if they can
            if settings.loss == Loss.natural(for: network.outputActivation)
                || net.incompatibility(of: settings.loss) != nil {
                next.settings.loss = Loss.natural(for: output)
                if next.settings.loss != settings.loss { notes.append("loss is now \(next.settings.loss.rawValue)") }
            }
            next.progress.optimizerState = OptimizerState(parameterCount: net.parameterCount)
        }
        next.progress.position = 0
        next.progress.order = []
        next.holdOutValidation()
        self = next
        return notes
    }

    /// Draws a new train/test split of the current data.
    public mutating func resplit(testFraction: Double, seed: UInt64) throws {
        guard testFraction.isFinite, (0...1).contains(testFraction) else {
            throw NNPlayError("test=\(formatNumber(testFraction)) is out of range: test is a fraction in [0, 1]")
        }
        dataset.resplit(testFraction: testFraction, seed: seed)
        progress.position = 0
        progress.order = []
        holdOutValidation()
    }

    /// Adds one point (see `Dataset.addPoint`). The network, its weights, the settings and the
    /// epoch count stay; the epoch in progress starts again, its order drawn over the new points.
    public mutating func addPoint(x: Double, y: Double, label: Int, toTest: Bool) throws {
        try editPoints { try $0.addPoint(x: x, y: y, label: label, toTest: toTest) }
    }

    /// Adds one point with a real target to regression data, as `addPoint(label:)` does.
    public mutating func addPoint(x: Double, y: Double, value: Double, toTest: Bool) throws {
        try editPoints { try $0.addPoint(x: x, y: y, value: value, toTest: toTest) }
    }

    /// Removes the points near (x, y) (see `Dataset.removePoints`); weights and settings stay, and
    /// the epoch in progress starts again as after `addPoint`.
    @discardableResult
    public mutating func removePoints(nearX x: Double, y: Double, radius: Double?) throws -> Dataset.PointRemoval {
        try editPoints { try $0.removePoints(nearX: x, y: y, radius: radius) }
    }

    /// Edits the points of the data (nothing changes when `edit` throws), then starts the epoch
    /// again and holds out the validation points anew.
    private mutating func editPoints<T>(_ edit: (inout Dataset) throws -> T) throws -> T {
        var data = dataset
        let result = try edit(&data)
        dataset = data
        restartEpoch()
        holdOutValidation()
        return result
    }

    /// After the training points changed: the next step starts an epoch with a fresh order, so that
    /// no position or order refers to points that are gone or misses new ones.
    private mutating func restartEpoch() {
        progress.position = 0
        progress.order = []
    }

    // MARK: Changing the network

    /// Puts in a new network of the same data's class count. With `initialize`, draws its weights
    /// and starts training afresh (epoch 0); without, keeps the given weights and the progress
    /// (use for activation changes that keep shapes).
    public mutating func replaceNetwork(_ net: Network, initialize: Bool) throws -> [String] {
        guard net.classCount == dataset.classCount else {
            throw NNPlayError(Playground.mismatch(net, dataset, who: "network"))
        }
        var notes: [String] = []
        var next = self
        next.network = net
        if let _ = net.incompatibility(of: settings.loss) {
            next.settings.loss = Loss.natural(for: net.outputActivation)
            notes.append("loss is now \(next.settings.loss.rawValue) (\(settings.loss.rawValue) does not suit a \(net.outputActivation.rawValue) output)")
        }
        if initialize {
            next.network.initialize(settings.initializer, seed: settings.seed)
            next.progress = TrainingProgress(seed: settings.seed, parameterCount: net.parameterCount)
        } else if net.parameterCount != network.parameterCount {
            next.progress.optimizerState = OptimizerState(parameterCount: net.parameterCount)
        }
        self = next
        return notes
    }

    /// Puts in a trained network (e.g. from a model file) with its weights, and its settings when
    /// given; training progress starts afresh. The model must classify the data's class count.
    /// When both the model and the data name their classes, the data's classes are numbered as
    /// the model's (every one of the data's names must be among the model's).
    @discardableResult
    public mutating func install(model: Network, settings newSettings: TrainingSettings?, classNames: [String]? = nil) throws -> [String] {
        var next = self
        var notes: [String] = []
        if let names = classNames, let own = dataset.classNames {
            guard names.count == model.classCount else { throw NNPlayError("the model names \(names.count) classes but classifies \(model.classCount)") }
            do { next.dataset = try dataset.numbered(as: names) } catch let e as NNPlayError {
                throw NNPlayError("the data's \(e.message) (the model's classes): load data of the model's classes first")
            }
            if own != names { notes.append("the data's classes are numbered as the model's: \(names.joined(separator: ", "))") }
        }
        guard model.classCount == next.dataset.classCount else {
            if model.problem == .classification && dataset.problem == .classification {
                throw NNPlayError("the model classifies \(model.classCount) classes but the data has \(dataset.classCount): load data with \(model.classCount) classes first")
            }
            throw NNPlayError(Playground.mismatch(model, dataset, who: "model") + ": load \(model.problem == .regression ? "regression data" : "data with \(model.classCount) classes") first")
        }
        guard model.isFinite else { throw NNPlayError("the model has a weight that is not a finite number") }
        next.network = model
        if let s = newSettings {
            try s.validate()
            next.settings = s
        }
        if model.incompatibility(of: next.settings.loss) != nil {
            next.settings.loss = Loss.natural(for: model.outputActivation)
            notes.append("loss is now \(next.settings.loss.rawValue)")
        }
        next.progress = TrainingProgress(seed: next.settings.seed, parameterCount: model.parameterCount)
        next.holdOutValidation()
        self = next
        return notes
    }

    /// Sets hidden layer k's (1…H) dropout rate, in [0, 1) (0 = off). Shapes do not change, so the
    /// weights, the optimiser's memory and the training progress all stay, as for a setting.
    public mutating func setDropout(_ rate: Double, layer k: Int) throws {
        try network.setDropout(rate, layer: k)
    }

    /// Draws the weights again and starts training afresh; data and settings stay.
    public mutating func reset() {
        network.initialize(settings.initializer, seed: settings.seed)
        progress = TrainingProgress(seed: settings.seed, parameterCount: network.parameterCount)
    }

    /// Replaces the weights with given ones (same shapes), e.g. from a model file.
    public mutating func setParameters(_ parameters: [Double]) throws {
        guard parameters.count == network.parameterCount else {
            throw NNPlayError("\(parameters.count) parameters for a network of \(network.parameterCount)")
        }
        guard parameters.allSatisfy(\.isFinite) else { throw NNPlayError("a parameter is not a finite number") }
        network.parameters = parameters
    }

    /// Largest size of a weight or bias set by hand: beyond it every sum it feeds saturates or
    /// overflows, which teaches nothing.
    public static let maxHandSetParameter = 1e6

    /// Sets one parameter (an index into `network.parameters`) by hand. The other weights, the
    /// training progress and the optimiser's memory stay: training continues from the new value.
    public mutating func setParameter(_ index: Int, to value: Double) throws {
        guard network.parameters.indices.contains(index) else {
            throw NNPlayError("parameter \(index) does not exist: the network has \(network.parameterCount)")
        }
        guard value.isFinite, abs(value) <= Playground.maxHandSetParameter else {
            throw NNPlayError("\(formatNumber(value)) is out of range: a weight or bias is a finite number from -1e6 to 1e6")
        }
        network.parameters[index] = value
    }

    // MARK: Settings

    /// Changes the training settings. A new optimiser starts with empty memory.
    public mutating func updateSettings(_ new: TrainingSettings) throws {
        try new.validate()
        if let problem = network.incompatibility(of: new.loss) {
            throw NNPlayError(problem)
        }
        if new.optimizer != settings.optimizer {
            progress.optimizerState = OptimizerState(parameterCount: network.parameterCount)
        }
        let validationChanged = new.validationFraction != settings.validationFraction
        settings = new
        if validationChanged { holdOutValidation() }
    }

    // MARK: Measuring

    /// Loss and accuracy on the training points (nil when there are none).
    public var trainMetrics: Metrics? {
        network.metrics(on: dataset, indices: dataset.trainIndices, loss: settings.loss)
    }

    /// Loss and accuracy on the validation points (nil when there are none).
    public var validationMetrics: Metrics? {
        network.metrics(on: dataset, indices: dataset.validationIndices, loss: settings.loss)
    }

    /// Loss and accuracy on the test points (nil when there are none).
    public var testMetrics: Metrics? {
        network.metrics(on: dataset, indices: dataset.testIndices, loss: settings.loss)
    }

    /// The regularisation term regRate·R(w) of the current weights.
    public var regularizationLoss: Double {
        guard settings.regularization != .none else { return 0 }
        var total = 0.0
        for range in network.weightRanges {
            for i in range { total += settings.regularization.penalty(network.parameters[i]) }
        }
        return settings.regularizationRate * total
    }

    /// Training so far in epochs, e.g. 3.5 halfway through the fourth.
    public var epochsTrained: Double { progress.epochs(trainingPoints: dataset.trainIndices.count) }

    /// Mini-batch steps in one epoch with the current data and batch size.
    public var stepsPerEpoch: Int {
        let n = dataset.trainIndices.count, b = Swift.min(settings.batchSize, Swift.max(n, 1))
        return (n + b - 1) / b
    }
}

extension TrainingSettings {
    /// Throws when a value is out of its range (the registry's); the message names the setting and the range.
    public func validate() throws {
        for setting in SettingsRegistry.all { try setting.check(setting.value(in: self)) }
        try schedule.validate()
    }
}
