import NNPlayEngine

/// `set KEY VALUE`: training settings.
public enum SetCommand: Command {
    /// Every setting's key (the registry's, in `set`'s order).
    static var keys: [String] { SettingsRegistry.keys }

    public static let help = CommandHelp(
        name: "set", group: .training,
        usage: ["set KEY VALUE", "set KEY=VALUE …", "set", "set weight L.J I VALUE", "set bias L.J VALUE"],
        summary: "change a training setting; set alone lists them all; set weight/bias edits one parameter",
        details: SettingsRegistry.all.map { "\($0.key.padding(toLength: 10, withPad: " ", startingAt: 0)) \($0.valueText): \($0.summary) (default \($0.defaultText))" }
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
        guard index == 1, let key = previous.first, let setting = SettingsRegistry.setting(named: key) else { return .none }
        return setting.completions.isEmpty ? .none : .words(setting.completions)
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

    /// The key a key or alias stands for (unknown keys as typed, for the error).
    static func canonical(_ key: String) -> String { SettingsRegistry.setting(named: key)?.key ?? key }

    /// Parses `value` as the setting `rawKey` takes and stores it in `s`.
    static func assign(_ rawKey: String, _ value: String, to s: inout TrainingSettings) throws {
        guard let setting = SettingsRegistry.setting(named: rawKey) else {
            throw ShellError("unknown setting '\(ShellError.excerpt(rawKey))'\(Suggestions.hint(for: rawKey, in: keys)) (settings: \(keys.joined(separator: " ")))")
        }
        let parsed: SettingValue
        switch setting.kind {
        case .number:
            // 1e400 is a number beyond every range, not a syntax error
            parsed = .number(Values.isTooLarge(value) ? (value.hasPrefix("-") ? -.infinity : .infinity) : try Values.number(value, setting.key))
        case .integer(let range):
            parsed = .integer(try Values.integer(value, setting.key, in: range))
        case .choice(let names, let noun):
            parsed = .name(try Values.name(value, noun, { names.contains($0.lowercased()) ? $0.lowercased() : nil }, accepted: names))
        }
        do { try setting.assign(parsed, to: &s, shown: ShellError.excerpt(value)) } catch let e as NNPlayError { throw ShellError(e.message) }
    }

    static func describe(_ key: String, _ s: TrainingSettings) -> String {
        SettingsRegistry.setting(named: key)?.describe(s) ?? "?"
    }

    static func list(_ session: Session) {
        let s = session.playground.settings
        for setting in SettingsRegistry.all {
            session.say("\(setting.key.padding(toLength: 10, withPad: " ", startingAt: 0)) \(setting.describe(s).padding(toLength: 8, withPad: " ", startingAt: 0))  \(setting.summary)")
        }
    }
}
