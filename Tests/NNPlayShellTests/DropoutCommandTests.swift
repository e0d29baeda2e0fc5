import Foundation
import NNPlayEngine
import Testing
@testable import NNPlayShell

/// `dropout K RATE` through the session: what it says, what it keeps, what it refuses.
@Suite struct DropoutCommandTests {
    @Test func dropoutKeepsTheWeightsAndNetShowsTheRate() throws {
        let (s, _) = makeSession()
        try s.run("resize 1 8; train 3")
        let before = s.playground
        let said = try s.run("dropout 1 0.5")
        #expect(said == "dropout: layer 1 drops 0.5 of its units in training (the rest × 2); the weights stay\n")
        #expect(s.playground.network.parameters == before.network.parameters)
        #expect(s.playground.progress == before.progress)
        #expect(s.playground.network.dropoutRates == [0.5, 0])
        let net = try s.run("net")
        #expect(net.hasPrefix("network: x y → 8 tanh (dropout 0.5) → 2 tanh → 1 sigmoid\n"))
        #expect(net.contains("\n  1    8 tanh, dropout 0.5 24 parameters\n"))
        #expect(net.contains("\n  2    2 tanh              18 parameters\n"))
        #expect(try s.run("dropout") == "dropout (training only): 1: 0.5, 2: off\n")
        #expect(try s.run("dropout all 0.2") == "dropout: every hidden layer drops 0.2 of its units in training (the rest × 1.25); the weights stay\n")
        #expect(try s.run("dropout 2 0") == "dropout: off on layer 2; the weights stay\n")
        #expect(s.playground.network.dropoutRates == [0.2, 0])
        // evaluation is the same with and without dropout
        let stats = try s.run("stats"), eval = try s.run("eval 0.5 -1"), grads = try s.run("stats grads"), check = try s.run("gradcheck")
        try s.run("dropout all 0")
        #expect(try s.run("stats") == stats && s.run("eval 0.5 -1") == eval && s.run("stats grads") == grads && s.run("gradcheck") == check)
        #expect(try s.run("net").hasPrefix("network: x y → 8 tanh → 2 tanh → 1 sigmoid\n  in   2 features: x y\n  1    8 tanh         24 parameters\n"))
    }

    @Test func theRateStaysThroughResizeAndActAndMovesWithItsLayer() throws {
        let (s, _) = makeSession()
        try s.run("dropout 2 0.3; resize 2 6; act relu; act 1 swish; features x y xy; act out tanh")
        #expect(s.playground.network.dropoutRates == [0, 0.3])
        try s.run("add 5 at=1")
        #expect(s.playground.network.dropoutRates == [0, 0, 0.3])
        try s.run("dropout 1 0.1; remove 2")
        #expect(s.playground.network.dropoutRates == [0.1, 0.3])
        try s.run("add 3")
        #expect(s.playground.network.dropoutRates == [0.1, 0.3, 0])
        try s.run("data spiral classes=3 n=90")
        #expect(s.playground.network.dropoutRates == [0.1, 0.3, 0])
        try s.run("new")
        #expect(s.playground.network.dropoutRates == [0, 0])
    }

    @Test func badLinesSayWhatIsAcceptedAndChangeNothing() throws {
        let (s, _) = makeSession()
        let before = s.snapshot
        let cases: [(String, String)] = [
            ("dropout 1 1", "dropout rate 1 is out of range (1 would drop every unit): RATE is a number in [0, 1): the fraction of units dropped in training (0 = off)"),
            ("dropout 1 1.5", "dropout rate 1.5 is out of range (1 would drop every unit): RATE is a number in [0, 1): the fraction of units dropped in training (0 = off)"),
            ("dropout 1 -0.1", "dropout rate -0.1 is out of range: RATE is a number in [0, 1): the fraction of units dropped in training (0 = off)"),
            ("dropout 1 nan", "'nan' is not a dropout rate: RATE is a number in [0, 1): the fraction of units dropped in training (0 = off)"),
            ("dropout 1 inf", "'inf' is not a dropout rate: RATE is a number in [0, 1): the fraction of units dropped in training (0 = off)"),
            ("dropout 1 1e400", "'1e400' is not a dropout rate: RATE is a number in [0, 1): the fraction of units dropped in training (0 = off)"),
            ("dropout out 0.5", "dropout is for hidden layers, not the output layer: K is one of the hidden layers 1…2 or all"),
            ("dropout 0 0.5", "dropout is for hidden layers, not the input features: K is one of the hidden layers 1…2 or all"),
            ("dropout in 0.5", "dropout is for hidden layers, not the input features: K is one of the hidden layers 1…2 or all"),
            ("dropout 3 0.5", "layer 3 does not exist: K is one of the hidden layers 1…2 or all (`net` shows them)"),
            ("dropout x 0.5", "'x' is not a layer: K is one of the hidden layers 1…2 or all"),
            ("dropout 1", "missing the RATE after '1': usage: dropout K RATE, e.g. `dropout 1 0.5`"),
            ("dropout 1 0.5 2", "unexpected '2': usage: dropout K RATE"),
            ("dropout 1 0.5 p=1", "dropout takes no options (p= is not one)"),
        ]
        for (line, message) in cases {
            #expect(s.error(line) == message, "\(line)")
        }
        #expect(s.snapshot == before)
        try s.run("remove 1; remove 1")
        #expect(s.error("dropout 1 0.5") == "the network has no hidden layers to drop units from (add one with `add 8`)")
        #expect(try s.run("dropout") == "dropout: the network has no hidden layers\n")
    }

    @Test func sessionsReplayDropoutToTheSameWeights() throws {
        let dir = try makeTemporaryDirectory()
        let (s, _) = makeSession(seed: 3)
        try s.run("data spiral n=200; resize 1 8; resize 2 8; dropout 1 0.5; set optimizer adam; set lr 0.01; train 7; dropout 2 0.2; train 2 steps")
        try s.run("dropout")   // a listing is not recorded
        try s.run("save session \(dir)/d.nn")
        let script = try #require(String(validating: try FileAccess.read("\(dir)/d.nn", limit: 1 << 20), as: UTF8.self))
        let lines = script.split(separator: "\n")
        #expect(lines.contains("dropout 1 0.5") && lines.contains("dropout 2 0.2"))
        #expect(lines.filter { $0.hasPrefix("dropout") }.count == 2)
        let (replay, _) = makeSession()
        try replay.runScript(script, name: "d.nn")
        #expect(replay.playground == s.playground)
        #expect(replay.playground.network.parameters.map(\.bitPattern) == s.playground.network.parameters.map(\.bitPattern))
    }

    @Test func modelFilesKeepTheRate() throws {
        let dir = try makeTemporaryDirectory()
        let (s, _) = makeSession()
        try s.run("dropout 2 0.25; train 2; save model \(dir)/m.json")
        let (other, _) = makeSession()
        try other.run("load model \(dir)/m.json")
        #expect(other.playground.network == s.playground.network)
        #expect(other.playground.network.dropoutRates == [0, 0.25])
    }

    @Test func completionOffersHiddenLayersAllAndRates() {
        let (s, _) = makeSession()
        #expect(Completer(session: s).complete("dropout ").candidates == ["1", "2", "all"])
        #expect(Completer(session: s).complete("dropout 1 0.").candidates == ["0.1", "0.2", "0.3", "0.5"])
        #expect(Completer(session: s).complete("drop").candidates == ["dropout"])
    }

    @Test func helpDescribesTheCommand() throws {
        let (s, _) = makeSession()
        let text = try s.run("help dropout")
        #expect(text.hasPrefix("usage: dropout K RATE\n"))
        #expect(text.contains("the weights and the training progress stay"))
        #expect(text.contains("gradcheck"))
        #expect(try s.run("help").contains("  dropout    drop hidden layer K's units"))
    }
}
