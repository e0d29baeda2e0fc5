/// The one list of training settings. `set`, `set` alone, Tab completion, `help set`, the model
/// file's `"settings"` object and `TrainingSettings.validate()` all read it, so a setting's key,
/// aliases, JSON key, range, default and help line are written once, here.
public enum SettingsRegistry {
    /// Every setting, in the order `set` lists them.
    public static let all: [Setting] = [
        .number("lr", aliases: ["learning-rate", "learningrate"], NumberRange(above: 0, atMost: 1e6, "a number > 0 (at most 1e6)"),
                "learning rate", suggestions: ["0.001", "0.003", "0.01", "0.03", "0.1", "0.3", "1"], get: { $0.learningRate }, set: { $0.learningRate = $1 }),
        .integer("batch", aliases: ["batch-size", "batchsize"], 1...TrainingSettings.maxBatchSize,
                 "mini-batch size (larger than the training set = full batch)", suggestions: ["1", "10", "32", "100"], get: { $0.batchSize }, set: { $0.batchSize = $1 }),
        .choice("optimizer", Optimizer.self, "how gradients become steps", get: { $0.optimizer }, set: { $0.optimizer = $1 }),
        .number("momentum", .fraction, "μ of the momentum and nesterov optimizers", get: { $0.momentum }, set: { $0.momentum = $1 }),
        .number("beta1", .fraction, "Adam's β₁", get: { $0.beta1 }, set: { $0.beta1 = $1 }),
        .number("beta2", .fraction, "Adam's β₂", get: { $0.beta2 }, set: { $0.beta2 = $1 }),
        .number("epsilon", NumberRange(above: 0, atMost: 1, "a number > 0 (at most 1)"), "ε of adam, rmsprop and adagrad",
                get: { $0.epsilon }, set: { $0.epsilon = $1 }),
        .number("decay", aliases: ["rho"], .fraction, "ρ of rmsprop: v ← ρ·v + (1−ρ)·g²",
                get: { $0.decay }, set: { $0.decay = $1 }),
        .choice("loss", Loss.self, "bce: sigmoid output; ce: softmax; mse: any (the one of regression)", get: { $0.loss }, set: { $0.loss = $1 }),
        .choice("reg", aliases: ["regularization"], noun: "regularization", Regularization.self, "regularization of the weights",
                get: { $0.regularization }, set: { $0.regularization = $1 }),
        .number("regrate", aliases: ["reg-rate", "regularization-rate"], json: "regRate",
                NumberRange(atLeast: 0, atMost: 1e6, "a number ≥ 0 (at most 1e6)"), "regularization rate",
                get: { $0.regularizationRate }, set: { $0.regularizationRate = $1 }),
        .choice("init", noun: "initializer", Initializer.self, "initializer used by reset and architecture changes",
                get: { $0.initializer }, set: { $0.initializer = $1 }),
        .seed("seed", 0...TrainingSettings.maxSeed, "seed of new data, weights and shuffles (takes effect at the next data/reset)",
              get: { $0.seed }, set: { $0.seed = $1 }),
        .number("validation", aliases: ["val", "validation-fraction"], NumberRange(atLeast: 0, below: 1, "a fraction in [0, 1)"),
                "training points held out as validation points (0: none)",
                get: { $0.validationFraction }, set: { $0.validationFraction = $1 }),
    ]

    /// The setting a key or alias names (case-insensitive).
    public static func setting(named key: String) -> Setting? {
        let k = key.lowercased()
        return all.first { $0.key == k || $0.aliases.contains(k) }
    }

    /// The keys, in order.
    public static var keys: [String] { all.map(\.key) }

    /// The `"settings"` object of a model file.
    public static func json(_ s: TrainingSettings) -> JSON {
        .object(all.map { ($0.jsonKey, $0.json(s)) } + [(scheduleKey, s.schedule.json)])
    }

    /// The learning-rate schedule: a setting of several words (`set schedule step gamma=0.5`), so it
    /// has its own parser (`LearningRateSchedule.parse`) and JSON object, under this key.
    public static let scheduleKey = "schedule"

    /// Reads a model file's `"settings"` object: absent keys keep their defaults, unknown keys are ignored
    /// (files from later versions), a bad value is an error naming the key and what it accepts.
    public static func decode(_ value: JSON) throws -> TrainingSettings {
        guard case .object = value else { throw NNPlayError("\"settings\" is not an object") }
        var s = TrainingSettings()
        for setting in all {
            guard let v = value[setting.jsonKey] else { continue }
            try setting.assign(try setting.decode(v), to: &s)
        }
        if let v = value[scheduleKey] { s.schedule = try LearningRateSchedule.decode(v) }
        return s
    }
}

/// The values a setting may take, for numbers: a closed or open bound at each end.
public struct NumberRange: Sendable, Equatable {
    public let lower: Double, upper: Double
    public let lowerIncluded: Bool, upperIncluded: Bool
    /// How `set` and errors describe it, e.g. "a number > 0 (at most 1e6)".
    public let text: String

    public init(above lower: Double, atMost upper: Double, _ text: String) {
        (self.lower, self.upper, lowerIncluded, upperIncluded, self.text) = (lower, upper, false, true, text)
    }

    public init(atLeast lower: Double, atMost upper: Double, _ text: String) {
        (self.lower, self.upper, lowerIncluded, upperIncluded, self.text) = (lower, upper, true, true, text)
    }

    public init(atLeast lower: Double, below upper: Double, _ text: String) {
        (self.lower, self.upper, lowerIncluded, upperIncluded, self.text) = (lower, upper, true, false, text)
    }

    /// [0, 1): momentum, β₁, β₂, decay rates.
    public static let fraction = NumberRange(atLeast: 0, below: 1, "in [0, 1)")

    public func contains(_ x: Double) -> Bool {
        x.isFinite && (lowerIncluded ? x >= lower : x > lower) && (upperIncluded ? x <= upper : x < upper)
    }
}

/// What a setting holds: a number, a whole number, a seed or one of a list of names.
public enum SettingKind: Sendable {
    case number(NumberRange)
    case integer(ClosedRange<Int>)
    /// Names, and the noun errors use ("unknown regularization 'x'").
    case choice(names: [String], noun: String)
}

/// A setting's value, as the shell parsed it or a model file held it.
public enum SettingValue: Equatable, Sendable {
    case number(Double)
    case integer(Int)
    case name(String)
}

/// One training setting: its names, what it takes, its help line, and how it is read and written.
public struct Setting: Sendable {
    /// The key `set` takes and lists.
    public let key: String
    /// Other spellings `set` accepts.
    public let aliases: [String]
    /// Its key in a model file's `"settings"`.
    public let jsonKey: String
    public let kind: SettingKind
    /// The line `help set` and `set` show.
    public let summary: String
    /// Values Tab offers for a number (a choice offers its names).
    let suggestions: [String]
    let get: @Sendable (TrainingSettings) -> SettingValue
    let put: @Sendable (inout TrainingSettings, SettingValue) -> Bool

    /// What `help set` shows after the key: the range or the names.
    public var valueText: String {
        switch kind {
        case .number(let r): return r.text
        case .integer(let r): return "\(r.lowerBound)…\(r.upperBound)"
        case .choice(let names, _): return names.joined(separator: " ")
        }
    }

    /// The words Tab offers for the value.
    public var completions: [String] {
        if case .choice(let names, _) = kind { return names }
        return suggestions
    }

    /// The value in `s`.
    public func value(in s: TrainingSettings) -> SettingValue { get(s) }

    /// The value as `set` prints it.
    public func describe(_ s: TrainingSettings) -> String {
        switch get(s) {
        case .number(let x): return formatNumber(x)
        case .integer(let n): return String(n)
        case .name(let name): return name
        }
    }

    /// Its default (the default playground's).
    public var defaultText: String { describe(TrainingSettings()) }

    /// Throws unless `v` is in range (or a known name); the message is one line, e.g.
    /// "lr=0 is out of range: lr is a number > 0 (at most 1e6)".
    public func check(_ v: SettingValue, shown: String? = nil) throws {
        switch (kind, v) {
        case let (.number(r), .number(x)):
            guard r.contains(x) else { throw NNPlayError("\(key)=\(shown ?? formatNumber(x)) is out of range: \(key) is \(r.text)") }
        case let (.integer(r), .integer(n)):
            guard r.contains(n) else { throw NNPlayError("\(key)=\(shown ?? String(n)) is out of range: \(key) is \(r.lowerBound)…\(r.upperBound)") }
        case let (.choice(names, noun), .name(name)):
            guard names.contains(name.lowercased()) else {
                throw NNPlayError("unknown \(noun) '\(NNPlayError.excerpt(name))' (\(noun)s: \(names.joined(separator: " ")))")
            }
        default:
            throw NNPlayError("\(key) takes \(valueText)")
        }
    }

    /// Checks `v` and stores it in `s`.
    public func assign(_ v: SettingValue, to s: inout TrainingSettings, shown: String? = nil) throws {
        try check(v, shown: shown)
        guard put(&s, v) else { throw NNPlayError("\(key) takes \(valueText)") }
    }

    /// Its model-file JSON.
    public func json(_ s: TrainingSettings) -> JSON {
        switch get(s) {
        case .number(let x): return .number(x)
        case .integer(let n): return .number(Double(n))
        case .name(let name): return .string(name)
        }
    }

    /// A model file's value, in the kind this setting takes.
    public func decode(_ v: JSON) throws -> SettingValue {
        switch kind {
        case .number:
            guard case .number(let x) = v else { throw NNPlayError("\"\(jsonKey)\" is not a number") }
            return .number(x)
        case .integer(let r):
            guard case .number(let x) = v, x == x.rounded(), x >= Double(r.lowerBound), x <= Double(r.upperBound) else {
                throw NNPlayError("\"\(jsonKey)\" is \(NNPlayError.excerpt(v.serialized())): it must be a whole number in \(r.lowerBound)…\(r.upperBound)")
            }
            return .integer(Int(x))
        case .choice(let names, _):
            guard case .string(let name) = v, names.contains(name.lowercased()) else {
                throw NNPlayError("\"\(jsonKey)\" is \(NNPlayError.excerpt(v.serialized())), not one of \(names.joined(separator: " "))")
            }
            return .name(name.lowercased())
        }
    }
}

extension Setting {
    static func number(_ key: String, aliases: [String] = [], json: String? = nil, _ range: NumberRange, _ summary: String,
                       suggestions: [String] = [], get: @escaping @Sendable (TrainingSettings) -> Double,
                       set: @escaping @Sendable (inout TrainingSettings, Double) -> Void) -> Setting {
        Setting(key: key, aliases: aliases, jsonKey: json ?? key, kind: .number(range), summary: summary, suggestions: suggestions,
                get: { .number(get($0)) },
                put: { s, v in
                    guard case .number(let x) = v else { return false }
                    set(&s, x)
                    return true
                })
    }

    static func integer(_ key: String, aliases: [String] = [], json: String? = nil, _ range: ClosedRange<Int>, _ summary: String,
                        suggestions: [String] = [], get: @escaping @Sendable (TrainingSettings) -> Int,
                        set: @escaping @Sendable (inout TrainingSettings, Int) -> Void) -> Setting {
        Setting(key: key, aliases: aliases, jsonKey: json ?? key, kind: .integer(range), summary: summary, suggestions: suggestions,
                get: { .integer(get($0)) },
                put: { s, v in
                    guard case .integer(let n) = v else { return false }
                    set(&s, n)
                    return true
                })
    }

    static func seed(_ key: String, _ range: ClosedRange<Int>, _ summary: String,
                     get: @escaping @Sendable (TrainingSettings) -> UInt64,
                     set: @escaping @Sendable (inout TrainingSettings, UInt64) -> Void) -> Setting {
        integer(key, range, summary, get: { Int(clamping: get($0)) }, set: { s, n in set(&s, UInt64(clamping: n)) })
    }

    static func choice<T: CaseIterable & RawRepresentable & Sendable>(
        _ key: String, aliases: [String] = [], noun: String? = nil, _ type: T.Type, _ summary: String,
        get: @escaping @Sendable (TrainingSettings) -> T,
        set: @escaping @Sendable (inout TrainingSettings, T) -> Void) -> Setting where T.RawValue == String {
        Setting(key: key, aliases: aliases, jsonKey: key, kind: .choice(names: T.allCases.map(\.rawValue), noun: noun ?? key),
                summary: summary, suggestions: [], get: { .name(get($0).rawValue) },
                put: { s, v in
                    guard case .name(let name) = v, let t = T(rawValue: name.lowercased()) else { return false }
                    set(&s, t)
                    return true
                })
    }
}
