import Foundation
import NNPlayEngine
import Testing
@testable import NNPlayShell

/// `data add X Y LABEL [test]` and `data remove X Y [radius=R]` through the command language.
@Suite struct DataEditingCommandTests {
    func counts(_ s: Session) -> (train: Int, test: Int) {
        (s.playground.dataset.trainIndices.count, s.playground.dataset.testIndices.count)
    }

    @Test func addAndRemoveChangeTheCountsAndSaySo() throws {
        let (s, _) = makeSession()
        #expect(try s.run("data add 1.5 -2 1") == "added (1.5, -2), class 1, to the training set: 251 train / 250 test points\n")
        #expect(counts(s) == (251, 250))
        #expect(try s.run("data add 0 0 0 test") == "added (0, 0), class 0, to the test set: 251 train / 251 test points\n")
        #expect(counts(s) == (251, 251))
        #expect(s.playground.dataset.labels.suffix(2) == [1, 0])
        // the nearest point only, whichever set it is in: the one just added
        #expect(try s.run("data remove 0.01 0") == "removed 1 point, the nearest to (0.01, 0): (0, 0), class 0; 0 from train, 1 from test; 251 train / 250 test points left\n")
        let d = s.playground.dataset
        let inside = d.xs.indices.filter { hypot(d.xs[$0] - 1, d.ys[$0] - 1) <= 1.5 }
        let insideTest = inside.filter { d.testIndices.contains($0) }.count
        #expect(inside.count > 10 && insideTest > 0)
        let out = try s.run("data remove 1 1 radius=1.5")
        #expect(out == "removed \(inside.count) points within radius=1.5 of (1, 1): \(inside.count - insideTest) from train, \(insideTest) from test; \(251 - inside.count + insideTest) train / \(250 - insideTest) test points left\n")
        #expect(counts(s) == (251 - inside.count + insideTest, 250 - insideTest))
        let described = try s.run("data")
        #expect(described.hasPrefix("data: circle n=500 noise=0 +2 added -\(1 + inside.count) removed\n"))
        #expect(described.contains("points: \(501 - inside.count) (train \(251 - inside.count + insideTest), test \(250 - insideTest); test=0.5)"))
        #expect(s.replayLog.suffix(4) == ["data add 1.5 -2 1", "data add 0 0 0 test", "data remove 0.01 0", "data remove 1 1 radius=1.5"])
    }

    @Test func editingMidEpochRestartsTheEpochAndKeepsTheWeights() throws {
        let (s, _) = makeSession()
        try s.run("data circle n=17 test=0; train 2 steps")   // 10 + 7 points: one whole epoch
        #expect(s.playground.progress.position == 0 && s.playground.progress.epoch == 1)
        try s.run("step")
        let weights = s.playground.network.parameters
        #expect(s.playground.progress.position == 10 && s.playground.progress.epoch == 1)
        let out = try s.run("data add 1 1 1; data add -1 1 0; data add 0.5 -3 1")
        #expect(out.contains("added (1, 1), class 1, to the training set: 18 train / 0 test points\nepoch 2 starts again over the edited points (it was 10 points in); the weights stay\n"))
        #expect(out.split(separator: "\n").filter { $0.hasPrefix("epoch") }.count == 1, "only the first edit interrupted an epoch")
        #expect(s.playground.network.parameters == weights && s.playground.progress.position == 0)
        #expect(s.playground.dataset.count == 20)
        try s.run("train 3")
        #expect(s.playground.progress.epoch == 4 && s.playground.progress.steps == 3 + 3 * 2)   // 20 points: 10 + 10
        try s.run("set batch 3; step; data remove 0 0 radius=2.5; train 2")
        #expect(s.playground.progress.epoch == 6)
    }

    @Test func badEditsAreRefusedWithOneClearLineAndChangeNothing() throws {
        let (s, _) = makeSession()
        try s.run("train 1 steps")
        let before = s.snapshot
        let cases: [(String, String)] = [
            ("data add 1 2 2", "label 2 would be a new class: the data has 2 classes, labels 0…1, and data add keeps them (the network has one output per class); for more classes make new data (data gauss classes=3) or load a CSV that has them"),
            ("data add 1 2 cat", "unknown label 'cat': LABEL is a class of the data, 0…1"),
            ("data add 1 2 0.5", "unknown label '0.5': LABEL is a class of the data, 0…1"),
            ("data add nan 2 0", "X=nan is not a number (numbers look like 0.03, 3e-2, 1_000)"),
            ("data add 1 inf 0", "Y=inf is not a number (numbers look like 0.03, 3e-2, 1_000)"),
            ("data add 1e13 2 0", "X=1e13 is out of range: X is a finite number from -1e12 to 1e12 (as data files allow)"),
            ("data add 1 2", "missing argument: usage: data add X Y LABEL [test]"),
            ("data add 1 2 0 tset", "unexpected 'tset': usage: data add X Y LABEL [test] (test puts the point in the test set); did you mean 'test'?"),
            ("data add 1 2 0 radius=1", "data add takes no options (radius= is not one)"),
            ("data remove 1", "missing argument: usage: data remove X Y [radius=R]"),
            ("data remove 1 2 3", "unexpected '3': usage: data remove X Y [radius=R]"),
            ("data remove 1 2 radius=-1", "radius=-1 is out of range: radius is a number ≥ 0"),
            ("data remove 1 2 test=0.5", "unknown option 'test' for data remove (options: radius=)"),
            ("data remove 0 0 radius=100", "that would remove all 250 training points (500 points near (0, 0)): at least one must stay to train on; nothing was removed (use a smaller radius, or make new data)"),
            ("data remove 0 0 radius=2.6", "that would remove the last point of class 1: every class keeps at least one point (the network has an output for it); nothing was removed (use a smaller radius, or make new data)"),
            ("data circle radius=1", "unknown option 'radius' for data circle (options: n= noise= test= classes= seed=)"),
        ]
        for (line, message) in cases {
            #expect(s.error(line) == message, "\(line)")
            #expect(s.snapshot == before, "\(line) changed the state")
        }
        let nothing = try #require(s.error("data remove 5.9 5.9 radius=0.5"))
        #expect(nothing.hasPrefix("no point lies within radius=0.5 of (5.9, 5.9); the nearest, (") && nothing.hasSuffix(" away: nothing was removed"))
        #expect(!nothing.contains("\n"))
        #expect(s.snapshot == before)
        // 16 classes: no room for another, and the message says so
        try s.run("data gauss n=64 classes=16")
        #expect(s.error("data add 0 0 16")?.hasSuffix("(the network has one output per class) (16 is the most)") == true)
    }

    @Test func namedClassesAreGivenByNameAndTheEditedDataRoundTripsThroughCSV() throws {
        let dir = try makeTemporaryDirectory()
        try writeFiles(["pets.csv": "x,y,label\n0,0,cat\n1,1,dog\n2,2,cat\n3,3,\"big dog\"\n-1,2,dog\n"], in: dir)
        let (s, _) = makeSession()
        try s.run("data load \(dir)/pets.csv test=0")
        #expect(try s.run("data add 4 4 dog") == "added (4, 4), class dog, to the training set: 6 train / 0 test points\n")
        try s.run("data add 5 5 CAT test; data add 6 6 2; data add 7 7 \"big dog\"")
        #expect(s.playground.dataset.labels.suffix(4) == [1, 0, 2, 2])
        #expect(s.error("data add 1 1 dgo") == "unknown label 'dgo': LABEL is a class of the data, \"cat\", \"dog\", \"big dog\" (or 0…2); did you mean 'dog'?")
        #expect(s.error("data add 1 1 cow") == "unknown label 'cow': LABEL is a class of the data, \"cat\", \"dog\", \"big dog\" (or 0…2)")
        try s.run("data remove 0.1 0.1")
        let edited = s.playground.dataset
        #expect(edited.origin == "file \(dir)/pets.csv +4 added -1 removed")
        try s.run("data save \(dir)/edited.csv; data load \(dir)/edited.csv test=0")
        let loaded = s.playground.dataset
        #expect(loaded.xs == edited.xs && loaded.ys == edited.ys && loaded.labels == edited.labels && loaded.classNames == edited.classNames)
        // Tab offers the class names, quoted as the language reads them, then `test`
        let completer = Completer(session: s)
        #expect(completer.complete("data add 1 2 ").candidates == ["\"big dog\"", "cat", "dog"])
        #expect(completer.complete("data add 1 2 cat ").candidates == ["test"])
    }

    @Test func completionAndHelpCoverTheNewForms() throws {
        let (s, _) = makeSession()
        let completer = Completer(session: s)
        #expect(completer.complete("data a").candidates == ["add"])
        #expect(completer.complete("data re").candidates == ["remove"])
        #expect(completer.complete("data add 1 2 ").candidates == ["0", "1"])
        #expect(completer.complete("data add 1 2 1 ").candidates == ["test"])
        #expect(completer.complete("data remove 1 2 ").candidates == ["radius="])
        #expect(completer.complete("data circle ").candidates == ["classes=", "n=", "noise=", "seed=", "test="])
        let help = try s.run("help data")
        for line in ["usage: data add X Y LABEL [test]", "usage: data remove X Y [radius=R]", "  data add 1.5 -2 1",
                     "  data remove 0 0 radius=1", "radius=R", "the nearest point only"] {
            #expect(help.contains(line), "help data lacks \(line)")
        }
    }

    @Test func aSavedSessionReplaysTheEditsToTheSameDataAndWeightsBitForBit() throws {
        let dir = try makeTemporaryDirectory()
        let (s, _) = makeSession(seed: 5)
        try s.run("data spiral n=101 noise=0.1 classes=3; features x y cosx cosy; train 2 steps")
        try s.run("data add 0.123456789 -4.5 2; data add 1e-7 3 1 test; train 3; data remove 1 1 radius=1.25; step")
        try s.run("data remove -2 2; data add 5.5 5.5 0; data; train 2")
        try s.run("save session \(dir)/edits.nn")
        let script = try #require(String(validating: try FileAccess.read("\(dir)/edits.nn", limit: 1 << 20), as: UTF8.self))
        let lines = script.split(separator: "\n").map(String.init)
        #expect(lines.contains("data add 0.123456789 -4.5 2") && lines.contains("data remove 1 1 radius=1.25") && lines.contains("data remove -2 2"))
        #expect(!lines.contains("data"), "describing the data is not recorded")
        let (replay, _) = makeSession()
        try replay.runScript(script, name: "edits.nn")
        let a = replay.playground.dataset, b = s.playground.dataset
        #expect(a.xs.map(\.bitPattern) == b.xs.map(\.bitPattern) && a.ys.map(\.bitPattern) == b.ys.map(\.bitPattern))
        #expect(a.labels == b.labels && a.trainIndices == b.trainIndices && a.testIndices == b.testIndices && a.origin == b.origin)
        let same = replay.playground == s.playground
        #expect(same)
        #expect(replay.playground.network.parameters.map(\.bitPattern) == s.playground.network.parameters.map(\.bitPattern))
        #expect(try replay.run("stats") == s.run("stats"))
    }

    @Test func cosineFeaturesWorkThroughTheCommands() throws {
        let (s, _) = makeSession()
        #expect(try s.run("features x y cosx cosy") == "network: x y cosx cosy → 4 tanh → 2 tanh → 1 sigmoid (33 parameters, weights drawn anew)\n")
        let eval = try s.run("eval 1 2")
        #expect(eval.contains("in   x=1 y=2 cosx=\(formatMetric(cos(1.0), digits: 5)) cosy=\(formatMetric(cos(2.0), digits: 5))"), "\(eval)")
        try s.run("train 50")
        #expect(try s.run("gradcheck").contains("backpropagation agrees"))
        let dir = try makeTemporaryDirectory()
        try s.run("save model \(dir)/cos.json")
        let file = try #require(String(validating: try FileAccess.read("\(dir)/cos.json", limit: 1 << 20), as: UTF8.self))
        #expect(file.contains("\"features\": [\"x\",\"y\",\"cosx\",\"cosy\"]") || file.contains("\"features\": [\"x\", \"y\", \"cosx\", \"cosy\"]"))
        let (other, _) = makeSession()
        try other.run("load model \(dir)/cos.json")
        #expect(other.playground.network.parameters == s.playground.network.parameters)
        #expect(other.playground.network.features == [.x, .y, .cosx, .cosy])
    }
}
