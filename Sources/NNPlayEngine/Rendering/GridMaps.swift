import Foundation
import Dispatch
import Synchronization

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
        let u = (x - frame.xMin) / frame.width * Double(columns), v = (frame.yMax - y) / frame.height * Double(rows)
        // a degenerate frame (zero or non-finite size) has no cells to place a point in
        guard u.isFinite, v.isFinite else { return nil }
        let c = Swift.max(0, Swift.min(columns - 1, Int(u)))
        let r = Swift.max(0, Swift.min(rows - 1, Int(v)))
        return (c, r)
    }
}

/// What a network computes at every cell of a grid: the activations of the layers asked for, and
/// the predicted class and its confidence from the output.
public struct GridMaps: Sendable {
    public let grid: Grid
    /// Widths of layers 0…H+1.
    public let widths: [Int]
    /// Distance between two neurons' maps in a layer's storage: the cell count rounded up to whole vectors.
    public let rowStride: Int
    /// The memory of everything below (written in place by the kernels, so not Swift arrays).
    let storage: GridStorage

    /// Predicted class of each cell.
    public var classes: GridCells<Int> { GridCells(storage: storage, base: storage.classes, count: grid.count) }
    /// Confidence of each cell's class, 0 (a coin toss) … 1 (certain).
    public var confidence: GridCells<Double> { GridCells(storage: storage, base: storage.confidence, count: grid.count) }
    /// A regression network's prediction at each cell (its one output); empty for classification.
    public var values: GridCells<Double> {
        GridCells(storage: storage, base: storage.values ?? storage.confidence, count: storage.values == nil ? 0 : grid.count)
    }

    /// The map of one neuron of a kept layer: its activation at every cell, row after row.
    public func map(layer k: Int, neuron j: Int) -> NeuronMap {
        guard let base = storage.layers[k] else { preconditionFailure("layer \(k) was not kept in these maps") }
        return NeuronMap(storage: storage, base: base + j * rowStride, count: grid.count)
    }

    /// Whether layer k's activations were kept.
    public func keeps(layer k: Int) -> Bool { storage.layers[k] != nil }
}

/// One neuron's activations over a grid, cell after cell.
public typealias NeuronMap = GridCells<Double>

/// One value per cell of a grid, cell after cell, row after row (a view into the maps' storage,
/// which it keeps alive).
public struct GridCells<Element>: RandomAccessCollection, @unchecked Sendable {
    let storage: GridStorage
    let base: UnsafeMutablePointer<Element>
    public let count: Int
    public var startIndex: Int { 0 }
    public var endIndex: Int { count }
    public subscript(i: Int) -> Element {
        precondition(i >= 0 && i < count, "cell out of range")
        return base[i]
    }
}

/// Owns the memory of one set of maps: the kept layers' activations, and each cell's class,
/// confidence and (regression) value. Freed buffers go to a small pool that the next maps reuse:
/// a picture redrawn many times a second (live training) would otherwise pay the operating system
/// for fresh pages every frame (measured: a third of the time of a 256² frame for the layers, and
/// another fifth for the classes and confidences).
final class GridStorage: @unchecked Sendable {
    /// Base of each layer's maps (nil for layers not kept).
    let layers: [UnsafeMutablePointer<Double>?]
    let classes: UnsafeMutablePointer<Int>
    let confidence: UnsafeMutablePointer<Double>
    /// nil for a classification network
    let values: UnsafeMutablePointer<Double>?
    /// Every buffer above with its size in bytes, to give back.
    private let buffers: [(UnsafeMutableRawPointer, Int)]

    /// `layerSizes`: doubles for each layer's maps (nil: not kept).
    init(layerSizes: [Int?], cells: Int, regression: Bool) {
        var buffers: [(UnsafeMutableRawPointer, Int)] = []
        func doubles(_ n: Int) -> UnsafeMutablePointer<Double> {
            let bytes = Swift.max(1, n) * 8, raw = GridStorage.take(bytes: bytes)
            buffers.append((raw, bytes))
            return raw.bindMemory(to: Double.self, capacity: Swift.max(1, n))
        }
        layers = layerSizes.map { size in
            size.map { n in
                let p = doubles(n)
                p.initialize(repeating: 0, count: Swift.min(8, n))   // the kernels write the rest
                return p
            }
        }
        let classBytes = Swift.max(1, cells) * MemoryLayout<Int>.stride, classRaw = GridStorage.take(bytes: classBytes)
        buffers.append((classRaw, classBytes))
        classes = classRaw.bindMemory(to: Int.self, capacity: Swift.max(1, cells))
        confidence = doubles(cells)
        values = regression ? doubles(cells) : nil
        self.buffers = buffers
    }

    deinit {
        for (p, bytes) in buffers { GridStorage.give(p, bytes: bytes) }
    }

    /// Most memory the pool keeps (bytes).
    static let poolLimit = 128 * 1024 * 1024
    /// Addresses and sizes of free buffers (addresses as integers: pointers are not Sendable).
    private static let pool = Mutex<[(address: Int, bytes: Int)]>([])

    /// A buffer of `bytes` (64-byte aligned), from the pool when one of that size is free. The
    /// caller binds it to the type it stores (plain numbers only, so rebinding is safe).
    static func take(bytes: Int) -> UnsafeMutableRawPointer {
        let address = pool.withLock { buffers -> Int? in
            guard let i = buffers.firstIndex(where: { $0.bytes == bytes }) else { return nil }
            return buffers.remove(at: i).address
        }
        return address.flatMap { UnsafeMutableRawPointer(bitPattern: $0) }
            ?? UnsafeMutableRawPointer.allocate(byteCount: bytes, alignment: 64)
    }

    /// Returns a buffer from `take` to the pool (or frees it when the pool is full).
    static func give(_ pointer: UnsafeMutableRawPointer, bytes: Int) {
        let address = Int(bitPattern: pointer)
        let kept = pool.withLock { buffers -> Bool in
            let total = buffers.reduce(0) { $0 + $1.bytes }
            guard total + bytes <= poolLimit else { return false }
            buffers.append((address, bytes))
            return true
        }
        if !kept { pointer.deallocate() }
    }
}

/// Raw pointers handed to the worker threads of the grid (each writes only its own cells).
private struct SharedBuffers: @unchecked Sendable {
    var layers: [UnsafeMutablePointer<Double>?]
    var classes: UnsafeMutablePointer<Int>
    var confidence: UnsafeMutablePointer<Double>
    /// nil for a classification network (nothing to copy)
    var values: UnsafeMutablePointer<Double>?
    /// x of each column's centre (`Grid.x`), computed once for all the rows
    var columnXs: UnsafePointer<Double>
}

extension Network {
    /// Points per piece of work when evaluating a grid: a multiple of 8, so no vector reaches into a
    /// neighbour's cells.
    static let gridChunk = 1024

    /// Evaluates the network at every cell of a grid, keeping the activations of `layers` (0…H+1;
    /// nil = all). The cells are cut into pieces that the cores take in turn, one worker per core
    /// with its own scratch memory; each piece goes through the network a layer at a time, writing
    /// straight into the maps. Every cell gets the same arithmetic whichever core computes it, so
    /// the maps do not depend on the core count.
    public func gridMaps(_ grid: Grid, layers wanted: Set<Int>? = nil) -> GridMaps {
        let widths = [features.count] + layers.map(\.size)
        let keep = wanted ?? Set(widths.indices)
        let n = grid.count, rowStride = vectorLanes(n)
        // each kept layer: its neurons' maps rowStride apart, plus a vector of slack
        let storage = GridStorage(layerSizes: widths.indices.map { keep.contains($0) ? widths[$0] * rowStride + 8 : nil },
                                  cells: n, regression: problem == .regression)
        let columnXs = (0..<grid.columns).map { grid.x($0) }
        let chunk = Network.gridChunk
        let pieces = (n + chunk - 1) / chunk
        let workers = Swift.max(1, Swift.min(pieces, ProcessInfo.processInfo.activeProcessorCount))
        let nextPiece = Atomic<Int>(0)
        // layers that are not kept live in scratch rows of a piece; every layer's weighted sums go
        // to a scratch buffer that stays in the cache, and only activations reach the maps
        let scratchBytes = 3 * Network.scratchRowSize(widths: widths, chunk: chunk) * 8
        let net = self
        parameters.withUnsafeBufferPointer { pb in
            columnXs.withUnsafeBufferPointer { xb in
                guard let p = pb.baseAddress, let xs = xb.baseAddress else { return }
                let params = SharedParameters(pointer: p)
                let shared = SharedBuffers(layers: storage.layers, classes: storage.classes, confidence: storage.confidence,
                                           values: storage.values, columnXs: xs)
                DispatchQueue.concurrentPerform(iterations: workers) { _ in
                    let raw = GridStorage.take(bytes: scratchBytes)
                    defer { GridStorage.give(raw, bytes: scratchBytes) }
                    let scratch = raw.bindMemory(to: Double.self, capacity: scratchBytes / 8)
                    while true {
                        let piece = nextPiece.add(1, ordering: .relaxed).oldValue
                        guard piece < pieces else { break }
                        net.evaluateGridPiece(grid, piece: piece, chunk: chunk, rowStride: rowStride, widths: widths,
                                              shared: shared, scratch: scratch, parameters: params.pointer)
                    }
                }
            }
        }
        return GridMaps(grid: grid, widths: widths, rowStride: rowStride, storage: storage)
    }

    /// Doubles in one of a worker's three scratch rows: the widest layer for a piece, and a vector
    /// of slack.
    static func scratchRowSize(widths: [Int], chunk: Int) -> Int { (widths.max() ?? 1) * chunk + 8 }

    /// One piece of the grid: cells [piece·chunk, …) through every layer. `scratch`: three rows
    /// of the widest layer's size for a piece, this worker's own.
    private func evaluateGridPiece(_ grid: Grid, piece: Int, chunk: Int, rowStride: Int, widths: [Int],
                                   shared: SharedBuffers, scratch base: UnsafeMutablePointer<Double>,
                                   parameters p: UnsafePointer<Double>) {
        let start = piece * chunk, count = Swift.min(chunk, grid.count - start)
        let scratchSize = Network.scratchRowSize(widths: widths, chunk: chunk)
        let scratch = [base, base + scratchSize, base + 2 * scratchSize]
        var storage: [(UnsafeMutablePointer<Double>, Int)] = []
        for k in widths.indices {
            if let kept = shared.layers[k] { storage.append((kept + start, rowStride)) } else { storage.append((scratch[k % 2], chunk)) }
        }
        let sums = scratch[2]
        // layer 0: the input features of each cell (x and y along a grid row, the others from them)
        let (inputs, inputStride) = storage[0]
        for (f, feature) in features.enumerated() {
            let row = inputs + f * inputStride
            var s = 0
            while s < count {
                let cell = start + s, gridRow = cell / grid.columns
                let y = grid.y(gridRow), end = Swift.min(count, s + grid.columns - cell % grid.columns)
                var column = cell % grid.columns
                switch feature {
                case .x:
                    (row + s).update(from: shared.columnXs + column, count: end - s)
                    s = end
                case .y:
                    (row + s).update(repeating: y, count: end - s)
                    s = end
                default:
                    while s < end {
                        row[s] = feature.value(x: shared.columnXs[column], y: y)
                        s += 1
                        column += 1
                    }
                }
            }
        }
        let top = layers.count
        for k in 1...top {
            let shape = layers[k - 1]
            let (input, inStride) = storage[k - 1], (out, outStride) = storage[k]
            LayerKernels.forward(weights: p + shape.weightOffset, biases: p + shape.biasOffset, inputs: shape.inputs,
                                 size: shape.size, input: input, inputStride: inStride, sums: sums, stride: chunk, count: count)
            if let f = k < top ? hiddenActivations[k - 1] : outputActivation.elementwise {
                LayerKernels.activate(f, sums: sums, sumStride: chunk, into: out, stride: outStride, rows: shape.size, count: count)
            } else {
                softmax(sums, sums, size: shape.size, count: count, stride: chunk)
                for j in 0..<shape.size { (out + j * outStride).update(from: sums + j * chunk, count: count) }
            }
        }
        let (out, outStride) = storage[top]
        shared.values.map { ($0 + start).update(from: out, count: count) }
        classify(out, stride: outStride, count: count, classes: shared.classes + start, confidence: shared.confidence + start)
    }

    /// The class and confidence of `count` points from the output layer's activations.
    private func classify(_ out: UnsafePointer<Double>, stride: Int, count: Int,
                          classes: UnsafeMutablePointer<Int>, confidence: UnsafeMutablePointer<Double>) {
        let outputs = outputCount, k = Double(classCount)
        let threshold = outputActivation.threshold
        let half = outputActivation == .linear ? 1 : (outputActivation.targetRange.on - threshold)
        var first = 0
        if outputs == 1 && MemoryLayout<Int>.size == 8 {
            // eight cells at a time, the same arithmetic as below: the class is whether the output is
            // above the threshold, the confidence min(1, |a − threshold| / half)
            let t = Vec(repeating: threshold), h = Vec(repeating: half), one = Vec(repeating: 1)
            let magnitude = SIMD8<UInt64>(repeating: 0x7FFF_FFFF_FFFF_FFFF)
            while first + 8 <= count {
                let a = out.vec(first)
                let q = unsafeBitCast(unsafeBitCast(a - t, to: SIMD8<UInt64>.self) & magnitude, to: Vec.self) / h
                (confidence + first).store(one.replacing(with: q, where: q .< one), 0)
                let above = SIMD8<Int64>(repeating: 0).replacing(with: 1, where: a .> t)
                UnsafeMutableRawPointer(classes + first).storeBytes(of: above, as: SIMD8<Int64>.self)
                first += 8
            }
        }
        for s in first..<count {
            let c = predictedClass(outputs: out + s, stride: stride)
            classes[s] = c
            if outputs == 1 {
                // distance from the threshold, in units of the output's half-range
                confidence[s] = Swift.min(1, abs(out[s] - threshold) / half)
            } else if outputActivation == .softmax {
                confidence[s] = Swift.max(0, (out[c * stride + s] - 1 / k) / (1 - 1 / k))
            } else {
                // margin between the two largest outputs over the output's range
                var second = -Double.infinity
                for j in 0..<outputs where j != c { second = Swift.max(second, out[j * stride + s]) }
                let range = outputActivation == .linear ? 2 : (outputActivation.targetRange.on - outputActivation.targetRange.off)
                confidence[s] = Swift.min(1, (out[c * stride + s] - second) / range)
            }
        }
    }
}

private struct SharedParameters: @unchecked Sendable {
    let pointer: UnsafePointer<Double>
}
