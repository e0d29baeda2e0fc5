import Foundation
import Testing
@testable import NNPlayEngine

/// The layout the kernels rely on, checked directly: rows padded to whole vectors, no store outside a
/// kernel's own rows, and a trap (not silent corruption) when a caller hands them unpadded rows.
@Suite struct KernelLayoutTests {
    @Test func workspaceRowsArePaddedToWholeVectorsAtEveryCapacity() throws {
        let net = try Network(features: [.x, .y], hidden: [(3, .tanh)], classes: 2)
        for capacity in 1...300 {
            let ws = Workspace(network: net, capacity: capacity)
            #expect(ws.stride % 8 == 0 && ws.stride >= capacity && ws.stride < capacity + 8, "capacity \(capacity): stride \(ws.stride)")
        }
    }

    /// Rows of `rows × stride` values followed by a guard region; every value starts as `fill`.
    struct Rows {
        let stride: Int, rows: Int
        let buffer: UnsafeMutablePointer<Double>
        static let guardLength = 64
        init(rows: Int, stride: Int, fill: Double) {
            self.rows = rows
            self.stride = stride
            let n = rows * stride + Rows.guardLength
            buffer = .allocate(capacity: n)
            buffer.initialize(repeating: fill, count: n)
        }
        func free() { buffer.deallocate() }
        subscript(j: Int, s: Int) -> Double {
            get { buffer[j * stride + s] }
            nonmutating set { buffer[j * stride + s] = newValue }
        }
        /// Whether the guard region after the rows still holds `fill` everywhere.
        func guardHolds(_ fill: Double) -> Bool {
            for k in (rows * stride)..<(rows * stride + Rows.guardLength) where buffer[k].bitPattern != fill.bitPattern { return false }
            return true
        }
    }

    @Test func kernelsWriteEveryPointOfTheirRowsAndNothingPastThem() {
        let sentinel = -12345.678
        var rng = SeededGenerator(seed: 5, stream: .data)
        for count in 1...70 {
            let stride = vectorLanes(count)
            for (inputs, size) in [(1, 1), (2, 3), (3, 2), (5, 4), (4, 7)] {
                let a = Rows(rows: inputs, stride: stride, fill: 0)
                let z = Rows(rows: size, stride: stride, fill: sentinel)
                let out = Rows(rows: size, stride: stride, fill: sentinel)
                defer { a.free(); z.free(); out.free() }
                for i in 0..<inputs { for s in 0..<count { a[i, s] = rng.nextUniform(-2, 2) } }
                let w = (0..<(inputs * size)).map { _ in rng.nextUniform(-1, 1) }
                let b = (0..<size).map { _ in rng.nextUniform(-1, 1) }
                LayerKernels.forward(weights: w, biases: b, inputs: inputs, size: size, input: a.buffer, inputStride: stride,
                                     sums: z.buffer, stride: stride, count: count)
                LayerKernels.activate(.tanh, sums: z.buffer, sumStride: stride, into: out.buffer, stride: stride, rows: size, count: count)
                var worst = 0.0
                for j in 0..<size {
                    for s in 0..<count {
                        var expected = b[j]
                        for i in 0..<inputs { expected += w[j * inputs + i] * a[i, s] }
                        worst = max(worst, abs(z[j, s] - expected), abs(out[j, s] - tanh(expected)))
                    }
                }
                #expect(worst < 1e-14, "count \(count), \(inputs)→\(size): largest difference \(worst)")
                #expect(z.guardHolds(sentinel) && out.guardHolds(sentinel),
                        "count \(count), \(inputs)→\(size): a kernel wrote past its rows")
            }
        }
    }

    @Test func aKernelHandedUnpaddedRowsStopsInsteadOfCorruptingTheNextRow() async {
        await #expect(processExitsWith: .failure) {
            let z = UnsafeMutablePointer<Double>.allocate(capacity: 128)
            z.initialize(repeating: 0, count: 128)
            // rows 20 apart: the 8-wide store at point 16 would spill into the next row
            LayerKernels.forward(weights: [1, 1], biases: [0, 0], inputs: 1, size: 2, input: z, inputStride: 20,
                                 sums: z + 64, stride: 20, count: 20)
        }
    }
}
