import NNPlayEngine

/// `dropout [K|all] [RATE]`: inverted dropout on hidden layers, in training only.
public enum DropoutCommand: Command {
    public static let help = CommandHelp(
        name: "dropout", group: .network, usage: ["dropout K RATE", "dropout all RATE", "dropout"],
        summary: "drop hidden layer K's units at random while training (RATE in [0, 1), 0 = off)",
        details: ["K is a hidden layer, 1…H (all: every hidden layer); not the inputs, not the output layer.",
                  "Inverted dropout: in each training step every activation of the layer is kept with",
                  "probability 1−RATE and then scaled by 1/(1−RATE), or set to 0 (a dropped unit also passes",
                  "no gradient back). The masks are drawn anew for every point of every step, from their own",
                  "seeded random stream: the same seed and commands give the same weights, bit for bit.",
                  "Only training drops units: stats, expect, eval, backprop, confusion, pictures, landscapes,",
                  "gradcheck and stats grads use the whole network. plot loss steps shows each step's loss as",
                  "trained (with the step's masks), and plot grads the gradients the steps took.",
                  "The rate is part of the architecture (net shows it; model files and sessions keep it; it",
                  "stays through resize and act, and moves with its layer through add and remove), but it",
                  "changes no shape: the weights and the training progress stay, as for a setting.",
                  "dropout alone lists each hidden layer's rate."],
        examples: ["dropout 1 0.5", "dropout all 0.2", "dropout 1 0", "dropout"])

    public static func completion(forPositional index: Int, after previous: [String]) -> CompletionKind {
        switch index {
        case 0: return .hiddenLayersOrAll
        case 1: return .words(["0", "0.1", "0.2", "0.3", "0.5"])
        default: return .none
        }
    }

    public static func changesState(_ args: Arguments) -> Bool { !args.positionals.isEmpty }

    static let rateText = "RATE is a number in [0, 1): the fraction of units dropped in training (0 = off)"

    public static func run(_ args: Arguments, in session: Session) throws {
        try args.allowOptions([])
        try args.expectPositionals(0...2, usage: "dropout K RATE")
        let net = session.playground.network
        guard let target = args.positional(0) else {
            list(net, session)
            return
        }
        guard let text = args.positional(1) else {
            throw ShellError("missing the RATE after '\(ShellError.excerpt(target))': usage: dropout K RATE, e.g. `dropout 1 0.5`")
        }
        let layers = try hiddenLayers(target, net)
        let rate = try self.rate(text)
        try session.update { p in
            for k in layers { try p.setDropout(rate, layer: k) }
        }
        let names = layers.count == 1 ? "layer \(layers[0])" : "every hidden layer"
        if rate == 0 {
            session.say("dropout: off on \(names); the weights stay")
        } else {
            session.say("dropout: \(names) drops \(formatNumber(rate)) of its units in training (the rest × \(formatMetric(1 / (1 - rate), digits: 6))); the weights stay")
        }
    }

    /// The hidden layers a target names: K (1…H) or all.
    static func hiddenLayers(_ text: String, _ net: Network) throws -> [Int] {
        let h = net.hiddenCount
        guard h > 0 else { throw ShellError("the network has no hidden layers to drop units from (add one with `add 8`)") }
        let t = text.lowercased(), accepted = "hidden layers \(h == 1 ? "1" : "1…\(h)") or all"
        switch t {
        case "all": return Array(1...h)
        case "out", "output":
            throw ShellError("dropout is for hidden layers, not the output layer: K is one of the \(accepted)")
        case "in", "input", "0":
            throw ShellError("dropout is for hidden layers, not the input features: K is one of the \(accepted)")
        default:
            guard let k = Int(t) else {
                throw ShellError("'\(ShellError.excerpt(text))' is not a layer: K is one of the \(accepted)")
            }
            guard k >= 1 && k <= h else {
                throw ShellError("layer \(k) does not exist: K is one of the \(accepted) (`net` shows them)")
            }
            return [k]
        }
    }

    /// A dropout rate: a number in [0, 1).
    static func rate(_ text: String) throws -> Double {
        guard let v = Values.parseNumber(text) else {
            throw ShellError("'\(ShellError.excerpt(text))' is not a dropout rate: \(rateText)")
        }
        guard Network.isDropoutRate(v) else {
            let why = v >= 1 ? " (1 would drop every unit)" : ""
            throw ShellError("dropout rate \(ShellError.excerpt(text)) is out of range\(why): \(rateText)")
        }
        return v
    }

    /// Each hidden layer's rate.
    static func list(_ net: Network, _ session: Session) {
        guard net.hiddenCount > 0 else {
            session.say("dropout: the network has no hidden layers")
            return
        }
        let parts = (1...net.hiddenCount).map { k in
            let r = net.dropoutRates[k - 1]
            return "\(k): \(r > 0 ? formatNumber(r) : "off")"
        }
        session.say("dropout (training only): " + parts.joined(separator: ", "))
    }
}
