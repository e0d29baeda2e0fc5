/// Where one layer's parameters live in the network's parameter vector.
///
/// A layer's weights are a `size × inputs` matrix stored row after row (row j = the weights into
/// neuron j), followed by its `size` biases.
public struct LayerShape: Equatable, Sendable {
    public let inputs: Int
    public let size: Int
    public let weightOffset: Int
    public var biasOffset: Int { weightOffset + inputs * size }
    public var parameterCount: Int { (inputs + 1) * size }
    /// Offset of the weight from input i into neuron j.
    @inlinable public func weightIndex(neuron j: Int, input i: Int) -> Int { weightOffset + j * inputs + i }
}

/// A multilayer perceptron: input features, hidden layers, an output layer.
///
/// All parameters sit in one contiguous vector, layer after layer (weights, then biases), so that
/// optimisers, gradient checks and snapshots treat them as one array and kernels walk them linearly.
/// Layers are numbered as in the command language: 0 is the input features, 1…H the hidden layers,
/// H+1 the output layer.
///
/// ```swift
/// var net = try Network(features: [.x, .y], hidden: [(4, .tanh), (2, .tanh)], classes: 2)
/// net.initialize(.xavier, seed: 1)
/// let p = net.predict(x: 1, y: 2)     // class probabilities / output values
/// ```
public struct Network: Equatable, Sendable {
    public private(set) var features: [Feature]
    public private(set) var hiddenSizes: [Int]
    public private(set) var hiddenActivations: [Activation]
    /// The dropout rate of each hidden layer (0 = none): in training only, each activation of the
    /// layer is kept with probability 1 − rate and scaled by 1/(1 − rate) (`DropoutMasks`).
    public private(set) var dropoutRates: [Double]
    public private(set) var outputActivation: OutputActivation
    /// Classes told apart; 1 for a regression network (one real output, see `problem`).
    public private(set) var classCount: Int
    /// Shapes of the hidden layers and, last, the output layer.
    public private(set) var layers: [LayerShape]
    /// Every weight and bias, layer after layer.
    public var parameters: [Double]

    /// Widest layer allowed (memory and time per step grow with its square).
    public static let maxWidth = 1024
    /// Most hidden layers allowed.
    public static let maxHiddenLayers = 32
    /// Most parameters allowed in all (32 MB of weights, and as much again per optimiser buffer).
    public static let maxParameters = 4_000_000

    /// A network with all parameters 0; call `initialize` to draw weights.
    public init(features: [Feature], hidden: [(size: Int, activation: Activation)], classes: Int,
                output: OutputActivation? = nil) throws {
        self.features = []
        self.hiddenSizes = []
        self.hiddenActivations = []
        self.dropoutRates = []
        self.outputActivation = .sigmoid
        self.classCount = 2
        self.layers = []
        self.parameters = []
        try rebuild(features: features, hiddenSizes: hidden.map(\.size), activations: hidden.map(\.activation),
                    classes: classes, output: output ?? OutputActivation.defaultFor(classes: classes))
    }

    /// Classification, or regression (one class: a single linear or tanh output that aims at each
    /// point's real target).
    public var problem: Problem { classCount == Problem.regressionClassCount ? .regression : .classification }

    /// Why `loss` cannot train this network's output (for its problem), or nil when it can.
    public func incompatibility(of loss: Loss) -> String? {
        loss.incompatibility(with: outputActivation, outputCount: outputCount, problem: problem)
    }

    /// Number of hidden layers.
    public var hiddenCount: Int { hiddenSizes.count }
    /// Number of output neurons.
    public var outputCount: Int { layers[layers.count - 1].size }
    /// Width of layer k (0 = inputs, 1…H hidden, H+1 output).
    public func width(ofLayer k: Int) -> Int { k == 0 ? features.count : layers[k - 1].size }
    /// Largest width of any layer, inputs included.
    public var maxWidth: Int { ([features.count] + layers.map(\.size)).max() ?? 0 }
    /// The activation of hidden layer k (1…H).
    public func activation(ofHiddenLayer k: Int) -> Activation { hiddenActivations[k - 1] }

    /// Layer k's name in commands and pictures: `in` (0), `1`…`H`, `out` (H+1).
    public func layerName(_ k: Int) -> String {
        k == 0 ? "in" : (k == hiddenCount + 1 ? "out" : String(k))
    }

    /// Neuron j's (0-based) name: a feature's name in layer 0, else e.g. `2.3` or `out.1`.
    public func neuronName(layer k: Int, neuron j: Int) -> String {
        k == 0 ? features[j].rawValue : "\(layerName(k)).\(j + 1)"
    }

    /// The name of layer k's activation (`feature` for the inputs).
    public func activationName(ofLayer k: Int) -> String {
        k == 0 ? "feature" : (k == hiddenCount + 1 ? outputActivation.rawValue : hiddenActivations[k - 1].rawValue)
    }

    /// Re-lays out the parameter vector for a new architecture; parameters become 0.
    private mutating func rebuild(features: [Feature], hiddenSizes: [Int], activations: [Activation],
                                  classes: Int, output: OutputActivation) throws {
        guard !features.isEmpty else {
            throw NNPlayError("a network needs at least one input feature (\(Feature.namesList))")
        }
        guard Set(features).count == features.count else { throw NNPlayError("a feature is listed twice") }
        guard hiddenSizes.count <= Network.maxHiddenLayers else {
            throw NNPlayError("\(hiddenSizes.count) hidden layers is more than the limit of \(Network.maxHiddenLayers)")
        }
        for size in hiddenSizes where !(1...Network.maxWidth).contains(size) {
            throw NNPlayError("a layer of \(size) neurons: layers have 1 to \(Network.maxWidth) neurons")
        }
        if classes == Problem.regressionClassCount {
            if let reason = output.regressionIncompatibility { throw NNPlayError(reason) }
        } else {
            guard (2...Dataset.maxClasses).contains(classes) else {
                throw NNPlayError("\(classes) classes: a network classifies 2 to \(Dataset.maxClasses) classes")
            }
        }
        var shapes: [LayerShape] = []
        var inputs = features.count, offset = 0
        for size in hiddenSizes + [output.outputCount(classes: classes)] {
            shapes.append(LayerShape(inputs: inputs, size: size, weightOffset: offset))
            offset += (inputs + 1) * size
            inputs = size
        }
        guard offset <= Network.maxParameters else {
            throw NNPlayError("\(offset) parameters is more than the limit of \(Network.maxParameters)")
        }
        self.features = features
        self.hiddenSizes = hiddenSizes
        self.hiddenActivations = activations
        self.dropoutRates = [Double](repeating: 0, count: hiddenSizes.count)
        self.classCount = classes
        self.outputActivation = output
        self.layers = shapes
        self.parameters = [Double](repeating: 0, count: offset)
    }

    /// Draws every layer's weights (biases 0). Each layer draws from its own seeded stream, so
    /// re-initialising one layer gives the same weights as initialising the whole network.
    public mutating func initialize(_ initializer: Initializer, seed: UInt64) {
        for k in layers.indices { initializeLayer(index: k, initializer, seed: seed) }
    }

    /// Draws the weights of layers[index] (0-based among hidden + output) and zeroes its biases.
    public mutating func initializeLayer(index k: Int, _ initializer: Initializer, seed: UInt64) {
        let shape = layers[k]
        var rng = SeededGenerator(seed: seed, streamNumber: 100 + UInt64(k))
        let bound = initializer.bound(fanIn: shape.inputs, fanOut: shape.size)
        for i in shape.weightOffset..<shape.biasOffset { parameters[i] = rng.nextUniform(-bound, bound) }
        for i in shape.biasOffset..<(shape.biasOffset + shape.size) { parameters[i] = 0 }
    }

    /// Indices into `parameters` that are weights (regularisation applies to these, not to biases).
    public var weightRanges: [Range<Int>] { layers.map { $0.weightOffset..<$0.biasOffset } }

    /// The largest |w| of any weight (not bias): the thickest connection of the network pictures.
    public var largestWeight: Double {
        var largest = 0.0
        for r in weightRanges { for i in r { largest = Swift.max(largest, abs(parameters[i])) } }
        return largest
    }

    /// Whether every parameter is a finite number.
    public var isFinite: Bool { parameters.allSatisfy(\.isFinite) }

    // MARK: Architecture changes (each leaves all parameters 0: initialise afterwards)

    /// A copy with other features, hidden layers, activations or output. Parameters are 0.
    /// `dropout` gives the new hidden layers' dropout rates; without it they stay when the number of
    /// hidden layers does, else they are all 0.
    public func reshaped(features: [Feature]? = nil, hidden: [(size: Int, activation: Activation)]? = nil,
                         classes: Int? = nil, output: OutputActivation? = nil, dropout: [Double]? = nil) throws -> Network {
        var copy = self
        let h = hidden ?? zip(hiddenSizes, hiddenActivations).map { ($0, $1) }
        try copy.rebuild(features: features ?? self.features, hiddenSizes: h.map(\.size),
                         activations: h.map(\.activation), classes: classes ?? classCount,
                         output: output ?? outputActivation)
        if let dropout {
            guard dropout.count == h.count else { throw NNPlayError("\(dropout.count) dropout rates for \(h.count) hidden layers") }
            for (k, rate) in dropout.enumerated() { try copy.setDropout(rate, layer: k + 1) }
        } else if h.count == hiddenCount {
            copy.dropoutRates = dropoutRates
        }
        return copy
    }

    /// Sets hidden layer k's (1…H) dropout rate, in [0, 1); weights and shapes stay.
    public mutating func setDropout(_ rate: Double, layer k: Int) throws {
        guard k >= 1 && k <= hiddenCount else {
            throw NNPlayError("dropout applies to hidden layers (\(hiddenCount == 0 ? "the network has none" : "1…\(hiddenCount)")), not layer \(k)")
        }
        guard Network.isDropoutRate(rate) else {
            throw NNPlayError("dropout rate \(formatNumber(rate)) is out of range: a dropout rate is in [0, 1) (0 = off)")
        }
        dropoutRates[k - 1] = rate
    }

    /// Whether a number is a dropout rate: finite, in [0, 1).
    public static func isDropoutRate(_ rate: Double) -> Bool { rate.isFinite && rate >= 0 && rate < 1 }

    /// Whether any hidden layer drops out in training.
    public var hasDropout: Bool { dropoutRates.contains { $0 > 0 } }

    /// A copy with other activations but the same parameters (shapes do not change).
    public func withActivations(hidden: [Activation]? = nil, output: OutputActivation? = nil) throws -> Network {
        var copy = self
        if let hidden {
            guard hidden.count == hiddenCount else { throw NNPlayError("\(hidden.count) activations for \(hiddenCount) layers") }
            copy.hiddenActivations = hidden
        }
        if let output {
            if problem == .regression, let reason = output.regressionIncompatibility { throw NNPlayError(reason) }
            guard output.outputCount(classes: classCount) == outputCount else {
                return try reshaped(hidden: zip(hiddenSizes, hidden ?? hiddenActivations).map { ($0, $1) }, output: output)
            }
            copy.outputActivation = output
        }
        return copy
    }

    // MARK: Reading parameters

    /// Weights into the neurons of layers[index] (0-based), `weights[j][i]` from input i to neuron j.
    public func weightMatrix(layerIndex k: Int) -> [[Double]] {
        let s = layers[k]
        return (0..<s.size).map { j in Array(parameters[s.weightIndex(neuron: j, input: 0)..<s.weightIndex(neuron: j, input: s.inputs)]) }
    }

    /// Biases of layers[index] (0-based).
    public func biases(layerIndex k: Int) -> [Double] {
        let s = layers[k]
        return Array(parameters[s.biasOffset..<(s.biasOffset + s.size)])
    }

    /// Total count of weights and biases.
    public var parameterCount: Int { parameters.count }

    /// Text of the architecture, e.g. `x y → 4 tanh → 2 tanh → 1 sigmoid`, or with dropout on layer 1
    /// `x y → 8 tanh (dropout 0.5) → 2 tanh → 1 sigmoid`.
    public var architecture: String {
        var parts = [features.map(\.rawValue).joined(separator: " ")]
        for (k, (size, act)) in zip(hiddenSizes, hiddenActivations).enumerated() {
            let rate = dropoutRates[k]
            parts.append("\(size) \(act.rawValue)" + (rate > 0 ? " (dropout \(formatNumber(rate)))" : ""))
        }
        parts.append("\(outputCount) \(outputActivation.rawValue)")
        return parts.joined(separator: " → ")
    }
}
