import NNPlayEngine

/// `stats [grads] [json]`: the metrics, or the gradient's health, as one line.
public enum StatsCommand: Command {
    public static let help = CommandHelp(
        name: "stats", group: .training, usage: ["stats [json]", "stats grads [json]"],
        summary: "one line: epoch, train and test loss and accuracy (or rmse and r2), steps; grads: gradient norms",
        details: ["epoch=… train-loss=… test-loss=… train-accuracy=… test-accuracy=… steps=… (reg-loss=… with",
                  "regularization; val-loss=… val-accuracy=… before steps with set validation F). Losses are the",
                  "mean per-point loss, without the regularization term. train-… are on the training points",
                  "left after the validation points are held out (the points training uses).",
                  "Regression data: train-rmse test-rmse train-r2 test-r2 instead of accuracy (val-rmse val-r2),",
                  "rmse = √(mean (output − target)²), r2 = 1 − Σ(output − target)² / Σ(target − mean)².",
                  "A value that does not exist (no test points) shows as n/a.",
                  "grads: grad-norm-1=… … grad-norm-out=…, the L2 norm of each layer's weight gradient of the",
                  "mean training loss (no regularization) at the current weights, over the whole training set;",
                  "grad-ratio = grad-norm-1 / grad-norm-out (far below 1: the gradient vanishes on its way down,",
                  "as in deep sigmoid nets); dead-relu = ReLU neurons never active on the training set.",
                  "json: the same as one JSON object on one line (null for n/a)."],
        examples: ["stats", "stats json", "stats grads", "expect grad-ratio < 0.01"],
        positionals: [.words(["grads", "json"]), .words(["json"])])

    public static func run(_ args: Arguments, in session: Session) throws {
        try args.allowOptions([])
        let words = args.positionals.map { $0.lowercased() }
        let json = words.last == "json"
        let rest = json ? Array(words.dropLast()) : words
        let p = session.playground
        if rest == ["grads"] || rest == ["grad"] {
            let pairs = try gradientPairs(p)
            session.say(json ? jsonLine(pairs) : pairs.map { "\($0.0)=\($0.1.map(Metric.text) ?? "n/a")" }.joined(separator: " "))
            return
        }
        if let extra = rest.first {
            throw ShellError("unexpected '\(ShellError.excerpt(args.positionals[0]))'\(Suggestions.hint(for: extra, in: ["grads", "json"])): usage: stats [json] or stats grads [json]")
        }
        let train = p.trainMetrics, test = p.testMetrics
        let pairs = metricPairs(p, train: train, test: test)
        session.say(json ? jsonLine(pairs) : pairs.map { "\($0.0)=\($0.1.map(Metric.text) ?? "n/a")" }.joined(separator: " "))
        OverflowWarning.check(session, train: train, test: test)
    }

    /// The stats line of a playground.
    public static func line(_ p: Playground) -> String {
        line(p, train: p.trainMetrics, test: p.testMetrics)
    }

    /// The stats line, with the train and test metrics already measured.
    static func line(_ p: Playground, train: Metrics?, test: Metrics?) -> String {
        metricPairs(p, train: train, test: test).map { "\($0.0)=\($0.1.map(Metric.text) ?? "n/a")" }.joined(separator: " ")
    }

    static func metricPairs(_ p: Playground, train: Metrics?, test: Metrics?) -> [(String, Double?)] {
        // regression data has rmse and r² where classification has accuracy
        let regression = p.dataset.problem == .regression
        var metrics: [Metric] = regression ? [.epoch, .trainLoss, .testLoss, .trainRmse, .testRmse, .trainR2, .testR2]
                                           : [.epoch, .trainLoss, .testLoss, .trainAccuracy, .testAccuracy]
        if !p.dataset.validationIndices.isEmpty { metrics += regression ? [.valLoss, .valRmse, .valR2] : [.valLoss, .valAccuracy] }
        metrics.append(.steps)
        if p.settings.regularization != .none { metrics.append(.regLoss) }
        return metrics.map { ($0.rawValue, try? $0.value(of: p, train: train, test: test)) }
    }

    /// grad-norm-1 … grad-norm-out, grad-ratio and dead-relu.
    static func gradientPairs(_ p: Playground) throws -> [(String, Double?)] {
        guard !p.dataset.trainIndices.isEmpty else {
            throw ShellError("there are no training points to take the gradient over: hold out fewer with `data split test=0.5`")
        }
        let net = p.network, norms = p.gradientNorms
        var pairs: [(String, Double?)] = norms.indices.map { ("grad-norm-\(net.layerName($0 + 1))", norms[$0]) }
        if net.hiddenCount > 0, let first = norms.first, let out = norms.last {
            pairs.append(("grad-ratio", out > 0 ? first / out : nil))
        }
        if net.hiddenActivations.contains(.relu) {
            pairs.append(("dead-relu", Double(p.deadNeurons.map(\.count).reduce(0, +))))
        }
        return pairs
    }

    static func jsonLine(_ pairs: [(String, Double?)]) -> String {
        JSON.object(pairs.map { ($0.0, $0.1.map(JSON.finite) ?? .null) }).serialized()
    }
}
