import NNPlayEngine

/// `expect METRIC OP VALUE`: a check for scripts and lessons.
public enum ExpectCommand: Command {
    static let operators = ["<", "<=", ">", ">=", "=="]

    public static let help = CommandHelp(
        name: "expect", group: .training, usage: ["expect METRIC OP VALUE"],
        summary: "check a metric; fails (exit 1 in a script) when the check is false",
        details: ["METRIC: \(Metric.names.joined(separator: " ")).", "OP: < <= > >= ==."],
        examples: ["expect test-accuracy >= 0.95", "expect gradcheck < 1e-6", "expect epoch == 100"],
        positionals: [.metrics, .words(operators)])

    public static func run(_ args: Arguments, in session: Session) throws {
        try args.allowOptions([])
        // `expect test-accuracy>=0.9` reads as one word; split it at the operator
        var words = args.positionals
        if words.count == 1, let op = operators.sorted(by: { $0.count > $1.count }).first(where: { words[0].contains($0) }),
           let range = words[0].range(of: op) {
            words = [String(words[0][..<range.lowerBound]), op, String(words[0][range.upperBound...])]
        }
        if words.count > 3 { throw ShellError("unexpected '\(ShellError.excerpt(words[3]))': usage: expect METRIC OP VALUE, e.g. `expect test-accuracy >= 0`") }
        guard words.count == 3 else { throw ShellError("usage: expect METRIC OP VALUE, e.g. `expect test-accuracy >= 0`") }
        let metric = try Values.name(words[0], "metric", { Metric(rawValue: $0.lowercased()) }, accepted: Metric.names)
        let op = words[1]
        guard operators.contains(op) else { throw ShellError("'\(op)' is not an operator: use one of < <= > >= ==") }
        let expected = try Values.number(words[2], "VALUE")
        let actual = try metric.value(of: session.playground)
        let holds: Bool
        switch op {
        case "<": holds = actual < expected
        case "<=": holds = actual <= expected
        case ">": holds = actual > expected
        case ">=": holds = actual >= expected
        default: holds = actual == expected
        }
        guard holds else {
            throw ShellError("expect failed: \(metric.rawValue) is \(Metric.text(actual)), not \(op) \(words[2])")
        }
        if !session.options.quiet { session.say("ok: \(metric.rawValue) \(Metric.text(actual)) \(op) \(words[2])") }
    }
}
