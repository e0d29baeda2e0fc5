import Foundation
import NNPlayEngine
import Testing
@testable import NNPlayShell

/// `set validation F` and `train until …` through the session.
@Suite struct TrainUntilTests {
    @Test func validationShowsInDataStatsAndExpect() throws {
        let (s, _) = makeSession()
        #expect(try s.run("set validation 0.2") == "validation=0.2\n")
        #expect(try s.run("data").contains("points: 500 (train 200, validation 50, test 250"))
        let stats = try s.run("train 2; stats")
        #expect(stats.contains(" val-loss=") && stats.contains(" val-accuracy="))
        let v = try #require(s.playground.validationMetrics)
        #expect(stats.contains("val-loss=\(Metric.text(v.loss))"))
        try s.run("expect val-loss == \(formatNumber(v.loss))")
        let json = try JSON.parse(try s.run("stats json"))
        #expect(json["val-accuracy"] == .number(v.accuracyValue))
        // 0 puts the points back
        try s.run("set validation 0")
        #expect(!(try s.run("stats")).contains("val-"))
        #expect(s.error("expect val-loss < 1")?.contains("no validation points") == true)
    }

    @Test func trainUntilAConditionStopsThereAndSaysSo() throws {
        let (s, _) = makeSession()
        let text = try s.run("train until train-accuracy >= 0.9 max=500")
        let epoch = s.playground.progress.epoch
        #expect(text.contains("stopped at epoch \(epoch): train-accuracy >= 0.9 holds; its weights are kept"))
        #expect(try #require(s.playground.trainMetrics).accuracyValue >= 0.9)
        // one epoch earlier it did not hold
        let previous = try #require(s.playground.progress.history.dropLast().last?.train?.accuracyValue)
        #expect(previous < 0.9)
        // the same in one word
        let (t, _) = makeSession()
        try t.run("train until train-accuracy>=0.9 max=500")
        #expect(t.playground == s.playground)
    }

    @Test func patiencePutsBackTheBestWeightsAndReplays() throws {
        let dir = try makeTemporaryDirectory()
        let (s, _) = makeSession()
        let text = try s.run("data xor n=97 noise=0.3 test=0.3; set validation 0.25; set optimizer adam; set lr 0.1; train until patience=5 max=400")
        #expect(text.contains("val-loss has not improved for 5 epochs; put back the weights of epoch "))
        let best = s.playground.progress.history.map { $0.validation?.loss ?? .infinity }.min()
        #expect(s.playground.validationMetrics?.loss == best)
        try s.run("save session \(dir)/s.nn")
        let script = try #require(String(validating: try FileAccess.read("\(dir)/s.nn", limit: 1 << 20), as: UTF8.self))
        let (replay, _) = makeSession(seed: 3)
        try replay.runScript(script, name: "s.nn")
        #expect(replay.playground == s.playground)
        // the model file keeps the validation fraction
        try s.run("save model \(dir)/m.json")
        let (loaded, _) = makeSession()
        try loaded.run("data xor n=97 noise=0.3 test=0.3; load model \(dir)/m.json")
        #expect(loaded.playground.settings.validationFraction == 0.25)
        #expect(loaded.playground.dataset.validationIndices == s.playground.dataset.validationIndices)
    }

    @Test func badRulesAreClearErrors() throws {
        let (s, _) = makeSession()
        let cases: [(String, String)] = [
            ("train until", "needs a condition or patience"),
            ("train until val-loss < 0.1", "there are none: hold some training points out with `set validation 0.2`"),
            ("train until patience=5", "patience watches the validation loss"),
            ("train until banana < 1", "unknown metric 'banana'"),
            ("train until train-loss = 1", "'=' is not an operator"),
            ("train until train-loss < x", "not a number"),
            ("train until train-loss < 1 2", "METRIC OP VALUE"),
            ("train until train-loss < 0.1 max=0", "max=0 is out of range"),
            ("train until train-loss < 0.1 fps=3", "unknown option"),
            ("set validation 1", "validation is a fraction in [0, 1)"),
            ("set validation -0.1", "out of range"),
        ]
        let before = s.snapshot
        for (line, expected) in cases {
            let message = try #require(s.error(line), "\(line) should fail")
            #expect(message.contains(expected), "\(line): \(message)")
            #expect(!message.contains("\n"))
        }
        #expect(s.snapshot == before)
        try s.run("set validation 0.3; data split test=0")
        #expect(s.error("train until test-loss < 0.1")?.contains("no test points") == true || s.error("train until test-loss < 0.1")?.contains("there are none") == true)
    }

    @Test func helpAndCompletion() throws {
        let (s, _) = makeSession()
        let help = try s.run("help train")
        #expect(help.contains("train until [METRIC OP VALUE] [max=N] [patience=P]") && help.contains("patience=P"))
        #expect(try s.run("help set").contains("validation"))
        #expect(Completer(session: s).complete("train until train-loss < 0.1 pat").candidates == ["patience="])
    }
}
