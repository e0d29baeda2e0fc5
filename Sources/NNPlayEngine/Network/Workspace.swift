/// Scratch memory for pushing up to `capacity` points through a network, one layer at a time.
///
/// Every layer's values are stored neuron-major: the values of neuron j for points 0…capacity−1 sit
/// contiguously at `j * stride`, so a kernel runs along the points of one neuron with unit stride,
/// eight at a time. Rows are padded to whole vectors (`stride` = capacity rounded up to a multiple
/// of 8), which is what keeps every kernel's vector stores inside their own row (`LayerKernels`).
/// Layer 0 holds the input features. Allocated once and reused for every batch: no allocation per step.
public final class Workspace {
    /// Points a batch may hold.
    public let capacity: Int
    /// Distance between two neurons' rows: the capacity rounded up to whole vectors.
    public let stride: Int
    /// Widths of layers 0…L (inputs, hidden, output).
    public let widths: [Int]
    /// Activations a of each layer (layer 0: the input features).
    public let activations: [UnsafeMutablePointer<Double>]
    /// Weighted sums z of each layer (layer 0: unused, equal to the inputs).
    public let sums: [UnsafeMutablePointer<Double>]
    /// ∂loss/∂z of each layer, filled by the backward pass (layer 0: unused).
    public let deltas: [UnsafeMutablePointer<Double>]
    /// Each layer's activations point-major (point s's values in one row of `transposedStride(k)`),
    /// for the weight gradient of the layer above.
    let transposed: [UnsafeMutablePointer<Double>]
    /// What each output neuron aims at for each point, neuron-major like the output layer: the loss
    /// and its gradient read only this (see `Targets`), so every problem shares one path.
    public let targets: UnsafeMutablePointer<Double>

    public init(network: Network, capacity: Int) {
        let capacity = Swift.max(1, capacity)
        let stride = vectorLanes(capacity)
        let widths = [network.features.count] + network.layers.map(\.size)
        func allocate(_ rowLength: (Int) -> Int) -> [UnsafeMutablePointer<Double>] {
            widths.map { w in
                // 64-byte aligned and zeroed, with a vector's worth of slack at the end for the
                // kernels' loads, which may reach past the last row (LayerKernels)
                let n = rowLength(w) * stride + 8
                let raw = UnsafeMutableRawPointer.allocate(byteCount: n * 8, alignment: 64)
                let p = raw.bindMemory(to: Double.self, capacity: n)
                p.initialize(repeating: 0, count: n)
                return p
            }
        }
        self.capacity = capacity
        self.stride = stride
        self.widths = widths
        activations = allocate { $0 }
        sums = allocate { $0 }
        deltas = allocate { $0 }
        transposed = allocate { ($0 + 16) & ~15 }
        let targetCount = (widths.last ?? 1) * stride + 8
        targets = UnsafeMutableRawPointer.allocate(byteCount: targetCount * 8, alignment: 64).bindMemory(to: Double.self, capacity: targetCount)
        targets.initialize(repeating: 0, count: targetCount)
        // the point-major copies carry a column of ones after the layer's values: the weight-gradient
        // kernel gets the bias gradient as one more input (the copies never write that column)
        for (k, w) in widths.enumerated() {
            let rowLength = (w + 16) & ~15
            for s in 0..<stride { transposed[k][s * rowLength + w] = 1 }
        }
    }

    /// Whether this workspace can hold `count` points of `network` (its layers' widths and capacity).
    public func fits(_ network: Network, count: Int) -> Bool {
        count <= capacity && widths.count == network.layers.count + 1 && widths.first == network.features.count
            && zip(widths.dropFirst(), network.layers).allSatisfy { $0 == $1.size }
    }

    /// Bytes a workspace of `capacity` points takes for a network: four copies of every layer's
    /// values (activations, sums, deltas, the point-major copy) and the targets, saturating for
    /// absurd sizes.
    public static func bytesNeeded(network: Network, capacity: Int) -> Int {
        let widths = [network.features.count] + network.layers.map(\.size)
        let perPoint = widths.reduce(0) { $0 + 3 * $1 + (($1 + 16) & ~15) } + (widths.last ?? 1)
        return MemoryBudget.product(vectorLanes(Swift.max(1, capacity)), perPoint, 8)
    }

    /// Row length of layer k's point-major copy: room for its width and a column of ones, rounded up
    /// to 16 (the gradient kernel reads sixteen inputs at a time).
    func transposedStride(_ k: Int) -> Int { (widths[k] + 16) & ~15 }

    deinit {
        for p in activations + sums + deltas + transposed + [targets] { UnsafeMutableRawPointer(p).deallocate() }
    }

    /// Whether this workspace fits the network's layer widths (no allocation: it runs every step).
    public func fits(_ network: Network) -> Bool {
        guard widths.count == network.layers.count + 1, widths[0] == network.features.count else { return false }
        for (k, shape) in network.layers.enumerated() where widths[k + 1] != shape.size { return false }
        return true
    }

    /// Loads the input features of `count` points into layer 0 from point-major rows
    /// (`rows[p * featureCount + f]`), taking the points `indices[0..<count]`.
    public func loadInputs(rows: UnsafePointer<Double>, featureCount: Int, indices: UnsafePointer<Int>, count: Int) {
        let input = activations[0], c = stride
        if featureCount == 2 {   // x and y, the usual features: a loop of two loads and two stores per point
            let xs = input, ys = input + c
            for s in 0..<count {
                let row = rows + indices[s] &* 2
                xs[s] = row[0]
                ys[s] = row[1]
            }
            return
        }
        for s in 0..<count {
            let row = rows + indices[s] * featureCount
            for f in 0..<featureCount { input[f * c + s] = row[f] }
        }
    }

    /// Loads the features of points (x, y) into layer 0.
    public func loadInputs(features: [Feature], xs: UnsafePointer<Double>, ys: UnsafePointer<Double>, count: Int) {
        let input = activations[0], c = stride
        for (f, feature) in features.enumerated() {
            let column = input + f * c
            for s in 0..<count { column[s] = feature.value(x: xs[s], y: ys[s]) }
        }
    }
}
