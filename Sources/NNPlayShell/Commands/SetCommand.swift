import NNPlayEngine

/// `set KEY VALUE`: training settings.
public enum SetCommand: Command {
    /// Every setting's key (the registry's, in `set`'s order).
    static var keys: [String] { SettingsRegistry.keys }

    public static let help = CommandHelp(
        name: "set", group: .training,
        usage: ["set KEY VALUE", "set KEY=VALUE …", "set", "set schedule NAME [KEY=VALUE…]", "set weight L.J I VALUE", "set bias L.J VALUE",
                "set graphics [\(GraphicsMode.namesList)]"],
        summary: "change a training setting; set alone lists them all; set weight/bias edits one parameter",
        details: SettingsRegistry.all.map { "\($0.key.padding(toLength: 10, withPad: " ", startingAt: 0)) \($0.valueText): \($0.summary) (default \($0.defaultText))" }
            + ["schedule   \(LearningRateSchedule.namesList): the learning rate per step (default constant):",
               "  constant lr; step lr·gamma^⌊epoch/every⌋; exp lr·gamma^epoch;",
               "  cosine min + (lr − min)·(1 + cos(π·min(epoch, period)/period))/2; invscaling lr/(t+1)^power",
               "  (t: steps taken; epoch: epochs completed, since the last re-initialisation). Parameters:",
               "  \(LearningRateSchedule.helpText).",
               "  `set` alone shows the rate now in force.",
               "Optimizers (g the gradient, ε epsilon): sgd w −= lr·g; momentum v = μv + g,",
               "  w −= lr·v; nesterov v = μv + g, w −= lr·(g + μv); adam (β₁, β₂, bias-corrected);",
               "  rmsprop v = ρv + (1−ρ)g², w −= lr·g/(√v + ε); adagrad v += g², w −= lr·g/(√v + ε).",
               "Losses per point: bce −Σ[y log a + (1−y) log(1−a)], ce −log a_class, mse ½Σ(a − y)², with",
               "targets y of 0/1 for sigmoid and softmax outputs, −1/+1 for tanh and linear (see help act).",
               "Settings change nothing else: the weights and the training progress stay",
               "(a new optimizer starts with empty momentum).",
               "set weight L.J I VALUE: the weight from input I (1-based, a neuron of the layer below or a",
               "feature) into neuron J of layer L (1…H or out); set bias L.J VALUE: that neuron's bias.",
               "As clicking a link in TensorFlow Playground: the other weights and the training progress stay,",
               "training continues from the new value, and sessions replay it. VALUE: finite, -1e6…1e6.",
               "`weights 1` shows the current values of layer 1's (`weights all` of every layer).",
               "set graphics MODE: how plot's pictures reach the terminal (also nnplay --graphics MODE): kitty,",
               "  iterm (iTerm2, WezTerm) and sixel (xterm -ti vt340, foot, mlterm) show the picture files' pixels",
               "  sized to the window; blocks draws coloured characters; ascii plain ones; auto (the default)",
               "  takes the protocol the terminal announces (TERM, TERM_PROGRAM, or its answer to ESC [ c) and",
               "  blocks otherwise. Not part of the playground: sessions do not replay it."],
        examples: ["set lr 0.1", "set optimizer adam", "set schedule step gamma=0.5 every=50", "set schedule cosine period=200", "set batch=32 loss=mse", "set weight 1.1 2 0.5", "set bias out.1 -1", "set graphics blocks"])

    public static func completion(forPositional index: Int, after previous: [String]) -> CompletionKind {
        if index == 0 { return .settingKeys }
        if let key = previous.first?.lowercased(), key == "weight" || key == "bias" {
            if index == 1 { return .computingNeurons }
            if index == 2 && key == "weight" { return .inputNumbers(ofNeuron: previous[1]) }
            return .none
        }
        if previous.first?.lowercased() == SettingsRegistry.scheduleKey {
            return index == 1 ? .words(LearningRateSchedule.Kind.allCases.map(\.rawValue)) : .none
        }
        if previous.first?.lowercased() == graphicsKey { return index == 1 ? .words(GraphicsMode.allCases.map(\.rawValue)) : .none }
        guard index == 1, let key = previous.first, let setting = SettingsRegistry.setting(named: key) else { return .none }
        return setting.completions.isEmpty ? .none : .words(setting.completions)
    }

    /// `set KEY=VALUE` works too, but Tab offers the keys once, as words.
    public static func optionKeys(after previous: [String]) -> [String] {
        guard previous.first?.lowercased() == SettingsRegistry.scheduleKey, previous.count >= 2,
              let kind = LearningRateSchedule.Kind(rawValue: previous[1].lowercased()) else { return [] }
        return LearningRateSchedule.parameters(of: kind).map(\.key)
    }

    /// `set graphics` is the terminal's business, not the playground's: sessions do not replay it.
    public static func changesState(_ args: Arguments) -> Bool { !(args.positionals.isEmpty && args.options.isEmpty) && !isGraphics(args) }

    static let graphicsKey = "graphics"

    static func isGraphics(_ args: Arguments) -> Bool {
        args.positionals.first?.lowercased() == graphicsKey || (args.positionals.isEmpty && args.options.count == 1 && args.options[0].key.lowercased() == graphicsKey)
    }

    /// `set graphics MODE` (or `set graphics=MODE`): how pictures reach the terminal.
    static func setGraphics(_ args: Arguments, in session: Session) throws {
        let value: String
        if args.positionals.count == 1 && args.options.isEmpty {
            return session.say("graphics=\(session.graphicsDescription)")
        } else if args.positionals.isEmpty {
            value = args.options[0].value
        } else {
            try args.expectPositionals(1...2, usage: "set graphics [\(GraphicsMode.namesList)]")
            try args.allowOptions([])
            value = args.positionals[1]
        }
        let mode = try Values.name(value, "graphics mode", { GraphicsMode(rawValue: $0.lowercased()) }, accepted: GraphicsMode.allCases.map(\.rawValue))
        session.setGraphics(mode)
        session.say("graphics=\(session.graphicsDescription)")
    }

    public static func run(_ args: Arguments, in session: Session) throws {
        if let first = args.positionals.first?.lowercased(), first == "weight" || first == "bias" {
            try ParameterEditing.run(args, in: session)
            return
        }
        if args.positionals.first?.lowercased() == SettingsRegistry.scheduleKey {
            try setSchedule(args, in: session)
            return
        }
        if isGraphics(args) { return try setGraphics(args, in: session) }
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

    /// `set schedule NAME [k=v…]`: the words and options after `schedule` make the schedule.
    static func setSchedule(_ args: Arguments, in session: Session) throws {
        let words = Array(args.positionals.dropFirst()) + args.options.map { "\($0.key)=\($0.value)" }
        guard !words.isEmpty else {
            throw ShellError("set schedule needs a schedule: \(LearningRateSchedule.namesList), e.g. `set schedule step gamma=0.5 every=100`")
        }
        var s = session.playground.settings
        s.schedule = try LearningRateSchedule.parse(words)
        try session.update { try $0.updateSettings(s) }
        session.say("schedule=\(s.schedule) (lr now \(Metric.text(session.playground.learningRateInForce)))")
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
        let p = session.playground
        session.say("schedule   \(s.schedule)  (the rate now in force: lr=\(Metric.text(p.learningRateInForce)))")
        session.say("graphics   \(session.graphicsDescription)  how pictures reach the terminal (not part of the playground)")
    }
}
