import NNPlayEngine

/// `init xavier|he|uniform [seed=S]`: draw the weights with an initialiser.
public enum InitCommand: Command {
    public static let help = CommandHelp(
        name: "init", group: .network, usage: ["init xavier|he|uniform [seed=S]"],
        summary: "draw all weights anew with an initialiser (biases 0); training starts again",
        details: ["xavier: uniform ±√(6/(fan-in+fan-out)) (tanh, sigmoid); he: uniform ±√(6/fan-in) (relu);",
                  "uniform: ±1/√fan-in. seed=S also becomes the seed setting (as set seed S)."],
        options: [OptionHelp("seed", "S", default: "the seed setting", "seed of the weights")],
        examples: ["init he", "init xavier seed=7"],
        positionals: [.words(Initializer.allCases.map(\.rawValue))])

    public static func changesState(_ args: Arguments) -> Bool { true }

    public static func run(_ args: Arguments, in session: Session) throws {
        try args.allowOptions(["seed"])
        try args.expectPositionals(1...1, usage: help.usage[0])
        let initializer = try Values.name(args.positionals[0], "initializer", as: Initializer.self)
        var s = session.playground.settings
        s.initializer = initializer
        if let seed = args.option("seed") { s.seed = try Values.seed(seed) }
        try session.update {
            try $0.updateSettings(s)
            $0.reset()
        }
        session.say("weights drawn with \(initializer.rawValue), seed \(s.seed); epoch 0")
    }
}
