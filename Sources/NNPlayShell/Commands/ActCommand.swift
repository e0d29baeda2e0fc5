import NNPlayEngine

/// `act [K|all|out] NAME`: change activation functions.
public enum ActCommand: Command {
    public static let help = CommandHelp(
        name: "act", group: .network, usage: ["act [K|all|out] NAME"],
        summary: "set the activation of hidden layer K, of all hidden layers, or of the output",
        details: ["Hidden activations: \(Activation.namesList).",
                  "Output activations: \(OutputActivation.namesList) (sigmoid: one output for 2 classes;",
                  "softmax: one output per class). The default target is all (every hidden layer).",
                  "The loss follows the output when it no longer fits (tanh, linear → mse). Weights are drawn anew.",
                  "Definitions (σ(z) = 1/(1+e⁻ᶻ)):",
                  "  linear z · sigmoid σ(z) · tanh tanh(z) · relu max(0, z) · softplus log(1+eᶻ)",
                  "  leaky-relu z for z > 0, else \(formatNumber(Activation.leakySlope))·z · elu z for z > 0, else eᶻ−1 (α = 1)",
                  "  selu λ·z for z > 0, else λ·α·(eᶻ−1), λ = \(Activation.seluLambda), α = \(Activation.seluAlpha)",
                  "  swish z·σ(z) · mish z·tanh(softplus(z))",
                  "Output targets (what mse compares with): 0/1 for sigmoid and softmax, −1/+1 for tanh and",
                  "linear; a single output aims at the upper value for class 1, the lower for class 0.",
                  "Regression data (a real target per point): one output, linear (default) or tanh, with mse."],
        examples: ["act relu", "act 2 swish", "act out softmax"])

    public static func completion(forPositional index: Int, after previous: [String]) -> CompletionKind {
        if index == 0 { return .layerTargets }
        if index == 1 {
            return previous.first?.lowercased() == "out" ? .outputActivations : .hiddenActivations
        }
        return .none
    }

    public static func changesState(_ args: Arguments) -> Bool { true }

    public static func run(_ args: Arguments, in session: Session) throws {
        try args.allowOptions([])
        try args.expectPositionals(1...2, usage: "act [K|all|out] NAME")
        let net = session.playground.network
        let target = args.positionals.count == 2 ? args.positionals[0].lowercased() : "all"
        let name = args.positionals[args.positionals.count - 1]
        if args.positionals.count == 1, ["all", "out", "output"].contains(name.lowercased()) || Values.parseNumber(name) != nil {
            throw ShellError("missing the activation's NAME after '\(name)': usage: act [K|all|out] NAME")
        }
        if target == "out" || target == "output" {
            let output = try Values.name(name, "output activation", as: OutputActivation.self)
            try NetworkEditing.apply(session, output: output)
            return
        }
        let activation = try Values.name(name, "activation", as: Activation.self)
        var hidden = NetworkEditing.hidden(of: net)
        guard !hidden.isEmpty else { throw ShellError("the network has no hidden layers (add one with `add 4 \(activation.rawValue)`)") }
        if target == "all" {
            for i in hidden.indices { hidden[i].activation = activation }
        } else {
            let k = try References.hiddenLayer(target, in: net)
            hidden[k - 1].activation = activation
        }
        try NetworkEditing.apply(session, hidden: hidden)
    }
}
