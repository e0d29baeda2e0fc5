import Foundation
import CPrefetch
import CVectorMath

extension Playground {
    /// Trains with mini-batch gradient descent: each epoch visits the training points in a fresh
    /// seeded order, `batch` at a time (the last batch of an epoch may be smaller). After every epoch
    /// the train and test metrics go into the history. Stops early when `control.shouldStop()` says
    /// so (keeping the weights reached) or when a loss, gradient or weight stops being finite (then
    /// the weights go back to the last finite ones and the outcome says where it happened).
    @discardableResult
    public mutating func train(_ length: TrainingLength, control: TrainingControl = TrainingControl()) throws -> TrainingOutcome {
        let n = dataset.trainIndices.count
        guard n > 0 else {
            throw NNPlayError("there are no training points (test=\(formatNumber(dataset.testFraction))): hold out fewer with `data split test=0.5`")
        }
        let planned: Int
        switch length {
        case .epochs(let e):
            guard e >= 0 else { throw NNPlayError("the number of epochs must be ≥ 0") }
            let left = (n - progress.position + settings.batchSize - 1) / settings.batchSize
            planned = e == 0 ? 0 : left + (e - 1) * stepsPerEpoch
        case .steps(let s):
            guard s >= 0 else { throw NNPlayError("the number of steps must be ≥ 0") }
            planned = s
        }
        try checkTrainingFitsMemory()
        let run = TrainingRun(self)
        defer { run.finish(into: &self) }
        return run.train(steps: planned, control: control)
    }

    /// Throws when the workspace of a training step (a batch through every layer) would not fit the
    /// memory budget, naming the batch size that does.
    public func checkTrainingFitsMemory() throws {
        let n = dataset.trainIndices.count, capacity = Swift.max(1, Swift.min(settings.batchSize, n))
        try MemoryBudget.check(Workspace.bytesNeeded(network: network, capacity: capacity),
                               for: "training with batches of \(capacity) points through layers of up to \(network.maxWidth) neurons",
                               advice: batchAdvice(points: n))
    }

    /// The batch size that fits the memory budget, as advice.
    private func batchAdvice(points n: Int) -> String {
        let fits = MemoryBudget.largest(in: 1...Swift.max(1, Swift.min(settings.batchSize, n))) {
            Workspace.bytesNeeded(network: network, capacity: $0)
        }
        return fits.map { "`set batch \($0)` fits" } ?? "use narrower layers"
    }

    /// One mini-batch update.
    @discardableResult
    public mutating func step() throws -> TrainingOutcome {
        try train(.steps(1))
    }
}

/// The working copy of a playground while it trains: parameters, gradient and optimiser state in
/// raw buffers allocated once, so that a step allocates nothing. Written back by `finish`.
final class TrainingRun {
    private var playground: Playground
    private let network: Network
    private let settings: TrainingSettings
    private let parameterCount: Int
    /// Current parameters, and the buffer the next step writes (swapped when the step is finite).
    private var current: UnsafeMutablePointer<Double>
    private var next: UnsafeMutablePointer<Double>
    /// Parameters at the start of the current epoch, for a loss that turns non-finite.
    private let epochStart: UnsafeMutablePointer<Double>
    private let gradient: UnsafeMutablePointer<Double>
    /// The epoch's gradients so far, each weighted by its batch's points (for the epoch's norms).
    private let epochGradient: UnsafeMutablePointer<Double>
    private var epochPoints: Int
    private let first: UnsafeMutablePointer<Double>
    private let second: UnsafeMutablePointer<Double>
    /// The regularisation rate of each parameter: the rate for weights, 0 for biases.
    private let rates: UnsafeMutablePointer<Double>
    /// The rate on weights (0 without regularisation), and the layers' shapes as a raw buffer, for
    /// the update layer by layer (read without reference counting).
    private let weightRate: Double
    private let layerShapes: UnsafeMutablePointer<LayerShape>
    private let workspace: Workspace
    /// Where each epoch's metrics are computed (made at the first, kept for the rest).
    private lazy var evaluationWorkspace: Workspace = {
        let d = playground.dataset
        let most = Swift.max(d.trainIndices.count, d.testIndices.count, d.validationIndices.count)
        return Workspace(network: network, capacity: Swift.min(Network.evaluationChunk, Swift.max(1, most)))
    }()
    /// Input features of every point, point-major, so a batch is gathered by index (a raw buffer:
    /// a step reads it without reference counting).
    private let rows: UnsafeMutablePointer<Double>
    private let featureCount: Int
    private var order: [Int]
    /// The dropout masks of a step (nil without dropout: nothing is drawn).
    private let dropout: DropoutMasks?
    /// The step for networks of at most 8 neurons a layer (nil for other networks: the general passes).
    private let narrow: NarrowStep?
    /// The dataset's labels (classification) or values (regression), and how targets are written:
    /// raw buffers, which a step reads without reference counting.
    private let labels: UnsafeMutablePointer<Int>?
    private let values: UnsafeMutablePointer<Double>?
    private let targets: TargetEncoding

    /// `narrowStep`: whether a network the narrow step can run takes it (tests compare both ways).
    init(_ p: Playground, narrowStep: Bool = true) {
        playground = p
        network = p.network
        settings = p.settings
        parameterCount = p.network.parameterCount
        func buffer(_ values: [Double]) -> UnsafeMutablePointer<Double> {
            // zeros of slack: the narrow step reads a hidden layer's weights as 8 rows of 8 (up to 64
            // values from its first weight, past the end of the parameters for the last layers)
            let b = UnsafeMutablePointer<Double>.allocate(capacity: values.count + NarrowStep.parameterSlack)
            b.initialize(repeating: 0, count: values.count + NarrowStep.parameterSlack)
            for (i, v) in values.enumerated() { b[i] = v }
            return b
        }
        current = buffer(p.network.parameters)
        next = buffer(p.network.parameters)
        epochStart = buffer(p.network.parameters)
        gradient = buffer([Double](repeating: 0, count: parameterCount))
        // an accumulator of another network's shape (the network changed mid-epoch) starts afresh
        let carried = p.progress.epochGradient.count == parameterCount
        epochGradient = buffer(carried ? p.progress.epochGradient : [Double](repeating: 0, count: parameterCount))
        epochPoints = carried ? p.progress.epochGradientPoints : 0
        first = buffer(p.progress.optimizerState.first)
        second = buffer(p.progress.optimizerState.second)
        var perParameter = [Double](repeating: 0, count: parameterCount)
        if p.settings.regularization != .none {
            for r in p.network.weightRanges { for i in r { perParameter[i] = p.settings.regularizationRate } }
        }
        rates = buffer(perParameter)
        weightRate = p.settings.regularization == .none ? 0 : p.settings.regularizationRate
        layerShapes = UnsafeMutablePointer<LayerShape>.allocate(capacity: Swift.max(1, p.network.layers.count))
        layerShapes.initialize(from: p.network.layers, count: p.network.layers.count)
        let capacity = Swift.min(p.settings.batchSize, p.dataset.trainIndices.count)
        workspace = Workspace(network: p.network, capacity: capacity)
        dropout = DropoutMasks.make(network: p.network, workspace: workspace)
        narrow = narrowStep ? NarrowStep(network: p.network, capacity: capacity, dropout: dropout != nil) : nil
        func copy<T>(_ a: [T]) -> UnsafeMutablePointer<T> {
            let b = UnsafeMutablePointer<T>.allocate(capacity: Swift.max(1, a.count))
            a.withUnsafeBufferPointer { if let base = $0.baseAddress { b.initialize(from: base, count: a.count) } }
            return b
        }
        let regression = p.dataset.problem == .regression
        labels = regression ? nil : copy(p.dataset.labels)
        values = regression ? copy(p.dataset.values) : nil
        targets = TargetEncoding(output: p.network.outputActivation, size: p.network.outputCount)
        let featureRows = p.dataset.featureRows(Array(p.dataset.xs.indices), features: p.network.features)
        rows = buffer(featureRows)
        featureCount = p.network.features.count
        order = p.progress.order
    }

    deinit {
        for b in [current, next, epochStart, gradient, epochGradient, first, second, rates, rows] { b.deallocate() }
        layerShapes.deallocate()
        labels?.deallocate()
        values?.deallocate()
    }

    /// Whether the steps run as a `NarrowStep`.
    var takesNarrowStep: Bool { narrow != nil }

    /// The network with the parameters as they are now.
    private func snapshot() -> Network {
        var net = network
        net.parameters = Array(UnsafeBufferPointer(start: current, count: parameterCount))
        return net
    }

    /// Writes parameters, optimiser state and progress back into the playground.
    func finish(into p: inout Playground) {
        playground.network.parameters = Array(UnsafeBufferPointer(start: current, count: parameterCount))
        playground.progress.optimizerState.first = Array(UnsafeBufferPointer(start: first, count: parameterCount))
        playground.progress.optimizerState.second = Array(UnsafeBufferPointer(start: second, count: parameterCount))
        playground.progress.order = order
        playground.progress.epochGradient = Array(UnsafeBufferPointer(start: epochGradient, count: parameterCount))
        playground.progress.epochGradientPoints = epochPoints
        p = playground
    }

    func train(steps planned: Int, control: TrainingControl) -> TrainingOutcome {
        var outcome = TrainingOutcome()
        let train = playground.dataset.trainIndices
        let n = train.count
        let data = playground.dataset
        var progress = playground.progress
        defer { playground.progress = progress }
        if progress.position == 0 { epochStart.update(from: current, count: parameterCount) }
        if control.recordHistory && progress.path.isEmpty { progress.path.record(epoch: progress.epoch, parameters: current, count: parameterCount) }
        let getNetwork = { [unowned self] in self.snapshot() }
        // the narrow step unretained for the steps (`narrow` keeps it alive): calling through the
        // strong reference retained and released it every step, two atomic operations
        let narrowStep = narrow.map { Unmanaged.passUnretained($0) }
        // the epoch's order as a raw buffer, which the steps read without reference counting
        let orderBuffer = UnsafeMutablePointer<Int>.allocate(capacity: Swift.max(1, n))
        defer { orderBuffer.deallocate() }
        var orderLoaded = false
        while outcome.steps < planned {
            if progress.position == 0 || order.count != n {
                // a new epoch (or a new order after the data changed): its gradient starts at 0
                epochGradient.update(repeating: 0, count: parameterCount)
                epochPoints = 0
                order = train
                progress.shuffler.shuffle(&order)
                progress.position = 0
                orderLoaded = false
            }
            if !orderLoaded {
                order.withUnsafeBufferPointer { o in o.baseAddress.map { orderBuffer.update(from: $0, count: n) } }
                orderLoaded = true
            }
            let b = Swift.min(settings.batchSize, n - progress.position)
            let idx = orderBuffer + progress.position
            targets.write(points: idx, count: b, labels: labels, values: values, into: workspace.targets, stride: workspace.stride)
            if let narrowStep {
                let (ws, r) = (workspace, UnsafePointer(rows))
                narrowStep._withUnsafeGuaranteedRef { $0.loadInputs(ws, rows: r, indices: idx, count: b) }
            } else {
                workspace.loadInputs(rows: rows, featureCount: featureCount, indices: idx, count: b)
            }
            prefetchBatch(after: progress.position + b, of: n, order: orderBuffer)
            dropout?.draw(count: b, using: &progress.dropoutGenerator)
            progress.optimizerState.steps += 1
            // the rate in force: fixed for the step from the epochs and steps completed before it
            let rate = settings.rate(epoch: progress.epoch, step: progress.steps)
            let t = progress.optimizerState.steps
            var finite = true
            if let narrowStep {
                let (ws, loss, g, p) = (workspace, settings.loss, gradient, UnsafePointer(current))
                narrowStep._withUnsafeGuaranteedRef { $0.run(ws, count: b, loss: loss, gradient: g, parameters: p) }
                finite = update(step: t, learningRate: rate)
            } else {
                // the sums only dropout's backward pass reads (see Network.forward)
                network.forward(workspace, count: b, parameters: current, dropout: dropout, keepingSums: dropout != nil)
                // each layer is updated as soon as its gradient is complete (see update(layer:))
                network.backward(workspace, count: b, loss: settings.loss, gradient: gradient, parameters: current, dropout: dropout) { k in
                    if !update(layer: k, step: t, learningRate: rate) { finite = false }
                }
            }
            if control.recordHistory { observe(batch: b, &progress) }
            if !finite {
                outcome.divergence = Divergence(epoch: progress.epoch, step: progress.steps + 1,
                                                layer: firstNonFiniteLayer().map(network.layerName), what: "a gradient or weight became non-finite")
                recoverFromDivergence(&progress)
                break
            }
            swap(&current, &next)
            progress.steps += 1
            progress.position += b
            outcome.steps += 1
            var endedEpoch = false
            if progress.position == n {
                progress.position = 0
                progress.epoch += 1
                outcome.epochs += 1
                endedEpoch = true
                if control.recordHistory {
                    let record = measure(epoch: progress.epoch, steps: progress.steps)
                    if let bad = [record.train?.loss, record.test?.loss, record.validation?.loss].compactMap({ $0 }).first(where: { !$0.isFinite }) {
                        progress.epoch -= 1
                        outcome.epochs -= 1
                        let layer = network.firstOverflowingLayer(on: data, indices: data.trainIndices + data.testIndices,
                                                                  parameters: current)
                        outcome.divergence = Divergence(epoch: progress.epoch, step: progress.steps, layer: layer.map(network.layerName),
                                                        what: "the loss became \(formatMetric(bad))")
                        current.update(from: epochStart, count: parameterCount)
                        resetOptimizer(&progress)
                        break
                    }
                    var finished = record
                    finished.gradientNorms = epochGradientNorms()
                    progress.record(finished)
                    progress.path.record(epoch: progress.epoch, parameters: current, count: parameterCount)
                }
                epochStart.update(from: current, count: parameterCount)
            }
            if let report = control.onProgress {
                report(TrainingReport(epoch: progress.epoch, totalSteps: progress.steps, stepsDone: outcome.steps,
                                      stepsPlanned: planned, endedEpoch: endedEpoch,
                                      latest: endedEpoch ? progress.history.last : nil, learningRate: rate), getNetwork)
            }
            if outcome.steps < planned && control.shouldStop() {
                outcome.interrupted = true
                break
            }
        }
        return outcome
    }

    /// Feature values from which a dataset is prefetched: 128 K doubles, 1 MB (a core's L2 cache
    /// holds 1–2 MB on these machines).
    static let prefetchAbove = 128 * 1024

    /// Asks for the points of the batch that starts at `start` (if any) while this step computes:
    /// on a dataset larger than the caches each shuffled point is a miss, which then overlaps the
    /// work instead of stalling the next gather. A hint only: nothing is read.
    @inline(__always)
    private func prefetchBatch(after start: Int, of n: Int, order: UnsafePointer<Int>) {
        // a dataset that fits the caches has nothing to wait for (the hints would only cost time)
        guard start < n, n &* featureCount > TrainingRun.prefetchAbove else { return }
        let end = start + Swift.min(settings.batchSize, n - start)
        for s in start..<end {
            let point = order[s]
            nnplay_prefetch(rows + point &* featureCount)
            if let labels { nnplay_prefetch(labels + point) }
            if let values { nnplay_prefetch(values + point) }
        }
    }

    /// Keeps what the history shows of a step: its mini-batch loss (on the steps the log keeps)
    /// and its gradient, towards the epoch's gradient norms.
    private func observe(batch b: Int, _ progress: inout TrainingProgress) {
        if progress.stepLosses.wants(progress.steps) {
            let kernel = LossKernel(loss: settings.loss, output: network.outputActivation, size: network.outputCount)
            progress.stepLosses.record(step: progress.steps, loss: kernel.sum(workspace, count: b) / Double(b))
        }
        let weight = Double(b)
        for i in 0..<parameterCount { epochGradient[i] = epochGradient[i].addingProduct(gradient[i], weight) }
        epochPoints += b
    }

    /// Each layer's weight-gradient norm of the epoch's mean gradient; clears it for the next epoch.
    private func epochGradientNorms() -> [Double] {
        defer {
            epochGradient.update(repeating: 0, count: parameterCount)
            epochPoints = 0
        }
        guard epochPoints > 0 else { return [] }
        let scale = 1 / Double(epochPoints)
        return network.layers.map { shape in
            var sum = 0.0
            for i in shape.weightOffset..<shape.biasOffset {
                let g = epochGradient[i] * scale
                sum += g * g
            }
            return sum.squareRoot()
        }
    }

    /// After a non-finite step: keeps the last finite weights if their training loss is finite,
    /// else goes back to the weights at the start of the epoch (whose loss was measured finite);
    /// the optimiser's memory is cleared either way.
    private func recoverFromDivergence(_ progress: inout TrainingProgress) {
        let data = playground.dataset
        let loss = network.metrics(on: data, indices: data.trainIndices, loss: settings.loss, parameters: current)?.loss
        if !(loss?.isFinite ?? true) {
            current.update(from: epochStart, count: parameterCount)
            progress.position = 0
        }
        resetOptimizer(&progress)
    }

    private func resetOptimizer(_ progress: inout TrainingProgress) {
        first.update(repeating: 0, count: parameterCount)
        second.update(repeating: 0, count: parameterCount)
        progress.optimizerState.steps = 0
    }

    /// Metrics of the current parameters on the train and test sets.
    private func measure(epoch: Int, steps: Int) -> EpochRecord {
        let data = playground.dataset, loss = settings.loss
        let ws = evaluationWorkspace
        return EpochRecord(epoch: epoch, steps: steps,
                           train: network.metrics(on: data, indices: data.trainIndices, loss: loss, parameters: current, reusing: ws),
                           test: network.metrics(on: data, indices: data.testIndices, loss: loss, parameters: current, reusing: ws),
                           validation: network.metrics(on: data, indices: data.validationIndices, loss: loss, parameters: current, reusing: ws))
    }

    /// Writes the updated parameters into `next`, with the step's rate `lr` (the schedule's); false
    /// when any of them is not finite. One pass over the parameter vector, eight at a time and then
    /// the rest with the same arithmetic.
    private func update(step t: Int, learningRate lr: Double) -> Bool {
        update(0..<parameterCount, rates: EachParameterRate(rates: UnsafePointer(rates)), step: t, learningRate: lr)
    }

    /// The same update for layer k's parameters alone: its weights at the regularisation rate, its
    /// biases at 0, the same arithmetic as `update(step:learningRate:)` gives them. The backward
    /// pass calls it as soon as the layer's gradient is complete, while that gradient and the
    /// layer's weights are still in the L1 cache (one pass over the whole vector at the end of a
    /// step streams four arrays from L2: a tenth of workload c).
    private func update(layer k: Int, step t: Int, learningRate lr: Double) -> Bool {
        let shape = layerShapes[k], end = shape.biasOffset &+ shape.size
        let weights = update(shape.weightOffset..<shape.biasOffset, rates: UniformRate(rate: weightRate), step: t, learningRate: lr)
        let biases = update(shape.biasOffset..<end, rates: UniformRate(rate: 0), step: t, learningRate: lr)
        return weights && biases
    }

    @inline(__always)
    private func update<R: RegularizationRates>(_ range: Range<Int>, rates: R, step t: Int, learningRate lr: Double) -> Bool {
        // specialised per penalty, so that its loops hold no switch
        switch settings.regularization {
        case .none: return update(range, rates: rates, step: t, learningRate: lr, penalty: NoPenalty.self)
        case .l2: return update(range, rates: rates, step: t, learningRate: lr, penalty: L2Penalty.self)
        case .l1: return update(range, rates: rates, step: t, learningRate: lr, penalty: L1Penalty.self)
        }
    }

    private func update<P: PenaltyGradient, R: RegularizationRates>(_ range: Range<Int>, rates r: R, step t: Int, learningRate lr: Double,
                                                                   penalty: P.Type) -> Bool {
        let w = UnsafePointer(current), gr = UnsafePointer(gradient), out = next, m = first, v = second
        let lrv = Vec(repeating: lr), eps = settings.epsilon
        let start = range.lowerBound, n = range.upperBound, whole = start &+ (range.count & ~7)
        // the gradient of the objective: the loss's, plus rate·R'(w) (rate 0 on biases)
        @inline(__always) func g(_ i: Int) -> Vec { P.add(gr.vec(i), w.vec(i), r.vec(i)) }
        @inline(__always) func g1(_ i: Int) -> Double { P.add(gr[i], w[i], r[i]) }
        // the new parameters and moments must be finite: x − x is +0 for a finite x and NaN otherwise,
        // OR-ed into one pattern (a one-cycle chain; a running sum was a long one)
        var notFinite = SIMD8<UInt64>(), scalarNotFinite = false
        @inline(__always) func check(_ x: Vec) { notFinite |= unsafeBitCast(x - x, to: SIMD8<UInt64>.self) }
        @inline(__always) func check(_ x: Double) { if !x.isFinite { scalarNotFinite = true } }
        switch settings.optimizer {
        case .sgd:
            for i in Swift.stride(from: start, to: whole, by: 8) {
                let nv = w.vec(i).addingProduct(-lrv, g(i))
                out.store(nv, i)
                check(nv)
            }
            for i in whole..<n {
                out[i] = w[i].addingProduct(-lr, g1(i))
                check(out[i])
            }
        case .momentum:
            let mu = settings.momentum, muv = Vec(repeating: mu)
            for i in Swift.stride(from: start, to: whole, by: 8) {
                let mv = g(i).addingProduct(muv, m.vec(i))
                m.store(mv, i)
                check(mv)
                let nv = w.vec(i).addingProduct(-lrv, mv)
                out.store(nv, i)
                check(nv)
            }
            for i in whole..<n {
                m[i] = g1(i).addingProduct(mu, m[i])
                check(m[i])
                out[i] = w[i].addingProduct(-lr, m[i])
                check(out[i])
            }
        case .adam:
            let b1 = settings.beta1, b2 = settings.beta2
            // bias corrections, once per step (pow is expensive)
            let c1 = 1 - pow(b1, Double(t)), c2 = 1 - pow(b2, Double(t))
            for i in Swift.stride(from: start, to: whole, by: 8) {
                let gv = g(i)
                let mv = (m.vec(i) * b1).addingProduct(Vec(repeating: 1 - b1), gv)
                let vv = (v.vec(i) * b2).addingProduct(Vec(repeating: 1 - b2), gv * gv)
                m.store(mv, i)
                check(mv)
                v.store(vv, i)
                check(vv)
                let nv = w.vec(i) - lrv * (mv / c1) / (squareRoot(vv / c2) + eps)
                out.store(nv, i)
                check(nv)
            }
            for i in whole..<n {
                let gi = g1(i)
                m[i] = (m[i] * b1).addingProduct(1 - b1, gi)
                check(m[i])
                v[i] = (v[i] * b2).addingProduct(1 - b2, gi * gi)
                check(v[i])
                out[i] = w[i] - lr * (m[i] / c1) / ((v[i] / c2).squareRoot() + eps)
                check(out[i])
            }
        case .rmsprop:
            let rho = settings.decay, keep = Vec(repeating: 1 - rho)
            for i in Swift.stride(from: start, to: whole, by: 8) {
                let gv = g(i)
                let vv = (v.vec(i) * rho).addingProduct(keep, gv * gv)
                v.store(vv, i)
                check(vv)
                let nv = w.vec(i) - lrv * gv / (squareRoot(vv) + eps)
                out.store(nv, i)
                check(nv)
            }
            for i in whole..<n {
                let gi = g1(i)
                v[i] = (v[i] * rho).addingProduct(1 - rho, gi * gi)
                check(v[i])
                out[i] = w[i] - lr * gi / (v[i].squareRoot() + eps)
                check(out[i])
            }
        case .adagrad:
            for i in Swift.stride(from: start, to: whole, by: 8) {
                let gv = g(i)
                let vv = v.vec(i).addingProduct(gv, gv)
                v.store(vv, i)
                check(vv)
                let nv = w.vec(i) - lrv * gv / (squareRoot(vv) + eps)
                out.store(nv, i)
                check(nv)
            }
            for i in whole..<n {
                let gi = g1(i)
                v[i] = v[i].addingProduct(gi, gi)
                check(v[i])
                out[i] = w[i] - lr * gi / (v[i].squareRoot() + eps)
                check(out[i])
            }
        case .nesterov:
            let mu = settings.momentum, muv = Vec(repeating: mu)
            for i in Swift.stride(from: start, to: whole, by: 8) {
                let gv = g(i)
                let mv = gv.addingProduct(muv, m.vec(i))
                m.store(mv, i)
                check(mv)
                let nv = w.vec(i).addingProduct(-lrv, gv.addingProduct(muv, mv))
                out.store(nv, i)
                check(nv)
            }
            for i in whole..<n {
                let gi = g1(i)
                m[i] = gi.addingProduct(mu, m[i])
                check(m[i])
                out[i] = w[i].addingProduct(-lr, gi.addingProduct(mu, m[i]))
                check(out[i])
            }
        }
        // OR-ed down by halves (comparing the vectors with == compiled to a store and eight
        // lane-by-lane reloads, a third of the update's time)
        let quarter = notFinite.lowHalf | notFinite.highHalf, pair = quarter.lowHalf | quarter.highHalf
        return pair[0] | pair[1] == 0 && !scalarNotFinite
    }

    /// The first layer (1-based) whose gradient or new parameters are not finite.
    private func firstNonFiniteLayer() -> Int? {
        for (k, shape) in network.layers.enumerated() {
            for i in shape.weightOffset..<(shape.biasOffset + shape.size) where !gradient[i].isFinite || !next[i].isFinite {
                return k + 1
            }
        }
        return nil
    }
}

/// √x lane by lane in one instruction, bit for bit `x.squareRoot()` (see CVectorMath).
@inline(__always)
private func squareRoot(_ x: Vec) -> Vec { nnplay_sqrt8(x) }

/// Each parameter's regularisation rate, as the update reads it.
private protocol RegularizationRates {
    func vec(_ i: Int) -> Vec
    subscript(_ i: Int) -> Double { get }
}

/// A rate per parameter, from an array laid out like the parameters.
private struct EachParameterRate: RegularizationRates {
    let rates: UnsafePointer<Double>
    @inline(__always) func vec(_ i: Int) -> Vec { rates.vec(i) }
    @inline(__always) subscript(_ i: Int) -> Double { rates[i] }
}

/// One rate for a run of parameters.
private struct UniformRate: RegularizationRates {
    let rate: Double
    @inline(__always) func vec(_ i: Int) -> Vec { Vec(repeating: rate) }
    @inline(__always) subscript(_ i: Int) -> Double { rate }
}

/// rate·R'(w) added to a loss gradient (`Regularization.gradient`), as a type, so that the update's
/// loops are compiled once per penalty with nothing to decide inside them.
private protocol PenaltyGradient {
    static func add(_ g: Vec, _ w: Vec, _ rate: Vec) -> Vec
    static func add(_ g: Double, _ w: Double, _ rate: Double) -> Double
}

private enum NoPenalty: PenaltyGradient {
    @inline(__always) static func add(_ g: Vec, _ w: Vec, _ rate: Vec) -> Vec { g }
    @inline(__always) static func add(_ g: Double, _ w: Double, _ rate: Double) -> Double { g }
}

private enum L2Penalty: PenaltyGradient {
    @inline(__always) static func add(_ g: Vec, _ w: Vec, _ rate: Vec) -> Vec { g.addingProduct(rate, w) }
    @inline(__always) static func add(_ g: Double, _ w: Double, _ rate: Double) -> Double { g.addingProduct(rate, w) }
}

private enum L1Penalty: PenaltyGradient {
    @inline(__always) static func add(_ g: Vec, _ w: Vec, _ rate: Vec) -> Vec {
        g.addingProduct(rate, Vec().replacing(with: 1, where: w .> 0).replacing(with: -1, where: w .< 0))
    }
    @inline(__always) static func add(_ g: Double, _ w: Double, _ rate: Double) -> Double {
        g.addingProduct(rate, Regularization.l1.gradient(w))
    }
}
