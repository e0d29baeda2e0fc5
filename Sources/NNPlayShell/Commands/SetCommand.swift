import NNPlayEngine

/// `set KEY VALUE`: training settings.
public enum SetCommand: Command {
    /// Every setting: key, what it takes, and its help line.
    static let keys: [(key: String, value: String, summary: String)] = [
        ("lr", "> 0", "learning rate"),
        ("batch", "1…\(TrainingSettings.maxBatchSize)", "mini-batch size (larger than the training set = full batch)"),
        ("optimizer", Optimizer.namesList, "how gradients become steps"),
        ("momentum", "[0, 1)", "μ of the momentum optimizer"),
        ("beta1", "[0, 1)", "Adam's β₁"),
        ("beta2", "[0, 1)", "Adam's β₂"),
        ("epsilon", "> 0", "Adam's ε"),
        ("loss", Loss.namesList, "bce: sigmoid output; ce: softmax; mse: any"),
        ("reg", Regularization.namesList, "regularization of the weights"),
        ("regrate", "≥ 0", "regularization rate"),
        ("init", Initializer.namesList, "initializer used by reset and architecture changes"),
        ("seed", "0…2⁵³−1", "seed of new data, weights and shuffles (takes effect at the next data/reset)"),
    ]

    public static let help = CommandHelp(
        name: "set", group: .training,
        usage: ["set KEY VALUE", "set KEY=VALUE …", "set", "set weight L.J I VALUE", "set bias L.J VALUE"],
        summary: "change a training setting; set alone lists them all; set weight/bias edits one parameter",
        details: keys.map { "\($0.key.padding(toLength: 10, withPad: " ", startingAt: 0)) \($0.value): \($0.summary)" }
            + ["Losses per point: bce −Σ[y log a + (1−y) log(1−a)], ce −log a_class, mse ½Σ(a − y)², with",
               "targets y of 0/1 for sigmoid and softmax outputs, −1/+1 for tanh and linear (see help act).",
               "Settings change nothing else: the weights and the training progress stay",
               "(a new optimizer starts with empty momentum).",
               "set weight L.J I VALUE: the weight from input I (1-based, a neuron of the layer below or a",
               "feature) into neuron J of layer L (1…H or out); set bias L.J VALUE: that neuron's bias.",
               "As clicking a link in TensorFlow Playground: the other weights and the training progress stay,",
               "training continues from the new value, and sessions replay it. VALUE: finite, -1e6…1e6.",
               "`weights 1` shows the current values of layer 1's (`weights all` of every layer)."],
        examples: ["set lr 0.1", "set optimizer adam", "set batch=32 loss=mse", "set weight 1.1 2 0.5", "set bias out.1 -1"])

    public static func completion(forPositional index: Int, after previous: [String]) -> CompletionKind {
        if index == 0 { return .settingKeys }
        if let key = previous.first?.lowercased(), key == "weight" || key == "bias" {
            if index == 1 { return .computingNeurons }
            if index == 2 && key == "weight" { return .inputNumbers(ofNeuron: previous[1]) }
            return .none
        }
        guard index == 1, let key = previous.first?.lowercased() else { return .none }
        switch key {
        case "optimizer": return .words(Optimizer.allCases.map(\.rawValue))
        case "loss": return .words(Loss.allCases.map(\.rawValue))
        case "reg": return .words(Regularization.allCases.map(\.rawValue))
        case "init": return .words(Initializer.allCases.map(\.rawValue))
        case "lr": return .words(["0.001", "0.003", "0.01", "0.03", "0.1", "0.3", "1"])
        case "batch": return .words(["1", "10", "32", "100"])
        default: return .none
        }
    }

    /// `set KEY=VALUE` works too, but Tab offers the keys once, as words.
    public static func optionKeys(after previous: [String]) -> [String] { [] }

    public static func changesState(_ args: Arguments) -> Bool { !(args.positionals.isEmpty && args.options.isEmpty) }

    public static func run(_ args: Arguments, in session: Session) throws {
        if let first = args.positionals.first?.lowercased(), first == "weight" || first == "bias" {
            try ParameterEditing.run(args, in: session)
            return
        }
        var pairs = args.options.map { ($0.key, $0.value) }
        if !args.positionals.isEmpty {
            try args.expectPositionals(2...2, usage: "set KEY VALUE")
            pairs.insert((args.positionals[0].lowercased(), args.positionals[1]), at: 0)
        }
        if pairs.isEmpty {
            list(session)
            return
        }
        // one rule for every form (`set lr 0.1 lr=0.2` as `set lr=0.1 lr=0.2`): each setting once
        var seen: Set<String> = []
        for (key, _) in pairs where !seen.insert(canonical(key.lowercased())).inserted {
            throw ShellError("\(canonical(key.lowercased())) is given twice: give each setting once, e.g. `set lr 0.1 batch=32`")
        }
        var s = session.playground.settings
        for (key, value) in pairs { try assign(key, value, to: &s) }
        let oldSeed = session.playground.settings.seed
        try session.update { try $0.updateSettings(s) }
        session.say(pairs.map { "\(canonical($0.0))=\(describe(canonical($0.0), s))" }.joined(separator: " "))
        if s.seed != oldSeed {
            session.say("the new seed applies to the next data, reset or architecture change")
        }
    }

    static func canonical(_ key: String) -> String {
        switch key {
        case "reg-rate", "regularization-rate": return "regrate"
        case "regularization": return "reg"
        case "learning-rate", "learningrate": return "lr"
        case "batch-size", "batchsize": return "batch"
        default: return key
        }
    }

    static func assign(_ rawKey: String, _ value: String, to s: inout TrainingSettings) throws {
        let key = canonical(rawKey)
        switch key {
        case "lr": s.learningRate = try Values.number(value, "lr", in: Double.leastNonzeroMagnitude...1e6, rangeText: "a number > 0 (at most 1e6)")
        case "batch": s.batchSize = try Values.integer(value, "batch", in: 1...TrainingSettings.maxBatchSize)
        case "optimizer": s.optimizer = try Values.name(value, "optimizer", as: Optimizer.self)
        case "momentum": s.momentum = try fraction(value, "momentum")
        case "beta1": s.beta1 = try fraction(value, "beta1")
        case "beta2": s.beta2 = try fraction(value, "beta2")
        case "epsilon": s.epsilon = try Values.number(value, "epsilon", in: Double.leastNonzeroMagnitude...1, rangeText: "a number > 0 (at most 1)")
        case "loss": s.loss = try Values.name(value, "loss", as: Loss.self)
        case "reg": s.regularization = try Values.name(value, "regularization", as: Regularization.self)
        case "regrate": s.regularizationRate = try Values.number(value, "regrate", in: 0...1e6, rangeText: "a number ≥ 0 (at most 1e6)")
        case "init": s.initializer = try Values.name(value, "initializer", as: Initializer.self)
        case "seed": s.seed = try Values.seed(value)
        default:
            throw ShellError("unknown setting '\(rawKey)'\(Suggestions.hint(for: rawKey, in: keys.map(\.key))) (settings: \(keys.map(\.key).joined(separator: " ")))")
        }
    }

    static func fraction(_ value: String, _ what: String) throws -> Double {
        let v = try Values.number(value, what)
        guard v >= 0 && v < 1 else { throw ShellError("\(what)=\(value) is out of range: \(what) is in [0, 1)") }
        return v
    }

    static func describe(_ key: String, _ s: TrainingSettings) -> String {
        switch key {
        case "lr": return formatNumber(s.learningRate)
        case "batch": return String(s.batchSize)
        case "optimizer": return s.optimizer.rawValue
        case "momentum": return formatNumber(s.momentum)
        case "beta1": return formatNumber(s.beta1)
        case "beta2": return formatNumber(s.beta2)
        case "epsilon": return formatNumber(s.epsilon)
        case "loss": return s.loss.rawValue
        case "reg": return s.regularization.rawValue
        case "regrate": return formatNumber(s.regularizationRate)
        case "init": return s.initializer.rawValue
        case "seed": return String(s.seed)
        default: return "?"
        }
    }

    static func list(_ session: Session) {
        let s = session.playground.settings
        for (key, _, summary) in keys {
            session.say("\(key.padding(toLength: 10, withPad: " ", startingAt: 0)) \(describe(key, s).padding(toLength: 8, withPad: " ", startingAt: 0))  \(summary)")
        }
    }
}
