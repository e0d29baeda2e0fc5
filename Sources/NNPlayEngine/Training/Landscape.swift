import Dispatch
import Foundation

/// One axis of a loss landscape: a single weight or bias, moved in its own units.
public enum LandscapeAxis: Equatable, Sendable {
    /// The weight from input `input` into neuron `neuron` of layer `layer` (1…H+1; 0-based indices).
    case weight(layer: Int, neuron: Int, input: Int)
    /// The bias of neuron `neuron` of layer `layer` (1…H+1).
    case bias(layer: Int, neuron: Int)

    /// Its index in the network's parameter vector.
    public func parameterIndex(in net: Network) -> Int {
        switch self {
        case let .weight(k, j, i): return net.layers[k - 1].weightIndex(neuron: j, input: i)
        case let .bias(k, j): return net.layers[k - 1].biasOffset + j
        }
    }

    /// Its name in the command language, e.g. `1.1:2` or `out.1:b`.
    public func name(in net: Network) -> String {
        switch self {
        case let .weight(k, j, i): return "\(net.neuronName(layer: k, neuron: j)):\(i + 1)"
        case let .bias(k, j): return "\(net.neuronName(layer: k, neuron: j)):b"
        }
    }
}

/// The two directions of a landscape's plane.
public enum LandscapeDirections: Equatable, Sendable {
    /// Two named parameters (they must differ).
    case named(LandscapeAxis, LandscapeAxis)
    /// Two random directions from the seed, filter-normalised (Li et al. 2018).
    case random(seed: UInt64)
}

/// A point of the plane: u along the first direction, v along the second.
public struct LandscapePoint: Equatable, Sendable {
    public var u: Double
    public var v: Double
}

/// The mean training loss (no regularisation) over a plane of weight space through the current
/// weights θ: cell (c, r) holds loss(θ + u·d1 + v·d2), u and v running over ±span in odd numbers
/// of cells, so the centre cell is θ itself and the edges lie at ±span.
public struct Landscape: Equatable, Sendable {
    public let axes: [String]
    public let span: Double
    public let columns: Int
    public let rows: Int
    /// Row after row, row 0 at v = −span; within a row u from −span to +span. May hold inf or NaN.
    public let loss: [Double]
    /// The optimiser's path projected on the plane, oldest first; ends at the centre when it is known.
    public let path: [LandscapePoint]
    /// Epochs the path covers (from its first snapshot to now).
    public let pathEpochs: Int

    /// u of column c.
    public func u(_ c: Int) -> Double { Landscape.coordinate(c, columns, span) }
    /// v of row r (row 0 at −span).
    public func v(_ r: Int) -> Double { Landscape.coordinate(r, rows, span) }
    /// The loss at cell (c, r).
    public func value(_ c: Int, _ r: Int) -> Double { loss[r * columns + c] }
    /// The loss at the centre: the current weights'.
    public var centre: Double { value(columns / 2, rows / 2) }

    /// −span … +span in n steps; exactly 0 at the middle and ±span at the ends.
    static func coordinate(_ i: Int, _ n: Int, _ span: Double) -> Double {
        n <= 1 ? 0 : span * (Double(2 * i - (n - 1)) / Double(n - 1))
    }

    /// The lowest finite loss and its cell's (u, v), if any cell is finite.
    public var lowest: (loss: Double, u: Double, v: Double)? {
        var best: (Double, Int)?
        for (i, x) in loss.enumerated() where x.isFinite && x < (best?.0 ?? .infinity) { best = (x, i) }
        return best.map { ($0.0, u($0.1 % columns), v($0.1 / columns)) }
    }

    /// Bytes a landscape of `columns × rows` takes while computed: its losses, a parameter vector
    /// per worker thread, and the two random directions with their copies.
    public static func bytesNeeded(columns: Int, rows: Int, parameterCount: Int) -> Int {
        let workers = Swift.max(1, Swift.min(rows, ProcessInfo.processInfo.activeProcessorCount))
        return MemoryBudget.sum(MemoryBudget.product(columns, rows, 8), MemoryBudget.product(workers + 6, parameterCount, 8))
    }
}

extension Network {
    /// Two random directions in parameter space, filter-normalised as in Li et al. 2018: every
    /// neuron's incoming-weight row of a direction is scaled to the norm of that row in the current
    /// weights, so that the plane is as wide, neuron by neuron, as the weights themselves; biases 0.
    public func filterNormalizedDirections(seed: UInt64) -> ([Double], [Double]) {
        var rng = SeededGenerator(seed: seed, stream: .landscape)
        func draw() -> [Double] {
            var d = [Double](repeating: 0, count: parameterCount)
            for shape in layers {
                for j in 0..<shape.size {
                    let start = shape.weightIndex(neuron: j, input: 0)
                    var dNorm = 0.0, wNorm = 0.0
                    for i in start..<(start + shape.inputs) {
                        d[i] = rng.nextNormal()
                        dNorm += d[i] * d[i]
                        wNorm += parameters[i] * parameters[i]
                    }
                    let scale = dNorm > 0 ? (wNorm / dNorm).squareRoot() : 0
                    for i in start..<(start + shape.inputs) { d[i] *= scale }
                }
            }
            return d
        }
        let d1 = draw()
        return (d1, draw())
    }
}

/// Raw output rows handed to the worker threads (each writes only its own row).
private struct SharedLosses: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<Double>
}

extension Playground {
    /// The landscape of the mean training loss around the current weights, `columns × rows` cells
    /// (both odd) over ±span. Rows are shared out to both cores; every cell is measured by the same
    /// `metrics` as `stats`, so the centre equals train-loss exactly.
    public func landscape(_ directions: LandscapeDirections, span: Double, columns: Int, rows: Int) throws -> Landscape {
        let train = dataset.trainIndices
        guard !train.isEmpty else {
            throw NNPlayError("there are no training points (test=\(formatNumber(dataset.testFraction))): a landscape measures the training loss; hold out fewer with `data split test=0.5`")
        }
        guard columns % 2 == 1, rows % 2 == 1, span.isFinite, span > 0 else {
            throw NNPlayError("a landscape has odd sides and a finite span > 0")
        }
        let net = network, theta = network.parameters, data = dataset, loss = settings.loss
        let n = theta.count
        let names: [String]
        // the parameters of cell (u, v), written into `p`
        let fill: @Sendable (UnsafeMutablePointer<Double>, Double, Double) -> Void
        let project: ([Double]) -> LandscapePoint
        switch directions {
        case let .named(a, b):
            let i1 = a.parameterIndex(in: net), i2 = b.parameterIndex(in: net)
            guard i1 != i2 else { throw NNPlayError("the two axes are the same parameter (\(a.name(in: net)))") }
            names = [a.name(in: net), b.name(in: net)]
            fill = { p, u, v in
                p[i1] = theta[i1] + u
                p[i2] = theta[i2] + v
            }
            project = { s in LandscapePoint(u: s[i1] - theta[i1], v: s[i2] - theta[i2]) }
        case let .random(seed):
            let (d1, d2) = net.filterNormalizedDirections(seed: seed)
            names = ["random-1", "random-2"]
            fill = { p, u, v in
                for i in 0..<n { p[i] = (theta[i] + u * d1[i]) + v * d2[i] }
            }
            project = { s in Landscape.project(s, theta: theta, d1, d2) }
        }
        var values = [Double](repeating: .nan, count: columns * rows)
        values.withUnsafeMutableBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return }
            let out = SharedLosses(pointer: base)
            DispatchQueue.concurrentPerform(iterations: rows) { r in
                let p = UnsafeMutablePointer<Double>.allocate(capacity: Swift.max(1, n))
                defer { p.deallocate() }
                theta.withUnsafeBufferPointer { t in
                    if let tb = t.baseAddress { p.update(from: tb, count: n) }
                }
                let v = Landscape.coordinate(r, rows, span)
                // one workspace for the row's cells (this thread's alone)
                let ws = Workspace(network: net, capacity: Swift.min(Network.evaluationChunk, Swift.max(1, train.count)))
                for c in 0..<columns {
                    fill(p, Landscape.coordinate(c, columns, span), v)
                    out.pointer[r * columns + c] = net.metrics(on: data, indices: train, loss: loss, parameters: p, reusing: ws)?.loss ?? .nan
                }
            }
        }
        // the path: snapshots of this network's shape (an architecture change leaves none that fit)
        let snapshots = progress.path.snapshots.filter { $0.parameters.count == n }
        var path = snapshots.count == progress.path.snapshots.count ? snapshots.map { project($0.parameters) } : []
        if !path.isEmpty, snapshots.last?.parameters != theta { path.append(LandscapePoint(u: 0, v: 0)) }
        let epochs = path.isEmpty ? 0 : progress.epoch - (snapshots.first?.epoch ?? progress.epoch)
        return Landscape(axes: names, span: span, columns: columns, rows: rows, loss: values, path: path, pathEpochs: epochs)
    }
}

extension Landscape {
    /// The least-squares coordinates of s − θ in the plane of d1 and d2 (the 2×2 Gram system);
    /// a degenerate plane (directions parallel or 0) projects on each direction alone.
    static func project(_ s: [Double], theta: [Double], _ d1: [Double], _ d2: [Double]) -> LandscapePoint {
        var a = 0.0, b = 0.0, c = 0.0, x1 = 0.0, x2 = 0.0
        for i in s.indices {
            let x = s[i] - theta[i]
            a += d1[i] * d1[i]; b += d1[i] * d2[i]; c += d2[i] * d2[i]
            x1 += d1[i] * x; x2 += d2[i] * x
        }
        let det = a * c - b * b
        if det > 1e-12 * Swift.max(a * c, .leastNormalMagnitude), det.isFinite {
            return LandscapePoint(u: (c * x1 - b * x2) / det, v: (a * x2 - b * x1) / det)
        }
        return LandscapePoint(u: a > 0 ? x1 / a : 0, v: c > 0 ? x2 / c : 0)
    }
}
