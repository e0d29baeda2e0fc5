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
    private var liveFrameLines = 0
    /// Live frames are drawn at least at every 1/`liveMinimumFrames` of the run's steps.
    static let liveMinimumFrames = 30
    private var nextLiveMark = 1

    /// Called after every training step; `network` gives the weights as they are now.
    func update(_ report: TrainingReport, network: () -> Network) {
        guard isActive else { return }
        if let r = report.latest { latest = r }
        if animates {
            let done = report.stepsDone, planned = report.stepsPlanned
            let atMark = planned > 0 && (done == planned || done * Self.liveMinimumFrames >= nextLiveMark * planned)
            if atMark {
                // A quick run is paced: at least `liveMinimumFrames` frames, at most 30 a second, so
                // that learning can be watched even when training itself takes a few milliseconds.
                while planned > 0 && done * Self.liveMinimumFrames >= nextLiveMark * planned { nextLiveMark += 1 }
                let wait = 1.0 / 30 - Date().timeIntervalSince(lastDraw)
                if wait > 0 && !session.interrupt.isRaised { Thread.sleep(forTimeInterval: wait) }
            } else {
                // otherwise about 15 frames a second; the clock is read every 16 steps only
                guard report.endedEpoch || done & 15 == 0 else { return }
                guard Date().timeIntervalSince(lastDraw) >= 1.0 / 15 else { return }
            }
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

    private func draw(_ report: TrainingReport, now: Date) {
        let elapsed = now.timeIntervalSince(start)
        let fraction = report.stepsPlanned > 0 ? Double(report.stepsDone) / Double(report.stepsPlanned) : 1
        let width = 20
        let filled = min(width, Int(fraction * Double(width)))
        let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
        let rate = elapsed > 0 ? Double(report.stepsDone) / elapsed : 0
        let eta = rate > 0 ? Double(report.stepsPlanned - report.stepsDone) / rate : 0
        var text = "epoch \(report.epoch) \(bar) \(Int(fraction * 100))%"
        if let r = latest {
            text += " loss \(formatMetric(r.train?.loss ?? .nan))/\(r.test.map { formatMetric($0.loss) } ?? "-")"
            text += " acc \(formatMetric(r.train?.accuracy ?? .nan, digits: 3))/\(r.test.map { formatMetric($0.accuracy, digits: 3) } ?? "-")"
        }
        text += " · \(rate >= 100 ? String(Int(rate)) : formatMetric(rate, digits: 2)) steps/s · ETA \(duration(eta))"
        session.output.write("\r\u{1B}[K" + String(text.prefix(max(1, session.output.width - 1))))
        drewLine = true
    }

    /// One frame of live training: a status line, the output map, the loss so far.
    private func drawFrame(_ report: TrainingReport, network: Network, now: Date) {
        let out = session.output
        let p = session.playground
        let w = Swift.max(16, Swift.min(out.width - 6, 2 * (out.height - 6), 80)), h = Swift.max(4, w / 2)
        let map = TerminalPictures.outputMap(network: network, data: p.dataset, columns: w, rows: h,
                                             session.options.colorMode, points: .all, discrete: false)
        let elapsed = now.timeIntervalSince(start)
        let rate = elapsed > 0 ? Double(report.stepsDone) / elapsed : 0
        let eta = rate > 0 ? Double(report.stepsPlanned - report.stepsDone) / rate : 0
        var status = "epoch \(report.epoch)"
        if let total = plannedEpochs { status += "/\(startEpoch + total)" }
        if let r = latest {
            status += "  loss \(formatMetric(r.train?.loss ?? .nan))/\(r.test.map { formatMetric($0.loss) } ?? "-")"
            status += "  accuracy \(formatMetric(r.train?.accuracy ?? .nan, digits: 3))/\(r.test.map { formatMetric($0.accuracy, digits: 3) } ?? "-")"
        }
        status += "  ETA \(duration(eta))  (Ctrl-C stops)"
        var lines = [String(status.prefix(out.width - 1))]
        lines += map.render(session.options.colorMode).split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init)
        lines.append(String(("loss " + sparkline(session.playground.progress.history + pendingHistory, width: w)).prefix(out.width - 1)))
        var text = liveFrameLines > 0 ? "\u{1B}[\(liveFrameLines)A\r" : ""
        text += lines.map { "\u{1B}[2K" + $0 }.joined(separator: "\n") + "\n"
        if liveFrameLines > lines.count { text += "\u{1B}[J" }   // the terminal shrank: clear what is left below
        out.write(text)
        liveFrameLines = lines.count
    }

    /// Epoch records of this run (the playground's history is written back only at the end).
    private var pendingHistory: [EpochRecord] = []

    /// Remembers an epoch's record for the live loss line.
    func record(_ report: TrainingReport) {
        if live, let r = report.latest { pendingHistory.append(r) }
    }

    /// The last `width` training losses as a bar line ▁▂▃▄▅▆▇█ from their smallest to their largest.
    private func sparkline(_ history: [EpochRecord], width: Int) -> String {
        let values = history.suffix(width).compactMap { $0.train?.loss }.filter(\.isFinite)
        guard let top = values.max(), let bottom = values.min() else { return "" }
        let bars: [Character] = ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]
        let span = top - bottom
        let line = values.map { span > 0 ? bars[Swift.min(7, Int(($0 - bottom) / span * 7.999))] : bars[3] }
        return String(line) + " " + formatMetric(values.last ?? 0)
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

/// `train-loss=… test-loss=… train-accuracy=… test-accuracy=…`, in the order of `stats`; absent sets left out.
func metricPairs(train: Metrics?, test: Metrics?) -> String {
    var parts: [String] = []
    if let t = train { parts.append("train-loss=\(Metric.text(t.loss))") }
    if let t = test { parts.append("test-loss=\(Metric.text(t.loss))") }
    if let t = train { parts.append("train-accuracy=\(Metric.text(t.accuracy))") }
    if let t = test { parts.append("test-accuracy=\(Metric.text(t.accuracy))") }
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
