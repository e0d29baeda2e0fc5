import Foundation
import Testing
@testable import NNPlayEngine

/// Editing the data point by point (`data add`, `data remove`) and the cosine features.
@Suite struct PointEditingTests {
    /// A playground on `count` circle points, all of them for training unless `test` says otherwise.
    func playground(count: Int, test: Double = 0, batch: Int = 10) throws -> Playground {
        var p = try Playground(dataset: Dataset.generate(.circle, count: count, testFraction: test, seed: 3),
                               network: Network(features: [.x, .y], hidden: [(4, .tanh)], classes: 2),
                               settings: TrainingSettings())
        var s = p.settings
        s.batchSize = batch
        try p.updateSettings(s)
        return p
    }

    @Test func addingPutsThePointInTheChosenSetAndKeepsTheOthers() throws {
        var data = try Dataset.generate(.circle, count: 100, seed: 2)
        let before = data
        try data.addPoint(x: 1.5, y: -2, label: 1, toTest: false)
        try data.addPoint(x: -0.25, y: 3, label: 0, toTest: true)
        #expect(data.count == 102)
        #expect(data.trainIndices.count == 51 && data.testIndices.count == 51)
        #expect(data.trainIndices.last == 100 && data.testIndices.last == 101)
        #expect(Array(data.xs.prefix(100)) == before.xs && Array(data.labels.prefix(100)) == before.labels)
        #expect(data.xs.suffix(2) == [1.5, -0.25] && data.ys.suffix(2) == [-2, 3] && data.labels.suffix(2) == [1, 0])
        #expect(data.origin == "circle n=100 noise=0 +2 added")
        #expect(data.frame == .standard)
        #expect(data.testFraction == before.testFraction)
        // a point beyond the frame widens it
        try data.addPoint(x: 9, y: 0, label: 0, toTest: false)
        #expect(data.frame.contains(x: 9, y: 0) && data.frame.contains(x: -4.9, y: 4.9))
    }

    @Test func addingRefusesWhatTheDataCannotHoldAndChangesNothing() throws {
        var data = try Dataset.generate(.circle, count: 100, seed: 2)
        let before = data
        for (x, y, label) in [(Double.nan, 0.0, 0), (0, .infinity, 0), (1e13, 0, 0), (0, -2e12, 1), (0, 0, 2), (0, 0, -1)] {
            #expect(throws: NNPlayError.self) { try data.addPoint(x: x, y: y, label: label, toTest: false) }
        }
        #expect(data == before)
        try data.addPoint(x: 1e12, y: -1e12, label: 1, toTest: false)   // the bound itself, as CSV files allow
        #expect(data.count == 101)
    }

    @Test func labelsAreClassNumbersOrNames() throws {
        let numbered = try Dataset.generate(.gauss, count: 30, classes: 3)
        #expect(numbered.classIndex(forLabel: "2") == 2)
        #expect(numbered.classIndex(forLabel: "3") == nil)
        #expect(numbered.classIndex(forLabel: "-1") == nil)
        #expect(numbered.labelsAccepted == "0…2")
        let named = try Dataset(xs: [0, 1, 2, 3], ys: [0, 1, 2, 3], labels: [0, 1, 2, 1], classCount: 3,
                                classNames: ["cat", "Dog", "dog"], testFraction: 0, seed: 1, origin: "file pets.csv")
        #expect(named.classIndex(forLabel: "cat") == 0)
        #expect(named.classIndex(forLabel: "CAT") == 0)        // ignoring case when that picks one class
        #expect(named.classIndex(forLabel: "dog") == 2)        // an exact name first
        #expect(named.classIndex(forLabel: "DOG") == nil)      // two classes ignoring case: neither
        #expect(named.classIndex(forLabel: "1") == 1)
        #expect(named.labelsAccepted == "\"cat\", \"Dog\", \"dog\" (or 0…2)")
    }

    @Test func removingTakesTheNearestPointOrThoseWithinTheRadiusFromBothSets() throws {
        var data = try Dataset.generate(.circle, count: 200, seed: 5)
        let before = data
        // the nearest point, wherever it is
        let nearest = data.xs.indices.min { hypot(data.xs[$0] - 1, data.ys[$0] - 2) < hypot(data.xs[$1] - 1, data.ys[$1] - 2) } ?? -1
        let one = try data.removePoints(nearX: 1, y: 2, radius: nil)
        #expect(one.points.count == 1 && one.points[0].x == before.xs[nearest] && one.points[0].y == before.ys[nearest])
        #expect(one.train + one.test == 1 && one.points[0].wasTest == before.testIndices.contains(nearest))
        #expect(data.count == 199 && data.trainIndices.count + data.testIndices.count == 199)
        // within a radius, edge included
        let inside = data.xs.indices.filter { hypot(data.xs[$0], data.ys[$0]) <= 2 }
        let insideTest = inside.filter { data.testIndices.contains($0) }.count
        #expect(inside.count > 5 && insideTest > 0 && insideTest < inside.count)
        let trainBefore = data.trainIndices.count, testBefore = data.testIndices.count
        let many = try data.removePoints(nearX: 0, y: 0, radius: 2)
        #expect(many.points.count == inside.count && many.test == insideTest && many.train == inside.count - insideTest)
        #expect(data.trainIndices.count == trainBefore - many.train && data.testIndices.count == testBefore - many.test)
        #expect(data.xs.indices.allSatisfy { hypot(data.xs[$0], data.ys[$0]) > 2 })
        // the others keep their order and sets; indices stay ascending and cover every point once
        #expect(data.trainIndices == data.trainIndices.sorted() && data.testIndices == data.testIndices.sorted())
        #expect(Set(data.trainIndices + data.testIndices) == Set(data.xs.indices))
        #expect(data.origin == "circle n=200 noise=0 -\(1 + inside.count) removed")
        #expect(data.frame == before.frame)
        // radius 0: exactly at the point
        let p = (data.xs[0], data.ys[0])
        #expect(try data.removePoints(nearX: p.0, y: p.1, radius: 0).points.count == 1)
    }

    @Test func removingRefusesNothingFoundTheLastTrainingPointAndAClassesLastPoint() throws {
        var data = try Dataset.generate(.circle, count: 100, seed: 5)
        let before = data
        #expect { try data.removePoints(nearX: 0, y: 0, radius: 1e-9) } throws: { error in
            let m = (error as? NNPlayError)?.message ?? ""
            return m.hasPrefix("no point lies within radius=1e-09 of (0, 0); the nearest, (") && m.hasSuffix(" away: nothing was removed")
        }
        #expect { try data.removePoints(nearX: 0, y: 0, radius: 100) } throws: { error in
            (error as? NNPlayError)?.message.hasPrefix("that would remove all 50 training points") == true
        }
        #expect { try data.removePoints(nearX: 0, y: 0, radius: 2.6) } throws: { error in   // the inner disc: class 1
            (error as? NNPlayError)?.message.hasPrefix("that would remove the last point of class 1") == true
        }
        #expect(throws: NNPlayError.self) { try data.removePoints(nearX: .nan, y: 0, radius: nil) }
        #expect(throws: NNPlayError.self) { try data.removePoints(nearX: 0, y: 0, radius: -1) }
        #expect(throws: NNPlayError.self) { try data.removePoints(nearX: 0, y: 0, radius: .infinity) }
        #expect(data == before)
        // test-only data (to measure a model) may lose test points
        var measured = try Dataset.generate(.circle, count: 100, testFraction: 1, seed: 5)
        try measured.removePoints(nearX: 0, y: 0, radius: 1)
        #expect(measured.trainIndices.isEmpty && measured.testIndices.count == measured.count && measured.count < 100)
    }

    @Test(arguments: [(17, 3, 10), (17, 3, 17), (17, 3, 64), (10, 1, 3), (33, 31, 8)])
    func trainingGoesOnAfterAnAddMidEpoch(count: Int, added: Int, batch: Int) throws {
        var p = try playground(count: count, batch: batch)
        try p.train(.steps(1))                                   // part of an epoch done
        let weights = p.network.parameters, epoch = p.progress.epoch
        for i in 0..<added { try p.addPoint(x: Double(i) * 0.3 - 1, y: 0.5, label: i % 2, toTest: false) }
        #expect(p.progress.position == 0 && p.progress.epoch == epoch && p.network.parameters == weights)
        let n = count + added
        #expect(p.stepsPerEpoch == (n + min(batch, n) - 1) / min(batch, n))
        let outcome = try p.train(.epochs(2))
        #expect(outcome.epochs == 2 && outcome.steps == 2 * p.stepsPerEpoch && outcome.divergence == nil)
        #expect(p.progress.position == 0 && p.trainMetrics?.loss.isFinite == true)
        // every training point was visited: the epoch's order is a permutation of the new training set
        #expect(p.progress.order.sorted() == p.dataset.trainIndices)
    }

    @Test func trainingGoesOnAfterARemovalLeavesFewerPointsThanTheEpochHadUsed() throws {
        var p = try playground(count: 40, batch: 7)
        try p.train(.steps(4))                                   // 28 of the 40 points used
        #expect(p.progress.position == 28)
        let removal = try p.removePoints(nearX: -5, y: 0, radius: 6)
        #expect(p.dataset.trainIndices.count == 40 - removal.train && p.dataset.trainIndices.count < 28)
        #expect(p.progress.position == 0)
        let outcome = try p.train(.epochs(3))
        #expect(outcome.epochs == 3 && outcome.divergence == nil)
        #expect(p.progress.order.sorted() == p.dataset.trainIndices)
    }

    @Test func anEditedPlaygroundTrainsTheSameAsOneMadeOfTheSamePoints() throws {
        // after an edit, training is a function of the points, the weights and the shuffle's state
        var p = try playground(count: 30, batch: 4)
        try p.train(.epochs(2))
        try p.addPoint(x: 0.5, y: 0.5, label: 1, toTest: false)
        try p.removePoints(nearX: 4, y: 4, radius: nil)
        var q = p
        try p.train(.epochs(3))
        try q.train(.steps(3 * q.stepsPerEpoch))
        #expect(p.network.parameters.map(\.bitPattern) == q.network.parameters.map(\.bitPattern))
    }

    @Test func cosineFeaturesAreTheCosinesOfTheCoordinates() throws {
        for (x, y) in [(0.0, 0.0), (1.5, -2), (-5.25, 3.125), (1e6, -1e-6)] {
            #expect(Feature.cosx.value(x: x, y: y) == Foundation.cos(x))
            #expect(Feature.cosy.value(x: x, y: y) == Foundation.cos(y))
        }
        #expect(Feature(name: "COSX") == .cosx && Feature.cosy.formula == "cos(y)")
        let data = try Dataset.generate(.circle, count: 20)
        let rows = data.featureRows([3, 7], features: [.cosx, .x, .cosy])
        #expect(rows == [cos(data.xs[3]), data.xs[3], cos(data.ys[3]), cos(data.xs[7]), data.xs[7], cos(data.ys[7])])
    }

    @Test func aNetworkOnCosinesAloneLearnsMostOfTheCircle() throws {
        // cos x + cos y is high in the inner disc and low on most of the ring; cos is not one-to-one
        // on [-5, 5], so points of the ring near the axes (cos 5 ≈ 0.28) stay hard: about 85 %
        var p = try Playground(dataset: Dataset.generate(.circle, count: 400, seed: 2),
                               network: Network(features: [.cosx, .cosy], hidden: [(3, .tanh)], classes: 2),
                               settings: TrainingSettings())
        let start = try #require(p.trainMetrics)
        try p.train(.epochs(60))
        let end = try #require(p.trainMetrics), test = try #require(p.testMetrics)
        #expect(end.loss < start.loss / 2, "\(start.loss) → \(end.loss)")
        #expect(test.accuracyValue > 0.8, "test accuracy \(test.accuracyValue)")
        #expect(p.gradientCheck().maxRelativeError < 1e-6)
    }
}
