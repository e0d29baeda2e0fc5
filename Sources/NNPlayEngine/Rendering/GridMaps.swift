/// A grid of sample points over a frame: `columns × rows` cells, each sampled at its centre.
/// Row 0 is the top (largest y), as pictures are drawn.
public struct Grid: Equatable, Sendable {
    public let frame: Frame
    public let columns: Int
    public let rows: Int

    public init(frame: Frame, columns: Int, rows: Int) {
        self.frame = frame
        self.columns = Swift.max(1, columns)
        self.rows = Swift.max(1, rows)
    }

    public var count: Int { columns * rows }

    /// x of the centre of column c.
    @inlinable public func x(_ c: Int) -> Double { frame.xMin + (Double(c) + 0.5) * frame.width / Double(columns) }
    /// y of the centre of row r (row 0 at the top).
    @inlinable public func y(_ r: Int) -> Double { frame.yMax - (Double(r) + 0.5) * frame.height / Double(rows) }

    /// The cell a point falls in, or nil outside the frame.
    public func cell(x: Double, y: Double) -> (column: Int, row: Int)? {
        guard frame.contains(x: x, y: y) else { return nil }
        let c = Swift.min(columns - 1, Int((x - frame.xMin) / frame.width * Double(columns)))
        let r = Swift.min(rows - 1, Int((frame.yMax - y) / frame.height * Double(rows)))
        return (c, r)
    }
}

/// What a network computes at every cell of a grid: the activations of the layers asked for, and
/// the predicted class and its confidence from the output.
public struct GridMaps: Sendable {
    public let grid: Grid
    /// Widths of layers 0…H+1.
    public let widths: [Int]
    /// `values[k][j * grid.count + cell]`: activation of neuron j of layer k (empty for layers not asked for).
    public let values: [[Double]]
    /// Predicted class of each cell.
    public let classes: [Int]
    /// Confidence of each cell's class, 0 (a coin toss) … 1 (certain).
    public let confidence: [Double]

    /// The map of one neuron: its activation at every cell, row after row.
    public func map(layer k: Int, neuron j: Int) -> ArraySlice<Double> {
        values[k][(j * grid.count)..<((j + 1) * grid.count)]
    }
}

extension Network {
    /// Evaluates the network at every cell of a grid, keeping the activations of `layers` (0…H+1;
    /// nil = all). Points go through in chunks, a layer at a time, as in training.
    public func gridMaps(_ grid: Grid, layers wanted: Set<Int>? = nil) -> GridMaps {
        let widths = [features.count] + layers.map(\.size)
        let keep = wanted ?? Set(widths.indices)
        let n = grid.count
        var values = widths.indices.map { keep.contains($0) ? [Double](repeating: 0, count: widths[$0] * n) : [] }
        var classes = [Int](repeating: 0, count: n), confidence = [Double](repeating: 0, count: n)
        let chunk = 256
        let ws = Workspace(network: self, capacity: Swift.min(chunk, n))
        var xs = [Double](repeating: 0, count: ws.capacity), ys = xs
        let top = widths.count - 1, outputs = widths[top]
        let k = Double(classCount)
        parameters.withUnsafeBufferPointer { pb in
            guard let p = pb.baseAddress else { return }
            var start = 0
            while start < n {
                let count = Swift.min(chunk, n - start)
                for s in 0..<count {
                    let cell = start + s
                    xs[s] = grid.x(cell % grid.columns)
                    ys[s] = grid.y(cell / grid.columns)
                }
                ws.loadInputs(features: features, xs: xs, ys: ys, count: count)
                forward(ws, count: count, parameters: p)
                for layer in widths.indices where keep.contains(layer) {
                    let a = ws.activations[layer]
                    values[layer].withUnsafeMutableBufferPointer { v in
                        for j in 0..<widths[layer] {
                            for s in 0..<count { v[j * n + start + s] = a[j * ws.capacity + s] }
                        }
                    }
                }
                let out = ws.activations[top]
                for s in 0..<count {
                    let c = predictedClass(ws, point: s)
                    classes[start + s] = c
                    if outputs == 1 {
                        // distance from the threshold, in units of the output's half-range
                        let half = outputActivation == .linear ? 1 : (outputActivation.targetRange.on - outputActivation.threshold)
                        confidence[start + s] = Swift.min(1, abs(out[s] - outputActivation.threshold) / half)
                    } else if outputActivation == .softmax {
                        confidence[start + s] = Swift.max(0, (out[c * ws.capacity + s] - 1 / k) / (1 - 1 / k))
                    } else {
                        // margin between the two largest outputs over the output's range
                        var second = -Double.infinity
                        for j in 0..<outputs where j != c { second = Swift.max(second, out[j * ws.capacity + s]) }
                        let range = outputActivation == .linear ? 2 : (outputActivation.targetRange.on - outputActivation.targetRange.off)
                        confidence[start + s] = Swift.min(1, (out[c * ws.capacity + s] - second) / range)
                    }
                }
                start += count
            }
        }
        return GridMaps(grid: grid, widths: widths, values: values, classes: classes, confidence: confidence)
    }
}
