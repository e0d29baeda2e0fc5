/// The model file of SPEC.md: a network's architecture and weights, and the training settings, as JSON.
///
/// ```
/// { "format": "nnplay-model", "version": 1, "features": ["x","y"], "classes": 2,
///   "layers": [ { "size": 4, "activation": "tanh", "weights": [[…], …], "biases": […] }, …, { output } ],
///   "settings": { "lr": 0.03, "batch": 10, "optimizer": "sgd", "loss": "bce", "reg": "none", "regRate": 0, … } }
/// ```
/// A hidden layer with dropout also has `"dropout": RATE` (in [0, 1); absent = 0, as in older files).
/// A regression model has `"problem": "regression"` and `"targets": {"min": …, "max": …}` (the range of
/// the targets it was trained on, for pictures) instead of `"classes"`; no `"problem"` = classification.
/// Numbers are written in their shortest exact form, so a saved and reloaded model predicts
/// bit-identically. Reading checks everything (format, version, names, shapes, finiteness) and says
/// which key of which layer is wrong.
public struct ModelFile: Equatable, Sendable {
    public var network: Network
    public var settings: TrainingSettings?
    public var classNames: [String]?
    /// A regression model's target range (from its data), when known.
    public var targetRange: ClosedRange<Double>?

    public static let format = "nnplay-model"
    public static let version = 1
    /// Largest model file read (a model at the parameter limit takes about 100 MB of text).
    public static let maxBytes = 256 * 1024 * 1024

    public init(network: Network, settings: TrainingSettings?, classNames: [String]? = nil, targetRange: ClosedRange<Double>? = nil) {
        self.network = network
        self.settings = settings
        self.classNames = classNames
        self.targetRange = targetRange
    }

    // MARK: Writing

    /// The file's text: one line per weight row, so that a person can read and diff it.
    public func encoded() -> String {
        var out = "{\n"
        out += "  \"format\": \"\(ModelFile.format)\",\n  \"version\": \(ModelFile.version),\n"
        out += "  \"features\": " + JSON.array(network.features.map { .string($0.rawValue) }).serialized() + ",\n"
        if network.problem == .regression {
            out += "  \"problem\": \"regression\",\n"
            if let r = targetRange {
                out += "  \"targets\": " + JSON.object([("min", .number(r.lowerBound)), ("max", .number(r.upperBound))]).serialized() + ",\n"
            }
        } else {
            out += "  \"classes\": \(network.classCount),\n"
        }
        if let names = classNames {
            out += "  \"classNames\": " + JSON.array(names.map { .string($0) }).serialized() + ",\n"
        }
        out += "  \"layers\": [\n"
        for k in network.layers.indices {
            let activation = network.activationName(ofLayer: k + 1)
            let rows = network.weightMatrix(layerIndex: k)
            out += "    { \"size\": \(rows.count), \"activation\": \"\(activation)\","
            // a hidden layer's dropout rate, only when it has one (absent = 0, as older files)
            if k < network.hiddenCount, network.dropoutRates[k] > 0 {
                out += " \"dropout\": " + JSON.number(network.dropoutRates[k]).serialized() + ","
            }
            out += "\n"
            out += "      \"weights\": [\n"
            for (j, row) in rows.enumerated() {
                out += "        " + JSON.array(row.map { .number($0) }).serialized() + (j < rows.count - 1 ? ",\n" : "\n")
            }
            out += "      ],\n"
            out += "      \"biases\": " + JSON.array(network.biases(layerIndex: k).map { .number($0) }).serialized()
            out += " }" + (k == network.layers.count - 1 ? "\n" : ",\n")
        }
        out += "  ]"
        if let s = settings {
            out += ",\n  \"settings\": " + ModelFile.settingsJSON(s).serialized()
        }
        out += "\n}\n"
        return out
    }

    static func settingsJSON(_ s: TrainingSettings) -> JSON { SettingsRegistry.json(s) }

    // MARK: Reading

    /// Reads a model file's text. Errors name the problem, e.g. `layer 2: "weights" has 3 rows but
    /// "size" is 4`.
    public static func decode(_ text: String) throws -> ModelFile {
        let root: JSON
        do { root = try JSON.parse(text) } catch let e as NNPlayError {
            throw NNPlayError("not valid JSON: \(e.message)")
        }
        guard case .object = root else { throw NNPlayError("not an nnplay model: the file is not a JSON object") }
        guard case .string(let format)? = root["format"], format == ModelFile.format else {
            throw NNPlayError("not an nnplay model: \"format\" must be \"\(ModelFile.format)\"")
        }
        guard case .number(let version)? = root["version"] else { throw NNPlayError("\"version\" is missing or not a number") }
        guard version == Double(ModelFile.version) else {
            throw NNPlayError("model version \(formatNumber(version)) is not supported: this nnplay reads version \(ModelFile.version)")
        }
        guard case .array(let featureValues)? = root["features"], !featureValues.isEmpty else {
            throw NNPlayError("\"features\" must be a non-empty list of names from: \(Feature.namesList)")
        }
        let features = try featureValues.map { value -> Feature in
            guard case .string(let name) = value, let f = Feature(name: name) else {
                throw NNPlayError("\"features\" has \(NNPlayError.excerpt(value.serialized())): features are \(Feature.namesList)")
            }
            return f
        }
        var problem = Problem.classification
        if let value = root["problem"] {
            guard case .string(let name) = value, let p = Problem(name: name) else {
                throw NNPlayError("\"problem\" is \(NNPlayError.excerpt(value.serialized())): it is \"classification\" or \"regression\"")
            }
            problem = p
        }
        let classes: Int
        var targetRange: ClosedRange<Double>?
        if problem == .regression {
            guard root["classes"] == nil, root["classNames"] == nil else {
                throw NNPlayError("a regression model has no \"classes\" or \"classNames\" (its output is a real number)")
            }
            classes = Problem.regressionClassCount
            targetRange = try targets(root["targets"])
        } else {
            classes = try integer(root["classes"], "\"classes\"", in: 2...Dataset.maxClasses)
        }
        var classNames: [String]?
        if let names = root["classNames"] {
            guard case .array(let items) = names, items.count == classes else {
                throw NNPlayError("\"classNames\" must list \(classes) names")
            }
            classNames = try items.map { item in
                guard case .string(let s) = item else { throw NNPlayError("\"classNames\" must hold strings") }
                return s
            }
        }
        guard case .array(let layerValues)? = root["layers"], !layerValues.isEmpty else {
            throw NNPlayError("\"layers\" must be a non-empty list (hidden layers, then the output layer)")
        }
        guard layerValues.count - 1 <= Network.maxHiddenLayers else {
            throw NNPlayError("\(layerValues.count - 1) hidden layers is more than the limit of \(Network.maxHiddenLayers)")
        }
        var hidden: [(size: Int, activation: Activation)] = []
        var dropout: [Double] = []
        var output = OutputActivation.sigmoid
        var sizes: [Int] = []
        for (k, layer) in layerValues.enumerated() {
            let name = "layer \(k + 1)"
            guard case .object = layer else { throw NNPlayError("\(name) is not an object") }
            let size = try integer(layer["size"], "\(name): \"size\"", in: 1...Network.maxWidth)
            guard case .string(let actName)? = layer["activation"] else { throw NNPlayError("\(name): \"activation\" is missing") }
            if k == layerValues.count - 1 {
                guard layer["dropout"] == nil else {
                    throw NNPlayError("\(name) (output): \"dropout\" is for hidden layers only, not the output layer")
                }
                guard let o = OutputActivation(name: actName) else {
                    throw NNPlayError("\(name) (output): activation \"\(NNPlayError.excerpt(actName))\" is not one of \(OutputActivation.namesList)")
                }
                if problem == .regression, let reason = o.regressionIncompatibility { throw NNPlayError("\(name) (output): \(reason)") }
                output = o
                guard size == o.outputCount(classes: classes) else {
                    throw NNPlayError(problem == .regression
                        ? "\(name) (output): size \(size) does not fit regression (needs 1 output)"
                        : "\(name) (output): size \(size) does not fit \(classes) classes with \(actName) (needs \(o.outputCount(classes: classes)))")
                }
            } else {
                guard let a = Activation(name: actName) else {
                    throw NNPlayError("\(name): activation \"\(NNPlayError.excerpt(actName))\" is not one of \(Activation.namesList)")
                }
                hidden.append((size, a))
                dropout.append(try dropoutRate(layer["dropout"], name))
            }
            sizes.append(size)
        }
        var network = try Network(features: features, hidden: hidden, classes: classes, output: output)
        for (k, rate) in dropout.enumerated() where rate > 0 { try network.setDropout(rate, layer: k + 1) }
        for (k, layer) in layerValues.enumerated() {
            let name = "layer \(k + 1)", shape = network.layers[k]
            guard case .array(let rows)? = layer["weights"] else { throw NNPlayError("\(name): \"weights\" is missing") }
            guard rows.count == shape.size else {
                throw NNPlayError("\(name): \"weights\" has \(rows.count) rows but \"size\" is \(shape.size)")
            }
            for (j, row) in rows.enumerated() {
                let values = try numbers(row, "\(name): weights row \(j + 1)")
                guard values.count == shape.inputs else {
                    throw NNPlayError("\(name): weights row \(j + 1) has \(values.count) values but the layer has \(shape.inputs) inputs")
                }
                for (i, v) in values.enumerated() { network.parameters[shape.weightIndex(neuron: j, input: i)] = v }
            }
            guard let biasValue = layer["biases"] else { throw NNPlayError("\(name): \"biases\" is missing") }
            let biases = try numbers(biasValue, "\(name): \"biases\"")
            guard biases.count == shape.size else {
                throw NNPlayError("\(name): \"biases\" has \(biases.count) values but \"size\" is \(shape.size)")
            }
            for (j, b) in biases.enumerated() { network.parameters[shape.biasOffset + j] = b }
        }
        var settings: TrainingSettings?
        if let s = root["settings"] { settings = try decodeSettings(s) }
        if let s = settings, let problem = network.incompatibility(of: s.loss) {
            throw NNPlayError("\"settings\": \(problem)")
        }
        return ModelFile(network: network, settings: settings, classNames: classNames, targetRange: targetRange)
    }

    /// A regression model's `"targets": {"min": …, "max": …}` (absent: nil).
    static func targets(_ value: JSON?) throws -> ClosedRange<Double>? {
        guard let value else { return nil }
        guard case .object = value, case .number(let lo)? = value["min"], case .number(let hi)? = value["max"],
              lo.isFinite, hi.isFinite, lo <= hi else {
            throw NNPlayError("\"targets\" must be {\"min\": LOW, \"max\": HIGH} with finite numbers, LOW ≤ HIGH")
        }
        return lo...hi
    }

    /// The `"settings"` object, read by the settings registry; errors start with "settings: ".
    static func decodeSettings(_ value: JSON) throws -> TrainingSettings {
        do { return try SettingsRegistry.decode(value) } catch let e as NNPlayError {
            throw NNPlayError(e.message.hasPrefix("\"settings\"") ? e.message : "settings: \(e.message)")
        }
    }

    /// Largest seed: seeds are whole numbers that JSON (doubles) holds exactly.
    public static let maxSeed = TrainingSettings.maxSeed

    static func integer(_ value: JSON?, _ what: String, in range: ClosedRange<Int>) throws -> Int {
        guard case .number(let x)? = value else { throw NNPlayError("\(what) is missing or not a number") }
        guard x == x.rounded(), x >= Double(range.lowerBound), x <= Double(range.upperBound) else {
            throw NNPlayError("\(what) is \(formatNumber(x)): it must be a whole number in \(range.lowerBound)…\(range.upperBound)")
        }
        return Int(x)
    }

    /// A hidden layer's "dropout" rate: absent = 0, else a number in [0, 1).
    static func dropoutRate(_ value: JSON?, _ layer: String) throws -> Double {
        guard let value else { return 0 }
        guard case .number(let x) = value, Network.isDropoutRate(x) else {
            throw NNPlayError("\(layer): \"dropout\" is \(NNPlayError.excerpt(value.serialized())): a dropout rate is a number in [0, 1) (0 = off)")
        }
        return x
    }

    static func numbers(_ value: JSON, _ what: String) throws -> [Double] {
        guard case .array(let items) = value else { throw NNPlayError("\(what) is not a list of numbers") }
        return try items.map { item in
            guard case .number(let x) = item else { throw NNPlayError("\(what) holds \(NNPlayError.excerpt(item.serialized())), not a number") }
            return x
        }
    }
}
