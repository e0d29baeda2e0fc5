import NNPlayEngine

/// `resize K N`: change a hidden layer's width.
public enum ResizeCommand: Command {
    public static let help = CommandHelp(
        name: "resize", group: .network, usage: ["resize K N"],
        summary: "give hidden layer K N neurons",
        details: ["K is a hidden layer, 1…H; N is 1…\(Network.maxWidth). The weights are drawn anew; the layer's dropout rate stays."],
        examples: ["resize 1 8"], positionals: [.hiddenLayers, .words(["2", "4", "8", "16"])])

    public static func changesState(_ args: Arguments) -> Bool { true }

    public static func run(_ args: Arguments, in session: Session) throws {
        try args.allowOptions([])
        try args.expectPositionals(2...2, usage: "resize K N")
        let k = try References.hiddenLayer(args.positionals[0], in: session.playground.network)
        let n = try Values.integer(args.positionals[1], "N", in: 1...Network.maxWidth)
        var hidden = NetworkEditing.hidden(of: session.playground.network)
        hidden[k - 1].size = n
        try NetworkEditing.apply(session, hidden: hidden)
    }
}
