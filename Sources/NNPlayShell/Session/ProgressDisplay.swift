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
    private var latest: EpochRecord?

    init(session: Session, plannedEpochs: Int?) {
        self.session = session
        self.plannedEpochs = plannedEpochs
        self.startEpoch = session.playground.progress.epoch
    }

    var isActive: Bool { !session.options.quiet }

    /// Called after every training step.
    func update(_ report: TrainingReport) {
        guard isActive else { return }
        if let r = report.latest { latest = r }
        if session.output.isTerminal {
            // look at the clock only every 32 steps or at an epoch's end: steps can take 100 ns
            guard report.endedEpoch || report.stepsDone & 31 == 0 else { return }
            let now = Date()
            guard now.timeIntervalSince(lastDraw) >= 0.1 else { return }
            lastDraw = now
            draw(report, now: now)
        } else if let total = plannedEpochs, total >= 8, report.endedEpoch, nextQuarter < 4,
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
        session.output.write("\r\u{1B}[K" + String(text.prefix(max(20, session.output.width - 1))))
        drewLine = true
    }

    /// Clears the redrawn line before the final summary.
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
