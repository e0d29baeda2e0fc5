import Testing
@testable import NNPlayEngine

@Suite struct DeterminismTests {
    static func spiral(seed: UInt64 = 1, optimizer: Optimizer = .momentum) throws -> Playground {
        let data = try Dataset.generate(.spiral, count: 300, noise: 0.2, classes: 3, seed: seed)
        let net = try Network(features: [.x, .y, .sinx], hidden: [(6, .relu), (5, .tanh)], classes: 3)
        var s = TrainingSettings()
        s.seed = seed
        s.loss = .ce
        s.optimizer = optimizer
        s.regularization = .l2
        s.regularizationRate = 0.001
        s.batchSize = 7
        return try Playground(dataset: data, network: net, settings: s)
    }

    @Test(arguments: Optimizer.allCases)
    func twoRunsWithOneSeedGiveBitIdenticalWeights(optimizer: Optimizer) throws {
        var a = try Self.spiral(optimizer: optimizer), b = try Self.spiral(optimizer: optimizer)
        try a.train(.epochs(30))
        try b.train(.epochs(30))
        #expect(a.network.parameters.map(\.bitPattern) == b.network.parameters.map(\.bitPattern))
        let same = a == b
        #expect(same)
        var c = try Self.spiral(seed: 2, optimizer: optimizer)
        try c.train(.epochs(30))
        #expect(a.network.parameters != c.network.parameters)
    }

    @Test func trainingInPiecesEqualsTrainingAtOnce() throws {
        var whole = try Self.spiral(), pieces = try Self.spiral()
        try whole.train(.steps(300))
        try pieces.train(.steps(17))
        try pieces.train(.epochs(2))
        let done = pieces.progress.steps
        for _ in 0..<5 { try pieces.step() }
        try pieces.train(.steps(300 - done - 5))
        #expect(pieces.progress.steps == 300)
        let same = pieces == whole
        #expect(same)
    }

    @Test func epochsCountWholePassesOverTheTrainingSet() throws {
        var p = try Self.spiral()
        // 150 training points in batches of 7: 22 steps per epoch, the last with 3 points
        #expect(p.stepsPerEpoch == 22)
        try p.train(.epochs(3))
        #expect(p.progress.epoch == 3 && p.progress.steps == 66 && p.progress.position == 0)
        try p.train(.steps(5))
        try p.train(.epochs(1))   // finishes the epoch in progress
        #expect(p.progress.epoch == 4 && p.progress.steps == 88)
        #expect(p.progress.history.map(\.epoch) == [1, 2, 3, 4])
    }

    @Test func stoppingEarlyKeepsTheWeightsReached() throws {
        var p = try Self.spiral()
        var calls = 0
        let control = TrainingControl(shouldStop: { calls += 1; return calls >= 10 })
        let outcome = try p.train(.epochs(100), control: control)
        #expect(outcome.interrupted && outcome.steps == 10)
        var q = try Self.spiral()
        try q.train(.steps(10))
        let same = p == q
        #expect(same)
    }
}
