import Foundation
import Testing
@testable import NNPlayEngine

/// The masked network as the scalar reference sees it: `masks[s][l][j]` multiplies hidden layer
/// l + 1's activation j for point s (1 = no dropout), in the forward pass (`forward(inputs:mask:)`)
/// and in the backward pass.
extension Reference {
    /// The mean loss of the points with their masks.
    func meanLoss(_ inputs: [[Double]], _ labels: [Int], masks: [[[Double]]]) -> Double {
        var total = 0.0
        for s in inputs.indices { total += pointLoss(forward(inputs: inputs[s], mask: masks[s]), label: labels[s]) }
        return total / Double(inputs.count)
    }

    /// The gradient of that mean loss, flat in parameter order.
    func gradient(_ inputs: [[Double]], _ labels: [Int], masks: [[[Double]]]) -> [Double] {
        var gw = weights.map { $0.map { $0.map { _ in 0.0 } } }
        var gb = biases.map { $0.map { _ in 0.0 } }
        let n = Double(inputs.count)
        for s in inputs.indices {
            let pass = forward(inputs: inputs[s], mask: masks[s])
            var delta = outputDelta(pass, label: labels[s])
            for l in stride(from: weights.count - 1, through: 0, by: -1) {
                let below = pass.activations[l]   // masked
                for j in weights[l].indices {
                    gb[l][j] += delta[j] / n
                    for i in weights[l][j].indices { gw[l][j][i] += delta[j] * below[i] / n }
                }
                if l > 0 {
                    let act = hidden[l - 1], zBelow = pass.sums[l], m = masks[s][l - 1]
                    var next = [Double](repeating: 0, count: below.count)
                    for i in below.indices {
                        var t = 0.0
                        for j in weights[l].indices { t += weights[l][j][i] * delta[j] }
                        next[i] = t * m[i] * Reference.df(act, zBelow[i])
                    }
                    delta = next
                }
            }
        }
        return Reference.flatten((gw, gb))
    }
}

@Suite struct DropoutTests {
    /// The 2-class spiral of LearningTests on 16 × 16 tanh, Adam at 0.01.
    static func spiral(seed: UInt64 = 1, dropout: [(layer: Int, rate: Double)]) throws -> Playground {
        let data = try Dataset.generate(.spiral, count: 500, noise: 0, classes: 2, testFraction: 0.5, seed: seed)
        var net = try Network(features: [.x, .y], hidden: [(16, .tanh), (16, .tanh)], classes: 2)
        for d in dropout { try net.setDropout(d.rate, layer: d.layer) }
        var s = TrainingSettings()
        s.optimizer = .adam
        s.learningRate = 0.01
        s.seed = seed
        return try Playground(dataset: data, network: net, settings: s)
    }

    /// Whether two playgrounds' parameters are the same bit for bit.
    static func same(_ a: Playground, _ b: Playground) -> Bool {
        a.network.parameters.map(\.bitPattern) == b.network.parameters.map(\.bitPattern)
    }

    @Test func rateZeroTrainsBitForBitAsNoDropoutAndDrawsNothing() throws {
        var plain = try Self.spiral(dropout: [])
        var zero = plain
        try zero.setDropout(0.5, layer: 2)
        try zero.setDropout(0, layer: 2)
        #expect(!zero.network.hasDropout)
        for settings in [(batch: 10, optimizer: Optimizer.adam), (7, .momentum), (250, .sgd)] {
            var s = plain.settings
            s.batchSize = settings.batch
            s.optimizer = settings.optimizer
            try plain.updateSettings(s)
            try zero.updateSettings(s)
            try plain.train(.epochs(5))
            try zero.train(.epochs(5))
            #expect(Self.same(plain, zero) == true)
            #expect(plain.progress == zero.progress)
        }
        #expect(zero.progress.dropoutGenerator == SeededGenerator(seed: 1, stream: .dropout))
        // and a dropout layer does change training
        var dropped = try Self.spiral(dropout: [(2, 0.5)])
        var undropped = try Self.spiral(dropout: [])
        try dropped.train(.epochs(2))
        try undropped.train(.epochs(2))
        #expect(Self.same(dropped, undropped) == false)
    }

    @Test func theSameSeedGivesTheSameWeightsAndAnotherSeedOthers() throws {
        var a = try Self.spiral(dropout: [(1, 0.5), (2, 0.5)])
        var b = a
        try a.train(.epochs(20))
        try b.train(.epochs(20))
        #expect(Self.same(a, b) == true)
        // in pieces, the masks go on where they stopped
        var pieces = try Self.spiral(dropout: [(1, 0.5), (2, 0.5)])
        try pieces.train(.steps(7))
        try pieces.train(.epochs(19))
        try pieces.train(.steps(25))
        #expect(pieces.progress.steps == a.progress.steps)
        #expect(Self.same(pieces, a) == true)
        // another seed for the masks alone (same data, initial weights and order): other weights
        var other = try Self.spiral(dropout: [(1, 0.5), (2, 0.5)])
        other.progress.dropoutGenerator = SeededGenerator(seed: 2, stream: .dropout)
        try other.train(.epochs(20))
        #expect(Self.same(other, a) == false)
        // another seed setting altogether
        var reseeded = try Self.spiral(seed: 2, dropout: [(1, 0.5), (2, 0.5)])
        try reseeded.train(.epochs(20))
        #expect(Self.same(reseeded, a) == false)
    }

    @Test(arguments: [1, 2, 3] as [UInt64])
    func theTwoClassSpiralStillLearnsWithDropoutOfHalfTheSecondLayer(seed: UInt64) throws {
        var p = try Self.spiral(seed: seed, dropout: [(2, 0.5)])
        try p.train(.epochs(600))
        let test = try #require(p.testMetrics)
        #expect(test.accuracyValue >= 0.85, "seed \(seed): test accuracy \(test.accuracyValue)")
        print("dropout 0.5 on layer 2, seed \(seed), 600 epochs: test accuracy \(test.accuracyValue), train loss \(p.trainMetrics?.loss ?? .nan)")
    }

    /// Networks that cover the kernels' paths: fused derivatives from a (tanh, sigmoid) and from z
    /// (relu, leaky-relu), unfused ones (swish, elu), layers narrower than 4 (dot-product gradients)
    /// and of 17 (two blocks of the transposed copy), softmax and one sigmoid output.
    static let networks: [(hidden: [(Int, Activation, Double)], classes: Int, loss: Loss)] = [
        ([(5, .tanh, 0.5), (9, .swish, 0.3), (4, .sigmoid, 0.2)], 3, .ce),
        ([(17, .leakyRelu, 0.4), (3, .tanh, 0), (6, .elu, 0.5)], 2, .bce),
        ([(6, .relu, 0.5), (2, .sigmoid, 0.5)], 2, .mse),
    ]

    /// The engine's training gradient of one batch with the masks it drew, and those masks.
    static func engineGradient(_ net: Network, loss: Loss, inputs: [[Double]], labels: [Int], seed: UInt64)
        throws -> (gradient: [Double], masks: [[[Double]]], sums: [[Double]]) {
        let n = inputs.count
        let ws = Workspace(network: net, capacity: n)
        let rows = inputs.flatMap { $0 }, order = Array(0..<n)
        rows.withUnsafeBufferPointer { r in
            order.withUnsafeBufferPointer { o in
                if let rb = r.baseAddress, let ob = o.baseAddress {
                    ws.loadInputs(rows: rb, featureCount: net.features.count, indices: ob, count: n)
                }
            }
        }
        let masks = try #require(DropoutMasks.make(network: net, workspace: ws))
        var rng = SeededGenerator(seed: seed, stream: .dropout)
        masks.draw(count: n, using: &rng)
        var gradient = [Double](repeating: .nan, count: net.parameterCount)
        net.parameters.withUnsafeBufferPointer { p in
            labels.withUnsafeBufferPointer { l in
                gradient.withUnsafeMutableBufferPointer { g in
                    guard let pb = p.baseAddress, let lb = l.baseAddress, let gb = g.baseAddress else { return }
                    net.forward(ws, count: n, parameters: pb, dropout: masks)
                    ws.loadTargets(labels: lb, count: n, for: net)
                    net.backward(ws, count: n, loss: loss, gradient: gb, parameters: pb, dropout: masks)
                }
            }
        }
        let perPoint = (0..<n).map { s in
            (1...net.hiddenCount).map { k in (0..<net.hiddenSizes[k - 1]).map { j in masks.value(hiddenLayer: k, neuron: j, point: s) } }
        }
        // the last hidden layer's sums, to check against the unmasked reference below
        let k = net.hiddenCount
        let sums = (0..<n).map { s in (0..<net.hiddenSizes[k - 1]).map { j in ws.sums[k][j * ws.stride + s] } }
        return (gradient, perPoint, sums)
    }

    static func batch(_ net: Network, count n: Int, seed: UInt64) -> (inputs: [[Double]], labels: [Int]) {
        var rng = SeededGenerator(seed: seed, stream: .test)
        let points = (0..<n).map { _ in (rng.nextUniform(-3, 3), rng.nextUniform(-3, 3), rng.nextIndex(below: net.classCount)) }
        return (points.map { p in net.features.map { Reference.feature($0, x: p.0, y: p.1) } }, points.map(\.2))
    }

    @Test(arguments: [17, 37])
    func theTrainingGradientWithAMaskEqualsTheMaskedScalarReferenceAndFiniteDifferences(points n: Int) throws {
        for (index, spec) in Self.networks.enumerated() {
            var net = try Network(features: [.x, .y, .xy], hidden: spec.hidden.map { (size: $0.0, activation: $0.1) }, classes: spec.classes)
            for (k, h) in spec.hidden.enumerated() { try net.setDropout(h.2, layer: k + 1) }
            net.initialize(.xavier, seed: UInt64(10 + index))
            for i in net.parameters.indices where !net.weightRanges.contains(where: { $0.contains(i) }) {
                net.parameters[i] = 0.1 * Double(i % 5) - 0.2   // biases off 0, so relu kinks are rare
            }
            let (inputs, labels) = Self.batch(net, count: n, seed: UInt64(n))
            let engine = try Self.engineGradient(net, loss: spec.loss, inputs: inputs, labels: labels, seed: UInt64(n + index))
            // the masks: 0 or 1/(1 − rate), about 1 − rate of them kept, none on layers without dropout
            for (k, h) in spec.hidden.enumerated() {
                let values = engine.masks.flatMap { $0[k] }
                let scale = 1 / (1 - h.2)
                #expect(values.allSatisfy { $0 == 0 || $0 == scale })
                let kept = Double(values.filter { $0 != 0 }.count) / Double(values.count)
                #expect(abs(kept - (1 - h.2)) < 0.2, "network \(index) layer \(k + 1): kept \(kept)")
            }
            let reference = Reference(net, loss: spec.loss)
            let expected = reference.gradient(inputs, labels, masks: engine.masks)
            var worst = 0.0
            for i in expected.indices {
                let error = abs(engine.gradient[i] - expected[i]) / max(1e-3, abs(expected[i]))
                worst = max(worst, error)
            }
            #expect(worst < 1e-10, "network \(index), \(n) points: largest relative difference from the masked reference \(worst)")
            // the sums were not masked (only the activations the next layer reads)
            let unmaskedBelow = reference.forward(inputs: inputs[n - 1], mask: engine.masks[n - 1]).sums[net.hiddenCount]
            for (j, z) in unmaskedBelow.enumerated() { #expect(abs(engine.sums[n - 1][j] - z) <= 1e-12 * max(1, abs(z))) }
            // finite differences of the masked loss (smooth networks only: relu has kinks)
            guard !spec.hidden.contains(where: { $0.1 == .relu }) else { continue }
            var fdWorst = 0.0
            var probe = reference
            let base = reference.parameters
            for i in base.indices {
                let h = 1e-6 * max(1, abs(base[i]))
                var up = base, down = base
                up[i] += h
                down[i] -= h
                probe.parameters = up
                let lossUp = probe.meanLoss(inputs, labels, masks: engine.masks)
                probe.parameters = down
                let lossDown = probe.meanLoss(inputs, labels, masks: engine.masks)
                let numeric = (lossUp - lossDown) / (2 * h)
                fdWorst = max(fdWorst, abs(numeric - engine.gradient[i]) / max(1e-4, abs(numeric) + abs(engine.gradient[i])))
            }
            #expect(fdWorst < 1e-5, "network \(index), \(n) points: finite differences differ by \(fdWorst)")
            print("dropout gradient, network \(index), \(n) points: reference \(worst), finite differences \(fdWorst)")
        }
    }

    @Test func masksArePaddedWithZerosAndTheMultiplyStaysInItsRows() throws {
        let net = try Network(features: [.x, .y], hidden: [(3, .tanh)], classes: 2)
        var dropped = net
        try dropped.setDropout(0.5, layer: 1)
        #expect(DropoutMasks.make(network: net, workspace: Workspace(network: net, capacity: 8)) == nil)
        for count in [1, 7, 8, 9, 13, 16, 17, 37] {
            let ws = Workspace(network: dropped, capacity: count + 5)
            let masks = try #require(DropoutMasks.make(network: dropped, workspace: ws))
            var rng = SeededGenerator(seed: 3, stream: .dropout)
            masks.draw(count: count, using: &rng)
            for j in 0..<3 {
                for s in count..<vectorLanes(count) { #expect(masks.value(hiddenLayer: 1, neuron: j, point: s) == 0) }
            }
            // x·m over whole vectors of `count` points: the rows' values, nothing past vectorLanes(count)
            let stride = ws.stride, sentinel = -7.5
            let x = UnsafeMutablePointer<Double>.allocate(capacity: 3 * stride + 16)
            defer { x.deallocate() }
            x.initialize(repeating: sentinel, count: 3 * stride + 16)
            for j in 0..<3 { for s in 0..<count { x[j * stride + s] = Double(j * 100 + s) } }
            let m = try #require(masks.mask(ofHiddenLayer: 1))
            LayerKernels.multiply(x, by: m, rows: 3, count: count, stride: stride)
            for j in 0..<3 {
                for s in 0..<count { #expect(x[j * stride + s] == Double(j * 100 + s) * masks.value(hiddenLayer: 1, neuron: j, point: s)) }
                for s in vectorLanes(count)..<stride { #expect(x[j * stride + s] == sentinel) }
            }
            for k in (3 * stride)..<(3 * stride + 16) { #expect(x[k] == sentinel) }
        }
    }

    @Test func evaluationPicturesTracesLandscapesAndGradcheckIgnoreDropout() throws {
        var p = try Self.spiral(dropout: [(1, 0.5), (2, 0.3)])
        try p.train(.epochs(5))
        var q = p
        try q.setDropout(0, layer: 1)
        try q.setDropout(0, layer: 2)
        #expect(q.network.parameters == p.network.parameters)
        #expect(p.trainMetrics == q.trainMetrics && p.testMetrics == q.testMetrics)
        #expect(p.progress.history.last?.train == p.trainMetrics)   // the epoch's record is measured without dropout
        #expect(p.gradientNorms == q.gradientNorms)
        #expect(p.gradientCheck() == q.gradientCheck())
        #expect(p.gradientCheck().maxRelativeError < 1e-6)
        #expect(p.network.trace(x: 0.3, y: -1.2) == q.network.trace(x: 0.3, y: -1.2))
        #expect(p.network.backpropTrace(x: 0.3, y: -1.2, label: 1, loss: .bce) == q.network.backpropTrace(x: 0.3, y: -1.2, label: 1, loss: .bce))
        #expect(p.network.confusion(on: p.dataset, indices: p.dataset.testIndices) == q.network.confusion(on: q.dataset, indices: q.dataset.testIndices))
        let a = try p.landscape(.random(seed: 1), span: 1, columns: 5, rows: 5)
        let b = try q.landscape(.random(seed: 1), span: 1, columns: 5, rows: 5)
        #expect(a.loss == b.loss)
        // the same answers twice: evaluation draws no masks
        #expect(p.trainMetrics == p.trainMetrics && p.progress.dropoutGenerator == p.progress.dropoutGenerator)
    }

    @Test func resizingAndActivationsKeepTheRateNewLayersStartWithout() throws {
        var net = try Network(features: [.x, .y], hidden: [(4, .tanh), (2, .tanh)], classes: 2)
        try net.setDropout(0.25, layer: 2)
        #expect(net.architecture == "x y → 4 tanh → 2 tanh (dropout 0.25) → 1 sigmoid")
        let resized = try net.reshaped(hidden: [(4, .tanh), (6, .relu)])
        #expect(resized.dropoutRates == [0, 0.25])
        #expect(try net.withActivations(hidden: [.relu, .relu]).dropoutRates == [0, 0.25])
        #expect(try net.reshaped(features: [.x, .y, .xy]).dropoutRates == [0, 0.25])
        #expect(try net.reshaped(hidden: [(4, .tanh)]).dropoutRates == [0])
        #expect(try net.reshaped(hidden: [(3, .tanh), (4, .tanh), (2, .tanh)], dropout: [0, 0, 0.25]).dropoutRates == [0, 0, 0.25])
        #expect(throws: NNPlayError.self) { try net.reshaped(hidden: [(3, .tanh)], dropout: [0, 0.5]) }
        #expect(throws: NNPlayError.self) { try net.reshaped(dropout: [0, 1]) }
        // a new class count keeps the hidden layers and their rates
        var p = Playground.makeDefault()
        try p.setDropout(0.5, layer: 1)
        let weights = p.network.parameters
        #expect(p.network.parameters == weights)
        try p.replaceDataset(try Dataset.generate(.spiral, count: 90, noise: 0, classes: 3, seed: 1))
        #expect(p.network.dropoutRates == [0.5, 0])
    }

    @Test func ratesOutsideZeroToOneAndLayersThatAreNotHiddenAreRefused() throws {
        var net = try Network(features: [.x, .y], hidden: [(4, .tanh)], classes: 2)
        for bad in [1, 1.5, -0.1, -0.0000001, .infinity, -.infinity, .nan] {
            #expect(throws: NNPlayError.self) { try net.setDropout(bad, layer: 1) }
        }
        for layer in [0, 2, -1] {
            #expect(throws: NNPlayError.self) { try net.setDropout(0.5, layer: layer) }
        }
        #expect(net.dropoutRates == [0])
        try net.setDropout(0.999, layer: 1)
        #expect(net.dropoutRates == [0.999])
        do { try net.setDropout(1, layer: 1) } catch let e as NNPlayError {
            #expect(e.message == "dropout rate 1 is out of range: a dropout rate is in [0, 1) (0 = off)")
        }
    }

    @Test func modelFilesKeepTheRatesAndOlderFilesLoadWithout() throws {
        var p = try Self.spiral(dropout: [(2, 0.3)])
        try p.train(.epochs(2))
        let text = ModelFile(network: p.network, settings: p.settings).encoded()
        #expect(text.contains("\"dropout\": 0.3"))
        #expect(text.components(separatedBy: "\"dropout\"").count == 2)   // only the layer that has one
        let back = try ModelFile.decode(text)
        #expect(back.network == p.network)
        #expect(back.network.dropoutRates == [0, 0.3])
        #expect(ModelFile(network: back.network, settings: back.settings).encoded() == text)
        // a model without dropout writes no key (as before), and a file without the key has none
        let plain = ModelFile(network: Playground.makeDefault().network, settings: TrainingSettings()).encoded()
        #expect(!plain.contains("dropout"))
        #expect(try ModelFile.decode(plain).network.dropoutRates == [0, 0])
        // an explicit 0 reads as none
        let zero = plain.replacingOccurrences(of: "\"activation\": \"tanh\",", with: "\"activation\": \"tanh\", \"dropout\": 0,")
        #expect(try ModelFile.decode(zero).network.dropoutRates == [0, 0])
        let bad: [(String, String)] = [
            ("\"dropout\": 1,", "layer 1: \"dropout\" is 1: a dropout rate is a number in [0, 1) (0 = off)"),
            ("\"dropout\": -0.5,", "layer 1: \"dropout\" is -0.5: a dropout rate is a number in [0, 1) (0 = off)"),
            ("\"dropout\": \"half\",", "layer 1: \"dropout\" is \"half\": a dropout rate is a number in [0, 1) (0 = off)"),
            ("\"dropout\": null,", "layer 1: \"dropout\" is null: a dropout rate is a number in [0, 1) (0 = off)"),
        ]
        for (key, message) in bad {
            let file = plain.replacingOccurrences(of: "{ \"size\": 4, \"activation\": \"tanh\",", with: "{ \"size\": 4, \"activation\": \"tanh\", \(key)")
            #expect(file != plain)
            do {
                _ = try ModelFile.decode(file)
                Issue.record("\(key) was accepted")
            } catch let e as NNPlayError {
                #expect(e.message == message)
            }
        }
        let output = plain.replacingOccurrences(of: "\"activation\": \"sigmoid\",", with: "\"activation\": \"sigmoid\", \"dropout\": 0.5,")
        #expect(output != plain)
        #expect(throws: NNPlayError("layer 3 (output): \"dropout\" is for hidden layers only, not the output layer")) { try ModelFile.decode(output) }
    }
}
