import Foundation
import NNPlayEngine
import Testing
@testable import NNPlayShell

/// Every command through the entry point the REPL, scripts and pipes use: `Session.runLine`.
@Suite struct CommandTests {
    @Test func dataMakesEveryDatasetWithItsOptions() throws {
        let (s, _) = makeSession()
        let out = try s.run("data spiral n=300 noise=0.1 test=0.2 classes=3 seed=5")
        #expect(out.contains("data: spiral n=300 noise=0.1 classes=3: 240 train / 60 test points"))
        #expect(out.contains("output layer rebuilt for 3 classes: 3 softmax"))
        #expect(s.playground.dataset.count == 300 && s.playground.network.outputCount == 3)
        for name in ["circle", "XOR", "gauss", "spiral", "moons"] {
            try s.run("data \(name) n=50")
            #expect(s.playground.dataset.origin.hasPrefix(name.lowercased()))
        }
        let described = try s.run("data")
        #expect(described.contains("points: 50 (train 25, test 25; test=0.5)"))
        #expect(described.contains("frame: [-6, 6] × [-6, 6]"))
    }

    @Test func dataSaveAndLoadRoundTripAndSplitDrawsANewSplit() throws {
        let (s, _) = makeSession()
        let dir = try makeTemporaryDirectory()
        try s.run("data gauss n=120 classes=3 noise=0.3")
        let before = s.playground.dataset
        try s.run("data save \(dir)/g.csv")
        try s.run("data circle")
        try s.run("data load \(dir)/g.csv")
        #expect(s.playground.dataset.xs == before.xs && s.playground.dataset.labels == before.labels)
        try s.run("load data \(dir)/g.csv test=0.25")
        #expect(s.playground.dataset.testIndices.count == 30)
        try s.run("save data \(dir)/h.csv")
        #expect(try FileAccess.read("\(dir)/h.csv", limit: 1 << 20) == FileAccess.read("\(dir)/g.csv", limit: 1 << 20))
        let split = s.playground.dataset.testIndices
        try s.run("data split test=0.25 seed=9")
        #expect(s.playground.dataset.testIndices.count == 30 && s.playground.dataset.testIndices != split)
    }

    @Test func networkCommandsReshapeTheNetwork() throws {
        let (s, _) = makeSession()
        try s.run("add 8")
        #expect(s.playground.network.architecture == "x y → 4 tanh → 2 tanh → 8 tanh → 1 sigmoid")
        try s.run("add 3 relu at=1")
        #expect(s.playground.network.architecture == "x y → 3 relu → 4 tanh → 2 tanh → 8 tanh → 1 sigmoid")
        try s.run("remove 3")
        try s.run("resize 2 5")
        #expect(s.playground.network.architecture == "x y → 3 relu → 5 tanh → 8 tanh → 1 sigmoid")
        try s.run("act swish")
        #expect(s.playground.network.hiddenActivations == [.swish, .swish, .swish])
        try s.run("act 2 Leaky-ReLU")
        #expect(s.playground.network.hiddenActivations == [.swish, .leakyRelu, .swish])
        let out = try s.run("act out tanh")
        #expect(out.contains("loss is now mse"))
        #expect(s.playground.settings.loss == .mse && s.playground.network.outputActivation == .tanh)
        try s.run("features x y x2,y2 xy sinx siny cosx,cosy")
        #expect(s.playground.network.features == Feature.allCases)
        let net = try s.run("net")
        #expect(net.contains("network: x y x2 y2 xy sinx siny cosx cosy → 3 swish → 5 leaky-relu → 8 swish → 1 tanh"))
        #expect(net.contains("  out  1 tanh         9 parameters"))
    }

    @Test func architectureChangesDrawNewWeightsAndRestartTraining() throws {
        let (s, _) = makeSession()
        try s.run("train 3")
        let out = try s.run("add 4")
        #expect(out.contains("weights drawn anew"))
        #expect(s.playground.progress.epoch == 0)
        try s.run("train 2")
        try s.run("reset")
        #expect(s.playground.progress.epoch == 0 && s.playground.progress.steps == 0)
        let weights = s.playground.network.parameters
        try s.run("train 1; reset")
        #expect(s.playground.network.parameters == weights)
        try s.run("init he seed=3")
        #expect(s.playground.settings.initializer == .he && s.playground.settings.seed == 3)
        #expect(s.playground.network.parameters != weights)
    }

    @Test func regAndSetChangeSettingsAndKeepTheWeights() throws {
        let (s, _) = makeSession()
        try s.run("train 2")
        let weights = s.playground.network.parameters
        #expect(try s.run("reg l2") == "regularization: l2, rate 0.001\n")
        try s.run("reg l1 0.01")
        #expect(s.playground.settings.regularization == .l1 && s.playground.settings.regularizationRate == 0.01)
        try s.run("set lr 0.1; set batch 32; set optimizer adam; set momentum 0.5; set loss mse")
        try s.run("set beta1=0.8 beta2=0.99 epsilon=1e-7 regrate=0.002 init=uniform seed=4")
        let t = s.playground.settings
        #expect(t.learningRate == 0.1 && t.batchSize == 32 && t.optimizer == .adam && t.momentum == 0.5 && t.loss == .mse)
        #expect(t.beta1 == 0.8 && t.beta2 == 0.99 && t.epsilon == 1e-7 && t.regularizationRate == 0.002)
        #expect(t.initializer == .uniform && t.seed == 4)
        #expect(s.playground.network.parameters == weights)
        #expect(s.playground.progress.epoch == 2)
        let list = try s.run("set")
        #expect(list.contains("lr         0.1") && list.contains("optimizer  adam") && list.contains("seed       4"))
        try s.run("reg none")
        #expect(s.playground.settings.regularization == Regularization.none && s.playground.settings.regularizationRate == 0)
    }

    @Test func trainStepStatsAndConfusionReport() throws {
        let (s, _) = makeSession()
        let out = try s.run("train 8")
        // not a terminal: a line at each quarter, then the summary
        #expect(out.contains("epoch 2/8: train-loss="))
        #expect(out.contains("epoch 6/8: "))
        #expect(out.contains("epoch 8: train-loss="))
        try s.run("train 5 steps")
        try s.run("step")
        #expect(s.playground.progress.steps == 8 * 25 + 6)
        let stats = try s.run("stats")
        #expect(stats.hasPrefix("epoch=8.24 train-loss="))
        #expect(stats.contains(" test-loss=") && stats.contains(" train-accuracy=") && stats.contains(" test-accuracy=") && stats.contains(" steps=206"))
        let confusion = try s.run("confusion")
        #expect(confusion.contains("confusion on the test set (250 points)"))
        #expect(try s.run("confusion train").contains("training") == false)
    }

    @Test func quietTrainingPrintsNothing() throws {
        let (s, _) = makeSession(quiet: true)
        #expect(try s.run("train 20") == "")
        #expect(try s.run("expect epoch == 20") == "")
    }

    @Test func expectPassesOrFailsWithTheValue() throws {
        let (s, _) = makeSession()
        try s.run("train 50")
        #expect(try s.run("expect train-accuracy > 0.5").hasPrefix("ok: train-accuracy"))
        #expect(try s.run("expect epoch==50").hasPrefix("ok: epoch 50 == 50"))
        #expect(s.error("expect test-loss < 0.0001")?.hasPrefix("expect failed: test-loss is ") == true)
        #expect(s.error("expect gradcheck < 1e-6") == nil)
        #expect(s.error("expect accuracy > 1") == "unknown metric 'accuracy' (metrics: \((Metric.names + ["grad-norm-K"]).joined(separator: " ")))")
        #expect(s.error("expect epoch ~ 1") == "'~' is not an operator: use one of < <= > >= ==")
        try s.run("data circle test=0")
        #expect(s.error("expect test-accuracy > 0") == "test-accuracy has no value: there are no test points (hold some out with `data split test=0.5`)")
        #expect(try s.run("stats").contains("test-loss=n/a"))
    }

    @Test func evalTracesOnePointThroughEveryLayer() throws {
        let (s, _) = makeSession()
        let out = try s.run("eval 1 -2.5")
        let lines = out.split(separator: "\n")
        #expect(lines[0] == "point (1, -2.5)")
        #expect(lines[1] == "  in   x=1 y=-2.5")
        #expect(lines[2].hasPrefix("  1    z = ") && lines[3].hasPrefix("       tanh(z) = "))
        #expect(lines[6].hasPrefix("  out  z = ") && lines[7].hasPrefix("       sigmoid(z) = "))
        #expect(lines[8].hasPrefix("class "))
        let p = s.playground.network.predict(x: 1, y: -2.5)[0]
        #expect(lines[7].hasSuffix(formatMetric(p, digits: 5)))
    }

    @Test func weightsShowRowsPerNeuronWithTheBias() throws {
        let (s, _) = makeSession()
        let out = try s.run("weights 1")
        #expect(out.hasPrefix("layer 1 (4 tanh), weights from x y, then bias:"))
        #expect(out.split(separator: "\n").count == 5)
        #expect(try s.run("weights").contains("layer out (1 sigmoid), weights from 2.1 2.2, then bias:"))
    }

    @Test func gradcheckReportsAgreement() throws {
        let (s, _) = makeSession()
        let out = try s.run("gradcheck")
        #expect(out.hasPrefix("gradcheck: largest relative error "))
        #expect(out.contains("25 parameters, 21 points: backpropagation agrees"))
    }

    @Test func helpListsGroupsAndEveryCommandHasUsageOptionsAndExamples() throws {
        let (s, _) = makeSession()
        let list = try s.run("help")
        for group in CommandGroup.allCases where group != .pictures || CommandTable.all.contains(where: { $0.help.group == .pictures }) {
            #expect(list.contains("\n\(group.rawValue):\n"))
        }
        for command in CommandTable.all {
            let h = command.help
            #expect(list.contains("  \(h.name.padding(toLength: 10, withPad: " ", startingAt: 0)) \(h.summary)"))
            let text = try s.run("help \(h.name)")
            #expect(text.hasPrefix("usage: \(h.usage[0])"))
            #expect(text.contains("example"))
            for o in h.options { #expect(text.contains("\(o.key)=\(o.value)") && text.contains("(default \(o.defaultValue))")) }
            #expect(!h.examples.isEmpty)
            // every example is itself a valid command line (run on a fresh session, files in a temporary directory)
            for example in h.examples where !example.contains("load") && !example.hasPrefix("source") && !example.hasPrefix("quit") {
                let (fresh, _) = makeSession()
                try fresh.run("train 2")   // so that `plot loss` has a curve
                let dir = try makeTemporaryDirectory()
                let line = example.replacingOccurrences(of: "/tmp/", with: dir + "/")
                    .replacingOccurrences(of: " lesson1.nn", with: " \(dir)/lesson1.nn")
                    .replacingOccurrences(of: " points.csv", with: " \(dir)/points.csv")
                let shown = fresh.error(line)
                #expect(shown == nil || shown?.hasPrefix("expect failed") == true, "help \(h.name) example `\(example)` fails: \(shown ?? "")")
            }
        }
        #expect(s.error("help trian") == "unknown command 'trian'; did you mean 'train'? (`help` lists the commands)")
    }

    @Test func saveAndLoadModelRestoreTheWeightsExactly() throws {
        let (s, _) = makeSession()
        let dir = try makeTemporaryDirectory()
        try s.run("data spiral classes=3 n=150; add 5 relu; set optimizer adam; train 10")
        try s.run("save model \(dir)/m.json")
        let trained = s.playground.network
        try s.run("new; data spiral classes=3 n=150")
        try s.run("load model \(dir)/m.json")
        #expect(s.playground.network == trained)
        #expect(s.playground.settings.optimizer == .adam)
        try s.run("data circle")
        #expect(s.error("load model \(dir)/m.json")?.contains("the model classifies 3 classes but the data has 2") == true)
    }

    @Test func quitAndExitEndTheSession() throws {
        let (s, _) = makeSession()
        try s.run("stats; quit; train 5")
        #expect(s.quitRequested && s.playground.progress.epoch == 0)
        let (t, _) = makeSession()
        try t.run("EXIT")
        #expect(t.quitRequested)
    }

    @Test func historyListsTheLinesEntered() throws {
        let (s, _) = makeSession()
        s.recordLine("data xor")
        s.recordLine("  train 3 ")
        #expect(try s.run("history") == "1  data xor\n2  train 3\n")
    }

    @Test func commandsAndOptionNamesAreCaseInsensitive() throws {
        let (s, _) = makeSession()
        try s.run("DATA Spiral N=100 Noise=0.1; SET LR 0.1; Train 1")
        #expect(s.playground.dataset.count == 100 && s.playground.settings.learningRate == 0.1 && s.playground.progress.epoch == 1)
    }
}
