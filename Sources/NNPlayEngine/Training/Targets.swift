/// What the output neurons aim at. The loss and its gradient read a target matrix, neuron-major like
/// the output layer (`Workspace.targets`), never labels: classification writes each point's class as
/// every output's "on" or "off" value, so that all problems share one loss path and backpropagation
/// has no special case. Regression writes each point's real target as the single output's aim.
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
        target(output: k, label: c, range: output.targetRange)
    }

    /// The same with the output's target range given: the loops below look it up once, not per
    /// point (per point it was a fifth of measuring a large set's metrics).
    @inline(__always)
    func target(output k: Int, label c: Int, range: (off: Double, on: Double)) -> Double {
        let on = size == 1 ? (c == 1) : (k == c)
        return on ? range.on : range.off
    }

    /// Writes the targets of points of classes `labels[0..<count]` into a neuron-major matrix.
    public func write(labels: UnsafePointer<Int>, count: Int, into y: UnsafeMutablePointer<Double>, stride: Int) {
        let range = output.targetRange
        for k in 0..<size {
            let row = y + k * stride
            for s in 0..<count { row[s] = target(output: k, label: labels[s], range: range) }
        }
    }

    /// Writes the targets of the dataset's points `points[0..<count]`: their classes' encodings, or
    /// (regression data) their real values.
    public func write(points: UnsafePointer<Int>, count: Int, of data: Dataset, into y: UnsafeMutablePointer<Double>, stride: Int) {
        let regression = data.problem == .regression
        data.labels.withUnsafeBufferPointer { labels in
            data.values.withUnsafeBufferPointer { values in
                write(points: points, count: count, labels: regression ? nil : labels.baseAddress,
                      values: regression ? values.baseAddress : nil, into: y, stride: stride)
            }
        }
    }

    /// The same from the dataset's labels (classification) or values (regression), one of which is
    /// given: raw buffers, which a training step reads without reference counting.
    func write(points: UnsafePointer<Int>, count: Int, labels: UnsafePointer<Int>?, values: UnsafePointer<Double>?,
               into y: UnsafeMutablePointer<Double>, stride: Int) {
        if let values {
            for k in 0..<size {
                let row = y + k * stride
                for s in 0..<count { row[s] = values[points[s]] }
            }
            return
        }
        guard let labels else { return }
        let range = output.targetRange
        for k in 0..<size {
            let row = y + k * stride
            for s in 0..<count { row[s] = target(output: k, label: labels[points[s]], range: range) }
        }
    }
}

extension Workspace {
    /// Loads the targets of `count` points of classes `labels` for a network's outputs.
    public func loadTargets(labels: UnsafePointer<Int>, count: Int, for network: Network) {
        TargetEncoding(output: network.outputActivation, size: network.outputCount)
            .write(labels: labels, count: count, into: targets, stride: stride)
    }

    /// Loads the targets of the dataset's points `points[0..<count]` (classes or real values).
    public func loadTargets(points: UnsafePointer<Int>, count: Int, of data: Dataset, for network: Network) {
        TargetEncoding(output: network.outputActivation, size: network.outputCount)
            .write(points: points, count: count, of: data, into: targets, stride: stride)
    }

    /// `loadTargets(points:…)` from an array.
    public func loadTargets(points: [Int], of data: Dataset, for network: Network) {
        points.withUnsafeBufferPointer { p in
            guard let base = p.baseAddress else { return }
            loadTargets(points: base, count: p.count, of: data, for: network)
        }
    }

    /// Loads given real targets (regression), the same aim for every output, point after point.
    public func loadTargets(values: [Double], for network: Network) {
        for k in 0..<network.outputCount {
            for (s, v) in values.enumerated() { targets[k * stride + s] = v }
        }
    }

    /// `loadTargets` from an array.
    public func loadTargets(labels: [Int], for network: Network) {
        labels.withUnsafeBufferPointer { l in
            guard let base = l.baseAddress else { return }
            loadTargets(labels: base, count: l.count, for: network)
        }
    }
}
