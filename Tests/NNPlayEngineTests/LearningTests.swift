import Testing
@testable import NNPlayEngine

/// The network learns the classic problems in a bounded number of epochs (all seeded, so these are
/// exact replays, not lucky runs).
@Suite struct LearningTests {
    static func playground(_ kind: DatasetKind, count: Int, classes: Int = 2, hidden: [(Int, Activation)],
                           optimizer: Optimizer, lr: Double) throws -> Playground {
        let data = try Dataset.generate(kind, count: count, noise: 0, classes: classes, testFraction: 0.5, seed: 1)
        let net = try Network(features: [.x, .y], hidden: hidden.map { (size: $0.0, activation: $0.1) }, classes: classes)
        var s = TrainingSettings()
        s.optimizer = optimizer
        s.learningRate = lr
        s.loss = classes > 2 ? .ce : .bce
        return try Playground(dataset: data, network: net, settings: s)
    }

    @Test func xorWithOneHiddenLayerOfFourTanhNeuronsReachesFullTrainingAccuracy() throws {
        var p = try Self.playground(.xor, count: 200, hidden: [(4, .tanh)], optimizer: .adam, lr: 0.03)
        #expect(p.network.architecture == "x y → 4 tanh → 1 sigmoid")
        try p.train(.epochs(300))
        #expect(p.trainMetrics?.accuracyValue == 1)
    }

    @Test func twoClassSpiralWithTwoTanhLayersOfEightReaches95PercentOnTheTestSet() throws {
        var p = try Self.playground(.spiral, count: 500, hidden: [(8, .tanh), (8, .tanh)], optimizer: .sgd, lr: 0.03)
        try p.train(.epochs(1000))
        let test = try #require(p.testMetrics)
        #expect(test.accuracyValue >= 0.95, "test accuracy \(test.accuracyValue)")
    }

    @Test func threeClassSpiralWithSoftmaxReaches90PercentOnTheTestSet() throws {
        var p = try Self.playground(.spiral, count: 600, classes: 3, hidden: [(16, .tanh), (16, .tanh)],
                                    optimizer: .adam, lr: 0.01)
        #expect(p.network.outputActivation == .softmax && p.network.outputCount == 3)
        try p.train(.epochs(500))
        let test = try #require(p.testMetrics)
        #expect(test.accuracyValue >= 0.90, "test accuracy \(test.accuracyValue)")
    }

    @Test func theDefaultPlaygroundLearnsTheCircle() throws {
        var p = Playground.makeDefault()
        let before = try #require(p.trainMetrics)
        try p.train(.epochs(200))
        let after = try #require(p.testMetrics)
        #expect(after.loss < before.loss / 3)
        #expect(after.accuracyValue >= 0.95)
        #expect(p.progress.history.count == 200)
        #expect(p.progress.history.last?.test == p.testMetrics)
    }

    @Test func irisPetalsAreLearnedFromTheBundledFile() throws {
        let bytes = try FileAccess.read(#filePath.replacingOccurrences(of: "Tests/NNPlayEngineTests/LearningTests.swift", with: "Datasets/iris-petals.csv"), limit: 1 << 20)
        let data = try Dataset.fromCSV(bytes, testFraction: 0.3, seed: 1, origin: "iris-petals.csv")
        #expect(data.classCounts == [50, 50, 50])
        #expect(data.classNames == ["setosa", "versicolor", "virginica"])
        let net = try Network(features: [.x, .y], hidden: [(8, .tanh)], classes: 3)
        var s = TrainingSettings()
        s.loss = .ce
        s.optimizer = .adam
        s.learningRate = 0.01
        var p = try Playground(dataset: data, network: net, settings: s)
        try p.train(.epochs(200))
        #expect((p.testMetrics?.accuracyValue ?? 0) >= 0.9)
    }
}
