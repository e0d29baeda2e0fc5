import NNPlayEngine

/// `reg none|l1|l2 [RATE]`: regularisation.
public enum RegCommand: Command {
    public static let help = CommandHelp(
        name: "reg", group: .network, usage: ["reg none|l1|l2 [RATE]"],
        summary: "set the regularisation of the weights (not the biases) and its rate",
        details: ["The loss gains RATE·Σ|w| (l1) or RATE·½Σw² (l2). Without RATE, the rate stays, or becomes",
                  "0.001 if it was 0. The weights stay."],
        examples: ["reg l2 0.001", "reg none"],
        positionals: [.words(Regularization.allCases.map(\.rawValue)), .words(["0.0001", "0.001", "0.01", "0.1"])])

    public static func changesState(_ args: Arguments) -> Bool { true }

    public static func run(_ args: Arguments, in session: Session) throws {
        try args.allowOptions([])
        try args.expectPositionals(1...2, usage: "reg none|l1|l2 [RATE]")
        let reg = try Values.name(args.positionals[0], "regularization", as: Regularization.self)
        var s = session.playground.settings
        s.regularization = reg
        if let text = args.positional(1) {
            guard reg != .none else { throw ShellError("reg none takes no rate") }
            s.regularizationRate = try Values.number(text, "rate", in: 0...1e6, rangeText: "a number ≥ 0 (at most 1e6)")
        } else if reg == .none {
            s.regularizationRate = 0
        } else if s.regularizationRate == 0 {
            s.regularizationRate = 0.001
        }
        try session.update { try $0.updateSettings(s) }
        session.say(reg == .none ? "regularization: none" : "regularization: \(reg.rawValue), rate \(formatNumber(s.regularizationRate))")
    }
}
