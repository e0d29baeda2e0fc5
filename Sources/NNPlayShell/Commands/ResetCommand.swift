import NNPlayEngine

/// `reset`: draw the weights again and start training afresh.
public enum ResetCommand: Command {
    public static let help = CommandHelp(
        name: "reset", group: .network, usage: ["reset"],
        summary: "draw the weights anew and start training again (data and settings stay)",
        details: ["The weights come from the init setting and the seed setting, so reset twice gives the same weights."],
        examples: ["reset"])

    public static func changesState(_ args: Arguments) -> Bool { true }

    public static func run(_ args: Arguments, in session: Session) throws {
        try args.allowOptions([])
        try args.expectPositionals(0...0, usage: "reset")
        session.update { $0.reset() }
        session.say("weights drawn anew (\(session.playground.settings.initializer.rawValue), seed \(session.playground.settings.seed)); epoch 0")
    }
}
