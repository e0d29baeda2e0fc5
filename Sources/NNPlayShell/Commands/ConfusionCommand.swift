import NNPlayEngine

/// `confusion [train|test]`: the confusion matrix.
public enum ConfusionCommand: Command {
    public static let help = CommandHelp(
        name: "confusion", group: .training, usage: ["confusion [test|train]"],
        summary: "the confusion matrix on the test set (or the training set)",
        details: ["Rows are the true classes, columns the predicted ones; the diagonal counts correct answers."],
        examples: ["confusion", "confusion train"],
        positionals: [.words(["test", "train"])])

    public static func run(_ args: Arguments, in session: Session) throws {
        try args.allowOptions([])
        try args.expectPositionals(0...1, usage: help.usage[0])
        let which = args.positional(0)?.lowercased() ?? "test"
        guard which == "test" || which == "train" else {
            throw ShellError("unexpected '\(args.positionals[0])'\(Suggestions.hint(for: which, in: ["test", "train"])): usage: \(help.usage[0])")
        }
        let p = session.playground, d = p.dataset
        guard d.problem == .classification else {
            throw ShellError("confusion needs classes: this is regression data (see test-rmse and test-r2 in `stats`)")
        }
        let indices = which == "test" ? d.testIndices : d.trainIndices
        guard !indices.isEmpty else { throw ShellError("there are no \(which) points") }
        let matrix = p.network.confusion(on: d, indices: indices)
        let names = (0..<d.classCount).map { d.className($0) }
        let width = max(6, (names.map(\.count) + matrix.flatMap { $0 }.map { String($0).count }).max() ?? 0) + 1
        func cell(_ s: String) -> String { String(repeating: " ", count: max(0, width - s.count)) + s }
        session.say("confusion on the \(which) set (\(indices.count) points): rows true class, columns predicted")
        session.say(cell("") + names.map(cell).joined())
        for (c, row) in matrix.enumerated() { session.say(cell(names[c]) + row.map { cell(String($0)) }.joined()) }
        let correct = (0..<d.classCount).map { matrix[$0][$0] }.reduce(0, +)
        session.say("accuracy \(Metric.text(Double(correct) / Double(indices.count))) (\(correct) of \(indices.count))")
    }
}
