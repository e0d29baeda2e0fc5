import NNPlayEngine

/// `remove K`: drop a hidden layer.
public enum RemoveCommand: Command {
    public static let help = CommandHelp(
        name: "remove", group: .network, usage: ["remove K"],
        summary: "remove hidden layer K",
        details: ["K is a hidden layer, 1…H. The weights are drawn anew and training starts again;", "the other layers keep their dropout rates."],
        examples: ["remove 2"], positionals: [.hiddenLayers])

    public static func changesState(_ args: Arguments) -> Bool { true }

    public static func run(_ args: Arguments, in session: Session) throws {
        try args.allowOptions([])
        try args.expectPositionals(1...1, usage: "remove K")
        let k = try References.hiddenLayer(args.positionals[0], in: session.playground.network)
        var hidden = NetworkEditing.hidden(of: session.playground.network)
        hidden.remove(at: k - 1)
        var dropout = session.playground.network.dropoutRates
        dropout.remove(at: k - 1)
        try NetworkEditing.apply(session, hidden: hidden, dropout: dropout)
    }
}
