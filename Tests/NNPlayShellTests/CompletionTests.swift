import Foundation
import NNPlayEngine
import Testing
@testable import NNPlayShell

/// Tab completion, computed from the same command table as the commands themselves.
@Suite struct CompletionTests {
    func complete(_ text: String, _ session: Session? = nil) -> [String] {
        Completer(session: session ?? makeSession().0).complete(text).candidates
    }

    @Test func commandNames() {
        #expect(complete("sta") == ["stats"])
        #expect(complete("s") == ["save", "set", "source", "stats", "step", "sweep"])
        #expect(complete("train 5; gr") == ["gradcheck"])
        #expect(complete("").contains("train"))
    }

    @Test func subCommandsAndNames() {
        #expect(complete("data ") == ["add", "circle", "gauss", "load", "moons", "multigauss", "plane", "remove", "save", "spiral", "split", "xor", "classes=", "n=", "noise=", "seed=", "test="].sorted())
        #expect(complete("data pl") == ["plane"])
        #expect(complete("data plane ") == ["n=", "noise=", "seed=", "test="])
        #expect(complete("data sp") == ["spiral", "split"])
        #expect(complete("save ") == ["data", "model", "session"])
        #expect(complete("set opt") == ["optimizer"])
        #expect(complete("set optimizer ") == ["adagrad", "adam", "momentum", "nesterov", "rmsprop", "sgd"])
        #expect(complete("set loss c") == ["ce"])
        #expect(complete("act out s") == ["sigmoid", "softmax"])
        #expect(complete("add 4 le") == ["leaky-relu"])
        #expect(complete("features x y s") == ["sinx", "siny"])
        #expect(complete("features x y c") == ["cosx", "cosy"])
        #expect(complete("help tr") == ["train"])
        #expect(complete("expect test-") == ["test-accuracy", "test-loss"])
        #expect(complete("init ") == ["he", "uniform", "xavier", "seed="].sorted())
    }

    @Test func regressionDataOffersItsOwnMetricsAndNoClasses() throws {
        let (s, _) = makeSession()
        try s.run("data plane n=50")
        #expect(complete("expect test-", s) == ["test-loss", "test-r2", "test-rmse"])
        #expect(complete("data add 1 2 ", s) == [])
        #expect(complete("data add 1 2 ") == ["0", "1"])
    }

    @Test func optionKeysAndTheirValues() {
        #expect(complete("data circle no") == ["noise="])
        #expect(complete("data circle n=100 n") == ["noise="])   // a key already given is not offered again
        #expect(complete("data load x.csv ") == ["problem=", "seed=", "test="])
        #expect(complete("data load x.csv problem=") == ["problem=classification", "problem=regression"])
        #expect(complete("set optimizer=a") == ["optimizer=adagrad", "optimizer=adam"])
        #expect(complete("gradcheck ") == ["points="])
    }

    @Test func layerNumbersFollowTheNetwork() throws {
        let (s, _) = makeSession()
        #expect(complete("remove ", s) == ["1", "2"])
        #expect(complete("act ", s) == ["1", "2", "all", "out"])
        try s.run("add 3; add 3")
        #expect(complete("resize ", s) == ["1", "2", "3", "4"])
        #expect(complete("weights ", s) == ["1", "2", "3", "4", "all", "out"])
        #expect(complete("plot space 3 ", s) == ["1", "2", "3", "points=", "size="])   // Tab through the layer's neurons
        #expect(complete("plot space 1 2 ", s) == ["1", "2", "3", "4", "points=", "size="])
        #expect(complete("plot neuron 2.", s) == ["2.1", "2.2"])
        #expect(complete("plot ", s) == ["ascii", "discrete", "grads", "landscape", "layer", "loss", "net", "neuron", "out", "space", "points=", "size="].sorted())
    }

    @Test func pathsWhereAPathIsExpected() throws {
        let dir = try makeTemporaryDirectory()
        try FileAccess.makeDirectory(dir + "/sub")
        try writeFiles(["points.csv": "1,1,0\n", "pictures.txt": "x"], in: dir)
        #expect(complete("data load \(dir)/p") == ["\(dir)/pictures.txt", "\(dir)/points.csv"])
        #expect(complete("data load \(dir)/po") == ["\(dir)/points.csv"])
        #expect(complete("source \(dir)/s") == ["\(dir)/sub/"])
        #expect(complete("save model \(dir)/") == ["\(dir)/pictures.txt", "\(dir)/points.csv", "\(dir)/sub/"])
    }
}
