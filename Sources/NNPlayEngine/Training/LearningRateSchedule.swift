import Foundation

/// How the learning rate changes as training goes on. The rate of a step is fixed when the step
/// starts, from two counters of the playground's training progress (both since the last
/// re-initialisation, both 0 at the first step): `epoch`, the epochs completed before the step, and
/// `step`, the mini-batch steps taken before it. Fractions of an epoch do not matter: every step of
/// an epoch has the same rate under an epoch-based schedule. With `lr` the `lr` setting:
///
/// - `constant`: lr (the rate is `lr` itself, bit for bit).
/// - `step gamma=γ every=K`: lr·γ^⌊epoch/K⌋ (by epochs; γ 0.5, K 100 by default).
/// - `exp gamma=γ`: lr·γ^epoch (by epochs; γ 0.99 by default).
/// - `cosine period=T min=m`: m + (lr − m)·(1 + cos(π·min(epoch, T)/T))/2 — from lr at epoch 0 down
///   to m at epoch T, then m (by epochs; T 1000, m 0 by default).
/// - `invscaling power=p`: lr/(t + 1)^p with t = `step`, the steps taken before this one (by steps;
///   p 0.5 by default). scikit-learn's MLP uses the same formula with t the samples seen, updated at
///   the end of each epoch; here it changes every step.
///
/// Text form (`description`, read back by `parse`): the name, then each parameter as `key=value`,
/// e.g. `step gamma=0.5 every=100`. JSON form (`json`, read back by `init(json:)`): an object with
/// `"type"` and the parameters, e.g. `{"type": "step", "gamma": 0.5, "every": 100}`.
public enum LearningRateSchedule: Equatable, Sendable, CustomStringConvertible {
    case constant
    /// lr·γ^⌊epoch/every⌋.
    case step(gamma: Double, every: Int)
    /// lr·γ^epoch.
    case exponential(gamma: Double)
    /// min + (lr − min)·(1 + cos(π·min(epoch, period)/period))/2.
    case cosine(period: Int, min: Double)
    /// lr/(step + 1)^power.
    case inverseScaling(power: Double)

    // MARK: Names and parameters

    /// The schedules' names, as `set schedule` and the model file write them.
    public enum Kind: String, CaseIterable, Sendable {
        case constant, step, exp, cosine, invscaling
    }

    public static let namesList = Kind.allCases.map(\.rawValue).joined(separator: " ")

    public var kind: Kind {
        switch self {
        case .constant: return .constant
        case .step: return .step
        case .exponential: return .exp
        case .cosine: return .cosine
        case .inverseScaling: return .invscaling
        }
    }

    /// The schedule of a kind with its default parameters.
    public static func defaults(_ kind: Kind) -> LearningRateSchedule {
        switch kind {
        case .constant: return .constant
        case .step: return .step(gamma: 0.5, every: 100)
        case .exp: return .exponential(gamma: 0.99)
        case .cosine: return .cosine(period: 1000, min: 0)
        case .invscaling: return .inverseScaling(power: 0.5)
        }
    }

    /// One parameter of a schedule: its key, its range (in words, for messages and help) and
    /// whether it is a whole number.
    public struct Parameter: Sendable {
        public var key: String
        public var range: String
        public var isWhole: Bool
        public var help: String
        let accepts: @Sendable (Double) -> Bool
    }

    /// Longest `every` and `period`, in epochs.
    public static let maxEpochs = 1_000_000_000

    static let gamma = Parameter(key: "gamma", range: "in (0, 1]", isWhole: false, help: "factor per interval") { $0 > 0 && $0 <= 1 }
    static let every = Parameter(key: "every", range: "a whole number 1…\(maxEpochs)", isWhole: true, help: "epochs between steps") {
        $0 >= 1 && $0 <= Double(maxEpochs) && $0 == $0.rounded()
    }
    static let period = Parameter(key: "period", range: "a whole number 1…\(maxEpochs)", isWhole: true, help: "epochs from lr down to min") {
        $0 >= 1 && $0 <= Double(maxEpochs) && $0 == $0.rounded()
    }
    static let minimum = Parameter(key: "min", range: "a number ≥ 0", isWhole: false, help: "rate from epoch period on") { $0 >= 0 && $0.isFinite }
    static let power = Parameter(key: "power", range: "a number ≥ 0", isWhole: false, help: "exponent of the step count") { $0 >= 0 && $0.isFinite }

    /// The parameters a kind takes, in the order the text and JSON forms write them.
    public static func parameters(of kind: Kind) -> [Parameter] {
        switch kind {
        case .constant: return []
        case .step: return [gamma, every]
        case .exp: return [gamma]
        case .cosine: return [period, minimum]
        case .invscaling: return [power]
        }
    }

    /// The parameter values, in the order of `parameters(of: kind)`.
    public var values: [Double] {
        switch self {
        case .constant: return []
        case .step(let g, let k): return [g, Double(k)]
        case .exponential(let g): return [g]
        case .cosine(let t, let m): return [Double(t), m]
        case .inverseScaling(let p): return [p]
        }
    }

    /// The schedule of a kind from its parameter values (in the order of `parameters(of:)`).
    static func make(_ kind: Kind, _ v: [Double]) -> LearningRateSchedule {
        switch kind {
        case .constant: return .constant
        case .step: return .step(gamma: v[0], every: Int(v[1]))
        case .exp: return .exponential(gamma: v[0])
        case .cosine: return .cosine(period: Int(v[0]), min: v[1])
        case .invscaling: return .inverseScaling(power: v[0])
        }
    }

    // MARK: The rate

    /// The rate in force for a step, given the base rate `lr` (the `lr` setting), the epochs
    /// completed before the step and the steps taken before it.
    public func rate(base lr: Double, epoch: Int, step: Int) -> Double {
        switch self {
        case .constant:
            return lr
        case .step(let gamma, let every):
            return lr * pow(gamma, Double(Swift.max(0, epoch) / Swift.max(1, every)))
        case .exponential(let gamma):
            return lr * pow(gamma, Double(Swift.max(0, epoch)))
        case .cosine(let period, let low):
            let t = Swift.max(1, period), e = Double(Swift.min(Swift.max(0, epoch), t))
            return low + (lr - low) * (1 + cos(Double.pi * e / Double(t))) / 2
        case .inverseScaling(let power):
            return lr / pow(Double(Swift.max(0, step)) + 1, power)
        }
    }

    /// Throws when a parameter is out of its range (a schedule built in code rather than parsed).
    public func validate() throws {
        for (p, v) in zip(LearningRateSchedule.parameters(of: kind), values) where !p.accepts(v) {
            throw NNPlayError("schedule \(kind.rawValue) \(p.key)=\(formatNumber(v)) is out of range: \(p.key) is \(p.range)")
        }
    }

    // MARK: Text

    /// The name and the parameters, e.g. `step gamma=0.5 every=100`; `parse` reads it back.
    public var description: String {
        let params = zip(LearningRateSchedule.parameters(of: kind), values).map { "\($0.key)=\(formatNumber($1))" }
        return ([kind.rawValue] + params).joined(separator: " ")
    }

    /// A one-line summary of the schedules and their parameters (for help).
    public static var helpText: String {
        Kind.allCases.map { kind in
            ([kind.rawValue] + zip(parameters(of: kind), defaults(kind).values).map { "\($0.key)=\(formatNumber($1))" })
                .joined(separator: " ")
        }.joined(separator: " | ")
    }

    /// Reads `NAME [key=value…]` (as `set schedule` takes it), e.g. `["step", "gamma=0.5",
    /// "every=100"]`. Parameters not given keep their defaults. Errors are one line: an unknown
    /// schedule or parameter (listing those accepted), a parameter given twice, a value that is not
    /// a number or out of its range.
    public static func parse(_ words: [String]) throws -> LearningRateSchedule {
        guard let name = words.first else {
            throw NNPlayError("a schedule needs a name: schedules are \(namesList)")
        }
        guard let kind = Kind(rawValue: name.lowercased()) else {
            throw NNPlayError("unknown schedule '\(NNPlayError.excerpt(name))' (schedules: \(namesList))")
        }
        let params = parameters(of: kind)
        var values = defaults(kind).values
        var given = Set<String>()
        for word in words.dropFirst() {
            let parts = word.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let key = parts[0].lowercased()
            guard let index = params.firstIndex(where: { $0.key == key }) else {
                let accepted = params.isEmpty ? "it takes no parameters" : "its parameters are \(params.map(\.key).joined(separator: " "))"
                throw NNPlayError("schedule \(kind.rawValue) has no parameter '\(NNPlayError.excerpt(parts[0]))': \(accepted)")
            }
            let p = params[index]
            guard parts.count == 2, !parts[1].isEmpty else {
                throw NNPlayError("schedule \(kind.rawValue) \(p.key) needs a value, as \(p.key)=\(formatNumber(defaults(kind).values[index]))")
            }
            guard given.insert(p.key).inserted else {
                throw NNPlayError("schedule \(kind.rawValue) \(p.key) is given twice")
            }
            let text = String(parts[1])
            guard let v = parseNumberText(text) else {
                throw NNPlayError("schedule \(kind.rawValue) \(p.key)=\(NNPlayError.excerpt(text)) is not a number: \(p.key) is \(p.range)")
            }
            guard p.accepts(v) else {
                throw NNPlayError("schedule \(kind.rawValue) \(p.key)=\(NNPlayError.excerpt(text)) is out of range: \(p.key) is \(p.range)")
            }
            values[index] = v
        }
        return make(kind, values)
    }

    /// SPEC.md's number syntax, as the command language reads it: an optional sign, digits with `_`
    /// between them, an optional fraction and exponent; no `nan`, `inf` or hexadecimal. nil when
    /// the text is not such a number or is beyond a double (e.g. `1e400`).
    static func parseNumberText(_ text: String) -> Double? {
        var cleaned = ""
        let chars = Array(text)
        func digit(_ c: Character) -> Bool { ("0"..."9").contains(c) }
        for (i, c) in chars.enumerated() {
            if c == "_" {
                guard i > 0, i < chars.count - 1, digit(chars[i - 1]), digit(chars[i + 1]) else { return nil }
                continue
            }
            cleaned.append(c)
        }
        var s = Substring(cleaned)
        if s.first == "+" || s.first == "-" { s = s.dropFirst() }
        let mantissa = s.prefix { digit($0) || $0 == "." }
        guard mantissa.filter({ $0 == "." }).count <= 1, mantissa.contains(where: digit) else { return nil }
        s = s.dropFirst(mantissa.count)
        if let e = s.first, e == "e" || e == "E" {
            s = s.dropFirst()
            if s.first == "+" || s.first == "-" { s = s.dropFirst() }
            guard !s.isEmpty, s.allSatisfy(digit) else { return nil }
            s = s.dropFirst(s.count)
        }
        guard s.isEmpty, let v = Double(cleaned), v.isFinite else { return nil }
        return v
    }

    // MARK: JSON

    /// The model file's form: `{"type": NAME, key: value, …}` with every parameter written.
    public var json: JSON {
        .object([("type", .string(kind.rawValue))]
            + zip(LearningRateSchedule.parameters(of: kind), values).map { ($0.key, .number($1)) })
    }

    /// Reads the model file's form. A parameter left out keeps its default; an unknown type or key,
    /// a value that is not a number or out of range is an error naming it (the caller adds where,
    /// e.g. `settings: `).
    public init(json value: JSON) throws {
        guard case .object(let members) = value else {
            throw NNPlayError("\"schedule\" is not an object (as {\"type\": \"step\", \"gamma\": 0.5, \"every\": 100})")
        }
        guard case .string(let name)? = value["type"] else {
            throw NNPlayError("\"schedule\" needs a \"type\", one of \(LearningRateSchedule.namesList)")
        }
        guard let kind = Kind(rawValue: name) else {
            throw NNPlayError("\"schedule\": \"type\" is \"\(NNPlayError.excerpt(name))\", not one of \(LearningRateSchedule.namesList)")
        }
        let params = LearningRateSchedule.parameters(of: kind)
        var values = LearningRateSchedule.defaults(kind).values
        var seen = Set<String>()
        for (key, v) in members where key != "type" {
            guard let index = params.firstIndex(where: { $0.key == key }) else {
                let accepted = params.isEmpty ? "it takes no parameters" : "its parameters are \(params.map(\.key).joined(separator: " "))"
                throw NNPlayError("\"schedule\": \(kind.rawValue) has no parameter \"\(NNPlayError.excerpt(key))\": \(accepted)")
            }
            guard seen.insert(key).inserted else { throw NNPlayError("\"schedule\": \"\(key)\" is given twice") }
            let p = params[index]
            guard case .number(let x) = v else {
                throw NNPlayError("\"schedule\": \"\(p.key)\" is \(NNPlayError.excerpt(v.serialized())), not a number: \(p.key) is \(p.range)")
            }
            guard p.accepts(x) else {
                throw NNPlayError("\"schedule\": \"\(p.key)\" is \(formatNumber(x)): \(p.key) is \(p.range)")
            }
            values[index] = x
        }
        self = LearningRateSchedule.make(kind, values)
    }

    /// The same as `init(json:)`, as a function to pair with `json`.
    public static func decode(_ value: JSON) throws -> LearningRateSchedule { try LearningRateSchedule(json: value) }
}

extension TrainingSettings {
    /// The rate in force for a step after `epoch` completed epochs and `step` steps: `lr` under the
    /// schedule (see `LearningRateSchedule`).
    public func rate(epoch: Int, step: Int) -> Double {
        schedule.rate(base: learningRate, epoch: epoch, step: step)
    }

    /// The rate the next step of this progress would use.
    public func rate(at progress: TrainingProgress) -> Double {
        rate(epoch: progress.epoch, step: progress.steps)
    }
}

extension Playground {
    /// The learning rate the next training step will use (the `lr` setting under the schedule, at
    /// the epochs and steps trained so far).
    public var learningRateInForce: Double { settings.rate(at: progress) }
}
