/// Mean loss and accuracy (classification) or RMSE and r² (regression) of a network over a set of points.
public struct Metrics: Equatable, Sendable {
    /// Mean per-point data loss (without the regularisation term).
    public var loss: Double
    /// Fraction of points classified correctly; nil for regression.
    public var accuracy: Double?
    /// Regression: the root of the mean squared error √(Σ(a − y)² / n) of the output; nil for classification.
    public var rmse: Double?
    /// Regression: the coefficient of determination 1 − Σ(a − y)² / Σ(y − ȳ)², ȳ the mean target of
    /// these points (1 = perfect, 0 = no better than predicting ȳ); nil for classification, and
    /// when every target is the same (it would divide by 0).
    public var r2: Double?
    /// Number of points measured.
    public var count: Int

    public init(loss: Double, accuracy: Double?, rmse: Double? = nil, r2: Double? = nil, count: Int) {
        self.loss = loss
        self.accuracy = accuracy
        self.rmse = rmse
        self.r2 = r2
        self.count = count
    }
}

extension Network {
    /// Points per forward pass when measuring a set.
    public static let evaluationChunk = 256

    /// Loss and accuracy over the points `indices` of a dataset; nil when there are no points.
    public func metrics(on data: Dataset, indices: [Int], loss: Loss) -> Metrics? {
        parameters.withUnsafeBufferPointer { buffer in
            guard let p = buffer.baseAddress else { return nil }
            return metrics(on: data, indices: indices, loss: loss, parameters: p)
        }
    }

    /// `metrics(on:indices:loss:)` with the parameters taken from `p`.
    /// `reusing`: a workspace of this network to compute in (training measures every epoch, and a
    /// fresh 256-point workspace cost about as much as the forward pass itself); nil: a new one.
    public func metrics(on data: Dataset, indices: [Int], loss: Loss, parameters p: UnsafePointer<Double>,
                        reusing workspace: Workspace? = nil) -> Metrics? {
        guard !indices.isEmpty else { return nil }
        let kernel = LossKernel(loss: loss, output: outputActivation, size: outputCount)
        let n = Double(indices.count)
        var totalLoss = 0.0, correct = 0, squared = 0.0
        forEachChunk(of: data, indices: indices, parameters: p, reusing: workspace) { ws, chunk, count in
            totalLoss += kernel.sum(ws, count: count)
            if data.problem == .regression {
                let a = ws.activations[ws.widths.count - 1]
                for s in 0..<count {
                    let d = a[s] - data.values[chunk[s]]
                    squared += d * d
                }
            } else {
                for s in 0..<count where predictedClass(ws, point: s) == data.labels[chunk[s]] { correct += 1 }
            }
        }
        guard data.problem == .regression else {
            return Metrics(loss: totalLoss / n, accuracy: Double(correct) / n, count: indices.count)
        }
        var mean = 0.0
        for i in indices { mean += data.values[i] }
        mean /= n
        var spread = 0.0
        for i in indices { spread += (data.values[i] - mean) * (data.values[i] - mean) }
        let rmse = (squared / n).squareRoot()
        // a non-finite output gives no r², as it gives an infinite loss
        let r2: Double? = spread > 0 && squared.isFinite ? 1 - squared / spread : nil
        return Metrics(loss: totalLoss / n, accuracy: nil, rmse: squared.isFinite ? rmse : .infinity, r2: r2, count: indices.count)
    }

    /// The confusion matrix over the points `indices`: `matrix[actual][predicted]`.
    public func confusion(on data: Dataset, indices: [Int]) -> [[Int]] {
        var matrix = [[Int]](repeating: [Int](repeating: 0, count: data.classCount), count: data.classCount)
        parameters.withUnsafeBufferPointer { buffer in
            guard let p = buffer.baseAddress else { return }
            forEachChunk(of: data, indices: indices, parameters: p) { ws, chunk, count in
                for s in 0..<count {
                    let predicted = predictedClass(ws, point: s)
                    if predicted < data.classCount { matrix[data.labels[chunk[s]]][predicted] += 1 }
                }
            }
        }
        return matrix
    }

    /// The class predicted for point s of the last forward pass in a workspace.
    func predictedClass(_ ws: Workspace, point s: Int) -> Int {
        predictedClass(outputs: ws.activations[ws.widths.count - 1] + s, stride: ws.stride)
    }

    /// The first layer (1…H hidden, H+1 output) whose weighted sums on the points `indices` are not
    /// finite or larger than 1e100 in size: where the values blew up when a loss became inf or NaN.
    public func firstOverflowingLayer(on data: Dataset, indices: [Int], parameters p: UnsafePointer<Double>) -> Int? {
        var first: Int?
        forEachChunk(of: data, indices: indices, parameters: p) { ws, _, count in
            for k in 1..<ws.widths.count where first.map({ k < $0 }) ?? true {
                let z = ws.sums[k]
                var blewUp = false
                for j in 0..<ws.widths[k] where !blewUp {
                    for s in 0..<count where !(abs(z[j * ws.stride + s]) <= 1e100) { blewUp = true; break }
                }
                if blewUp { first = k; break }
            }
        }
        return first
    }

    /// Runs the forward pass over the points `indices` of a dataset 256 at a time, with their targets
    /// loaded, handing `body` each chunk's workspace, its points and their number. The points are
    /// gathered through raw buffers: per point, array subscripts and closure calls had cost a
    /// measurable share of measuring a large set.
    func forEachChunk(of data: Dataset, indices: [Int], parameters p: UnsafePointer<Double>, reusing workspace: Workspace? = nil,
                      _ body: (Workspace, UnsafeBufferPointer<Int>, Int) -> Void) {
        let n = indices.count
        guard n > 0 else { return }
        let chunkSize = Self.evaluationChunk
        // each point's values are its own lanes' (whatever the rest of the workspace holds): reuse is exact
        let ws = workspace.flatMap { $0.fits(self, count: Swift.min(chunkSize, n)) ? $0 : nil }
            ?? Workspace(network: self, capacity: Swift.min(chunkSize, n))
        let targets = TargetEncoding(output: outputActivation, size: outputCount)
        let regression = data.problem == .regression
        var xs = [Double](repeating: 0, count: ws.capacity), ys = xs
        indices.withUnsafeBufferPointer { all in
            data.xs.withUnsafeBufferPointer { dx in
            data.ys.withUnsafeBufferPointer { dy in
            data.labels.withUnsafeBufferPointer { labels in
            data.values.withUnsafeBufferPointer { values in
            xs.withUnsafeMutableBufferPointer { cx in
            ys.withUnsafeMutableBufferPointer { cy in
                guard let base = all.baseAddress, let px = dx.baseAddress, let py = dy.baseAddress,
                      let gx = cx.baseAddress, let gy = cy.baseAddress else { return }
                var start = 0
                while start < n {
                    let count = Swift.min(chunkSize, n - start)
                    let chunk = base + start
                    for s in 0..<count {
                        let i = chunk[s]
                        gx[s] = px[i]
                        gy[s] = py[i]
                    }
                    ws.loadInputs(features: features, xs: gx, ys: gy, count: count)
                    forward(ws, count: count, parameters: p)
                    targets.write(points: chunk, count: count, labels: regression ? nil : labels.baseAddress,
                                  values: regression ? values.baseAddress : nil, into: ws.targets, stride: ws.stride)
                    body(ws, UnsafeBufferPointer(start: chunk, count: count), count)
                    start += count
                }
            }}}}}}}
    }

    /// Runs the forward pass over points 0..<n (point i at `x(i)`, `y(i)`) 256 at a time, handing
    /// `body` each chunk's workspace, its first point and its size.
    func forEachChunk(_ n: Int, x: (Int) -> Double, y: (Int) -> Double, parameters p: UnsafePointer<Double>,
                      reusing workspace: Workspace? = nil, _ body: (Workspace, Int, Int) -> Void) {
        let chunkSize = Self.evaluationChunk
        // each point's values are its own lanes' (whatever the rest of the workspace holds): reuse is exact
        let ws = workspace.flatMap { $0.fits(self, count: Swift.min(chunkSize, n)) ? $0 : nil }
            ?? Workspace(network: self, capacity: Swift.min(chunkSize, n))
        var xs = [Double](repeating: 0, count: ws.capacity), ys = xs
        var start = 0
        while start < n {
            let count = Swift.min(chunkSize, n - start)
            for s in 0..<count { xs[s] = x(start + s); ys[s] = y(start + s) }
            ws.loadInputs(features: features, xs: xs, ys: ys, count: count)
            forward(ws, count: count, parameters: p)
            body(ws, start, count)
            start += count
        }
    }
}
