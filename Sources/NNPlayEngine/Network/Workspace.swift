/// Scratch memory for pushing up to `capacity` points through a network, one layer at a time.
///
/// Every layer's values are stored neuron-major: the values of neuron j for points 0…capacity−1 sit
/// contiguously at `j * capacity`, so a kernel runs along the points of one neuron with unit stride.
/// Layer 0 holds the input features. Allocated once and reused for every batch: no allocation per step.
public final class Workspace {
    public let capacity: Int
    /// Widths of layers 0…L (inputs, hidden, output).
    public let widths: [Int]
    /// Activations a of each layer (layer 0: the input features).
    public let activations: [UnsafeMutablePointer<Double>]
    /// Weighted sums z of each layer (layer 0: unused, equal to the inputs).
    public let sums: [UnsafeMutablePointer<Double>]
    /// ∂loss/∂z of each layer, filled by the backward pass (layer 0: unused).
    public let deltas: [UnsafeMutablePointer<Double>]

    public init(network: Network, capacity: Int) {
        let capacity = Swift.max(1, capacity)
        let widths = [network.features.count] + network.layers.map(\.size)
        func allocate() -> [UnsafeMutablePointer<Double>] {
            widths.map { w in
                let p = UnsafeMutablePointer<Double>.allocate(capacity: w * capacity)
                p.initialize(repeating: 0, count: w * capacity)
                return p
            }
        }
        self.capacity = capacity
        self.widths = widths
        activations = allocate()
        sums = allocate()
        deltas = allocate()
    }

    deinit {
        for p in activations + sums + deltas { p.deallocate() }
    }

    /// Whether this workspace fits the network's layer widths.
    public func fits(_ network: Network) -> Bool {
        widths == [network.features.count] + network.layers.map(\.size)
    }

    /// Activation of neuron j of layer k for point s of the last batch.
    public func activation(layer k: Int, neuron j: Int, point s: Int) -> Double {
        activations[k][j * capacity + s]
    }

    /// Loads the input features of `count` points into layer 0 from point-major rows
    /// (`rows[p * featureCount + f]`), taking the points `indices[0..<count]`.
    public func loadInputs(rows: UnsafePointer<Double>, featureCount: Int, indices: UnsafePointer<Int>, count: Int) {
        let input = activations[0], c = capacity
        for s in 0..<count {
            let row = rows + indices[s] * featureCount
            for f in 0..<featureCount { input[f * c + s] = row[f] }
        }
    }

    /// Loads the features of points (x, y) into layer 0.
    public func loadInputs(features: [Feature], xs: UnsafePointer<Double>, ys: UnsafePointer<Double>, count: Int) {
        let input = activations[0], c = capacity
        for (f, feature) in features.enumerated() {
            let column = input + f * c
            for s in 0..<count { column[s] = feature.value(x: xs[s], y: ys[s]) }
        }
    }
}
