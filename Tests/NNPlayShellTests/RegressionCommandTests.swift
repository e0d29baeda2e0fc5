import Foundation
import NNPlayEngine
import Testing
@testable import NNPlayShell

/// Regression data through the command language: stats, expect, train until, eval, backprop,
/// confusion, data add, CSV and model files.
@Suite struct RegressionCommandTests {
    @Test func statsShowsRmseAndR2InsteadOfAccuracy() throws {
        let (s, _) = makeSession()
        let made = try s.run("data plane n=301 test=0.3")
        #expect(made.hasPrefix("data: plane n=301 noise=0, regression (targets "), "\(made)")
        #expect(made.contains("output layer rebuilt for regression: 1 linear\nloss is now mse\n"), "\(made)")
        try s.run("set optimizer adam; set lr 0.01; train 5")
        let line = try s.run("stats")
        let keys = line.split(separator: " ").map { String($0.split(separator: "=")[0]) }
        #expect(keys == ["epoch", "train-loss", "test-loss", "train-rmse", "test-rmse", "train-r2", "test-r2", "steps"], "\(line)")
        let test = try #require(s.playground.testMetrics)
        #expect(line.contains("test-r2=\(Metric.text(try #require(test.r2)))"))
        #expect(line.contains("test-rmse=\(Metric.text(try #require(test.rmse)))"))
        let json = try s.run("stats json")
        #expect(json.contains("\"test-r2\": ") && !json.contains("accuracy"), "\(json)")
        try s.run("set validation 0.2")
        #expect(try s.run("stats").contains(" val-loss=") && (try s.run("stats")).contains(" val-r2="))
    }

    @Test func expectAndTrainUntilReadRegressionMetrics() throws {
        let (s, _) = makeSession(quiet: true)
        try s.run("data plane; set optimizer adam; set lr 0.01")
        try s.run("train until test-r2 >= 0.99 max=300")
        let r2 = try #require(s.playground.testMetrics?.r2)
        #expect(r2 >= 0.99)
        try s.run("expect test-r2 >= 0.99; expect train-rmse < 0.1; expect test-rmse < 0.1")
        #expect(s.error("expect test-r2 < 0.5")?.hasPrefix("expect failed: test-r2 is ") == true)
        // a metric of the other problem is a clear error, not a silent n/a
        #expect(s.error("expect test-accuracy > 0.5") == "test-accuracy needs classes: this is regression data (use rmse or r2, e.g. test-r2)")
        #expect(s.error("train until test-accuracy > 0.5 max=2") == "test-accuracy needs classes: this is regression data (use rmse or r2, e.g. test-r2)")
        let (c, _) = makeSession(quiet: true)
        #expect(c.error("expect test-r2 > 0.5") == "test-r2 is for regression data: this is classification data (use accuracy, e.g. test-accuracy)")
        #expect(c.error("train until test-rmse < 0.5 max=2") == "test-rmse is for regression data: this is classification data (use accuracy, e.g. test-accuracy)")
    }

    @Test func evalBackpropAndConfusionSpeakOfTargets() throws {
        let (s, _) = makeSession()
        try s.run("data multigauss n=100; train 2")
        let prediction = try #require(s.playground.network.predict(x: 1, y: -2).first)
        #expect(try s.run("eval 1 -2").hasSuffix("prediction \(formatMetric(prediction, digits: 6))\n"))
        let json = try s.run("eval 1 -2 json")
        #expect(json.contains("\"prediction\": ") && !json.contains("\"class\""), "\(json)")
        #expect(s.error("confusion") == "confusion needs classes: this is regression data (see test-rmse and test-r2 in `stats`)")
        let traced = try s.run("backprop 1 -2 target=0.25")
        #expect(traced.hasPrefix("point (1, -2), target 0.25\n") && traced.contains("(mse, target y = 0.25)"), "\(traced)")
        #expect(try s.run("backprop 1 -2 target=0.25 json").contains("\"class\": null, \"target\": [0.25]"))
        #expect(s.error("backprop 1 -2 class=1")?.hasPrefix("class=1 is for classes, and this is regression data") == true)
        #expect(try s.run("backprop 1 -2").contains("(the target of the nearest training point"))
        // classification keeps its class=, and refuses target=
        let (c, _) = makeSession()
        #expect(c.error("backprop 1 -2 target=0.5")?.hasPrefix("target= is for regression data") == true)
    }

    @Test func dataAddTakesATargetAndDataDescribesTheRange() throws {
        let (s, _) = makeSession()
        try s.run("data plane n=20 test=0")
        #expect(try s.run("data add 1 2 -0.75 test") == "added (1, 2), target -0.75, to the test set: 20 train / 1 test points\n")
        #expect(s.playground.dataset.values.last == -0.75)
        #expect(s.error("data add 1 2 cat")?.hasPrefix("VALUE=cat is not a number") == true)
        let described = try s.run("data")
        #expect(described.contains("regression: targets ") && !described.contains("class 0:"), "\(described)")
        #expect(s.error("act out sigmoid") == "output sigmoid is for classes: regression data takes output linear or tanh")
        #expect(s.error("set loss bce") == "loss bce is for classes: regression data takes loss mse")
        #expect(s.error("data plane classes=3")?.hasPrefix("plane is regression data") == true)
        try s.run("act out tanh")
        #expect(s.playground.network.outputActivation == .tanh)
    }

    @Test func csvAndModelFilesKeepTheProblem() throws {
        let dir = try makeTemporaryDirectory()
        try writeFiles(["real.csv": "x,y,z\n0,1,0.25\n1,0,-0.5\n2,2,1.5\n-1,3,0.125\n",
                        "whole.csv": "0,1,0\n1,0,1\n2,2,1\n-1,3,0\n"], in: dir)
        let (s, _) = makeSession()
        let loaded = try s.run("data load \(dir)/real.csv test=0.25")
        #expect(loaded.contains("regression (targets -0.5 … 1.5)") && s.playground.dataset.problem == .regression, "\(loaded)")
        try s.run("data load \(dir)/whole.csv problem=regression")
        #expect(s.playground.dataset.problem == .regression && s.playground.dataset.values == [0, 1, 1, 0])
        #expect(s.replayLog.last?.contains(" problem=regression checksum=") == true)
        #expect(s.error("data load \(dir)/whole.csv problem=ranking")?.hasPrefix("unknown problem 'ranking'") == true)
        try s.run("data save \(dir)/saved.csv; train 2; save model \(dir)/m.json")
        #expect(try String(contentsOfFile: "\(dir)/saved.csv", encoding: .utf8).hasPrefix("x,y,target\n0,1,0\n"))
        let (t, _) = makeSession()
        #expect(t.error("load model \(dir)/m.json")?.contains("load regression data first") == true)
        try t.run("data load \(dir)/saved.csv; load model \(dir)/m.json")
        #expect(t.playground.network == s.playground.network && t.playground.dataset.values == s.playground.dataset.values)
        try t.run("data load \(dir)/whole.csv")
        #expect(t.playground.dataset.problem == .classification && t.playground.network.outputActivation == .sigmoid)
    }

    @Test func aSavedSessionReplaysRegressionBitForBit() throws {
        let dir = try makeTemporaryDirectory()
        let (s, _) = makeSession(quiet: true)
        try s.run("data multigauss n=123 noise=0.1 test=0.3; features x y sinx; act out tanh; set optimizer adam; train 3; data add 0 0 0.5; train 2 steps")
        try s.run("save session \(dir)/s.nnplay")
        let (t, _) = makeSession(quiet: true)
        try t.run("source \(dir)/s.nnplay")
        #expect(t.playground.network.parameters == s.playground.network.parameters)
        #expect(t.playground.dataset.values == s.playground.dataset.values)
    }

    @Test func picturesAndSweepsShowTargetsNotClasses() throws {
        let (s, _) = makeSession(quiet: true)
        try s.run("data plane n=101; train 2")
        let plot = try s.run("plot ascii size=24x10")
        #expect(plot.contains("(prediction; o/O train/test point; targets "), "\(plot)")
        #expect(!plot.contains("class"))
        let dir = try makeTemporaryDirectory()
        let written = try s.run("export out \(dir)/out.ppm size=64; export space 1 \(dir)/space.ppm size=64")
        #expect(written.contains("out.ppm") && written.contains("space.ppm"))
        let table = try s.run("sweep lr 0.01,0.03 train=2 ascii")
        let header = try #require(table.split(separator: "\n").first { $0.hasPrefix("lr ") })
        #expect(header.split(separator: " ").map(String.init) == ["lr", "train-loss", "test-loss", "train-rmse", "test-rmse", "train-r2", "test-r2", "time"], "\(header)")
    }

    @Test func gradientsAndLandscapesWorkOnRegressionToo() throws {
        let (s, _) = makeSession(quiet: true)
        try s.run("data multigauss n=77; act out tanh; train 2")
        let grads = try s.run("stats grads")
        #expect(grads.hasPrefix("grad-norm-1=") && grads.contains(" grad-norm-out="), "\(grads)")
        try s.run("expect gradcheck < 1e-6; expect grad-norm-out > 0")
        let landscape = try s.run("plot landscape json")
        // the centre of the slice is the current weights: its loss is the mean training loss
        let loss = try #require(s.playground.trainMetrics?.loss)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(landscape.utf8)) as? [String: Any])
        let grid = try #require(object["loss"] as? [[Double]])
        let centre = grid[grid.count / 2][grid[0].count / 2]
        #expect(abs(centre - loss) <= 1e-12 * max(1, loss), "centre \(centre), train loss \(loss)")
    }
}
