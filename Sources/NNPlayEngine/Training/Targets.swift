/// What the output neurons aim at. The loss and its gradient read a target matrix, neuron-major like
/// the output layer (`Workspace.targets`), never labels: classification writes each point's class as
/// every output's "on" or "off" value, so that all problems share one loss path and backpropagation
/// has no special case.
public struct TargetEncoding: Sendable {
    public let output: OutputActivation
    /// Output neurons.
    public let size: Int

    public init(output: OutputActivation, size: Int) {
        self.output = output
        self.size = size
    }

    /// The target of output k for a point of class c: the output's "on" value when k = c (a single
    /// output: when c = 1), else its "off" value (0/1 for sigmoid and softmax, −1/1 for tanh and linear).
    @inline(__always)
    public func target(output k: Int, label c: Int) -> Double {
        let on = size == 1 ? (c == 1) : (k == c)
        let range = output.targetRange
        return on ? range.on : range.off
    }

    /// Writes the targets of points of classes `labels[0..<count]` into a neuron-major matrix.
    public func write(labels: UnsafePointer<Int>, count: Int, into y: UnsafeMutablePointer<Double>, stride: Int) {
        for k in 0..<size {
            let row = y + k * stride
            for s in 0..<count { row[s] = target(output: k, label: labels[s]) }
        }
    }

    /// The targets of one point of class `label`, output by output.
    public func targets(label: Int) -> [Double] { (0..<size).map { target(output: $0, label: label) } }
}

extension Workspace {
    /// Loads the targets of `count` points of classes `labels` for a network's outputs.
    public func loadTargets(labels: UnsafePointer<Int>, count: Int, for network: Network) {
        TargetEncoding(output: network.outputActivation, size: network.outputCount)
            .write(labels: labels, count: count, into: targets, stride: stride)
    }

    /// `loadTargets` from an array.
    public func loadTargets(labels: [Int], for network: Network) {
        labels.withUnsafeBufferPointer { l in
            guard let base = l.baseAddress else { return }
            loadTargets(labels: base, count: l.count, for: network)
        }
    }
}
