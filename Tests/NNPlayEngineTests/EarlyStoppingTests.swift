import Testing
@testable import NNPlayEngine

/// Validation points and `train until`: the split, and stopping where an epoch-by-epoch run of the
/// same rule says, with the best weights put back.
@Suite struct EarlyStoppingTests {
    /// 3 classes on 83 points (test 0.3): sizes that fit no vector width.
    static func playground(validation: Double, batch: Int = 7) throws -> Playground {
        let data = try Dataset.generate(.spiral, count: 83, noise: 0.2, classes: 3, testFraction: 0.3, seed: 5)
        let net = try Network(features: [.x, .y, .siny], hidden: [(6, .tanh), (5, .relu)], classes: 3)
        var s = TrainingSettings()
        s.loss = .ce
        s.optimizer = .adam
        s.learningRate = 0.05
        s.batchSize = batch
        s.seed = 5
        s.validationFraction = validation
        return try Playground(dataset: data, network: net, settings: s)
    }

    @Test func validationPointsAreAStratifiedSeededPartOfTheTrainingPoints() throws {
        let none = try Self.playground(validation: 0)
        let pool = Set(none.dataset.trainIndices)
        for f in [0.1, 0.25, 0.5, 0.9, 0.999] {
            let p = try Self.playground(validation: f)
            let d = p.dataset
            let validation = Set(d.validationIndices), train = Set(d.trainIndices)
            #expect(validation.isDisjoint(with: train) && validation.union(train) == pool)
            #expect(d.testIndices == none.dataset.testIndices)
            #expect(d.validationIndices.count == Swift.min(Int((Double(pool.count) * f).rounded()), pool.count - 1))
            #expect(!d.trainIndices.isEmpty)
            // each class gives its share, within one point
            for c in 0..<3 {
                let inPool = pool.filter { d.labels[$0] == c }.count
                let held = d.validationIndices.filter { d.labels[$0] == c }.count
                #expect(abs(Double(held) - Double(inPool) * f) <= 1)
            }
            #expect(try Self.playground(validation: f).dataset == d)
        }
        // the fraction back to 0 gives the training points back; training steps follow the points left
        var p = try Self.playground(validation: 0.4)
        #expect(p.stepsPerEpoch == (p.dataset.trainIndices.count + 6) / 7)
        var s = p.settings
        s.validationFraction = 0
        try p.updateSettings(s)
        #expect(p.dataset.trainIndices == none.dataset.trainIndices && p.dataset.validationIndices.isEmpty)
        // a new split keeps the fraction
        s.validationFraction = 0.2
        try p.updateSettings(s)
        try p.resplit(testFraction: 0.5, seed: 2)
        #expect(p.dataset.validationIndices.count == Int((Double(p.dataset.trainIndices.count + p.dataset.validationIndices.count) * 0.2).rounded()))
    }

    @Test func editedDataKeepsTheValidationFractionAndValidIndices() throws {
        var p = try Self.playground(validation: 0.3)
        try p.addPoint(x: 0.5, y: -0.5, label: 1, toTest: false)
        try p.addPoint(x: 1.5, y: 2.5, label: 2, toTest: true)
        for (x, y, r) in [(0.0, 0.0, 1.5), (3.0, 3.0, nil), (-2.0, 1.0, 2.0)] as [(Double, Double, Double?)] {
            _ = try p.removePoints(nearX: x, y: y, radius: r)
            let d = p.dataset
            let all = d.trainIndices + d.validationIndices + d.testIndices
            #expect(all.sorted() == Array(0..<d.count), "every point in exactly one set")
            #expect(d.validationIndices.count == Int((Double(d.trainIndices.count + d.validationIndices.count) * 0.3).rounded()))
            try p.train(.epochs(1))
            #expect(p.progress.history.last?.validation?.count == d.validationIndices.count)
        }
    }

    @Test func epochRecordsMeasureTheValidationPoints() throws {
        var p = try Self.playground(validation: 0.3)
        try p.train(.epochs(3))
        let record = try #require(p.progress.history.last)
        #expect(record.validation == p.validationMetrics)
        #expect(record.validation?.count == p.dataset.validationIndices.count)
        #expect(try Self.playground(validation: 0).validationMetrics == nil)
    }

    /// The rule applied by hand, one epoch at a time, on a copy.
    static func reference(_ start: Playground, patience: Int?, condition: StoppingRule.Condition?, max: Int)
        throws -> (epoch: Int, parameters: [Double], reason: StoppingOutcome.Reason) {
        var p = start
        var best: (loss: Double, parameters: [Double])?
        var since = 0
        for _ in 0..<max {
            try p.train(.epochs(1))
            let r = try #require(p.progress.history.last)
            var stop: StoppingOutcome.Reason?
            if patience != nil, let v = p.validationMetrics?.loss {
                if best == nil || v < best?.loss ?? .infinity { best = (v, p.network.parameters); since = 0 } else { since += 1 }
                if let patience, since >= patience { stop = .patienceRanOut }
            }
            if let c = condition, let x = c.metric.value(in: r), c.comparison.holds(x, c.bound) { stop = .conditionMet(epoch: p.progress.epoch) }
            if let stop {
                if case .conditionMet = stop { return (p.progress.epoch, p.network.parameters, stop) }
                return (p.progress.epoch, best?.parameters ?? p.network.parameters, stop)
            }
        }
        return (p.progress.epoch, best?.parameters ?? p.network.parameters, .reachedMax)
    }

    @Test(arguments: [(4, 7), (6, 83), (3, 1)])
    func patienceStopsWhereAnEpochByEpochRunSaysAndPutsBackTheBestWeights(patience: Int, batch: Int) throws {
        let start = try Self.playground(validation: 0.3, batch: batch)
        let expected = try Self.reference(start, patience: patience, condition: nil, max: 400)
        var p = start
        let outcome = try p.train(until: StoppingRule(patience: patience, maxEpochs: 400))
        #expect(outcome.reason == expected.reason && expected.reason == .patienceRanOut)
        #expect(p.progress.epoch == expected.epoch)
        #expect(p.network.parameters == expected.parameters)
        if outcome.reason == .patienceRanOut {
            #expect(outcome.restoredBest)
            #expect(outcome.best?.epoch == expected.epoch - patience)
            #expect(p.validationMetrics?.loss == outcome.best?.validationLoss)
        }
    }

    @Test func aConditionStopsAtTheFirstEpochItHoldsAndKeepsThoseWeights() throws {
        let start = try Self.playground(validation: 0.2)
        for condition in [StoppingRule.Condition(.trainAccuracy, .greaterOrEqual, 0.6), .init(.testLoss, .less, 0.9),
                          .init(.valAccuracy, .greater, 0.5)] {
            let expected = try Self.reference(start, patience: nil, condition: condition, max: 300)
            var p = start
            let outcome = try p.train(until: StoppingRule(condition: condition, maxEpochs: 300))
            #expect(outcome.reason == expected.reason, "\(condition.description)")
            #expect(p.progress.epoch == expected.epoch && p.network.parameters == expected.parameters)
            #expect(!outcome.training.interrupted && !outcome.restoredBest)
        }
        // a bound never met runs to max
        var p = start
        let outcome = try p.train(until: StoppingRule(condition: .init(.trainLoss, .less, -1), maxEpochs: 5))
        #expect(outcome.reason == .reachedMax && p.progress.epoch == 5)
    }

    @Test func patienceAtMaxPutsBackTheBestWeights() throws {
        let start = try Self.playground(validation: 0.3)
        let expected = try Self.reference(start, patience: 1000, condition: nil, max: 60)
        var p = start
        let outcome = try p.train(until: StoppingRule(patience: 1000, maxEpochs: 60))
        #expect(outcome.reason == .reachedMax && expected.reason == .reachedMax)
        #expect(p.network.parameters == expected.parameters)
        #expect(p.progress.epoch == 60)
    }

    @Test func ruleNeedsTheSetsItWatches() throws {
        var p = try Self.playground(validation: 0)
        #expect(throws: NNPlayError.self) { try p.train(until: StoppingRule(patience: 3, maxEpochs: 10)) }
        #expect(throws: NNPlayError.self) { try p.train(until: StoppingRule(condition: .init(.valLoss, .less, 1), maxEpochs: 10)) }
        try p.resplit(testFraction: 0, seed: 1)
        #expect(throws: NNPlayError.self) { try p.train(until: StoppingRule(condition: .init(.testLoss, .less, 1), maxEpochs: 10)) }
        #expect(p.progress.epoch == 0)
    }
}
