import NNPlayEngine

/// `sweep KEY V1,V2,… [train=N]`: the same start trained once per value of one setting (or `act`),
/// side by side: a table of final metrics and times, the loss curves in one chart, the output maps.
public enum SweepCommand: Command {
    static let defaultEpochs = 100
    /// At most this many values: one mark and one hue each in the chart.
    static let maxValues = 12
    static let marks: [Character] = Array("abcdefghijkl")

    public static let help = CommandHelp(
        name: "sweep", group: .training,
        usage: ["sweep KEY V1,V2,… [train=N] [file=FILE.png|FILE.ppm] [ascii]"],
        summary: "train a copy of the playground for each value of a setting (or act) and compare them",
        details: ["KEY is any setting of `set` (see `help set`) or act (every hidden layer's",
                  "activation). Every run starts from the current weights, data, optimizer",
                  "state and epoch order, and trains N epochs (train=N, default \(defaultEpochs)); the playground",
                  "itself does not change. seed and init runs draw their weights anew with that seed or",
                  "initializer (it is what they are for). Prints a table of each run's final train and test",
                  "loss and accuracy (val-… too with validation points) and training time, a chart of every run's",
                  "training loss per epoch (a b c … in the order given), and each run's output map side by side.",
                  "file=FILE.png (or FILE.ppm: the extension picks the format) also writes the chart and the",
                  "maps as one picture. At most \(maxValues) values; Ctrl-C stops the run in progress and shows the",
                  "runs that finished. The same sweep gives the same numbers (times aside)."],
        options: [OptionHelp("train", "N", default: "\(defaultEpochs)", "epochs per run", completion: .words(["10", "100", "500"])),
                  OptionHelp("file", "FILE", default: "none", "also write the chart and maps as a picture, .png or .ppm", completion: .path)],
        examples: ["sweep lr 0.003,0.03,0.3", "sweep batch 1,10,250 train=50", "sweep act tanh,relu,sigmoid",
                   "sweep optimizer sgd,momentum,adam train=200", "sweep lr 0.01,0.1 file=/tmp/sweep.png"],
        positionals: [.settingKeys])

    public static func completion(forPositional index: Int, after previous: [String]) -> CompletionKind {
        if index == 0 { return .words(SettingsRegistry.keys + ["act"]) }
        guard index == 1, let key = previous.first?.lowercased() else { return index == 2 ? .words(["ascii"]) : .none }
        if key == "act" { return .hiddenActivations }
        return SettingsRegistry.setting(named: key).map { $0.completions.isEmpty ? .none : .words($0.completions) } ?? .none
    }

    public static func run(_ args: Arguments, in session: Session) throws {
        try args.allowOptions(["train", "file"])
        var words = args.positionals
        let ascii = words.last?.lowercased() == "ascii"
        if ascii { words.removeLast() }
        guard words.count == 2 else {
            throw ShellError("usage: \(help.usage[0]), e.g. `sweep lr 0.003,0.03,0.3`")
        }
        let key = words[0], values = words[1].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        guard !values.contains(where: \.isEmpty) else { throw ShellError("'\(ShellError.excerpt(words[1]))' has an empty value: give values separated by commas, e.g. 0.01,0.1") }
        guard (1...maxValues).contains(values.count) else { throw ShellError("\(values.count) values: a sweep takes 1 to \(maxValues)") }
        guard Set(values.map { $0.lowercased() }).count == values.count else { throw ShellError("a value is given twice in '\(ShellError.excerpt(words[1]))': give each once") }
        let epochs = try args.option("train").map { try Values.integer($0, "train", in: 1...TrainCommand.maxEpochs) } ?? defaultEpochs
        let file = args.option("file").map(Values.path)
        // a name that is no picture's is refused before any training
        let format = try file.map { try PictureFormat(path: $0) }
        let variants = try values.map { try variant(key, $0, session.playground) }
        let p = session.playground
        try TrainCommand.checkWork(.epochs(epochs * values.count), p)
        try p.checkTrainingFitsMemory()
        let interrupt = session.interrupt
        let runs = try p.sweep(variants, epochs: epochs, shouldStop: { interrupt.isRaised })
        if runs.count < values.count || runs.last?.outcome.interrupted == true {
            _ = interrupt.consume()
            session.wasInterrupted = true
            session.say("interrupted: \(runs.filter { !$0.outcome.interrupted }.count) of \(values.count) runs finished")
        }
        let name = SettingsRegistry.setting(named: key)?.key ?? "act"
        session.say(table(runs, key: name))
        for run in runs { if let d = run.outcome.divergence { session.warn("\(name)=\(run.label): \(d)") } }
        let mode: ColorMode = ascii ? .plain : session.options.colorMode
        let width = Swift.min(session.output.width, 100)
        let chart = lossChart(runs, key: name)
        session.output.write(chart.characters(width: Swift.max(30, width - 2), height: 14, colored: mode != .plain).render(mode))
        session.output.write(maps(runs, key: name, width: width, mode).render(mode))
        if let file, let format {
            try FileAccess.writeAtomically(format.encode(picture(runs, chart: chart, key: name)), to: file)
            session.say("wrote \(file)")
        }
    }

    /// The change one value makes (its words parsed now; `Playground.sweep` applies every variant
    /// to a copy before it trains any, so a value the playground refuses fails before the work).
    static func variant(_ key: String, _ value: String, _ p: Playground) throws -> SweepVariant {
        if key.lowercased() == "act" {
            let activation = try Values.name(value, "activation", as: Activation.self)
            guard p.network.hiddenCount > 0 else { throw ShellError("the network has no hidden layers: sweep act needs one (`add 4 tanh`)") }
            return SweepVariant(label: activation.rawValue) { q in
                let net = try q.network.withActivations(hidden: Array(repeating: activation, count: q.network.hiddenCount))
                _ = try q.replaceNetwork(net, initialize: false)
            }
        }
        guard let setting = SettingsRegistry.setting(named: key) else {
            let keys = SettingsRegistry.keys + ["act"]
            throw ShellError("cannot sweep '\(ShellError.excerpt(key))'\(Suggestions.hint(for: key, in: keys)) (keys: \(keys.joined(separator: " ")))")
        }
        var s = p.settings
        try SetCommand.assign(setting.key, value, to: &s)
        let redraws = setting.key == "seed" || setting.key == "init"
        return SweepVariant(label: setting.describe(s)) { q in
            try q.updateSettings(s)
            if redraws { q.reset() }
        }
    }

    /// value | train-loss test-loss (val-loss) train-accuracy test-accuracy (val-accuracy) | time;
    /// regression data has train-rmse test-rmse (val-rmse) train-r2 test-r2 (val-r2) for the accuracies.
    static func table(_ runs: [SweepRun], key: String) -> String {
        let validation = runs.contains { !$0.playground.dataset.validationIndices.isEmpty }
        let regression = runs.first?.playground.dataset.problem == .regression
        var header = [key, "train-loss", "test-loss"] + (validation ? ["val-loss"] : [])
        let measures: [String] = regression ? ["rmse", "r2"] : ["accuracy"]
        for m in measures { header += ["train-\(m)", "test-\(m)"] + (validation ? ["val-\(m)"] : []) }
        header.append("time")
        var rows = [header]
        for (i, run) in runs.enumerated() {
            let q = run.playground
            let train = q.trainMetrics, test = q.testMetrics, val = q.validationMetrics
            func cell(_ x: Double?) -> String { x.map(Metric.text) ?? "n/a" }
            var row = ["\(marks[i]) \(run.label)", cell(train?.loss), cell(test?.loss)] + (validation ? [cell(val?.loss)] : [])
            if regression {
                row += [cell(train?.rmse), cell(test?.rmse)] + (validation ? [cell(val?.rmse)] : [])
                row += [cell(train?.r2), cell(test?.r2)] + (validation ? [cell(val?.r2)] : [])
            } else {
                row += [cell(train?.accuracy), cell(test?.accuracy)] + (validation ? [cell(val?.accuracy)] : [])
            }
            row.append(run.outcome.interrupted ? "stopped" : duration(run.seconds))
            rows.append(row)
        }
        let widths = header.indices.map { c in rows.map { $0[c].count }.max() ?? 0 }
        return rows.map { row in
            row.enumerated().map { c, text in c == 0 ? text.padding(toLength: widths[c], withPad: " ", startingAt: 0)
                                                     : String(repeating: " ", count: widths[c] - text.count) + text }
                .joined(separator: "  ")
        }.joined(separator: "\n")
    }

    /// Every run's training loss per epoch, this sweep's epochs only.
    static func lossChart(_ runs: [SweepRun], key: String) -> SeriesChart {
        let series = runs.enumerated().map { i, run -> SeriesChart.Series in
            let start = run.playground.progress.epoch - run.outcome.epochs
            let points = run.playground.progress.history.filter { $0.epoch > start }.compactMap { r in r.train.map { (x: Double(r.epoch), value: $0.loss) } }
            return SeriesChart.Series(name: "\(key)=\(run.label)", mark: marks[i], color: Palette.classColor(i), points: points)
        }
        return SeriesChart(title: "train loss per epoch", xLabel: "epoch", series: series)
    }

    /// The output maps in rows that fit `width`, each headed by its mark and value.
    static func maps(_ runs: [SweepRun], key: String, width: Int, _ mode: ColorMode) -> TextCanvas {
        let side = Swift.max(12, Swift.min(28, (width - 2 * runs.count) / Swift.max(1, runs.count)))
        let perRow = Swift.max(1, (width + 2) / (side + 2))
        let rowsPerMap = side / 2   // characters are twice as tall as wide; half blocks hold two pixel rows
        let bands = (runs.count + perRow - 1) / perRow
        var canvas = TextCanvas(width: Swift.min(runs.count, perRow) * (side + 2), height: bands * (rowsPerMap + 2))
        for (i, run) in runs.enumerated() {
            let x = (i % perRow) * (side + 2), y = (i / perRow) * (rowsPerMap + 2)
            let label = "\(marks[i]) \(key)=\(run.label)"
            canvas.put(String(label.prefix(side)), x: x, y: y)
            let map = TerminalPictures.outputMap(run.playground, columns: side, rows: rowsPerMap, mode, points: .all, discrete: false)
            canvas.draw(map, x: x, y: y + 1)
        }
        return canvas
    }

    /// The chart over the maps, for file=.
    static func picture(_ runs: [SweepRun], chart: SeriesChart, key: String) -> Image {
        let tile = 160, gap = 12, perRow = Swift.min(runs.count, 4)
        let width = Swift.max(640, gap + perRow * (tile + gap))
        let chartHeight = 360
        let bands = (runs.count + perRow - 1) / Swift.max(1, perRow)
        var image = Image(width: width, height: chartHeight + bands * (tile + 28) + gap)
        image.draw(chart.image(width: width, height: chartHeight), x: 0, y: 0)
        for (i, run) in runs.enumerated() {
            let x = gap + (i % perRow) * (tile + gap), y = chartHeight + (i / perRow) * (tile + 28)
            image.drawText("\(marks[i]) \(key)=\(run.label)".uppercased(), x: x, y: y + 4)
            image.draw(PosterPictures.output(run.playground, size: tile, points: .all, discrete: false), x: x, y: y + 16)
        }
        return image
    }
}
