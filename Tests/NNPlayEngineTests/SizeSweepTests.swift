import Foundation
import Testing
@testable import NNPlayEngine

/// SplitMix64: the sweeps' own seeded generator, so the drawn shapes do not change when the
/// engine's generator does.
struct SweepRandom: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func int(_ range: ClosedRange<Int>) -> Int { Int.random(in: range, using: &self) }
    mutating func double(_ range: ClosedRange<Double>) -> Double { Double.random(in: range, using: &self) }
    mutating func pick<T>(_ items: [T]) -> T { items[Int.random(in: 0..<items.count, using: &self)] }
}

/// One drawn network: its shape, and the seed of its parameters.
struct SweepShape: CustomStringConvertible {
    var features: [Feature]
    var widths: [Int]
    var activations: [Activation]
    var classes: Int
    var output: OutputActivation
    var loss: Loss
    var seed: UInt64

    var outputCount: Int { output.outputCount(classes: classes) }

    var description: String {
        "features=\(features.map(\.rawValue).joined(separator: ",")) hidden=\(widths) activations=[\(activations.map(\.rawValue).joined(separator: ","))] "
            + "output=\(outputCount) \(output.rawValue) classes=\(classes) loss=\(loss.rawValue) weight-seed=\(seed)"
    }

    /// Multiply-adds of one point's forward pass.
    static func cost(inputs: Int, widths: [Int], outputs: Int) -> Int {
        var total = 0, n = inputs
        for w in widths + [outputs] { total += (n + 1) * w; n = w }
        return total
    }

    /// A random shape: 1…7 features, `depth` hidden layers of 1…40 neurons with their own
    /// activations, 2…4 classes, any output with any loss it takes. Wide layers are halved until a
    /// point's forward pass costs at most `budget` multiply-adds (the reference is slow unoptimised).
    static func draw(_ rng: inout SweepRandom, budget: Int, depth: ClosedRange<Int> = 0...4,
                     activations allowed: [Activation] = Activation.allCases,
                     outputs: [OutputActivation] = OutputActivation.allCases, classes: ClosedRange<Int> = 2...4) -> SweepShape {
        let features = Array(Feature.allCases.shuffled(using: &rng).prefix(rng.int(1...Feature.allCases.count)))
        let depth = rng.int(depth)
        var widths = (0..<depth).map { _ in rng.int(1...40) }
        let acts = (0..<depth).map { _ in rng.pick(allowed) }
        let classes = rng.int(classes)
        let output = rng.pick(outputs)
        let outCount = output.outputCount(classes: classes)
        let losses = Loss.allCases.filter { $0.incompatibility(with: output, outputCount: outCount) == nil }
        let loss = rng.pick(losses)
        while cost(inputs: features.count, widths: widths, outputs: outCount) > budget,
              let k = widths.indices.max(by: { widths[$0] < widths[$1] }), widths[k] > 1 {
            widths[k] = (widths[k] + 1) / 2
        }
        return SweepShape(features: features, widths: widths, activations: acts, classes: classes, output: output,
                          loss: loss, seed: rng.next())
    }

    /// The network with seeded weights uniform in ±1.6/√fan-in and biases in ±0.6 (so sums spread
    /// over the bends of the activations, and some relu units are off).
    func network() throws -> Network {
        var net = try Network(features: features, hidden: zip(widths, activations).map { (size: $0, activation: $1) },
                              classes: classes, output: output)
        var rng = SweepRandom(seed: seed)
        for shape in net.layers {
            let bound = 1.6 / Double(shape.inputs).squareRoot()
            for i in shape.weightOffset..<shape.biasOffset { net.parameters[i] = rng.double(-bound...bound) }
            for i in shape.biasOffset..<(shape.biasOffset + shape.size) { net.parameters[i] = rng.double(-0.6...0.6) }
        }
        return net
    }

    /// The key under which a sweep counts this shape's (loss, output) pair as covered.
    var pairKey: String { "\(loss.rawValue)+\(outputCount == 1 ? "1" : "K") \(output.rawValue)" }

    /// Every valid (loss, output) pair, with one output and with K outputs.
    static let allPairKeys: Set<String> = {
        var keys = Set<String>()
        for classes in [2, 3] {
            for output in OutputActivation.allCases {
                let n = output.outputCount(classes: classes)
                for loss in Loss.allCases where loss.incompatibility(with: output, outputCount: n) == nil {
                    keys.insert("\(loss.rawValue)+\(n == 1 ? "1" : "K") \(output.rawValue)")
                }
            }
        }
        return keys
    }()
}

/// The largest difference seen between an engine's values and the reference's, relative to the
/// reference's magnitude when that is above 1: |e − r| / max(1, |r|).
struct WorstDifference: CustomStringConvertible {
    var tolerance: Double
    var error = 0.0
    var engine = 0.0
    var reference = 0.0
    var place = ""
    var compared = 0

    init(tolerance: Double) { self.tolerance = tolerance }

    mutating func check(_ e: Double, _ r: Double, _ where: () -> String) {
        compared += 1
        let err: Double
        if e == r { err = 0 } else if e.isFinite && r.isFinite { err = abs(e - r) / max(1, abs(r)) } else { err = .infinity }
        if err > error || (compared == 1 && err > 0) {
            error = err
            engine = e
            reference = r
            place = `where`()
        }
    }

    var passed: Bool { error <= tolerance }

    var description: String {
        passed ? "all \(compared) values within \(tolerance) (worst \(error))"
            : "worst |Δ|/max(1,|ref|) = \(error) at \(place) (engine \(engine), reference \(reference)); tolerance \(tolerance), \(compared) values compared"
    }
}

@Suite struct SizeSweepTests {
    /// Values: the engine's vector tanh/sigmoid/exp are within a few ulps of libm, and it uses FMAs.
    static let tolerance = 1e-12
    /// Sizes around the vector widths (8, 16), the 256-point chunks and the largest sweep.
    static let edgeSizes = [1, 7, 8, 9, 15, 16, 17, 20, 23, 24, 25, 31, 32, 33, 63, 64, 65, 100, 255, 256, 257, 300]

    static func points(_ rng: inout SweepRandom, _ n: Int, classes: Int, spread: Double = 5) -> [ReferencePoint] {
        (0..<n).map { _ in ReferencePoint(x: rng.double(-spread...spread), y: rng.double(-spread...spread), label: rng.int(0...(classes - 1))) }
    }

    static func dataset(_ points: [ReferencePoint], classes: Int, testFraction: Double = 0, seed: UInt64 = 1) throws -> Dataset {
        try Dataset(xs: points.map(\.x), ys: points.map(\.y), labels: points.map(\.label), classCount: classes,
                    testFraction: testFraction, seed: seed, origin: "sweep")
    }

    static func referencePoints(_ data: Dataset, _ indices: [Int]) -> [ReferencePoint] {
        indices.map { ReferencePoint(x: data.xs[$0], y: data.ys[$0], label: data.labels[$0]) }
    }

    /// Loads points into layer 0 of a workspace: from x and y, or (the trainer's path) from
    /// point-major feature rows gathered by index.
    static func load(_ ws: Workspace, _ ref: Reference, _ points: [ReferencePoint], throughRows: Bool) {
        if throughRows {
            // the rows of a pool in reverse order, gathered by index
            var rows: [Double] = []
            for p in points.reversed() { rows += ref.inputs(x: p.x, y: p.y) }
            let indices = points.indices.map { points.count - 1 - $0 }
            ws.loadInputs(rows: rows, featureCount: ref.features.count, indices: indices, count: points.count)
        } else {
            ws.loadInputs(features: ref.features, xs: points.map(\.x), ys: points.map(\.y), count: points.count)
        }
    }

    /// Every layer's sums and activations of every point in a workspace against the reference.
    static func compareLayers(_ ws: Workspace, _ ref: Reference, _ points: [ReferencePoint], _ worst: inout WorstDifference) {
        for (s, p) in points.enumerated() {
            let pass = ref.forward(x: p.x, y: p.y)
            for k in ws.widths.indices {
                for j in 0..<ws.widths[k] {
                    if k > 0 { worst.check(ws.sums[k][j * ws.stride + s], pass.sums[k][j]) { "z of layer \(k) neuron \(j) point \(s)" } }
                    worst.check(ws.activations[k][j * ws.stride + s], pass.activations[k][j]) { "a of layer \(k) neuron \(j) point \(s)" }
                }
            }
        }
    }

    // MARK: Forward values

    @Test func forwardValuesMatchTheScalarReferenceAtEveryPointCount() throws {
        var rng = SweepRandom(seed: 101)
        var activations = Set<Activation>(), pairs = Set<String>(), widths = Set<Int>(), depths = Set<Int>()
        for count in 1...300 {
            let edge = Self.edgeSizes.contains(count)
            let shape = SweepShape.draw(&rng, budget: edge ? 4000 : 1200)
            let capacity = count % 5 == 0 ? count + rng.int(1...9) : count
            let net = try shape.network()
            let ref = Reference(net, loss: shape.loss)
            let points = Self.points(&rng, count, classes: shape.classes)
            let ws = Workspace(network: net, capacity: capacity)
            Self.load(ws, ref, points, throughRows: count % 2 == 1)
            net.forward(ws, count: count)
            var worst = WorstDifference(tolerance: Self.tolerance)
            Self.compareLayers(ws, ref, points, &worst)
            #expect(worst.passed, "points=\(count) capacity=\(capacity) \(shape): \(worst)")
            activations.formUnion(shape.activations)
            pairs.insert(shape.pairKey)
            widths.formUnion(shape.widths)
            depths.insert(shape.widths.count)
        }
        #expect(activations == Set(Activation.allCases))
        #expect(pairs == SweepShape.allPairKeys, "pairs not drawn: \(SweepShape.allPairKeys.subtracting(pairs))")
        #expect(widths == Set(1...40), "widths not drawn: \(Set(1...40).subtracting(widths).sorted())")
        #expect(depths == Set(0...4))
    }

    @Test func perPointLossesAndMetricsMatchTheScalarReferenceAtEveryPointCount() throws {
        var rng = SweepRandom(seed: 202)
        var pairs = Set<String>()
        for count in 1...300 {
            let shape = SweepShape.draw(&rng, budget: 600)
            let net = try shape.network()
            let ref = Reference(net, loss: shape.loss)
            let points = Self.points(&rng, count, classes: shape.classes)
            let config = "points=\(count) \(shape)"
            // per-point losses of one pass of `count` points
            let ws = Workspace(network: net, capacity: count)
            Self.load(ws, ref, points, throughRows: false)
            net.forward(ws, count: count)
            let top = ws.widths.count - 1
            let kernel = LossKernel(loss: shape.loss, output: net.outputActivation, size: net.outputCount)
            ws.loadTargets(labels: points.map(\.label), for: net)
            var worst = WorstDifference(tolerance: Self.tolerance)
            var total = 0.0
            for (s, p) in points.enumerated() {
                let expected = ref.pointLoss(ref.forward(x: p.x, y: p.y), label: p.label)
                total += expected
                worst.check(kernel.value(z: ws.sums[top], a: ws.activations[top], y: ws.targets, point: s, stride: ws.stride), expected) { "loss of point \(s)" }
            }
            #expect(worst.passed, "per-point losses, \(config): \(worst)")
            // the pass's summed loss (eight points at a time for sigmoid outputs) is its points'
            // losses added in order, bit for bit
            var inOrder = 0.0
            for s in 0..<count { inOrder += kernel.value(z: ws.sums[top], a: ws.activations[top], y: ws.targets, point: s, stride: ws.stride) }
            #expect(kernel.sum(ws, count: count) == inOrder, "summed loss, \(config)")
            // metrics of the points, in a shuffled order
            let data = try Self.dataset(points, classes: shape.classes)
            let indices = Array(0..<count).shuffled(using: &rng)
            let m = try #require(net.metrics(on: data, indices: indices, loss: shape.loss), "\(config)")
            var mean = WorstDifference(tolerance: Self.tolerance)
            mean.check(m.loss, total / Double(count)) { "mean loss" }
            #expect(mean.passed, "metrics, \(config): \(mean)")
            let correct = Int((m.accuracyValue * Double(count)).rounded())
            let (sure, ambiguous) = ref.correctCount(points)
            #expect(m.count == count && correct >= sure && correct <= sure + ambiguous,
                    "accuracy, \(config): engine \(correct) correct of \(m.count), reference \(sure) (+\(ambiguous) on a boundary)")
            pairs.insert(shape.pairKey)
        }
        #expect(pairs == SweepShape.allPairKeys, "pairs not drawn: \(SweepShape.allPairKeys.subtracting(pairs))")
    }

    // MARK: Backpropagation

    @Test func backwardGradientsMatchTheScalarReference() throws {
        var rng = SweepRandom(seed: 303)
        var activations = Set<Activation>(), pairs = Set<String>()
        // random shapes at the edge sizes and at random sizes; then layers whose widths sit around
        // the kernels' blocks (8 and 16 inputs at a time, the bias lane after the last input, pairs
        // of rows) as the input and as the output of a layer, at edge sizes
        var runs: [(count: Int, widths: [Int]?)] = Self.edgeSizes.map { ($0, nil) } + (0..<160).map { _ in (rng.int(1...300), nil) }
        for w in [1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 23, 24, 25, 31, 32, 33, 40] {
            runs.append((rng.pick([17, 20, 23, 33, 63]), [w, rng.int(4...9)]))
            runs.append((rng.pick([9, 25, 31, 65]), [rng.int(2...6), w, rng.int(1...5)]))
        }
        for (count, fixedWidths) in runs {
            // the reference's gradient costs three passes: smaller networks for more points
            var shape = SweepShape.draw(&rng, budget: max(80, 100_000 / count), depth: fixedWidths.map { $0.count...$0.count } ?? 0...4)
            if let fixedWidths { shape.widths = fixedWidths }
            let capacity = rng.int(0...3) == 0 ? count + rng.int(1...9) : count
            let net = try shape.network()
            let ref = Reference(net, loss: shape.loss)
            let points = Self.points(&rng, count, classes: shape.classes)
            let ws = Workspace(network: net, capacity: capacity)
            Self.load(ws, ref, points, throughRows: count % 2 == 0)
            net.forward(ws, count: count)
            var gradient = [Double](repeating: .nan, count: net.parameterCount)   // every entry must be written
            net.backward(ws, count: count, labels: points.map(\.label), loss: shape.loss, gradient: &gradient)
            let expected = ref.gradient(of: points)
            var worst = WorstDifference(tolerance: Self.tolerance)
            let prefix = try Playground(dataset: Self.dataset(points, classes: shape.classes), network: net,
                                        settings: Self.settings(loss: shape.loss), initialize: false)
            for i in expected.indices { worst.check(gradient[i], expected[i]) { prefix.describeParameter(i) } }
            #expect(worst.passed, "points=\(count) capacity=\(capacity) \(shape): \(worst)")
            activations.formUnion(shape.activations)
            pairs.insert(shape.pairKey)
        }
        #expect(activations == Set(Activation.allCases))
        #expect(pairs == SweepShape.allPairKeys, "pairs not drawn: \(SweepShape.allPairKeys.subtracting(pairs))")
    }

    static func settings(loss: Loss, optimizer: Optimizer = .sgd, batch: Int = 10, lr: Double = 0.03,
                         reg: Regularization = .none, rate: Double = 0) -> TrainingSettings {
        var s = TrainingSettings()
        s.loss = loss
        s.optimizer = optimizer
        s.batchSize = batch
        s.learningRate = lr
        s.regularization = reg
        s.regularizationRate = rate
        s.seed = 9
        return s
    }

    // MARK: Training

    /// The reference follows the engine's batches (read from the epoch's order) with its own
    /// weights and optimiser, and the two are compared after each call to `train`.
    @Test func trainingStepsMatchTheScalarReferenceForEveryOptimiserAndRegulariser() throws {
        var rng = SweepRandom(seed: 404)
        var configurations: [(Optimizer, Regularization, Int?)] = []
        for optimizer in Optimizer.allCases {
            for reg in Regularization.allCases {
                for _ in 0..<8 { configurations.append((optimizer, reg, nil)) }
            }
        }
        // awkward batch sizes, each with some optimiser and regulariser
        for b in [7, 9, 17, 20, 23, 25, 33, 65, 255, 257] {
            configurations.append((rng.pick(Optimizer.allCases), rng.pick(Regularization.allCases), b))
        }
        var fullBatches = 0, partialLastBatches = 0
        for (optimizer, reg, fixedBatch) in configurations {
            let n = fixedBatch.map { max($0 + rng.int(0...40), rng.int(1...300)) } ?? rng.int(1...300)
            let testFraction = rng.pick([0, 0.25, 0.5])
            let shape = SweepShape.draw(&rng, budget: max(60, 25_000 / n))
            let net = try shape.network()
            let points = Self.points(&rng, n, classes: shape.classes, spread: 3)
            let data = try Self.dataset(points, classes: shape.classes, testFraction: testFraction, seed: rng.next() % 1000)
            let nTrain = data.trainIndices.count
            guard nTrain > 0 else { continue }
            // full batch, a batch leaving a partial last batch, a batch of all but one, or any
            let batch = fixedBatch ?? rng.pick([nTrain, max(1, nTrain - 1), max(1, nTrain / 3 + 1), rng.int(1...nTrain), rng.int(1...max(1, min(nTrain, 40)))])
            if batch >= nTrain { fullBatches += 1 } else if nTrain % batch != 0 { partialLastBatches += 1 }
            let rate = reg == .l1 ? 0.003 : (reg == .l2 ? 0.02 : 0)
            var settings = Self.settings(loss: shape.loss, optimizer: optimizer, batch: batch,
                                         lr: [.adam, .rmsprop, .adagrad].contains(optimizer) ? 0.01 : 0.02, reg: reg, rate: rate)
            settings.momentum = rng.pick([0.9, 0.5])
            settings.decay = rng.pick([0.9, 0.99])
            var p = try Playground(dataset: data, network: net, settings: settings, initialize: false)
            var ref = Reference(net, loss: shape.loss, regularization: reg, rate: rate)
            var opt = ReferenceOptimizer(settings, parameterCount: net.parameterCount)
            let config = "points=\(n) train=\(nTrain) batch=\(batch) optimizer=\(optimizer.rawValue) momentum=\(settings.momentum) decay=\(settings.decay) lr=\(settings.learningRate) reg=\(reg.rawValue) \(rate) \(shape)"

            func replay(from start: Int, steps: Int) {
                let order = p.progress.order
                var position = start
                for _ in 0..<steps {
                    let b = min(batch, nTrain - position)
                    opt.step(&ref, batch: Self.referencePoints(data, Array(order[position..<(position + b)])))
                    position += b
                    if position == nTrain { position = 0 }
                }
            }
            func compare(_ what: String) {
                var worst = WorstDifference(tolerance: Self.tolerance)
                let expected = ref.parameters
                for i in expected.indices { worst.check(p.network.parameters[i], expected[i]) { p.describeParameter(i) } }
                #expect(worst.passed, "\(what), \(config): \(worst)")
            }
            // a few steps through .steps(k) within the first epoch
            let k = rng.int(1...min(3, p.stepsPerEpoch))
            let o1 = try p.train(.steps(k))
            replay(from: 0, steps: k)
            compare("after .steps(\(k))")
            // the rest of that epoch, then a whole epoch, through .epochs(1)
            for e in 1...2 {
                let start = p.progress.position
                let steps = (nTrain - start + batch - 1) / batch
                let o = try p.train(.epochs(1))
                #expect(o.steps == steps && o.divergence == nil && o1.divergence == nil, "\(config)")
                replay(from: start, steps: steps)
                compare("after .epochs(1) #\(e)")
            }
            // several epochs in one call: with full batches every step sees all training points
            if batch >= nTrain {
                let o = try p.train(.epochs(2))
                #expect(o.steps == 2 && o.epochs == 2 && o.divergence == nil, "\(config)")
                replay(from: 0, steps: 2)
                compare("after .epochs(2)")
            }
            // metrics of the trained network
            let trainPoints = Self.referencePoints(data, data.trainIndices)
            var worst = WorstDifference(tolerance: Self.tolerance)
            let train = try #require(p.trainMetrics, "\(config)")
            worst.check(train.loss, ref.meanLoss(trainPoints)) { "trainMetrics.loss" }
            worst.check(try #require(p.progress.history.last?.train?.loss), ref.meanLoss(trainPoints)) { "history's train loss" }
            worst.check(p.regularizationLoss, ref.regularizationLoss) { "regularizationLoss" }
            if !data.testIndices.isEmpty {
                let test = try #require(p.testMetrics, "\(config)")
                worst.check(test.loss, ref.meanLoss(Self.referencePoints(data, data.testIndices))) { "testMetrics.loss" }
                let (sure, ambiguous) = ref.correctCount(Self.referencePoints(data, data.testIndices))
                let correct = Int((test.accuracyValue * Double(test.count)).rounded())
                #expect(correct >= sure && correct <= sure + ambiguous, "test accuracy, \(config): engine \(correct), reference \(sure) (+\(ambiguous))")
            } else {
                #expect(p.testMetrics == nil)
            }
            let (sure, ambiguous) = ref.correctCount(trainPoints)
            let correct = Int((train.accuracyValue * Double(train.count)).rounded())
            #expect(correct >= sure && correct <= sure + ambiguous, "train accuracy, \(config): engine \(correct), reference \(sure) (+\(ambiguous))")
            #expect(worst.passed, "metrics, \(config): \(worst)")
        }
        #expect(fullBatches >= 5 && partialLastBatches >= 5, "full batches \(fullBatches), partial last batches \(partialLastBatches)")
    }

    // MARK: What eval, plot and plot space show

    @Test func theTraceOfOnePointMatchesTheScalarReference() throws {
        var rng = SweepRandom(seed: 505)
        for _ in 0..<150 {
            let shape = SweepShape.draw(&rng, budget: 4000)
            let net = try shape.network()
            let ref = Reference(net, loss: shape.loss)
            for _ in 0..<3 {
                let x = rng.double(-6...6), y = rng.double(-6...6)
                let trace = net.trace(x: x, y: y), pass = ref.forward(x: x, y: y)
                var worst = WorstDifference(tolerance: Self.tolerance)
                #expect(trace.count == pass.sums.count, "\(shape)")
                for (k, layer) in zip(pass.sums.indices, trace) {
                    for j in pass.sums[k].indices {
                        worst.check(layer.sums[j], pass.sums[k][j]) { "z of layer \(k) neuron \(j)" }
                        worst.check(layer.activations[j], pass.activations[k][j]) { "a of layer \(k) neuron \(j)" }
                    }
                }
                #expect(worst.passed, "eval \(x) \(y), \(shape): \(worst)")
                if ref.classMargin(pass.outputs) > 1e-9 {
                    #expect(net.predictClass(x: x, y: y) == ref.predictedClass(pass.outputs), "class at \(x) \(y), \(shape)")
                }
            }
        }
    }

    @Test func gridMapsMatchTheScalarReferenceAtEveryCellCentre() throws {
        var rng = SweepRandom(seed: 606)
        // 37×29 and 50×41 take two and three pieces of 1024 cells
        let sizes = [(1, 1), (3, 5), (17, 13), (33, 31), (40, 40), (37, 29), (50, 41), (9, 2), (2, 9)]
        for (columns, rows) in sizes {
            for variant in 0..<2 {
                let shape = SweepShape.draw(&rng, budget: 300)
                let net = try shape.network()
                let ref = Reference(net, loss: shape.loss)
                let frame = variant == 0 ? Frame.standard : Frame(xMin: -2.5, xMax: 3.7, yMin: -1.3, yMax: 4.1)
                let grid = Grid(frame: frame, columns: columns, rows: rows)
                let top = net.layers.count
                // all layers, or the output and one other (the rest in the pieces' scratch rows)
                let wanted: Set<Int>? = variant == 0 ? nil : [top, rng.int(0...top)]
                let maps = net.gridMaps(grid, layers: wanted)
                let config = "grid \(columns)×\(rows) frame=\(frame) layers=\(wanted.map { "\($0.sorted())" } ?? "all") \(shape)"
                var worst = WorstDifference(tolerance: Self.tolerance)
                var wrongClass: [String] = []
                for r in 0..<rows {
                    for c in 0..<columns {
                        let cell = r * columns + c
                        let pass = ref.forward(x: grid.x(c), y: grid.y(r))
                        for k in 0...top where maps.keeps(layer: k) {
                            for j in pass.activations[k].indices {
                                worst.check(maps.map(layer: k, neuron: j)[cell], pass.activations[k][j]) { "layer \(k) neuron \(j) cell \(c),\(r)" }
                            }
                        }
                        if ref.classMargin(pass.outputs) > 1e-9 && maps.classes[cell] != ref.predictedClass(pass.outputs) {
                            wrongClass.append("cell \(c),\(r): \(maps.classes[cell]) vs \(ref.predictedClass(pass.outputs))")
                        }
                    }
                }
                for k in 0...top { #expect(maps.keeps(layer: k) == (wanted?.contains(k) ?? true), "\(config)") }
                #expect(worst.passed, "\(config): \(worst)")
                #expect(wrongClass.isEmpty, "\(config): classes differ at \(wrongClass.count) cells, e.g. \(wrongClass.prefix(3))")
            }
        }
    }

    @Test func hiddenSpaceDataPointsLieAtLayerKsActivationsOfNeuronsIAndJ() throws {
        var rng = SweepRandom(seed: 707)
        for (dataCount, lines, samples) in [(23, 3, 5), (100, 4, 7), (257, 21, 64), (9, 2, 2), (300, 5, 3), (31, 3, 9)] {
            let shape = SweepShape.draw(&rng, budget: 300, depth: 1...4)
            let net = try shape.network()
            let ref = Reference(net, loss: shape.loss)
            let data = try Self.dataset(Self.points(&rng, dataCount, classes: shape.classes), classes: shape.classes,
                                        testFraction: 0.4, seed: 3)
            let k = rng.int(0...(net.layers.count))
            let width = net.width(ofLayer: k)
            let i = rng.int(0...(width - 1)), j = width > 1 ? (i + rng.int(1...(width - 1))) % width : i
            let selection = rng.pick([PointSelection.all, .train, .test])
            let frame = Frame(xMin: -4, xMax: 5, yMin: -3.5, yMax: 6)
            let space = HiddenSpace(network: net, layer: k, neurons: (i, j), frame: frame, data: data,
                                    selection: selection, lineCount: lines, samples: samples)
            let config = "data=\(dataCount) selection=\(selection) mesh=\(lines)×\(samples) layer=\(k) neurons=\(i),\(j) \(shape)"
            var worst = WorstDifference(tolerance: Self.tolerance)
            // the data points: training points first, then test points, each in index order
            var expected: [(Int, Bool)] = []
            if selection.includes(test: false) { expected += data.trainIndices.map { ($0, false) } }
            if selection.includes(test: true) { expected += data.testIndices.map { ($0, true) } }
            #expect(space.points.count == expected.count, "\(config)")
            for (point, (index, isTest)) in zip(space.points, expected) {
                let a = ref.forward(x: data.xs[index], y: data.ys[index]).activations[k]
                worst.check(point.u, a[i]) { "u of data point \(index)" }
                worst.check(point.v, a[j]) { "v of data point \(index)" }
                #expect(point.label == data.labels[index] && point.isTest == isTest, "\(config): point \(index)")
            }
            // the mesh: vertical lines (x fixed) first, then horizontal ones
            #expect(space.lines.count == 2 * lines && space.lines.allSatisfy { $0.count == samples }, "\(config)")
            for (l, line) in space.lines.enumerated() {
                let vertical = l < lines, fixed = Double(l % lines) / Double(lines - 1)
                for (s, m) in line.enumerated() {
                    let along = Double(s) / Double(samples - 1)
                    let (fx, fy) = vertical ? (fixed, along) : (along, fixed)
                    let pass = ref.forward(x: frame.xMin + fx * frame.width, y: frame.yMin + fy * frame.height)
                    worst.check(m.u, pass.activations[k][i]) { "u of mesh line \(l) sample \(s)" }
                    worst.check(m.v, pass.activations[k][j]) { "v of mesh line \(l) sample \(s)" }
                    if ref.classMargin(pass.outputs) > 1e-9 {
                        #expect(m.predictedClass == ref.predictedClass(pass.outputs), "\(config): class of mesh line \(l) sample \(s)")
                    }
                }
            }
            #expect(worst.passed, "\(config): \(worst)")
        }
    }

    // MARK: Invariances (no reference needed)

    @Test func aSetsMetricsAreTheCountWeightedMeanOfItsParts() throws {
        var rng = SweepRandom(seed: 808)
        let sizes = Self.edgeSizes.filter { $0 >= 2 } + (0..<60).map { _ in rng.int(2...600) }
        for n in sizes {
            let shape = SweepShape.draw(&rng, budget: 2000)
            let net = try shape.network()
            let data = try Self.dataset(Self.points(&rng, n, classes: shape.classes), classes: shape.classes)
            let all = Array(0..<n).shuffled(using: &rng)
            let cut = rng.pick([1, n - 1, n / 2, rng.int(1...(n - 1)), min(n - 1, 250), min(n - 1, 17)])
            let a = Array(all[..<cut]), b = Array(all[cut...])
            let whole = try #require(net.metrics(on: data, indices: all.sorted(), loss: shape.loss))
            let ma = try #require(net.metrics(on: data, indices: a, loss: shape.loss))
            let mb = try #require(net.metrics(on: data, indices: b, loss: shape.loss))
            let config = "points=\(n) parts=\(a.count)+\(b.count) \(shape)"
            let weighted = (ma.loss * Double(a.count) + mb.loss * Double(b.count)) / Double(n)
            #expect(abs(weighted - whole.loss) <= 1e-13 * max(1, abs(whole.loss)),
                    "\(config): loss of the parts \(weighted), of the whole \(whole.loss), |Δ| = \(abs(weighted - whole.loss))")
            func correct(_ m: Metrics) -> Int { Int((m.accuracyValue * Double(m.count)).rounded()) }
            #expect(correct(ma) + correct(mb) == correct(whole), "\(config): correct \(correct(ma)) + \(correct(mb)) vs \(correct(whole))")
        }
    }

    @Test func aBatchsGradientEqualsTheGradientOfItsPointsRepeatedKTimes() throws {
        var rng = SweepRandom(seed: 909)
        for n in [1, 3, 7, 9, 15, 17, 20, 23, 25, 33, 63, 65, 100] {
            let shape = SweepShape.draw(&rng, budget: 2000)
            let net = try shape.network()
            let points = Self.points(&rng, n, classes: shape.classes)
            let ref = Reference(net, loss: shape.loss)
            func gradient(_ pts: [ReferencePoint]) -> [Double] {
                let ws = Workspace(network: net, capacity: pts.count)
                Self.load(ws, ref, pts, throughRows: false)
                net.forward(ws, count: pts.count)
                var g = [Double](repeating: .nan, count: net.parameterCount)
                net.backward(ws, count: pts.count, labels: pts.map(\.label), loss: shape.loss, gradient: &g)
                return g
            }
            let once = gradient(points)
            // one full-batch SGD step of the playground on the points
            func step(_ pts: [ReferencePoint]) throws -> [Double] {
                let data = try Self.dataset(pts, classes: shape.classes)
                var p = try Playground(dataset: data, network: net,
                                       settings: Self.settings(loss: shape.loss, batch: pts.count, lr: 1), initialize: false)
                try p.step()
                return p.network.parameters
            }
            let stepOnce = try step(points)
            for k in [2, 3, 16] {
                let repeated = Array([[ReferencePoint]](repeating: points, count: k).joined())
                let g = gradient(repeated), s = try step(repeated)
                var worst = WorstDifference(tolerance: 1e-13), worstStep = WorstDifference(tolerance: 1e-13)
                for i in once.indices {
                    worst.check(g[i], once[i]) { "gradient of parameter \(i)" }
                    worstStep.check(s[i], stepOnce[i]) { "parameter \(i) after one step" }
                }
                #expect(worst.passed, "points=\(n) ×\(k) (backward) \(shape): \(worst)")
                #expect(worstStep.passed, "points=\(n) ×\(k) (a full-batch step, batch=\(n * k)) \(shape): \(worstStep)")
            }
        }
    }

    @Test func perPointForwardValuesAreBitIdenticalWhateverThePassSize() throws {
        var rng = SweepRandom(seed: 1010)
        let n = 300
        for round in 0..<14 {
            // every activation and every output at least once
            let act = Activation.allCases[round % Activation.allCases.count]
            let out = OutputActivation.allCases[round % OutputActivation.allCases.count]
            var shape = SweepShape.draw(&rng, budget: 3000, depth: 1...4, outputs: [out])
            shape.activations[0] = act
            let net = try shape.network()
            let ref = Reference(net, loss: shape.loss)
            let points = Self.points(&rng, n, classes: shape.classes)
            /// values[s] = every layer's sums and activations of point s, in one array.
            func values(passSize: Int, capacity: Int, reuse: Workspace? = nil) -> [[Double]] {
                let ws = reuse ?? Workspace(network: net, capacity: capacity)
                var result: [[Double]] = []
                var start = 0
                while start < n {
                    let count = min(passSize, n - start)
                    Self.load(ws, ref, Array(points[start..<(start + count)]), throughRows: start % 2 == 0)
                    net.forward(ws, count: count)
                    for s in 0..<count {
                        var v: [Double] = []
                        for k in 1..<ws.widths.count {
                            for j in 0..<ws.widths[k] { v.append(ws.sums[k][j * ws.stride + s]); v.append(ws.activations[k][j * ws.stride + s]) }
                        }
                        result.append(v)
                    }
                    start += count
                }
                return result
            }
            let single = values(passSize: 1, capacity: 1)
            let shared = Workspace(network: net, capacity: 300)
            for (passSize, capacity, reuse) in [(7, 7, false), (20, 20, false), (20, 29, false), (256, 256, false), (300, 300, false),
                                                 (300, 300, true), (23, 300, true), (17, 300, true), (1, 300, true), (24, 24, false), (33, 33, false)] {
                let other = values(passSize: passSize, capacity: capacity, reuse: reuse ? shared : nil)
                var mismatches = 0, first = ""
                for s in 0..<n {
                    for (q, (a, b)) in zip(other[s], single[s]).enumerated() where a.bitPattern != b.bitPattern {
                        if mismatches == 0 { first = "point \(s) value \(q): \(a) vs \(b) alone" }
                        mismatches += 1
                    }
                }
                #expect(mismatches == 0, "passes of \(passSize) points, capacity \(capacity)\(reuse ? " (a reused workspace)" : ""), \(shape): \(mismatches) values differ from a pass of 1 point, first \(first)")
            }
        }
    }

    /// A training step's forward pass computes the hidden layers whose derivative comes from their
    /// activations in place, without their sums (relu and leaky-relu stored as they are summed):
    /// the same activations, outputs and gradient, bit for bit, as the pass that keeps every sum.
    @Test func theTrainingForwardPassWithoutSumsGivesTheSameValuesAndGradient() throws {
        var rng = SweepRandom(seed: 2024)
        for round in 0..<40 {
            let act = Activation.allCases[round % Activation.allCases.count]
            var shape = SweepShape.draw(&rng, budget: 4000, depth: 1...4)
            shape.activations[0] = act
            let net = try shape.network()
            let ref = Reference(net, loss: shape.loss)
            let count = rng.pick([1, 7, 9, 15, 16, 17, 24, 31, 32, 33, 40, 63, 65])
            let points = Self.points(&rng, count, classes: shape.classes)
            let labels = points.map(\.label)
            func pass(keepingSums: Bool) -> (activations: [Double], outputSums: [Double], gradient: [UInt64]) {
                let ws = Workspace(network: net, capacity: count)
                Self.load(ws, ref, points, throughRows: true)
                var gradient = [Double](repeating: 0, count: net.parameterCount)
                net.parameters.withUnsafeBufferPointer { p in
                    guard let base = p.baseAddress else { return }
                    net.forward(ws, count: count, parameters: base, dropout: nil, keepingSums: keepingSums)
                    labels.withUnsafeBufferPointer { l in
                        guard let labels = l.baseAddress else { return }
                        ws.loadTargets(labels: labels, count: count, for: net)
                    }
                    gradient.withUnsafeMutableBufferPointer { g in
                        guard let g = g.baseAddress else { return }
                        net.backward(ws, count: count, loss: shape.loss, gradient: g, parameters: base, dropout: nil)
                    }
                }
                var values: [Double] = []
                for k in 1..<ws.widths.count {
                    for j in 0..<ws.widths[k] { for s in 0..<count { values.append(ws.activations[k][j * ws.stride + s]) } }
                }
                let top = ws.widths.count - 1
                let outputSums = (0..<ws.widths[top]).flatMap { j in (0..<count).map { ws.sums[top][j * ws.stride + $0] } }
                return (values, outputSums, gradient.map(\.bitPattern))
            }
            let kept = pass(keepingSums: true), inPlace = pass(keepingSums: false)
            #expect(kept.activations.map(\.bitPattern) == inPlace.activations.map(\.bitPattern), "activations, \(count) points, \(shape)")
            #expect(kept.outputSums.map(\.bitPattern) == inPlace.outputSums.map(\.bitPattern), "output sums, \(count) points, \(shape)")
            #expect(kept.gradient == inPlace.gradient, "gradient, \(count) points, \(shape)")
        }
    }

    @Test func theDefaultPlaygroundsSplitMetricsWeightedEqualTheMetricsOfAllItsPoints() throws {
        var p = Playground.makeDefault()
        for epochs in [0, 3] {
            try p.train(.epochs(epochs))
            let train = try #require(p.trainMetrics), test = try #require(p.testMetrics)
            let all = try #require(p.network.metrics(on: p.dataset, indices: Array(p.dataset.xs.indices), loss: p.settings.loss))
            #expect(train.count == 250 && test.count == 250 && all.count == 500)
            let loss = (train.loss * 250 + test.loss * 250) / 500, accuracy = (train.accuracyValue * 250 + test.accuracyValue * 250) / 500
            #expect(abs(loss - all.loss) <= 1e-13 * max(1, all.loss),
                    "after \(epochs) epochs: weighted split loss \(loss) vs \(all.loss) over all 500 points")
            #expect(Int((accuracy * 500).rounded()) == Int((all.accuracyValue * 500).rounded()),
                    "after \(epochs) epochs: weighted split accuracy \(accuracy) vs \(all.accuracyValue) over all 500 points")
        }
    }

    // MARK: The engine's own gradient check

    @Test func gradientCheckAgreesWithFiniteDifferencesAtEveryPointCount() throws {
        var playgrounds: [(String, Playground)] = []
        var p = Playground.makeDefault()
        try p.train(.epochs(2))
        playgrounds.append(("default playground (2 → 4 tanh → 2 tanh → 1 sigmoid, bce)", p))
        let spiral = try Dataset.generate(.spiral, count: 300, noise: 0.1, classes: 3, seed: 1)
        let net = try Network(features: [.x, .y, .sinx], hidden: [(8, .tanh), (6, .swish)], classes: 3)
        var s = TrainingSettings()
        s.loss = .ce
        var q = try Playground(dataset: spiral, network: net, settings: s)
        try q.train(.epochs(2))
        playgrounds.append(("spiral classes=3 (x y sinx → 8 tanh → 6 swish → 3 softmax, ce)", q))
        for (name, playground) in playgrounds {
            for n in 1...64 {
                let r = playground.gradientCheck(points: n)
                #expect(r.points == n && r.parametersChecked == playground.network.parameterCount, "\(name), points=\(n)")
                #expect(r.maxRelativeError < 1e-6,
                        "\(name), points=\(n): relative error \(r.maxRelativeError) at \(r.worst) (backprop \(r.backprop), numeric \(r.numeric))")
            }
        }
    }
}
