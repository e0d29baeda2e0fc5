import NNPlayEngine

/// `expect METRIC OP VALUE`: a check for scripts and lessons.
public enum ExpectCommand: Command {
    static let operators = ["<", "<=", ">", ">=", "=="]

    public static let help = CommandHelp(
        name: "expect", group: .training, usage: ["expect METRIC OP VALUE"],
        summary: "check a metric; fails (exit 1 in a script) when the check is false",
        details: ["METRIC: \(Metric.names.joined(separator: " ")),",
                  "or grad-norm-K (layer K's weight-gradient norm, K = 1…H or out; see `stats grads`).",
                  "grad-ratio is grad-norm-1 / grad-norm-out; dead-relu counts ReLU neurons never active on the",
                  "training set. OP: < <= > >= ==."],
        examples: ["expect test-accuracy >= 0.95", "expect gradcheck < 1e-6", "expect epoch == 100",
                   "expect grad-ratio < 0.1", "expect grad-norm-out > 0"],
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
        let expected = try Values.number(words[2], "VALUE")
        let holds = StoppingRule.Comparison(rawValue: op).map { $0.holds(actual, expected) } ?? (actual == expected)
        guard holds else {
            throw ShellError("expect failed: \(name) is \(Metric.text(actual)), not \(op) \(words[2])")
        }
        if !session.options.quiet { session.say("ok: \(name) \(Metric.text(actual)) \(op) \(words[2])") }
    }
}
