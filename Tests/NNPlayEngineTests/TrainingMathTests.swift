import Foundation
import Testing
@testable import NNPlayEngine

/// The training math of SPEC.md, checked against a tiny independent implementation written the
/// plainest way (nested arrays, one point at a time, the textbook formulas), like micrograd's tests:
/// `Reference` in ScalarReference.swift.
@Suite struct TrainingMathTests {
    static func setup(_ hidden: Activation, _ output: OutputActivation, _ loss: Loss, classes: Int) throws -> Playground {
        let data = try Dataset.generate(.gauss, count: 40, noise: 0.4, classes: classes, testFraction: 0, seed: 3)
        let net = try Network(features: [.x, .y], hidden: [(3, hidden), (5, hidden)], classes: classes, output: output)
        var s = TrainingSettings()
        s.loss = loss
        s.batchSize = 40     // one step = one full batch, so the reference sees the same points
        s.learningRate = 0.1
        return try Playground(dataset: data, network: net, settings: s)
    }

    static func flatten(_ g: (w: [[[Double]]], b: [[Double]])) -> [Double] { Reference.flatten(g) }

    static func inputsAndLabels(_ p: Playground) -> ([[Double]], [Int]) {
        let idx = p.dataset.trainIndices
        return (idx.map { [p.dataset.xs[$0], p.dataset.ys[$0]] }, idx.map { p.dataset.labels[$0] })
    }

    @Test(arguments: [
        (Activation.tanh, OutputActivation.sigmoid, Loss.bce, 2), (.relu, .softmax, .ce, 3), (.sigmoid, .tanh, .mse, 2),
        (.tanh, .linear, .mse, 3), (.tanh, .softmax, .mse, 3), (.relu, .sigmoid, .mse, 2),
    ])
    func oneSGDStepIsWMinusLearningRateTimesTheMeanGradient(hidden: Activation, output: OutputActivation, loss: Loss, classes: Int) throws {
        // batches that fill whole vectors, and batches whose rows end inside one (the kernels' tails)
        for batch in [40, 10, 13, 3] {
            var p = try Self.setup(hidden, output, loss, classes: classes)
            var s = p.settings
            s.batchSize = batch
            try p.updateSettings(s)
            let ref = Reference(p.network, loss: loss)
            let before = p.network.parameters
            try p.step()
            let points = Array(p.progress.order.prefix(batch))   // the batch the step used
            let x = points.map { [p.dataset.xs[$0], p.dataset.ys[$0]] }, y = points.map { p.dataset.labels[$0] }
            let expectedGradient = Self.flatten(ref.gradient(x, y))
            for i in before.indices {
                let expected = before[i] - 0.1 * expectedGradient[i]
                #expect(abs(p.network.parameters[i] - expected) <= 1e-13 * max(1, abs(expected)),
                        "batch \(batch), parameter \(i): \(p.network.parameters[i]) vs \(expected)")
            }
        }
    }

    @Test(arguments: [Regularization.l1, .l2])
    func regularisationAddsRateTimesTheGradientOfRToWeightsButNotBiases(reg: Regularization) throws {
        var p = try Self.setup(.tanh, .sigmoid, .bce, classes: 2)
        var s = p.settings
        s.regularization = reg
        s.regularizationRate = 0.05
        try p.updateSettings(s)
        let grad = Self.flatten(Reference(p.network, loss: .bce).gradient(Self.inputsAndLabels(p).0, Self.inputsAndLabels(p).1))
        let before = p.network.parameters
        var isWeight = [Bool](repeating: false, count: before.count)
        for r in p.network.weightRanges { for i in r { isWeight[i] = true } }
        try p.step()
        for i in before.indices {
            let w = before[i]
            let penalty = isWeight[i] ? 0.05 * (reg == .l2 ? w : (w > 0 ? 1 : -1)) : 0
            let expected = w - 0.1 * (grad[i] + penalty)
            #expect(abs(p.network.parameters[i] - expected) <= 1e-13)
        }
        var r = 0.0
        for i in p.network.weightRanges.flatMap({ $0 }) {
            let w = p.network.parameters[i]
            r += reg == .l2 ? 0.5 * w * w : abs(w)
        }
        #expect(abs(p.regularizationLoss - 0.05 * r) < 1e-12)
    }

    @Test func momentumAndAdamFollowTheirFormulas() throws {
        for optimizer in [Optimizer.momentum, .adam] {
            var p = try Self.setup(.tanh, .sigmoid, .bce, classes: 2)
            var s = p.settings
            s.optimizer = optimizer
            try p.updateSettings(s)
            var w = p.network.parameters
            var m = [Double](repeating: 0, count: w.count), v = m
            for t in 1...3 {
                let ref = Reference(p.network, loss: .bce)   // the engine's weights at this step
                let g = Self.flatten(ref.gradient(Self.inputsAndLabels(p).0, Self.inputsAndLabels(p).1))
                for i in w.indices {
                    if optimizer == .momentum {
                        m[i] = 0.9 * m[i] + g[i]
                        w[i] -= 0.1 * m[i]
                    } else {
                        m[i] = 0.9 * m[i] + 0.1 * g[i]
                        v[i] = 0.999 * v[i] + 0.001 * g[i] * g[i]
                        let mh = m[i] / (1 - pow(0.9, Double(t))), vh = v[i] / (1 - pow(0.999, Double(t)))
                        w[i] -= 0.1 * mh / (vh.squareRoot() + 1e-8)
                    }
                }
                try p.step()
                for i in w.indices { #expect(abs(p.network.parameters[i] - w[i]) <= 1e-12, "\(optimizer) step \(t)") }
            }
        }
    }

    @Test func lossValuesAreTheMeanPerPointLoss() throws {
        // one sigmoid output with bce: loss = mean of −[y log p + (1−y) log(1−p)]
        let p = try Self.setup(.tanh, .sigmoid, .bce, classes: 2)
        var total = 0.0
        for i in p.dataset.trainIndices {
            let out = p.network.predict(x: p.dataset.xs[i], y: p.dataset.ys[i])[0]
            let y = Double(p.dataset.labels[i])
            total += -(y * log(out) + (1 - y) * log(1 - out))
        }
        let metrics = try #require(p.trainMetrics)
        #expect(abs(metrics.loss - total / Double(p.dataset.trainIndices.count)) < 1e-12)
    }

    @Test func theForwardTraceShowsEveryLayersSumsAndActivations() throws {
        var net = try Network(features: [.x, .y], hidden: [(2, .relu)], classes: 2)
        // hidden: z1 = x − y + 0.5, z2 = 2y; output: z = z1' − a2 (sigmoid)
        net.parameters = [1, -1, 0, 2, 0.5, 0, 1, -1, 0]
        let trace = net.trace(x: 1, y: 2)
        #expect(trace.count == 3)
        #expect(trace[0].activations == [1, 2])
        #expect(trace[1].sums == [-0.5, 4] && trace[1].activations == [0, 4])
        #expect(trace[2].sums == [-4])
        #expect(abs(trace[2].activations[0] - 1 / (1 + exp(4))) < 1e-15)
        #expect(net.predictClass(x: 1, y: 2) == 0)
    }
}
