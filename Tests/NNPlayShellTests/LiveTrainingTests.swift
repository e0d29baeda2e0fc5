import Foundation
import Testing
@testable import NNPlayEngine
@testable import NNPlayShell

@Suite("train N live: pace, loss chart, status line")
struct LiveTrainingTests {
    @Test func paceArithmetic() throws {
        #expect(LivePace.frames(units: 50, every: 1) == 50)
        #expect(LivePace.frames(units: 10, every: 3) == 4)   // at 3, 6, 9 and the end
        #expect(LivePace.frames(units: 10, every: 20) == 1)
        #expect(LivePace.slowEvery(units: 50) == 1)
        #expect(LivePace.slowEvery(units: 600) == 1)
        #expect(LivePace.slowEvery(units: 100_000) == 167)
        let args = { (words: [String]) in try Arguments(command: "train", words: words) }
        let slow = try LivePace.parse(args(["50", "live", "slow"]), slow: true, units: 50, maxUnits: 100)
        #expect(slow == LivePace(fps: 10, every: 1))
        #expect(slow.leastSeconds(units: 50) == 5)
        // slow at most 600 frames, about a minute, however long the run
        let long = try LivePace.parse(args(["100000", "live", "slow"]), slow: true, units: 100_000, maxUnits: 10_000_000)
        #expect(LivePace.frames(units: 100_000, every: long.every ?? 0) <= 600 && long.leastSeconds(units: 100_000) <= 60)
        // explicit options win over the preset
        #expect(try LivePace.parse(args(["50", "live", "slow", "fps=20"]), slow: true, units: 50, maxUnits: 100) == LivePace(fps: 20, every: 1))
        #expect(try LivePace.parse(args(["100000", "live", "every=1", "fps=1"]), slow: false, units: 100_000, maxUnits: 10_000_000)
                    .leastSeconds(units: 100_000) == 100_000)
        // no options: 30 frames at 30 a second at least
        #expect(LivePace().leastSeconds(units: 5) == 1)
        #expect(LivePace(fps: 5).markInterval == 0.2 && LivePace().betweenInterval == 1.0 / 15)
    }

    @Test func paceOptionsAreCheckedWithTheirRanges() {
        let (s, _) = makeSession()
        let accepted = "train N live takes fps=1…60, every=K and slow"
        #expect(s.error("train 5 fps=10") == "fps= is only for train N live: \(accepted), e.g. `train 50 live fps=10`")
        #expect(s.error("train 5 every=2") == "every= is only for train N live: \(accepted), e.g. `train 50 live fps=10`")
        #expect(s.error("train 5 speed=2") == "train takes no option speed=: \(accepted), e.g. `train 50 live fps=10`")
        #expect(s.error("train 5 slow") == "slow is only for train N live: \(accepted), e.g. `train 50 live slow`")
        #expect(s.error("train 5 live fps=0") == "fps=0 is out of range: fps is 1…60")
        #expect(s.error("train 5 live fps=61") == "fps=61 is out of range: fps is 1…60")
        #expect(s.error("train 5 live fps=2.5") == "fps=2.5 is not a whole number: fps is 1…60")
        #expect(s.error("train 5 live every=0") == "every=0 is out of range: every is 1…10000000")
        #expect(s.error("train 5 steps live every=0") == "every=0 is out of range: every is 1…1000000000")
        #expect(s.error("train 5 live sped=2")?.hasPrefix("unknown option 'sped' for train N live") == true)
        #expect(s.error("train 2 live slow fps=60 every=1") == nil)
        #expect(s.playground.progress.epoch == 2)
    }

    @Test func everyDrawsOneFrameEveryKEpochsOrSteps() throws {
        let out = CapturedOutput(isTerminal: true, width: 80, height: 30)
        let s = Session(output: out)
        try s.runLine("train 20 live every=5 fps=60")
        // 4 frames: the first drawn where it stands, 3 redrawn over it
        #expect(out.standard.components(separatedBy: "\u{1B}[2K").count - 1 > 0)
        #expect(cursorUps(out.standard) == 3, "\(cursorUps(out.standard)) redraws")
        out.clear()
        try s.runLine("train 12 steps live every=4 fps=60")
        #expect(cursorUps(out.standard) == 2)
        out.clear()
        let start = Date()
        try s.runLine("train 6 live slow")   // 6 frames at 10 a second: the waits between them take ≥ 0.5 s
        #expect(Date().timeIntervalSince(start) >= 0.45)
        #expect(cursorUps(out.standard) == 5)
    }

    @Test func aSlowRunStopsAtOnceOnCtrlC() throws {
        let out = CapturedOutput(isTerminal: true, width: 80, height: 30)
        let s = Session(output: out)
        // raised from another thread while frames wait a second each
        let flag = s.interrupt
        DispatchQueue.global().asyncAfter(deadline: .now() + 0.5) { flag.raise() }
        let start = Date()
        try s.runLine("train 1000 live every=1 fps=1")
        #expect(Date().timeIntervalSince(start) < 1.5)
        #expect(out.standard.contains("interrupted after"))
        #expect(out.standard.contains("note: 1000 frames (one every 1 epochs) at most 1 a second take at least 16 min 40 s"))
        #expect(s.playground.progress.steps > 0)
    }

    @Test func aSmallCreepDrawsAsASmallChange() throws {
        var trace = LossTrace()
        for e in 1...40 { trace.append(1.0 - 0.04 * Double(e - 1) / 39, epoch: e) }   // 1 → 0.96
        let lines = LiveLossChart.lines(trace, width: 60)
        #expect(lines.count == 3)
        #expect(lines[0].hasPrefix("1 ┤") && lines[1].hasPrefix("0 ┤"), "\(lines)")
        #expect(lines[2].contains("epochs 1–40 · train loss 0.96"), "\(lines)")
        let levels = LiveLossChart.levels(trace.all, top: trace.all.max() ?? 0)
        #expect((levels.max() ?? 0) - (levels.min() ?? 0) <= 1, "\(levels)")
        #expect(lines.allSatisfy { $0.count <= 60 })
        // a real drop still fills the height
        var drop = LossTrace()
        for e in 1...40 { drop.append(0.7 * pow(0.9, Double(e)), epoch: e) }
        let dropLevels = LiveLossChart.levels(drop.all, top: drop.all.max() ?? 0)
        #expect((dropLevels.first ?? 0) == 16 && (dropLevels.last ?? 16) <= 1, "\(dropLevels)")
    }

    @Test func theChartCoversTheWholeRunInBoundedMemory() {
        var trace = LossTrace()
        for e in 1...100_000 { trace.append(Double(e), epoch: e) }
        #expect(trace.values.count < LossTrace.limit)
        #expect(trace.firstEpoch == 1 && trace.lastEpoch == 100_000)
        let columns = LiveLossChart.columns(trace.all, width: 50)
        #expect(columns.count == 50)
        #expect((columns.first ?? 0) < 3000 && (columns.last ?? 0) > 97_000, "\(String(describing: columns.first)) \(String(describing: columns.last))")
        let lines = LiveLossChart.lines(trace, width: 40)
        #expect(lines[2].contains("epochs 1–100000"))
    }

    @Test func statusLinesFitTheWindow() throws {
        let huge = Metrics(loss: 123456.789, accuracy: 0.123456, count: 10)
        let record = EpochRecord(epoch: 1_234_567, steps: 99_999_999, train: huge, test: huge)
        let report = TrainingReport(epoch: 1_234_567, totalSteps: 99_999_999, stepsDone: 55_555_555, stepsPlanned: 99_999_999,
                                    endedEpoch: true, latest: record)
        for width in [200, 120, 80, 60, 40, 24, 20] {
            let out = CapturedOutput(isTerminal: true, width: width, height: 30)
            let s = Session(output: out)
            let display = ProgressDisplay(session: s, plannedEpochs: 9_999_999)
            display.update(report, network: { s.playground.network })
            let line = out.standard.replacingOccurrences(of: "\r\u{1B}[K", with: "")
            #expect(!line.isEmpty && line.count <= min(80, width - 1), "\(width): \(line.count) \(line)")
            #expect(line.hasPrefix("epoch 1234567"))
            if width >= 80 { #expect(line.contains("loss 1.235e+05/1.235e+05") && line.contains("ETA")) }
            let status = display.liveStatus(report, rate: 123_456_789, eta: 1e6, width: width)
            #expect(status.count <= min(80, width - 1), "\(width): \(status)")
            #expect(status.hasPrefix("epoch 1234567/"))
            if width >= 80 { #expect(status.contains("loss ") && status.contains("ETA ")) }
        }
    }

    @Test func fieldsGoLeastImportantFirst() {
        var line = StatusLine()
        line.add("epoch 1", rank: 0)
        line.add("speed", rank: 5)
        line.add("loss 0.5", rank: 1)
        #expect(line.fitted(width: 80) == "epoch 1  speed  loss 0.5")
        #expect(line.fitted(width: 20) == "epoch 1  loss 0.5")
        #expect(line.fitted(width: 5) == "epoch")
    }

    private func cursorUps(_ text: String) -> Int {
        text.components(separatedBy: "\u{1B}[").dropFirst().filter { part in
            let digits = part.prefix { $0.isNumber }
            return !digits.isEmpty && part.dropFirst(digits.count).first == "A"
        }.count
    }
}
