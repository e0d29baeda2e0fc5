import NNPlayEngine

/// `stats`: the metrics as one line of key=value pairs.
public enum StatsCommand: Command {
    public static let help = CommandHelp(
        name: "stats", group: .training, usage: ["stats"],
        summary: "one line: epoch, train and test loss and accuracy, steps",
        details: ["epoch=… train-loss=… test-loss=… train-accuracy=… test-accuracy=… steps=… (reg-loss=… with",
                  "regularization). Losses are the mean per-point loss, without the regularization term.",
                  "A value that does not exist (no test points) shows as n/a."],
        examples: ["stats"])

    public static func run(_ args: Arguments, in session: Session) throws {
        try args.allowOptions([])
        try args.expectPositionals(0...0, usage: "stats")
        let p = session.playground
        let train = p.trainMetrics, test = p.testMetrics
        session.say(line(p, train: train, test: test))
        OverflowWarning.check(session, train: train, test: test)
    }

    /// The stats line of a playground.
    public static func line(_ p: Playground) -> String {
        line(p, train: p.trainMetrics, test: p.testMetrics)
    }

    /// The stats line, with the train and test metrics already measured.
    static func line(_ p: Playground, train: Metrics?, test: Metrics?) -> String {
        var metrics: [Metric] = [.epoch, .trainLoss, .testLoss, .trainAccuracy, .testAccuracy, .steps]
        if p.settings.regularization != .none { metrics.append(.regLoss) }
        return metrics.map { m in
            "\(m.rawValue)=\((try? m.value(of: p, train: train, test: test)).map(Metric.text) ?? "n/a")"
        }.joined(separator: " ")
    }
}
