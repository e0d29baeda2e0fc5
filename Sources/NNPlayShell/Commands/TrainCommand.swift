import NNPlayEngine

/// `train [N] [epochs|steps]`: mini-batch gradient descent.
public enum TrainCommand: Command {
    public static let maxEpochs = 10_000_000
    public static let maxSteps = 1_000_000_000
    /// Most multiply-adds one `train` may plan (about 3 per parameter per training point visited):
    /// 1e14 is hours even at this machine's peak; a run planned beyond it is refused up front.
    public static let maxWork = 1e14

    /// Refuses a run whose planned work is beyond reason, naming the most that fits.
    static func checkWork(_ length: TrainingLength, _ p: Playground) throws {
        let trainCount = Swift.max(1, p.dataset.trainIndices.count)
        let perPoint = 3 * Double(p.network.parameterCount)
        switch length {
        case .epochs(let n):
            let work = Double(n) * Double(trainCount) * perPoint
            guard work <= maxWork else {
                let most = Swift.max(1, Int(maxWork / (Double(trainCount) * perPoint)))
                throw ShellError("train \(n) epochs is about \(formatMetric(work, digits: 2)) multiply-adds, many hours: at most \(most) epochs per train "
                                 + "with \(p.network.parameterCount) parameters and \(trainCount) training points (run it in parts; Ctrl-C stops any run)")
            }
        case .steps(let n):
            let work = Double(n) * Double(Swift.min(p.settings.batchSize, trainCount)) * perPoint
            guard work <= maxWork else {
                let most = Swift.max(1, Int(maxWork / (Double(Swift.min(p.settings.batchSize, trainCount)) * perPoint)))
                throw ShellError("train \(n) steps is about \(formatMetric(work, digits: 2)) multiply-adds, many hours: at most \(most) steps per train "
                                 + "with \(p.network.parameterCount) parameters and batch \(Swift.min(p.settings.batchSize, trainCount)) (run it in parts; Ctrl-C stops any run)")
            }
        }
    }

    public static let help = CommandHelp(
        name: "train", group: .training, usage: ["train [N] [epochs|steps] [live [slow] [fps=F] [every=K]]", TrainRecording.usage, TrainUntil.usage],
        summary: "train for N epochs (default 1) or N mini-batch steps; live redraws the output map as it learns",
        details: ["An epoch visits every training point once, in a fresh shuffled order, batch points at a time.",
                  "N epochs run until the epoch count has grown by N (an epoch in progress counts as the first).",
                  "On a terminal a progress line shows epoch, losses, accuracies, speed and time left.",
                  "Ctrl-C stops at the next mini-batch and keeps the weights reached. If a loss, gradient or",
                  "weight stops being a number, training stops with a warning and keeps the last finite weights.",
                  "live: on a terminal, the status (epoch, losses, accuracies, time left; cut to fit 80 columns),",
                  "the output's class regions and a chart of this run's training loss are redrawn in place",
                  "(elsewhere the final picture is drawn once and the pace options are ignored). The chart covers",
                  "the whole run, from the loss it started at, on a scale from 0 to its largest loss (both",
                  "printed), so a 4 % change looks small; its epoch range is printed under it.",
                  "Pace: by default about 15 frames a second, and a quick run gets at least 30 frames (about a",
                  "second). fps=F: at most F frames a second (1…60). every=K: a frame every K epochs (K steps",
                  "with steps), each held for 1/F s (F default 30). slow: a frame every epoch at 10 a second",
                  "(train 50 live slow takes about 5 s), at most 600 frames: a longer run draws every N/600 epochs.",
                  "A run that the pace makes last more than 30 s says how long first; Ctrl-C stops it at once.",
                  "Limits: \(maxEpochs) epochs or \(maxSteps) steps per command, and a run planned at more than",
                  "1e14 multiply-adds (hours) is refused, naming the most epochs that fit; long runs show the time left."]
                  + TrainRecording.details
                  + TrainUntil.details,
        options: [OptionHelp("fps", "F", default: "30, 15 on long runs", "with live: at most F frames a second, 1…60",
                             completion: .words(["5", "10", "30"])),
                  OptionHelp("every", "K", default: "spread over the run", "with live or record=: a frame every K epochs (or steps)",
                             completion: .words(["1", "5", "10"])),
                  OptionHelp("record", "F.gif", default: "none", "an animated GIF of the run, a frame every K epochs",
                             completion: .path),
                  OptionHelp("view", "V", default: "out", "with record=: the picture of each frame: out, net, layer K or landscape",
                             completion: .words(TrainRecording.views)),
                  OptionHelp("max", "N", default: "\(TrainUntil.defaultMax)", "with until: at most N epochs",
                             completion: .words(["100", "1000", "10000"])),
                  OptionHelp("patience", "P", default: "none", "with until: stop when val-loss has not improved for P epochs",
                             completion: .words(["5", "10", "20", "50"]))],
        examples: ["train", "train 100", "train 50 steps", "train 500 live", "train 50 live slow",
                   "train until train-accuracy >= 0.95", "set validation 0.2; train until patience=20 max=2000",
                   "set validation 0.2; train until val-loss < 0.1 patience=10",
                   "train 200 live every=5 fps=20", "train 300 steps live every=10",
                   "train 200 record=/tmp/run.gif", "train 100 record=/tmp/net.gif view=net every=5", "train 50 record=/tmp/layer.gif view=layer 1",
                   "train 40 record=/tmp/landscape.gif view=landscape"],
        positionals: [.words(["1", "10", "100", "1000"]), .words(["epochs", "steps", "live"]), .words(["live", "slow"]), .words(["slow"])])

    public static func changesState(_ args: Arguments) -> Bool { true }

    /// How long, from `[N] [epochs|steps]`.
    static func length(_ args: Arguments, usage: String) throws -> TrainingLength {
        var countText: String?
        var unit: String?
        for word in args.positionals {
            let w = word.lowercased()
            if w == "live" || w == "slow" { continue }
            if ["epoch", "epochs", "step", "steps"].contains(w) {
                let u = w.hasPrefix("step") ? "steps" : "epochs"
                if let unit, unit != u { throw ShellError("both \(unit) and \(u): usage: \(usage)") }
                unit = u
            } else if countText == nil, Values.parseNumber(w) != nil || Values.isTooLarge(w) {
                countText = w
            } else {
                throw ShellError("unexpected '\(ShellError.excerpt(word))'\(Suggestions.hint(for: word, in: ["epochs", "steps", "live", "slow"])): usage: \(usage)")
            }
        }
        if unit == "steps" { return .steps(try countText.map { try Values.integer($0, "N", in: 1...maxSteps) } ?? 1) }
        return .epochs(try countText.map { try Values.integer($0, "N", in: 1...maxEpochs) } ?? 1)
    }

    public static func run(_ args: Arguments, in session: Session) throws {
        if args.positionals.first?.lowercased() == "until" {
            if args.option("record") == nil, let key = args.options.first(where: { ["every", "view"].contains($0.key) })?.key {
                throw ShellError("\(key)= goes with record=FILE.gif: \(TrainUntil.usage)")
            }
            let (recording, ruleArgs) = try TrainRecording.separate(args, playground: session.playground)
            let rule = try TrainUntil.rule(ruleArgs)
            // without every=, frames are spread over max=N epochs: the run may stop long before
            try recording?.setEvery(args, units: rule.maxEpochs)
            try checkWork(.epochs(rule.maxEpochs), session.playground)
            try train(.epochs(rule.maxEpochs), in: session, until: rule, recording: recording)
            return
        }
        let given = args
        // view=layer K: K is the last word; the rest are read as without record=
        let (recording, args) = try TrainRecording.separate(given, playground: session.playground)
        if recording != nil {
            let live = args.positionals.contains { $0.lowercased() == "live" }
            if let bad = args.options.first(where: { !(live && LivePace.optionKeys.contains($0.key)) }) {
                throw ShellError("train takes no option \(bad.key)= with record=: \(TrainRecording.accepted)\(live ? " and fps=1…60 with live" : "")")
            }
        }
        try args.expectPositionals(0...4, usage: help.usage[0])
        let words = args.positionals.map { $0.lowercased() }
        let live = words.contains("live"), slow = words.contains("slow")
        if !live, let key = args.options.first?.key {
            let what = LivePace.optionKeys.contains(key) ? "\(key)= is only for train N live" : "train takes no option \(key)="
            if key == "view" { throw ShellError("view= is only for train N record=FILE.gif: train N takes \(TrainRecording.accepted)") }
            throw ShellError("\(what): train N live takes fps=1…60, every=K and slow, e.g. `train 50 live fps=10`")
        }
        if !live && slow { throw ShellError("slow is only for train N live: train N live takes fps=1…60, every=K and slow, e.g. `train 50 live slow`") }
        let length = try self.length(args, usage: help.usage[0])
        if let recording {
            switch length {
            case .epochs(let n), .steps(let n): try recording.setEvery(given, units: n)
            }
        }
        let pace: LivePace
        switch length {
        case .epochs(let n): pace = try LivePace.parse(args, slow: slow, units: n, maxUnits: maxEpochs)
        case .steps(let n): pace = try LivePace.parse(args, slow: slow, units: n, maxUnits: maxSteps)
        }
        try checkWork(length, session.playground)
        try train(length, in: session, live: live, pace: pace, recording: recording)
    }

    /// Trains with progress output and Ctrl-C handling; shared by `train` and `step`.
    static func train(_ length: TrainingLength, in session: Session, live: Bool = false, pace: LivePace = LivePace(),
                      until rule: StoppingRule? = nil, recording: TrainRecording? = nil) throws {
        var planned: Int?
        if case .epochs(let e) = length { planned = e }
        let display = ProgressDisplay(session: session, plannedEpochs: planned)
        display.live = live
        display.pace = pace
        switch length {
        case .epochs(let n): display.begin(units: n, unitName: "epochs")
        case .steps(let n): display.begin(units: n, unitName: "steps")
        }
        let interrupt = session.interrupt
        var epochsEnded = 0
        let byEpochs: Bool
        if case .epochs = length { byEpochs = true } else { byEpochs = false }
        let shows = display.isActive
        let control = TrainingControl(shouldStop: { interrupt.isRaised || recording?.failure != nil },
                                      onProgress: shows || recording != nil ? { report, network in
                                          if shows {
                                              display.record(report)
                                              display.update(report, network: network)
                                          }
                                          if let recording {
                                              if report.endedEpoch { epochsEnded += 1 }
                                              recording.progress(units: byEpochs ? epochsEnded : report.stepsDone, report, network: network)
                                          }
                                      } : nil)
        // refused before anything is measured: a pass over the data through layers that do not fit takes long
        // (and before the first frame of a recording is drawn)
        try session.playground.checkTrainingFitsMemory()
        recording?.start()
        if let failure = recording?.failure { throw failure }
        var outcome = TrainingOutcome()
        // the training loss before: the last epoch's (measured then), or measured now before the first
        // (only when this run can end an epoch, the one case it is compared with)
        let history = session.playground.progress.history
        let endsAnEpoch: Bool
        if case .steps(let s) = length {
            let p = session.playground
            endsAnEpoch = p.progress.position + s * p.settings.batchSize >= p.dataset.trainIndices.count
        } else {
            endsAnEpoch = true
        }
        let lossBefore = history.last?.train?.loss ?? (endsAnEpoch ? session.playground.trainMetrics?.loss : nil)
        // weights this session never trained (loaded, or set by hand), and how large they are
        let untrained = session.playground.progress.steps == 0
        let largestBefore = session.playground.network.parameters.reduce(0) { Swift.max($0, abs($1)) }
        var stopping: StoppingOutcome?
        try session.update { p in
            if let rule {
                stopping = try p.train(until: rule, control: control)
                outcome = stopping?.training ?? outcome
            } else {
                outcome = try p.train(length, control: control)
            }
        }
        display.finish()
        if let rule, let stopping { TrainUntil.report(stopping, rule, session) }
        let p = session.playground
        if let recording {
            if outcome.interrupted && recording.failure == nil {
                recording.discard()
                session.warn("interrupted: \(recording.file) is not written (a recording is written whole or not at all)")
            } else {
                do {
                    // weights put back by patience get a frame of their own
                    try recording.finish(p, units: byEpochs ? epochsEnded : outcome.steps, force: stopping?.restoredBest == true)
                    session.say(recording.summary)
                } catch {
                    recording.discard()
                    _ = interrupt.consume()
                    throw ShellError("\(error) (training stopped at epoch \(Metric.text(p.epochsTrained)); the weights reached are kept; no GIF written)")
                }
            }
        }
        if outcome.interrupted {
            _ = interrupt.consume()
            session.wasInterrupted = true
            session.record("train \(outcome.steps) steps")
            session.say("interrupted after \(outcome.steps) steps, at epoch \(Metric.text(p.epochsTrained)); the weights reached are kept")
        }
        let rate = p.settings.learningRate
        let smaller = "`set lr \(formatNumber(rate / 10))`"
        // after: the loss of this run's last epoch (a run that ends no epoch is not judged)
        let lossAfter = outcome.epochs > 0 ? p.progress.history.last?.train?.loss : nil
        if let d = outcome.divergence, !(lossBefore?.isFinite ?? true) || (untrained && largestBefore > 1e6) {
            // weights that overflow (or were enormous) before any step: the learning rate is not to blame
            session.warn("\(d); the loss was \(formatMetric(lossBefore ?? .infinity)) before training, so the weights "
                         + "(loaded or set by hand, the largest \(formatMetric(largestBefore, digits: 3))) are too large "
                         + "for the data: `reset` draws new ones")
        } else if let d = outcome.divergence {
            session.warn("\(d); a smaller learning rate may help: \(smaller)")
        } else if let before = lossBefore, let after = lossAfter, before.isFinite, after > 1, after > 10 * before {
            // not a divergence, but no learning either: say what is the likely cause
            session.warn("the training loss rose from \(formatMetric(before)) to \(formatMetric(after)): "
                         + "lr=\(formatNumber(rate)) is probably too large; try \(smaller)")
        }
        guard !session.options.quiet else { return }
        let epochText = "epoch \(Metric.text(p.epochsTrained))"
        let metrics = metricPairs(train: p.trainMetrics, test: p.testMetrics)
        if live && !display.animates {
            // nothing to animate on: the final picture, once, as wide as fits
            let columns = Swift.max(16, Swift.min(48, session.output.width - 6))
            session.output.write(TerminalPictures.output(p, columns: columns, rows: columns / 2, .plain, points: .all, discrete: false).render(.plain))
        }
        session.say("\(epochText): \(metrics) (\(outcome.steps) step\(outcome.steps == 1 ? "" : "s"), \(duration(display.elapsed)))")
    }
}
