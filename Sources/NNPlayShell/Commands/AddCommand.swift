import NNPlayEngine

/// `add N [ACT] [at=K]`: a new hidden layer.
public enum AddCommand: Command {
    public static let help = CommandHelp(
        name: "add", group: .network, usage: ["add N [ACT] [at=K]"],
        summary: "add a hidden layer of N neurons",
        details: ["ACT is one of: \(Activation.namesList); the default is the last hidden layer's (tanh if none).",
                  "at=K makes the new layer layer K (1…H+1); by default it goes after the last hidden layer.",
                  "The weights are drawn anew and training starts again. The new layer has no dropout; the others keep theirs."],
        options: [OptionHelp("at", "K", default: "H+1", "position of the new layer", completion: .hiddenLayers)],
        examples: ["add 8", "add 4 relu at=1"],
        positionals: [.words(["2", "4", "8", "16"]), .hiddenActivations])

    public static func changesState(_ args: Arguments) -> Bool { true }

    public static func run(_ args: Arguments, in session: Session) throws {
        try args.allowOptions(["at"])
        try args.expectPositionals(1...2, usage: help.usage[0])
        let net = session.playground.network
        let size = try Values.integer(args.positionals[0], "N", in: 1...Network.maxWidth)
        let activation = try args.positional(1).map {
            try Values.name($0, "activation", as: Activation.self)
        } ?? net.hiddenActivations.last ?? .tanh
        let h = net.hiddenCount
        guard h < Network.maxHiddenLayers else {
            throw ShellError("the network has \(h) hidden layers, the limit")
        }
        let at = try args.option("at").map { try Values.integer($0, "at", in: 1...(h + 1)) } ?? h + 1
        var hidden = NetworkEditing.hidden(of: net)
        hidden.insert((size, activation), at: at - 1)
        var dropout = net.dropoutRates
        dropout.insert(0, at: at - 1)
        try NetworkEditing.apply(session, hidden: hidden, dropout: dropout)
    }
}
