import Foundation
import Testing
@testable import NNPlayEngine

/// The training step for networks of at most 8 neurons a layer (`NarrowStep`) against the general
/// forward and backward passes: the same gradient and outputs bit for bit, at every point count
/// around the vector and block sizes, for every shape it takes.
@Suite struct NarrowStepTests {
    static let supported: [Activation] = [.tanh, .sigmoid, .relu, .leakyRelu, .linear]

    /// One comparison: the general passes and the narrow step on the same points, parameters and
    /// targets. Returns nil when they agree bit for bit, else what differed.
    static func difference(_ shape: SweepShape, count: Int, capacity: Int, rng: inout SweepRandom) throws -> String? {
        let net = try shape.network()
        guard let narrow = NarrowStep(network: net, capacity: capacity, dropout: false) else { return "not taken" }
        let ref = Reference(net, loss: shape.loss)
        let points = SizeSweepTests.points(&rng, count, classes: shape.classes)
        let general = Workspace(network: net, capacity: capacity), lanes = Workspace(network: net, capacity: capacity)
        // the points' feature rows in reverse order, gathered by index (as the trainer does)
        var rows: [Double] = []
        for p in points.reversed() { rows += ref.inputs(x: p.x, y: p.y) }
        let indices = points.indices.map { points.count - 1 - $0 }
        general.loadInputs(rows: rows, featureCount: net.features.count, indices: indices, count: count)
        rows.withUnsafeBufferPointer { r in
            indices.withUnsafeBufferPointer { i in
                if let rb = r.baseAddress, let ib = i.baseAddress { narrow.loadInputs(lanes, rows: rb, indices: ib, count: count) }
            }
        }
        for ws in [general, lanes] { ws.loadTargets(labels: points.map(\.label), for: net) }
        // the parameters with the slack the step may read (non-zero: what it reads there must not matter)
        var parameters = net.parameters + (0..<NarrowStep.parameterSlack).map { _ in rng.double(-3...3) }
        var expected = [Double](repeating: .nan, count: net.parameterCount)
        var gradient = [Double](repeating: .nan, count: net.parameterCount)   // every entry must be written
        parameters.withUnsafeMutableBufferPointer { p in
            guard let base = p.baseAddress else { return }
            net.forward(general, count: count, parameters: base, dropout: nil)
            net.backward(general, count: count, loss: shape.loss, gradient: &expected, parameters: base, dropout: nil)
            narrow.run(lanes, count: count, loss: shape.loss, gradient: &gradient, parameters: base)
        }
        for i in expected.indices where expected[i].bitPattern != gradient[i].bitPattern {
            return "gradient \(i): \(gradient[i]) against \(expected[i])"
        }
        let top = net.layers.count, c = general.stride
        for j in 0..<net.outputCount {
            for s in 0..<count where general.activations[top][j * c + s].bitPattern != lanes.activations[top][j * c + s].bitPattern {
                return "output \(j) of point \(s): \(lanes.activations[top][j * c + s]) against \(general.activations[top][j * c + s])"
            }
        }
        return nil
    }

    @Test func theNarrowStepEqualsTheGeneralPassesBitForBit() throws {
        var rng = SweepRandom(seed: 808)
        let counts = [1, 2, 3, 4, 5, 7, 8, 9, 10, 11, 13, 15, 16, 17, 19, 23, 24, 25, 31, 32, 33, 47, 63, 64, 65, 100, 127, 129]
        var activations = Set<Activation>(), widths = Set<Int>(), outputs = Set<Int>(), pairs = Set<String>()
        for run in 0..<240 {
            var shape = SweepShape.draw(&rng, budget: 10_000, depth: 1...4, activations: Self.supported)
            shape.widths = shape.widths.map { _ in rng.int(1...8) }
            shape.features = Array(shape.features.prefix(rng.int(1...8)))
            let count = run < counts.count ? counts[run] : rng.int(1...140)
            let capacity = rng.int(0...2) == 0 ? count + rng.int(1...20) : count
            let problem = try Self.difference(shape, count: count, capacity: capacity, rng: &rng)
            #expect(problem == nil, "points=\(count) capacity=\(capacity) \(shape): \(problem ?? "")")
            activations.formUnion(shape.activations)
            widths.formUnion(shape.widths)
            outputs.insert(shape.outputCount)
            pairs.insert(shape.pairKey)
        }
        #expect(activations == Set(Self.supported))
        #expect(widths == Set(1...8))
        #expect(outputs.contains(1) && outputs.contains { $0 > 1 })
        #expect(pairs == SweepShape.allPairKeys, "pairs not drawn: \(SweepShape.allPairKeys.subtracting(pairs))")
    }

    @Test func trainingGivesTheSameModelWithOrWithoutTheNarrowStep() throws {
        // three epochs through the trainer, with the narrow step and with the general passes: the
        // same parameters bit for bit, for classification and regression, every optimiser kind,
        // both penalties, and batches of 1, 7, 13 and 64 (the last batch of an epoch is smaller).
        // The narrow step updates the whole parameter vector at the end of a step; the general
        // passes update each layer as soon as its gradient is complete (weights and biases apart,
        // runs not a multiple of 8 long): this also holds those two updates to the same arithmetic.
        var rng = SweepRandom(seed: 17)
        let points = SizeSweepTests.points(&rng, 203, classes: 3)
        let classes2 = try SizeSweepTests.dataset(points.map { ReferencePoint(x: $0.x, y: $0.y, label: $0.label % 2) }, classes: 2)
        let classes3 = try SizeSweepTests.dataset(points, classes: 3)
        let regression = try Dataset(xs: points.map(\.x), ys: points.map(\.y), values: points.map { sin($0.x) + 0.1 * $0.y },
                                     testFraction: 0.25, seed: 3, origin: "narrow")
        typealias Case = (data: Dataset, features: [Feature], hidden: [(size: Int, activation: Activation)], classes: Int,
                          output: OutputActivation, loss: Loss, optimizer: Optimizer, batch: Int, reg: Regularization)
        let cases: [Case] = [
            (classes2, [.x, .y], [(8, .tanh), (3, .relu)], 2, .sigmoid, .bce, .adam, 13, .l2),
            (regression, [.x, .y, .sinx], [(6, .tanh), (4, .sigmoid)], 1, .linear, .mse, .momentum, 7, .none),
            (classes3, [.x, .y], [(5, .leakyRelu), (2, .linear)], 3, .softmax, .ce, .sgd, 1, .l1),
            (classes3, [.x, .y, .xy, .x2], [(8, .sigmoid), (8, .tanh), (7, .relu)], 3, .softmax, .ce, .rmsprop, 64, .none),
            (classes2, [.x, .y], [(7, .tanh), (5, .tanh)], 2, .sigmoid, .bce, .adagrad, 10, .l2),
            (regression, [.x, .y], [(3, .relu)], 1, .linear, .mse, .nesterov, 9, .l1),
        ]
        for c in cases {
            let net = try Network(features: c.features, hidden: c.hidden, classes: c.classes, output: c.output)
            var settings = SizeSweepTests.settings(loss: c.loss, optimizer: c.optimizer, batch: c.batch, lr: 0.01,
                                                   reg: c.reg, rate: c.reg == .none ? 0 : 0.001)
            settings.seed = 9
            func trained(narrow: Bool) throws -> [UInt64] {
                var p = try Playground(dataset: c.data, network: net, settings: settings, initialize: true)
                let initial = p.network.parameters
                let run = TrainingRun(p, narrowStep: narrow)
                #expect(run.takesNarrowStep == narrow)
                _ = run.train(steps: 3 * p.stepsPerEpoch, control: TrainingControl())
                run.finish(into: &p)
                #expect(p.network.parameters != initial, "it trained")
                return p.network.parameters.map(\.bitPattern)
            }
            #expect(try trained(narrow: true) == trained(narrow: false), "\(c.hidden) \(c.output) \(c.optimizer) batch \(c.batch)")
        }
    }

    @Test func networksItCannotRunTakeTheGeneralPasses() throws {
        func net(_ hidden: [(Int, Activation)], features: [Feature] = [.x, .y]) throws -> Network {
            try Network(features: features, hidden: hidden.map { (size: $0.0, activation: $0.1) }, classes: 2, output: .sigmoid)
        }
        #expect(NarrowStep(network: try net([(8, .tanh), (8, .tanh)]), capacity: 10, dropout: false) != nil)
        #expect(NarrowStep(network: try net([(9, .tanh)]), capacity: 10, dropout: false) == nil)
        #expect(NarrowStep(network: try net([(4, .swish)]), capacity: 10, dropout: false) == nil)
        #expect(NarrowStep(network: try net([(4, .tanh)]), capacity: 10, dropout: true) == nil)
        #expect(NarrowStep(network: try net([]), capacity: 10, dropout: false) == nil)
        #expect(NarrowStep(network: try net([(4, .tanh)], features: Feature.allCases), capacity: 10, dropout: false) == nil)
    }
}
