/// The kernels of one dense layer over a batch of points, neuron-major: a neuron's values for all
/// points are contiguous, `stride` apart from the next neuron's. Loops run eight points at a time;
/// each lane does the same fused multiply-adds in the same order, so a point's result does not
/// depend on where it sits in a batch, nor on how many points share the pass.
///
/// Rows are padded to whole vectors: `stride` is a multiple of 8 and at least `count`
/// (`checkRows`, on entry to every kernel). Vectors are stored only at multiples of 8 below
/// `count`, so a store ends at or before `vectorLanes(count) ≤ stride`: inside its own row,
/// whatever the number of points, the order rows are computed in, or which thread computes them.
/// The extra lanes of a row's last vector compute values from the row's padding, which land in
/// the padding. Loads may reach up to 15 values past a row's last point (into the next row or
/// the buffer's slack of 8); what they bring is never stored outside the padding.
///
/// Index arithmetic uses the wrapping operators (`&+`, `&*`): the indices are bounded by the
/// buffers' sizes, and the overflow checks cost as much as the arithmetic in these loops.
enum LayerKernels {
    /// The layout every kernel relies on: rows padded to whole vectors (see above). A violation is
    /// a programming error that would otherwise corrupt a neighbouring row silently.
    @inline(__always)
    static func checkRows(stride: Int, count: Int) {
        precondition(stride & 7 == 0 && count >= 0 && count <= stride, "neuron-major rows must be padded to whole vectors")
    }

    /// z[j, s] = b[j] + Σᵢ W[j, i]·a[i, s] for s < count.
    ///
    /// Two neurons at a time over sixteen points at a time: each input vector loaded serves both
    /// rows (a load-bound loop otherwise), and eight accumulators hide the FMA latency.
    @inline(__always)
    static func forward(weights w: UnsafePointer<Double>, biases b: UnsafePointer<Double>, inputs: Int, size: Int,
                        input a: UnsafePointer<Double>, inputStride: Int,
                        sums z: UnsafeMutablePointer<Double>, stride: Int, count: Int) {
        checkRows(stride: inputStride, count: count)
        checkRows(stride: stride, count: count)
        var j = 0
        while j &+ 2 <= size {
            let w0 = w + j &* inputs, w1 = w0 + inputs
            let z0 = z + j &* stride, z1 = z0 + stride
            let bias0 = Vec(repeating: b[j]), bias1 = Vec(repeating: b[j &+ 1])
            var c = 0
            while c < count {
                var p0 = bias0, q0 = bias0, p1 = bias1, q1 = bias1
                var ai = a + c
                for i in 0..<inputs {
                    let x0 = ai.vec(0), x1 = ai.vec(8)
                    let u = Vec(repeating: w0[i]), v = Vec(repeating: w1[i])
                    p0 = p0.addingProduct(u, x0); q0 = q0.addingProduct(u, x1)
                    p1 = p1.addingProduct(v, x0); q1 = q1.addingProduct(v, x1)
                    ai += inputStride
                }
                z0.store(p0, c)
                if c &+ 8 < count { z0.store(q0, c &+ 8) }
                z1.store(p1, c)
                if c &+ 8 < count { z1.store(q1, c &+ 8) }
                c &+= 16
            }
            j &+= 2
        }
        if j < size {
            let wj = w + j &* inputs, zj = z + j &* stride, bias = Vec(repeating: b[j])
            var c = 0
            while c < count {
                var p0 = bias, q0 = bias
                var ai = a + c
                for i in 0..<inputs {
                    let u = Vec(repeating: wj[i])
                    p0 = p0.addingProduct(u, ai.vec(0)); q0 = q0.addingProduct(u, ai.vec(8))
                    ai += inputStride
                }
                zj.store(p0, c)
                if c &+ 8 < count { zj.store(q0, c &+ 8) }
                c &+= 16
            }
        }
    }

    /// a[j, s] = f(z[j, s]) for `rows` rows of `count` points (z and a may be the same memory).
    /// Whole vectors: each row's padding lanes are computed too, and stay in the padding.
    @inline(__always)
    static func activate(_ f: Activation, sums z: UnsafePointer<Double>, sumStride: Int,
                         into a: UnsafeMutablePointer<Double>, stride: Int, rows: Int, count: Int) {
        checkRows(stride: sumStride, count: count)
        checkRows(stride: stride, count: count)
        let lanes = vectorLanes(count)
        if lanes == stride && lanes == sumStride {
            run(f, z, a, rows &* lanes)   // the rows are one run of whole vectors
        } else {
            for j in 0..<rows { run(f, z + j &* sumStride, a + j &* stride, lanes) }
        }
    }

    /// out[k] = f(z[k]) for k < n, n a whole number of vectors.
    @inline(__always)
    static func run(_ f: Activation, _ z: UnsafePointer<Double>, _ out: UnsafeMutablePointer<Double>, _ n: Int) {
        precondition(n & 7 == 0, "activation runs are whole vectors")
        switch f {
        case .tanh: tanhRun(z, out, n)
        case .sigmoid: sigmoidRun(z, out, n)
        case .relu: map(z, out, n) { v in v.replacing(with: 0, where: .!(v .> 0)) }
        case .leakyRelu: map(z, out, n) { v in v.replacing(with: v * Activation.leakySlope, where: .!(v .> 0)) }
        case .linear: if UnsafePointer(out) != z { out.update(from: z, count: n) }
        default: for k in 0..<n { out[k] = f.apply(z[k]) }
        }
    }

    /// out = g(v) eight at a time over n values, n a whole number of vectors.
    @inline(__always)
    static func map(_ z: UnsafePointer<Double>, _ out: UnsafeMutablePointer<Double>, _ n: Int, _ g: (Vec) -> Vec) {
        var c = 0
        while c < n {
            out.store(g(z.vec(c)), c)
            c &+= 8
        }
    }

    // The vector functions run in loops of their own: inlined into a large kernel, the compiler's
    // vectoriser split them into scalar lanes (measured: 2–3× slower).

    @inline(never)
    static func tanhRun(_ z: UnsafePointer<Double>, _ out: UnsafeMutablePointer<Double>, _ n: Int) {
        map(z, out, n) { VectorMath.tanh($0) }
    }

    @inline(never)
    static func sigmoidRun(_ z: UnsafePointer<Double>, _ out: UnsafeMutablePointer<Double>, _ n: Int) {
        map(z, out, n) { VectorMath.sigmoid($0) }
    }

    /// δ ← δ · f'(z) over `rows` rows of `count` points, for the activations `backward` does not fuse.
    @inline(never)
    static func multiplyByDerivative(_ f: Activation, _ d: UnsafeMutablePointer<Double>, _ z: UnsafePointer<Double>,
                                     _ a: UnsafePointer<Double>, rows: Int, count: Int, stride: Int) {
        checkRows(stride: stride, count: count)
        for j in 0..<rows {
            let o = j &* stride
            for k in o..<(o &+ count) { d[k] *= f.derivative(z: z[k], a: a[k]) }
        }
    }

    /// ∂b[j] = Σₛ δ[j, s] and ∂W[j, i] = Σₛ δ[j, s]·a[i, s].
    ///
    /// For layers of 4 or more neurons, as sums of outer products: each point's δ (broadcast) times
    /// the point's inputs as one row `aT[s]` (a transposed copy, `rowStride` apart), accumulated in
    /// registers: no horizontal sums. For narrower layers (outputs), as dot products over the points.
    @inline(__always)
    static func weightGradient(delta d: UnsafePointer<Double>, input a: UnsafePointer<Double>, inputs: Int, size: Int,
                               stride: Int, count: Int, transposed aT: UnsafeMutablePointer<Double>, rowStride: Int,
                               weightGradient gw: UnsafeMutablePointer<Double>, biasGradient gb: UnsafeMutablePointer<Double>) {
        checkRows(stride: stride, count: count)
        // lanes of the last, partial vector of a row that hold points (the rest are the row's padding)
        // (compared as doubles: the integer vector compare compiled to a slow lane-by-lane loop)
        let tail = Vec(0, 1, 2, 3, 4, 5, 6, 7) .< Vec(repeating: Double(count & 7))
        guard size >= 4 else {
            var g = gw, dj = d
            for j in 0..<size {
                var ai = a
                for i in 0..<inputs {
                    g[i] = dot(dj, ai, count, tail)
                    ai += stride
                }
                gb[j] = sum(dj, count, tail)
                g += inputs
                dj += stride
            }
            return
        }
        // aT[s][i] = a[i][s]
        var row = aT, column = a
        for _ in 0..<count {
            var src = column
            for i in 0..<inputs {
                row[i] = src.pointee
                src += stride
            }
            row += rowStride
            column += 1
        }
        // The row aT[s] ends with a 1 at `inputs` (see Workspace), so lane `inputs` accumulates Σₛ δ[j, s]:
        // the bias gradient, without a horizontal sum, when that lane falls in the last block of 16
        // anyway (with 16 or 32 inputs it would cost a block of its own: a sum is cheaper then).
        let biasLane = inputs & 15 != 0
        var j = 0
        while j < size {
            let pair = j &+ 1 < size
            let d0 = d + j &* stride, d1 = pair ? d0 + stride : d0
            let g0 = gw + j &* inputs, g1 = g0 + inputs
            if !biasLane {
                gb[j] = sum(d0, count, tail)
                if pair { gb[j &+ 1] = sum(d1, count, tail) }
            }
            let lanes = biasLane ? inputs &+ 1 : inputs
            var i = 0
            while i < lanes {
                var p0 = Vec(), q0 = Vec(), p1 = Vec(), q1 = Vec()
                var r = UnsafePointer(aT) + i
                if lanes &- i <= 8 {   // the last few inputs fit one vector: half the work
                    for s in 0..<count {
                        let x0 = r.vec(0)
                        p0 = p0.addingProduct(Vec(repeating: d0[s]), x0)
                        p1 = p1.addingProduct(Vec(repeating: d1[s]), x0)
                        r += rowStride
                    }
                } else {
                    for s in 0..<count {
                        let x0 = r.vec(0), x1 = r.vec(8)
                        let u = Vec(repeating: d0[s]), v = Vec(repeating: d1[s])
                        p0 = p0.addingProduct(u, x0); q0 = q0.addingProduct(u, x1)
                        p1 = p1.addingProduct(v, x0); q1 = q1.addingProduct(v, x1)
                        r += rowStride
                    }
                }
                if i < inputs {
                    storeRow(p0, q0, into: g0, at: i, upTo: inputs)
                    if pair { storeRow(p1, q1, into: g1, at: i, upTo: inputs) }
                }
                if biasLane && inputs &- i < 16 {
                    let lane = inputs &- i
                    gb[j] = lane < 8 ? p0[lane] : q0[lane &- 8]
                    if pair { gb[j &+ 1] = lane < 8 ? p1[lane] : q1[lane &- 8] }
                }
                i &+= 16
            }
            j &+= 2
        }
    }

    /// Stores 16 values of a weight-gradient row at i, only those before `end` (the gradient is
    /// packed: a row's end is the next row's start, and the last row's is the biases').
    @inline(__always)
    static func storeRow(_ p: Vec, _ q: Vec, into g: UnsafeMutablePointer<Double>, at i: Int, upTo end: Int) {
        if i &+ 16 <= end {
            g.store(p, i)
            g.store(q, i &+ 8)
            return
        }
        if i &+ 8 <= end { g.store(p, i) } else {
            for k in 0..<(end &- i) { g[i &+ k] = p[k] }
            return
        }
        for k in 0..<(end &- i &- 8) { g[i &+ 8 &+ k] = q[k] }
    }

    /// Σₖ x[k] for k < n; `tail` marks the lanes of the last partial vector that lie before n.
    @inline(__always)
    static func sum(_ x: UnsafePointer<Double>, _ n: Int, _ tail: SIMDMask<SIMD8<Int64>>) -> Double {
        var acc = Vec(), c = 0
        while c &+ 8 <= n { acc += x.vec(c); c &+= 8 }
        if c < n { acc += Vec().replacing(with: x.vec(c), where: tail) }
        return acc.sum()
    }

    /// Σₖ x[k]·y[k] for k < n; `tail` as for `sum`.
    @inline(__always)
    static func dot(_ x: UnsafePointer<Double>, _ y: UnsafePointer<Double>, _ n: Int, _ tail: SIMDMask<SIMD8<Int64>>) -> Double {
        var acc = Vec(), c = 0
        while c &+ 8 <= n { acc = acc.addingProduct(x.vec(c), y.vec(c)); c &+= 8 }
        if c < n { acc = acc.addingProduct(Vec().replacing(with: x.vec(c), where: tail), Vec().replacing(with: y.vec(c), where: tail)) }
        return acc.sum()
    }

    /// Whether `backward` applies f' itself (else the caller runs `multiplyByDerivative`).
    static func fusesDerivative(_ f: Activation) -> Bool {
        switch f {
        case .tanh, .sigmoid, .relu, .leakyRelu, .linear: return true
        default: return false
        }
    }

    /// δprev · f'(z) for the derivatives computed from a (tanh, sigmoid) or z (relu, leaky-relu).
    @inline(__always)
    static func withDerivative(_ f: Activation?, _ v: Vec, z: UnsafePointer<Double>, a: UnsafePointer<Double>) -> Vec {
        switch f {
        case .tanh?:
            let av = a.vec(0)
            return v * (1 - av * av)
        case .sigmoid?:
            let av = a.vec(0)
            return v * (av * (1 - av))
        case .relu?:
            return v.replacing(with: 0, where: .!(z.vec(0) .> 0))
        case .leakyRelu?:
            return v.replacing(with: v * Activation.leakySlope, where: .!(z.vec(0) .> 0))
        default:
            return v
        }
    }

    /// δprev[i, s] = Σⱼ W[j, i]·δ[j, s] · f'(z[i, s]) when `derivative` is one that `fusesDerivative`
    /// (nil: no derivative applied); two rows of δprev at a time over sixteen points, as in `forward`.
    @inline(__always)
    static func backward(weights w: UnsafePointer<Double>, inputs: Int, size: Int, delta d: UnsafePointer<Double>,
                         previousDelta pd: UnsafeMutablePointer<Double>, stride: Int, count: Int,
                         derivative f: Activation?, sums z: UnsafePointer<Double>, activations a: UnsafePointer<Double>) {
        checkRows(stride: stride, count: count)
        var i = 0
        while i &+ 2 <= inputs {
            let r0 = pd + i &* stride, r1 = r0 + stride
            let z0 = z + i &* stride, z1 = z0 + stride, a0 = a + i &* stride, a1 = a0 + stride
            var c = 0
            while c < count {
                var p0 = Vec(), q0 = Vec(), p1 = Vec(), q1 = Vec()
                var wj = w + i, dj = d + c
                for _ in 0..<size {
                    let x0 = dj.vec(0), x1 = dj.vec(8)
                    let u = Vec(repeating: wj[0]), v = Vec(repeating: wj[1])
                    p0 = p0.addingProduct(u, x0); q0 = q0.addingProduct(u, x1)
                    p1 = p1.addingProduct(v, x0); q1 = q1.addingProduct(v, x1)
                    wj += inputs
                    dj += stride
                }
                r0.store(withDerivative(f, p0, z: z0 + c, a: a0 + c), c)
                if c &+ 8 < count { r0.store(withDerivative(f, q0, z: z0 + (c &+ 8), a: a0 + (c &+ 8)), c &+ 8) }
                r1.store(withDerivative(f, p1, z: z1 + c, a: a1 + c), c)
                if c &+ 8 < count { r1.store(withDerivative(f, q1, z: z1 + (c &+ 8), a: a1 + (c &+ 8)), c &+ 8) }
                c &+= 16
            }
            i &+= 2
        }
        if i < inputs {
            let r0 = pd + i &* stride, z0 = z + i &* stride, a0 = a + i &* stride
            var c = 0
            while c < count {
                var p0 = Vec(), q0 = Vec()
                var wj = w + i, dj = d + c
                for _ in 0..<size {
                    let u = Vec(repeating: wj[0])
                    p0 = p0.addingProduct(u, dj.vec(0)); q0 = q0.addingProduct(u, dj.vec(8))
                    wj += inputs
                    dj += stride
                }
                r0.store(withDerivative(f, p0, z: z0 + c, a: a0 + c), c)
                if c &+ 8 < count { r0.store(withDerivative(f, q0, z: z0 + (c &+ 8), a: a0 + (c &+ 8)), c &+ 8) }
                c &+= 16
            }
        }
    }
}

/// A count rounded up to whole vectors of 8.
@inline(__always)
func vectorLanes(_ count: Int) -> Int { (count + 7) & ~7 }
