import Foundation
import Testing
@testable import NNPlayEngine

/// What `backprop` and `stats grads` show a learner must be right: the trace of one point agrees
/// with the scalar reference and with finite differences of the reference's loss, for every hidden
/// activation and every loss with each output it suits, 2 and 3 classes; the full-batch gradient
/// norms agree with the reference's at sizes that are not multiples of 8.
@Suite struct BackpropTraceTests {
    static let outputsForLoss = GradientCheckTests.outputsForLoss

    static func network(_ activation: Activation, _ output: OutputActivation, classes: Int, seed: UInt64) throws -> Network {
        var net = try Network(features: [.x, .y, .xy], hidden: [(5, activation), (3, activation)], classes: classes, output: output)
        net.initialize(.xavier, seed: seed)
        // biases away from 0, so that relu's kink and symmetric cases are not what is tested
        var rng = SeededGenerator(seed: seed, streamNumber: 9)
        for shape in net.layers { for j in 0..<shape.size { net.parameters[shape.biasOffset + j] = rng.nextUniform(-0.5, 0.5) } }
        return net
    }

    static func close(_ a: Double, _ b: Double, _ tolerance: Double = 1e-12) -> Bool {
        abs(a - b) <= tolerance * max(1, abs(a), abs(b))
    }

    @Test(arguments: [2, 3])
    func theTraceEqualsTheScalarReferenceForEveryActivationAndLoss(classes: Int) throws {
        var checked = 0
        for activation in Activation.allCases {
            for (loss, output) in Self.outputsForLoss
            where loss.incompatibility(with: output, outputCount: output.outputCount(classes: classes)) == nil {
                let net = try Self.network(activation, output, classes: classes, seed: 11)
                let reference = Reference(net, loss: loss)
                for (x, y, label) in [(1.3, -2.1, 0), (-0.7, 0.4, 1), (2.2, 1.9, classes - 1)] {
                    let trace = net.backpropTrace(x: x, y: y, label: label, loss: loss)
                    let pass = reference.forward(x: x, y: y)
                    let what = "\(activation) \(loss) \(output) \(classes) classes at (\(x), \(y)) class \(label)"
                    #expect(Self.close(trace.loss, reference.pointLoss(pass, label: label)), "\(what): loss")
                    let g = reference.gradient([reference.inputs(x: x, y: y)], [label])
                    #expect(trace.layers.count == net.layers.count)
                    for (l, layer) in trace.layers.enumerated() {
                        #expect(layer.index == l + 1)
                        #expect(zip(layer.z, pass.sums[l + 1]).allSatisfy { Self.close($0, $1) }, "\(what): z of layer \(l + 1)")
                        #expect(zip(layer.a, pass.activations[l + 1]).allSatisfy { Self.close($0, $1) }, "\(what): a of layer \(l + 1)")
                        #expect(zip(layer.biasGradient, g.b[l]).allSatisfy { Self.close($0, $1, 1e-10) }, "\(what): ∂C/∂b of layer \(l + 1)")
                        for (row, refRow) in zip(layer.weightGradient, g.w[l]) {
                            #expect(zip(row, refRow).allSatisfy { Self.close($0, $1, 1e-10) }, "\(what): ∂C/∂w of layer \(l + 1)")
                        }
                        // δ = ∂C/∂a · f′(z) wherever the layer has an f′ of its own
                        if let slope = layer.slope, !(l + 1 == net.layers.count && loss != .mse) {
                            for j in layer.delta.indices { #expect(Self.close(layer.delta[j], layer.dCda[j] * slope[j]), "\(what): δ") }
                        }
                    }
                    // the output's δ is the reference's, and ∂C/∂a of a hidden layer is Σⱼ wⱼᵢ δⱼ above it
                    let outDelta = reference.outputDelta(pass, label: label)
                    #expect(zip(trace.layers[trace.layers.count - 1].delta, outDelta).allSatisfy { Self.close($0, $1) }, "\(what): output δ")
                    checked += 1
                }
            }
        }
        #expect(checked >= Activation.allCases.count * 3 * 3)
    }

    @Test(arguments: [2, 3])
    func theTraceEqualsFiniteDifferencesOfTheReferenceLoss(classes: Int) throws {
        for activation in Activation.allCases {
            for (loss, output) in Self.outputsForLoss
            where loss.incompatibility(with: output, outputCount: output.outputCount(classes: classes)) == nil {
                let net = try Self.network(activation, output, classes: classes, seed: 5)
                let (x, y, label) = (0.9, -1.6, 1)
                let trace = net.backpropTrace(x: x, y: y, label: label, loss: loss)
                func lossWith(_ i: Int, _ shift: Double) -> Double {
                    var moved = net
                    moved.parameters[i] += shift
                    let r = Reference(moved, loss: loss)
                    return r.pointLoss(r.forward(x: x, y: y), label: label)
                }
                for (l, layer) in trace.layers.enumerated() {
                    let shape = net.layers[l]
                    for j in 0..<shape.size {
                        var pairs = [(shape.biasOffset + j, layer.biasGradient[j])]
                        for i in 0..<shape.inputs { pairs.append((shape.weightIndex(neuron: j, input: i), layer.weightGradient[j][i])) }
                        for (index, analytic) in pairs {
                            let h = 1e-5
                            let numeric = (lossWith(index, h) - lossWith(index, -h)) / (2 * h)
                            let error = abs(numeric - analytic) / max(1e-4, abs(numeric) + abs(analytic))
                            #expect(error < 1e-5, "\(activation) \(loss) \(output) \(classes) classes, parameter \(index): backprop \(analytic), numeric \(numeric)")
                        }
                    }
                }
            }
        }
    }

    @Test func theTraceEqualsTheBatchKernelsOnOnePoint() throws {
        let net = try Self.network(.tanh, .softmax, classes: 3, seed: 2)
        let data = try Dataset(xs: [0.4], ys: [-1.2], labels: [2], classCount: 3, testFraction: 0, seed: 1, origin: "one point")
        let kernels = net.gradient(on: data, indices: [0], loss: .ce)
        let trace = net.backpropTrace(x: 0.4, y: -1.2, label: 2, loss: .ce)
        var flat: [Double] = []
        for layer in trace.layers { flat += layer.weightGradient.flatMap { $0 } + layer.biasGradient }
        #expect(flat.count == kernels.count)
        #expect(zip(flat, kernels).allSatisfy { Self.close($0, $1, 1e-12) })
    }

    @Test func aSaturatedSigmoidOutputStillGivesAnExactDelta() throws {
        var net = try Network(features: [.x, .y], hidden: [], classes: 2)
        net.parameters = [50, 0, 0]   // z = 50·x: at x = 1, a rounds to 1
        let trace = net.backpropTrace(x: 1, y: 0, label: 0, loss: .bce)
        let out = trace.layers[0]
        #expect(out.delta[0] == out.a[0] - 0)
        #expect(out.delta[0].isFinite && trace.loss.isFinite)
        #expect(Self.close(trace.loss, 50, 1e-9))   // −log(1 − σ(50)) ≈ 50
        let right = net.backpropTrace(x: 1, y: 0, label: 1, loss: .bce)
        #expect(right.layers[0].dCda[0].isFinite, "no 0/0 where a = 1 and y = 1")
    }

    // MARK: Gradient norms

    @Test(arguments: [(17, 3, 5), (37, 5, 3), (250, 4, 2), (263, 9, 7)])
    func gradientNormsEqualTheReferenceFullBatchGradient(points: Int, first: Int, second: Int) throws {
        let data = try Dataset.generate(.spiral, count: points, noise: 0.2, classes: 3, testFraction: 0.3, seed: 4)
        var net = try Network(features: [.x, .y, .sinx], hidden: [(first, .relu), (second, .sigmoid)], classes: 3)
        net.initialize(.xavier, seed: 8)
        var settings = TrainingSettings()
        settings.loss = .ce
        let p = try Playground(dataset: data, network: net, settings: settings, initialize: false)
        let reference = Reference(net, loss: p.settings.loss)
        let train = data.trainIndices
        let g = reference.gradient(train.map { reference.inputs(x: data.xs[$0], y: data.ys[$0]) }, train.map { data.labels[$0] })
        let expected = g.w.map { layer in layer.flatMap { $0 }.map { $0 * $0 }.reduce(0, +).squareRoot() }
        let norms = p.gradientNorms
        #expect(norms.count == expected.count)
        for (a, b) in zip(norms, expected) { #expect(Self.close(a, b, 1e-10), "\(norms) vs \(expected)") }
    }

    @Test func withFullBatchesTheEpochsGradientNormsAreTheFullGradientsAtTheEpochsStart() throws {
        var p = Playground.makeDefault(seed: 3)
        var s = p.settings
        s.batchSize = 1000
        try p.updateSettings(s)
        var before: [[Double]] = []
        for _ in 0..<3 {
            before.append(p.gradientNorms)
            try p.train(.epochs(1))
        }
        let recorded = p.progress.history.map(\.gradientNorms)
        #expect(recorded.count == 3)
        for (a, b) in zip(recorded, before) {
            #expect(zip(a, b).allSatisfy { Self.close($0, $1, 1e-12) }, "\(a) vs \(b)")
        }
    }

    @Test func deadReluNeuronsAreThoseNeverActiveOnTheTrainingSet() throws {
        var p = Playground.makeDefault()
        let net = try p.network.withActivations(hidden: [.relu, .relu])
        _ = try p.replaceNetwork(net, initialize: true)
        // neuron 1.3 gets a bias so negative that it never fires
        try p.setParameter(p.network.layers[0].biasOffset + 2, to: -1000)
        let dead = p.deadNeurons
        #expect(dead[0].contains(2))
        // brute force: a neuron is dead when its sum is ≤ 0 at every training point
        for k in 1...p.network.hiddenCount {
            let expected = (0..<p.network.width(ofLayer: k)).filter { j in
                p.dataset.trainIndices.allSatisfy { i in p.network.trace(x: p.dataset.xs[i], y: p.dataset.ys[i])[k].sums[j] <= 0 }
            }
            #expect(dead[k - 1] == expected)
        }
        // a tanh net has no dead neurons to report
        #expect(Playground.makeDefault().deadNeurons.allSatisfy { $0.isEmpty })
    }

    // MARK: Step losses and hand-set weights

    @Test func withFullBatchesEachStepsLossIsTheTrainingLossBeforeIt() throws {
        var p = Playground.makeDefault(seed: 2)
        var s = p.settings
        s.batchSize = 1000
        try p.updateSettings(s)
        var expected: [Double] = []
        for _ in 0..<4 {
            expected.append(p.trainMetrics?.loss ?? .nan)
            try p.train(.steps(1))
        }
        #expect(p.progress.stepLosses.steps == [0, 1, 2, 3])
        #expect(zip(p.progress.stepLosses.losses, expected).allSatisfy { Self.close($0, $1, 1e-12) })
    }

    @Test func theStepLossLogStaysBoundedAndEvenlySpaced() {
        var log = StepLossLog()
        var t = 0
        while t < 100_000 {
            if log.wants(t) { log.record(step: t, loss: Double(t)) }
            t += 1
        }
        #expect(log.steps.count <= StepLossLog.limit)
        #expect(log.steps.count > StepLossLog.limit / 4)
        #expect(log.steps.first == 0)
        let gaps = Set(zip(log.steps.dropFirst(), log.steps).map { $0 - $1 })
        #expect(gaps == [log.stride], "evenly spaced")
        #expect(log.steps.last.map { 100_000 - $0 <= log.stride } ?? false, "reaches the end of the run")
        #expect(log.losses == log.steps.map(Double.init))
    }

    @Test func aWeightSetByHandIsUsedAndTrainingContinuesFromIt() throws {
        var p = Playground.makeDefault()
        try p.train(.epochs(2))
        let index = p.network.layers[0].weightIndex(neuron: 0, input: 1)
        try p.setParameter(index, to: 3.5)
        #expect(p.network.parameters[index] == 3.5)
        #expect(p.progress.epoch == 2)
        let z = p.network.trace(x: 0, y: 1)[1].sums[0]
        #expect(Self.close(z, 3.5 + p.network.parameters[p.network.layers[0].biasOffset]))
        for bad in [Double.infinity, -.infinity, .nan, 2e6] {
            #expect(throws: NNPlayError.self) { try p.setParameter(index, to: bad) }
        }
        #expect(throws: NNPlayError.self) { try p.setParameter(p.network.parameterCount, to: 1) }
        try p.train(.epochs(1))
        #expect(p.progress.epoch == 3)
    }
}
