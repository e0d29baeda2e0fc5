import NNPlayEngine

/// `expect METRIC OP VALUE`: a check for scripts and lessons.
public enum ExpectCommand: Command {
    static let operators = ["<", "<=", ">", ">=", "=="]

    public static let help = CommandHelp(
        name: "expect", group: .training, usage: ["expect METRIC OP VALUE", "expect neuron K.J at X,Y OP VALUE"],
        summary: "check a metric; fails (exit 1 in a script) when the check is false",
        details: ["METRIC: \(Metric.names.joined(separator: " ")),",
                  "or grad-norm-K (layer K's weight-gradient norm, K = 1…H or out; see `stats grads`).",
                  "grad-ratio is grad-norm-1 / grad-norm-out; dead-relu counts ReLU neurons never active on the",
                  "training set. OP: < <= > >= ==. neuron K.J at X,Y: that neuron's activation at the point (X, Y),",
                  "as eval X Y shows it (K = in for the inputs)."],
        examples: ["expect test-accuracy >= 0.95", "expect gradcheck < 1e-6", "expect epoch == 100",
                   "expect grad-ratio < 0.1", "expect grad-norm-out > 0",
                   "expect neuron out.1 at 0,0 > 0"],
        positionals: [.metrics, .words(operators)])

    /// `test-accuracy>=0.9` typed as one word, split at its (longest) operator into three; other
    /// word lists as they are. `expect` and `train until` read conditions this way.
    static func splitAtOperator(_ words: [String], operators: [String]) -> [String] {
        guard words.count == 1, let op = operators.sorted(by: { $0.count > $1.count }).first(where: { words[0].contains($0) }),
              let range = words[0].range(of: op) else { return words }
        return [String(words[0][..<range.lowerBound]), op, String(words[0][range.upperBound...])]
    }

    public static func run(_ args: Arguments, in session: Session) throws {
        try args.allowOptions([])
        if args.positionals.first?.lowercased() == "neuron" { return try expectNeuron(args.positionals, in: session) }
        let words = splitAtOperator(args.positionals, operators: operators)
        if words.count > 3 { throw ShellError("unexpected '\(ShellError.excerpt(words[3]))': usage: expect METRIC OP VALUE, e.g. `expect test-accuracy >= 0`") }
        guard words.count == 3 else { throw ShellError("usage: expect METRIC OP VALUE, e.g. `expect test-accuracy >= 0`") }
        let op = words[1]
        let p = session.playground
        let name: String, actual: Double
        if let norm = try Metric.gradientNorm(named: words[0], of: p) {
            guard operators.contains(op) else { throw ShellError("'\(op)' is not an operator: use one of < <= > >= ==") }
            name = words[0].lowercased()
            actual = norm
        } else {
            let metric = try Values.name(words[0], "metric", { Metric(rawValue: $0.lowercased()) }, accepted: Metric.names + ["grad-norm-K"])
            guard operators.contains(op) else { throw ShellError("'\(op)' is not an operator: use one of < <= > >= ==") }
            name = metric.rawValue
            actual = try metric.value(of: p)
        }
        try check(name, actual, op, words[2], in: session)
    }

    /// Holds `actual OP expected`, or throws what it is instead.
    static func check(_ name: String, _ actual: Double, _ op: String, _ text: String, in session: Session) throws {
        let expected = try Values.number(text, "VALUE")
        let holds = StoppingRule.Comparison(rawValue: op).map { $0.holds(actual, expected) } ?? (actual == expected)
        guard holds else {
            throw ShellError("expect failed: \(name) is \(Metric.text(actual)), not \(op) \(text)")
        }
        if !session.options.quiet { session.say("ok: \(name) \(Metric.text(actual)) \(op) \(text)") }
    }

    static let neuronUsage = "expect neuron K.J at X,Y OP VALUE, e.g. `expect neuron out.1 at 1,2 > 0.5`"

    /// `expect neuron K.J at X,Y OP VALUE`: the activation of one neuron at one point (what `eval X Y` shows).
    static func expectNeuron(_ words: [String], in session: Session) throws {
        let rest = Array(words.dropFirst())
        guard rest.count >= 3, rest[1].lowercased() == "at" else { throw ShellError("usage: \(neuronUsage)") }
        let net = session.playground.network
        let (k, j) = try References.neuron(rest[0], in: net)
        let tail = splitAtOperator(Array(rest.dropFirst(3)), operators: operators)
        guard tail.count == 2 else { throw ShellError("usage: \(neuronUsage)") }
        let point = rest[2].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        guard point.count == 2 else { throw ShellError("'\(ShellError.excerpt(rest[2]))' is not a point: write X,Y, e.g. 1,-2 (usage: \(neuronUsage))") }
        let x = try Values.number(point[0], "X"), y = try Values.number(point[1], "Y")
        guard operators.contains(tail[0]) else { throw ShellError("'\(tail[0])' is not an operator: use one of < <= > >= ==") }
        let trace = net.trace(x: x, y: y)
        try check("neuron \(net.neuronName(layer: k, neuron: j)) at (\(formatMetric(x)), \(formatMetric(y)))", trace[k].activations[j],
                  tail[0], tail[1], in: session)
    }
}
