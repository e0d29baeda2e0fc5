/// The dropout masks of one training step: for each hidden layer with a dropout rate r > 0, a
/// neuron-major buffer laid out like the workspace's rows (`stride` apart), holding 1/(1 − r) for a
/// kept activation and 0 for a dropped one (inverted dropout: the expected activation is unchanged,
/// so evaluation needs no scaling).
///
/// Used by the training pass only (`TrainingRun`); every other forward pass (metrics, pictures,
/// traces, landscapes, gradcheck, `stats grads`) has no masks. Allocated once per training run; a
/// network without dropout gets none (`make` returns nil), so its steps do exactly what they did
/// before dropout existed.
///
/// The draws come from their own stream (`SeededGenerator.Stream.dropout`) kept in the training
/// progress, so a seed gives the same masks whatever else draws random numbers: each step draws,
/// for each dropout layer from the first, for each neuron, one uniform u per point of the batch in
/// order; the unit is kept when u ≥ r (probability 1 − r).
final class DropoutMasks {
    /// Per hidden layer k (index k − 1): its rate, and its mask rows (nil when the rate is 0).
    private let rates: [Double]
    private let masks: [UnsafeMutablePointer<Double>?]
    private let widths: [Int]
    let stride: Int

    /// Masks for a network's dropout layers over batches of up to `capacity` points; nil when the
    /// network has no dropout.
    static func make(network: Network, workspace: Workspace) -> DropoutMasks? {
        network.hasDropout ? DropoutMasks(network: network, stride: workspace.stride) : nil
    }

    private init(network: Network, stride: Int) {
        rates = network.dropoutRates
        widths = network.hiddenSizes
        self.stride = stride
        masks = zip(rates, widths).map { rate, width in
            guard rate > 0 else { return nil }
            let n = width * stride
            let raw = UnsafeMutableRawPointer.allocate(byteCount: n * 8, alignment: 64)
            let p = raw.bindMemory(to: Double.self, capacity: n)
            p.initialize(repeating: 0, count: n)
            return p
        }
    }

    deinit {
        for case let p? in masks { UnsafeMutableRawPointer(p).deallocate() }
    }

    /// Draws new masks for a batch of `count` points. The lanes of a row's last vector past `count`
    /// (the padding) are 0.
    func draw(count: Int, using rng: inout SeededGenerator) {
        LayerKernels.checkRows(stride: stride, count: count)
        let lanes = vectorLanes(count)
        for (k, mask) in masks.enumerated() {
            guard let m = mask else { continue }
            let rate = rates[k], scale = 1 / (1 - rate)
            for j in 0..<widths[k] {
                let row = m + j &* stride
                for s in 0..<count { row[s] = rng.nextUniform() >= rate ? scale : 0 }
                for s in count..<lanes { row[s] = 0 }
            }
        }
    }

    /// The mask rows of hidden layer k (1…H), nil when that layer has no dropout.
    @inline(__always)
    func mask(ofHiddenLayer k: Int) -> UnsafePointer<Double>? {
        masks[k - 1].map { UnsafePointer($0) }
    }

    /// The mask value of hidden layer k's neuron j (0-based) at point s of the last batch (for tests).
    func value(hiddenLayer k: Int, neuron j: Int, point s: Int) -> Double {
        masks[k - 1].map { $0[j * stride + s] } ?? 1
    }
}

extension LayerKernels {
    /// x[j, s] ← x[j, s]·m[j, s] over `rows` rows of `count` points (whole vectors: the padding lanes
    /// are multiplied too, and stay in the padding).
    @inline(__always)
    static func multiply(_ x: UnsafeMutablePointer<Double>, by m: UnsafePointer<Double>, rows: Int, count: Int, stride: Int) {
        checkRows(stride: stride, count: count)
        let lanes = vectorLanes(count)
        for j in 0..<rows {
            let o = j &* stride
            var c = 0
            while c < lanes {
                (x + o).store((x + o).vec(c) * (m + o).vec(c), c)
                c &+= 8
            }
        }
    }
}
