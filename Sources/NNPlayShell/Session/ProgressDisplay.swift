import Foundation
import NNPlayEngine

/// Shows how training goes. On a terminal: one line redrawn in place a few times a second (epoch,
/// losses, accuracies, speed, time left). Elsewhere: a plain line at each quarter of a run of at
/// least 8 epochs, so logs stay short and the same from run to run. Nothing with `-q`.
final class ProgressDisplay {
    private let session: Session
    /// Epochs asked for, and the epoch count when training began (nil when training by steps).
    private let plannedEpochs: Int?
    private let startEpoch: Int
    private let start = Date()
    private var lastDraw = Date.distantPast
    private var drewLine = false
    private var nextQuarter = 1
    private var announcedLongRun = false
    private var latest: EpochRecord?

    init(session: Session, plannedEpochs: Int?) {
        self.session = session
        self.plannedEpochs = plannedEpochs
        self.startEpoch = session.playground.progress.epoch
    }

    var isActive: Bool { !session.options.quiet }

    /// Whether progress is redrawn in place: a terminal that understands cursor movement.
    var redraws: Bool { session.output.isTerminal && session.options.cursorControl }

    /// Whether `train N live` animates: redrawing, and room for a picture when the run starts (else
    /// the progress line). Decided once, so that resizing the window during a run keeps its pace.
    var animates: Bool {
        if let decided = animatesDecided { return decided }
        let decided = live && redraws && session.output.width >= 24 && session.output.height >= 12
        animatesDecided = decided
        return decided
    }
    private var animatesDecided: Bool?

    /// `train N live` on a terminal: frames of the output map, redrawn in place.
    var live = false
    /// How fast the frames come (`fps=`, `every=`, `slow`).
    var pace = LivePace()
    private var liveFrameLines = 0
    private var nextLiveMark = 1
    private var notedPace = false
    /// This run's training losses for the chart under the frame (the playground's history is written
    /// back only at the end), starting from the loss the run starts at.
    private var trace = LossTrace()

    /// Called after every training step; `network` gives the weights as they are now.
    func update(_ report: TrainingReport, network: () -> Network) {
        guard isActive else { return }
        if let r = report.latest { latest = r }
        if animates {
            guard let interval = frameInterval(report) else { return }
            let wait = interval - Date().timeIntervalSince(lastDraw)
            if wait > 0 { pause(wait) }
            let now = Date()
            lastDraw = now
            drawFrame(report, network: network(), now: now)
            return
        }
        if redraws {
            // look at the clock only every 32 steps or at an epoch's end: steps can take 100 ns
            guard report.endedEpoch || report.stepsDone & 31 == 0 else { return }
            let now = Date()
            guard now.timeIntervalSince(lastDraw) >= 0.1 else { return }
            lastDraw = now
            draw(report, now: now)
            return
        }
        if !announcedLongRun, report.stepsDone & 255 == 0, report.stepsDone > 0 {
            // not a terminal, so no progress line: a run that will clearly take long says so once
            let elapsed = Date().timeIntervalSince(start)
            if elapsed >= 2 {
                announcedLongRun = true
                let left = elapsed / Double(report.stepsDone) * Double(report.stepsPlanned - report.stepsDone)
                if left >= 30 { session.say("note: this training will take about \(duration(left)) more (Ctrl-C stops it and keeps the weights)") }
            }
        }
        if let total = plannedEpochs, total >= 8, report.endedEpoch, nextQuarter < 4,
           (report.epoch - startEpoch) * 4 >= total * nextQuarter {
            nextQuarter += 1
            session.say("epoch \(report.epoch)/\(startEpoch + total): \(metricsText(latest))")
        }
    }

    /// Whether this step gets a live frame, and then the least time since the last frame; nil: no frame.
    private func frameInterval(_ report: TrainingReport) -> Double? {
        let done = report.stepsDone, planned = report.stepsPlanned
        if let every = pace.every {
            // every K epochs (by epoch ends since the run began), or every K steps, and the last step
            let unitsDone = plannedEpochs != nil ? report.epoch - startEpoch : done
            let due = done == planned || (plannedEpochs == nil || report.endedEpoch) && unitsDone > 0 && unitsDone % every == 0
            return due ? pace.markInterval : nil
        }
        let minimum = LivePace.defaultMinimumFrames
        if planned > 0 && (done == planned || done * minimum >= nextLiveMark * planned) {
            // a quick run is paced: at least `defaultMinimumFrames` frames, so that learning can be
            // watched even when training itself takes a few milliseconds
            while done * minimum >= nextLiveMark * planned { nextLiveMark += 1 }
            return pace.markInterval
        }
        // otherwise a frame when its time has come; the clock is read every 16 steps only
        guard report.endedEpoch || done & 15 == 0 else { return nil }
        return Date().timeIntervalSince(lastDraw) >= pace.betweenInterval ? 0 : nil
    }

    /// Sleeps in short slices so that Ctrl-C stops a slowly paced run at once.
    private func pause(_ seconds: Double) {
        let end = Date().addingTimeInterval(seconds)
        while !session.interrupt.isRaised {
            let left = end.timeIntervalSinceNow
            if left <= 0 { return }
            Thread.sleep(forTimeInterval: Swift.min(left, 0.02))
        }
    }

    /// Before a live run: starts the loss chart at the loss reached so far, and says when the pacing
    /// alone makes the run long.
    func begin(units: Int, unitName: String) {
        if let r = session.playground.progress.history.last, let loss = r.train?.loss { trace.append(loss, epoch: r.epoch) }
        guard isActive, animates, !notedPace else { return }
        notedPace = true
        let least = pace.leastSeconds(units: units)
        if least >= LivePace.noteSeconds, let every = pace.every {
            session.say("note: \(LivePace.frames(units: units, every: every)) frames (one every \(every) \(unitName)) at most "
                        + "\(pace.fps ?? LivePace.defaultFPS) a second take at least \(duration(least)); Ctrl-C stops and keeps the weights")
        }
    }

    private func draw(_ report: TrainingReport, now: Date) {
        let elapsed = now.timeIntervalSince(start)
        let fraction = report.stepsPlanned > 0 ? Double(report.stepsDone) / Double(report.stepsPlanned) : 1
        let rate = elapsed > 0 ? Double(report.stepsDone) / elapsed : 0
        let eta = rate > 0 ? Double(report.stepsPlanned - report.stepsDone) / rate : 0
        let width = StatusLine.limit(columns: session.output.width)
        var line = StatusLine(separator: " ")
        line.add("epoch \(report.epoch)", rank: 0)
        line.add("\(Int(fraction * 100))%", rank: 3)
        if let r = latest {
            line.add("loss \(lossPair(r))", rank: 1)
            line.add("acc \(accuracyPair(r))", rank: 4)
        }
        line.add("\(speed(rate)) steps/s", rank: 6)
        line.add("ETA \(duration(eta))", rank: 2)
        // the bar takes what room is left, 5 to 20 cells, or goes
        let room = width - line.fitted(width: width).count - 1
        if room >= 5, line.fitted(width: width).count == line.fields.map(\.text).joined(separator: " ").count {
            let cells = Swift.min(20, room), filled = Swift.min(cells, Int(fraction * Double(cells)))
            line.fields.insert(.init(text: String(repeating: "█", count: filled) + String(repeating: "░", count: cells - filled), rank: 5), at: 1)
        }
        session.output.write("\r\u{1B}[K" + line.fitted(width: width))
        drewLine = true
    }

    /// The live frame's status line: epoch, losses, accuracies, time left, speed, the Ctrl-C hint.
    func liveStatus(_ report: TrainingReport, rate: Double, eta: Double, width: Int) -> String {
        var line = StatusLine()
        var epoch = "epoch \(report.epoch)"
        if let total = plannedEpochs { epoch += "/\(startEpoch + total)" }
        line.add(epoch, rank: 0)
        if let r = latest {
            line.add("loss \(lossPair(r))", rank: 1)
            if r.train?.accuracy == nil && r.test?.accuracy == nil && (r.train?.r2 != nil || r.test?.r2 != nil) {
                line.add("r2 \(r2Pair(r))", rank: 3)
            } else {
                line.add("acc \(accuracyPair(r))", rank: 3)
            }
        }
        line.add("ETA \(duration(eta))", rank: 2)
        line.add("\(speed(rate)) steps/s", rank: 5)
        line.add("Ctrl-C stops", rank: 4)
        return line.fitted(width: StatusLine.limit(columns: width))
    }

    private func lossPair(_ r: EpochRecord) -> String {
        "\(formatMetric(r.train?.loss ?? .nan))/\(r.test.map { formatMetric($0.loss) } ?? "-")"
    }
    private func accuracyPair(_ r: EpochRecord) -> String {
        "\(formatMetric(r.train?.accuracy ?? .nan, digits: 3))/\(r.test.map { formatMetric($0.accuracy ?? .nan, digits: 3) } ?? "-")"
    }
    private func r2Pair(_ r: EpochRecord) -> String {
        "\(formatMetric(r.train?.r2 ?? .nan, digits: 3))/\(r.test.map { formatMetric($0.r2 ?? .nan, digits: 3) } ?? "-")"
    }
    private func speed(_ rate: Double) -> String { rate >= 100 ? String(Int(rate)) : formatMetric(rate, digits: 2) }

    /// One frame of live training: a status line, the output map, the loss chart of the run so far.
    private func drawFrame(_ report: TrainingReport, network: Network, now: Date) {
        let out = session.output
        let p = session.playground
        let w = Swift.max(16, Swift.min(out.width - 6, 2 * (out.height - 6), 80))
        // rows for the status line, the chart's lines and the cursor's line are kept free
        let h = Swift.max(4, Swift.min(w / 2, out.height - 7))
        let map = TerminalPictures.outputMap(network: network, data: p.dataset, columns: w, rows: h,
                                             session.options.colorMode, points: .all, discrete: false)
        let elapsed = now.timeIntervalSince(start)
        let rate = elapsed > 0 ? Double(report.stepsDone) / elapsed : 0
        let eta = rate > 0 ? Double(report.stepsPlanned - report.stepsDone) / rate : 0
        var lines = [liveStatus(report, rate: rate, eta: eta, width: out.width)]
        lines += map.render(session.options.colorMode).split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init)
        let chart = LiveLossChart.lines(trace, width: Swift.min(w + 6, StatusLine.limit(columns: out.width)))
        lines += chart.isEmpty ? ["loss chart after the first epoch"] : chart
        var text = liveFrameLines > 0 ? "\u{1B}[\(liveFrameLines)A\r" : ""
        text += lines.map { "\u{1B}[2K" + $0 }.joined(separator: "\n") + "\n"
        if liveFrameLines > lines.count { text += "\u{1B}[J" }   // the terminal shrank: clear what is left below
        out.write(text)
        liveFrameLines = lines.count
    }

    /// Remembers an epoch's loss for the live chart.
    func record(_ report: TrainingReport) {
        if live, report.endedEpoch, let r = report.latest, let loss = r.train?.loss { trace.append(loss, epoch: r.epoch) }
    }

    /// Clears the redrawn line before the final summary (a live picture stays on the screen).
    func finish() {
        if drewLine { session.output.write("\r\u{1B}[K") }
    }

    var elapsed: TimeInterval { Date().timeIntervalSince(start) }

    func metricsText(_ r: EpochRecord?) -> String {
        guard let r else { return "" }
        return metricPairs(train: r.train, test: r.test)
    }
}

/// `train-loss=… test-loss=… train-accuracy=… test-accuracy=…` (regression: `train-rmse=… test-rmse=…
/// train-r2=… test-r2=…` for the accuracies), in the order of `stats`; absent sets and values left out.
func metricPairs(train: Metrics?, test: Metrics?) -> String {
    var parts: [String] = []
    func add(_ name: String, _ value: Double?) { if let v = value { parts.append("\(name)=\(Metric.text(v))") } }
    add("train-loss", train?.loss)
    add("test-loss", test?.loss)
    add("train-accuracy", train?.accuracy)
    add("test-accuracy", test?.accuracy)
    add("train-rmse", train?.rmse)
    add("test-rmse", test?.rmse)
    add("train-r2", train?.r2)
    add("test-r2", test?.r2)
    return parts.joined(separator: " ")
}

/// A duration as people read it: `0.31 s`, `2 min 5 s`, `1 h 3 min`.
func duration(_ seconds: Double) -> String {
    guard seconds.isFinite else { return "?" }
    if seconds < 60 { return "\(formatMetric(seconds, digits: 2)) s" }
    let s = Int(seconds)
    if s < 3600 { return "\(s / 60) min \(s % 60) s" }
    return "\(s / 3600) h \((s % 3600) / 60) min"
}
