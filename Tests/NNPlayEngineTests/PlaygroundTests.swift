import Foundation
import Testing
@testable import NNPlayEngine

@Suite struct PlaygroundTests {
    @Test func theDefaultPlaygroundIsSPECs() {
        let p = Playground.makeDefault()
        #expect(p.dataset.origin == "circle n=500 noise=0")
        #expect(p.dataset.count == 500 && p.dataset.testIndices.count == 250)
        #expect(p.network.architecture == "x y → 4 tanh → 2 tanh → 1 sigmoid")
        #expect(p.settings.learningRate == 0.03 && p.settings.batchSize == 10)
        #expect(p.settings.optimizer == .sgd && p.settings.regularization == .none && p.settings.seed == 1)
        #expect(p.settings.loss == .bce)
        #expect(p.network.parameterCount == (2 * 4 + 4) + (4 * 2 + 2) + (2 + 1))
        #expect(p.network.parameters.contains { $0 != 0 })
    }

    @Test func newDataWithTheSameClassesKeepsTheWeights() throws {
        var p = Playground.makeDefault()
        try p.train(.epochs(5))
        let weights = p.network.parameters
        let notes = try p.replaceDataset(Dataset.generate(.xor, count: 100))
        #expect(notes.isEmpty)
        #expect(p.network.parameters == weights)
        #expect(p.progress.epoch == 5)
    }

    @Test func newDataWithOtherClassesRebuildsOnlyTheOutputLayer() throws {
        var p = Playground.makeDefault()
        try p.train(.epochs(5))
        let hidden = p.network.layers[1]
        let kept = Array(p.network.parameters[0..<(hidden.biasOffset + hidden.size)])
        let notes = try p.replaceDataset(Dataset.generate(.spiral, count: 90, classes: 3))
        #expect(notes.contains("output layer rebuilt for 3 classes: 3 softmax"))
        #expect(notes.contains("loss is now ce"))
        #expect(p.network.architecture == "x y → 4 tanh → 2 tanh → 3 softmax")
        #expect(Array(p.network.parameters[0..<kept.count]) == kept)
        try p.train(.epochs(1))
        try p.replaceDataset(Dataset.generate(.circle, count: 90))
        #expect(p.network.outputActivation == .sigmoid && p.settings.loss == .bce)
    }

    @Test func architectureChangesStartTrainingAfresh() throws {
        var p = Playground.makeDefault()
        try p.train(.epochs(3))
        let bigger = try p.network.reshaped(hidden: [(size: 6, activation: .relu)])
        _ = try p.replaceNetwork(bigger, initialize: true)
        #expect(p.progress.epoch == 0 && p.progress.history.isEmpty)
        #expect(p.network.architecture == "x y → 6 relu → 1 sigmoid")
        var q = p
        q.reset()
        let same = q == p   // initialisation is a function of the seed
        #expect(same)
    }

    @Test func settingsOutOfRangeAreRefusedAndChangeNothing() throws {
        var p = Playground.makeDefault()
        let before = p
        for change: (inout TrainingSettings) -> Void in [
            { $0.learningRate = 0 }, { $0.learningRate = .nan }, { $0.batchSize = 0 },
            { $0.momentum = 1 }, { $0.regularizationRate = -1 }, { $0.loss = .mse; $0.beta2 = 1 }, { $0.epsilon = 0 },
        ] {
            var s = p.settings
            change(&s)
            #expect(throws: NNPlayError.self) { try p.updateSettings(s) }
            let unchanged = p == before
            #expect(unchanged)
        }
    }

    @Test func lossesSayWhichOutputsTheySuit() {
        #expect(Loss.bce.incompatibility(with: .tanh, outputCount: 1)?.contains("bce needs a sigmoid output") == true)
        #expect(Loss.ce.incompatibility(with: .sigmoid, outputCount: 3)?.contains("ce needs a softmax output") == true)
        #expect(Loss.ce.incompatibility(with: .sigmoid, outputCount: 1) == nil)
        #expect(OutputActivation.allCases.allSatisfy { Loss.mse.incompatibility(with: $0, outputCount: 2) == nil })
    }

    @Test func limitsAreRefusedWithTheLimitInTheMessage() {
        #expect(throws: NNPlayError("a layer of 5000 neurons: layers have 1 to 1024 neurons")) {
            try Network(features: [.x], hidden: [(5000, .tanh)], classes: 2)
        }
        #expect(throws: NNPlayError.self) {
            try Network(features: [.x], hidden: Array(repeating: (size: 4, activation: Activation.tanh), count: 33), classes: 2)
        }
        #expect(throws: NNPlayError("8399873 parameters is more than the limit of 4000000")) {
            try Network(features: [.x], hidden: Array(repeating: (size: 1024, activation: Activation.tanh), count: 9), classes: 2)
        }
    }

    @Test(arguments: Optimizer.allCases)
    func divergenceStopsTrainingWithFiniteWeightsAndSaysWhere(optimizer: Optimizer) throws {
        let data = try Dataset.generate(.gauss, count: 200, noise: 0.5)
        let net = try Network(features: [.x, .y, .x2], hidden: [(8, .relu), (8, .relu)], classes: 2, output: .linear)
        var s = TrainingSettings()
        s.loss = .mse
        s.optimizer = optimizer
        let selfScaled = [Optimizer.adam, .rmsprop, .adagrad].contains(optimizer)
        s.learningRate = selfScaled ? 1e6 : 1000
        var p = try Playground(dataset: data, network: net, settings: s)
        let outcome = try p.train(.epochs(50))
        if selfScaled {
            // adam, rmsprop and adagrad take steps of about lr whatever the gradient: at lr's ceiling, 1e6, the loss soars
            // but every weight and metric stays finite, so there is nothing to restore
            #expect(outcome.divergence == nil)
            #expect(p.network.isFinite && p.trainMetrics?.loss.isFinite == true)
            #expect(try #require(p.trainMetrics).loss > 1e6)
            return
        }
        let divergence = try #require(outcome.divergence)
        #expect(p.network.isFinite)
        #expect(divergence.description.contains("training diverged at epoch"))
        #expect(divergence.description.contains("weights restored to the last finite values"))
        #expect(p.progress.history.allSatisfy { ($0.train?.loss.isFinite ?? true) && ($0.test?.loss.isFinite ?? true) })
        #expect(p.trainMetrics?.loss.isFinite == true || p.trainMetrics == nil)
    }

    @Test func trainingWithoutTrainingPointsIsAnError() throws {
        var p = Playground.makeDefault()
        try p.resplit(testFraction: 1, seed: 1)
        #expect(throws: NNPlayError.self) { try p.train(.epochs(1)) }
        #expect(p.testMetrics?.count == 500 && p.trainMetrics == nil)
    }
}

@Suite struct FileAccessTests {
    @Test func writesAreAtomicAndLeaveNoTemporaryFiles() throws {
        let dir = try makeTemporaryDirectory()
        let path = dir + "/a.txt"
        try FileAccess.writeAtomically("one\n", to: path)
        try FileAccess.writeAtomically("two\n", to: path)
        #expect(try FileAccess.read(path, limit: 100) == Array("two\n".utf8))
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == ["a.txt"])
    }

    @Test func badPathsGiveClearErrorsAndWriteNothing() throws {
        let dir = try makeTemporaryDirectory()
        #expect(throws: NNPlayError("cannot write \(dir): it is a directory")) { try FileAccess.writeAtomically("x", to: dir) }
        #expect(throws: NNPlayError("cannot write \(dir)/no/such/f.csv: the directory \(dir)/no/such does not exist")) {
            try FileAccess.writeAtomically("x", to: dir + "/no/such/f.csv")
        }
        #expect(throws: NNPlayError("cannot read \(dir)/missing.csv: no such file or directory")) {
            try FileAccess.read(dir + "/missing.csv", limit: 10)
        }
        #expect(throws: NNPlayError("cannot read \(dir): it is a directory")) { try FileAccess.read(dir, limit: 10) }
        try FileAccess.writeAtomically(String(repeating: "x", count: 100), to: dir + "/big")
        #expect(throws: NNPlayError.self) { try FileAccess.read(dir + "/big", limit: 10) }
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == ["big"])
    }
}

@Suite struct PathTests {
    @Test func theDirectoryOfAPath() {
        #expect(FileAccess.directoryPart(of: "M") == ".")
        #expect(FileAccess.directoryPart(of: "a/b/c.csv") == "a/b")
        #expect(FileAccess.directoryPart(of: "/c") == "/")
        #expect(FileAccess.directoryPart(of: "./S") == ".")
    }
}
