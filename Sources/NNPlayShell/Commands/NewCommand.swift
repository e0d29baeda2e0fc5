import NNPlayEngine

/// `new [seed=S]`: start over from the default playground.
public enum NewCommand: Command {
    public static let help = CommandHelp(
        name: "new", group: .session, usage: ["new [seed=S]"],
        summary: "start over with the default playground (circle, 4 and 2 tanh neurons, SGD)",
        details: ["Everything built so far is dropped (save session first to keep it). Saved sessions begin with new."],
        options: [OptionHelp("seed", "S", default: "the seed setting", "seed of the new playground")],
        examples: ["new", "new seed=42"])

    public static func changesState(_ args: Arguments) -> Bool { true }

    public static func run(_ args: Arguments, in session: Session) throws {
        try args.allowOptions(["seed"])
        try args.expectPositionals(0...0, usage: help.usage[0])
        let seed = try args.option("seed").map(Values.seed) ?? session.playground.settings.seed
        session.playground = Playground.makeDefault(seed: seed)
        session.restartLog()
        session.record("new seed=\(seed)")
        session.say("new playground: \(session.playground.dataset.origin), \(session.playground.network.architecture), seed \(seed)")
    }
}
