import NNPlayEngine

/// `train until METRIC OP VALUE [max=N] [patience=P]` and `train until patience=P [max=N]`:
/// training that stops by itself (scikit-learn's early stopping, Playground's wished-for stop condition).
enum TrainUntil {
    static let usage = "train until [METRIC OP VALUE] [max=N] [patience=P] [record=FILE.gif [every=K] [view=V]]"
    static let defaultMax = 1000
    static let metrics = StoppingRule.EpochMetric.allCases.map(\.rawValue)
    static let operators = StoppingRule.Comparison.allCases.map(\.rawValue)

    static let details = [
        "until: trains epoch after epoch and stops at the end of the first epoch where",
        "METRIC OP VALUE holds, keeping those weights (OP: < <= > >=; METRIC: train-loss",
        "test-loss val-loss train-accuracy test-accuracy val-accuracy, or for regression data",
        "train-rmse test-rmse val-rmse train-r2 test-r2 val-r2); at most max=N epochs",
        "(default \(defaultMax)). patience=P: also stops when the validation loss has not gone",
        "below its lowest for P epochs, and then (or at max) puts back the weights of the epoch",
        "with the lowest validation loss, saying which. val-… and patience need validation",
        "points: `set validation 0.2` holds that fraction of the training points out.",
        "record= works with until as with N: without every=, frames are spread over max=N epochs,",
        "and weights put back by patience get a last frame.",
    ]

    /// The rule from the words after `until` and the options.
    static func rule(_ args: Arguments) throws -> StoppingRule {
        try args.allowOptions(["max", "patience"], for: "train until")
        let given = Array(args.positionals.dropFirst())
        // `train until val-loss<0.2` reads as one word
        let words = given.count == 1 ? ExpectCommand.splitAtOperator(given, operators: operators).filter { !$0.isEmpty } : given
        let maxEpochs = try args.option("max").map { try Values.integer($0, "max", in: 1...TrainCommand.maxEpochs) } ?? defaultMax
        let patience = try args.option("patience").map { try Values.integer($0, "patience", in: 1...TrainCommand.maxEpochs) }
        var condition: StoppingRule.Condition?
        if !words.isEmpty {
            guard words.count == 3 else {
                throw ShellError("train until takes METRIC OP VALUE, e.g. `train until test-accuracy >= 0.95`: usage: \(usage)")
            }
            let metric = try Values.name(words[0], "metric", { StoppingRule.EpochMetric(rawValue: $0.lowercased()) }, accepted: metrics)
            guard let op = StoppingRule.Comparison(rawValue: words[1]) else {
                throw ShellError("'\(ShellError.excerpt(words[1]))' is not an operator: use one of \(operators.joined(separator: " "))")
            }
            let bound = try Values.number(words[2], "VALUE")
            guard bound.isFinite else { throw ShellError("VALUE=\(ShellError.excerpt(words[2])) is not a finite number") }
            condition = StoppingRule.Condition(metric, op, bound)
        }
        guard condition != nil || patience != nil else {
            throw ShellError("train until needs a condition or patience, e.g. `train until train-loss < 0.1` (or patience=P with validation points): usage: \(usage)")
        }
        return StoppingRule(condition: condition, patience: patience, maxEpochs: maxEpochs)
    }

    /// One line on why training stopped and which weights are kept.
    static func report(_ o: StoppingOutcome, _ rule: StoppingRule, _ session: Session) {
        let best = o.best.map { "the weights of epoch \($0.epoch) (val-loss=\(Metric.text($0.validationLoss)))" }
        let kept = o.restoredBest ? "; put back \(best ?? "the best weights"), the lowest validation loss"
                                  : (o.best != nil ? "; these are the weights of the lowest validation loss" : "")
        switch o.reason {
        case .conditionMet(let epoch):
            session.say("stopped at epoch \(epoch): \(rule.condition?.description ?? "the condition") holds; its weights are kept")
        case .patienceRanOut:
            session.say("stopped at epoch \(session.playground.progress.epoch): val-loss has not improved for \(rule.patience ?? 0) epochs\(kept)")
        case .reachedMax:
            let what = rule.condition.map { "without \($0.description)" } ?? "(patience did not run out)"
            session.say("reached max=\(rule.maxEpochs) epochs \(what)\(kept)")
        case .stoppedEarly:
            break
        }
    }
}
