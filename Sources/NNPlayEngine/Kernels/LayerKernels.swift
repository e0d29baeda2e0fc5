/// The kernels of one dense layer over a batch of points, neuron-major: a neuron's values for all
/// points are contiguous, `stride` apart from the next neuron's. Loops run eight points at a time;
/// each lane does the same fused multiply-adds in the same order, so a point's result does not
/// depend on where it sits in a batch.
///
/// The last vector of a row may reach up to 7 values past the row's end, reading and writing: rows
/// are computed in ascending order (so whatever lands in the next row is overwritten when that row
/// is computed) and every buffer has a vector's worth of slack at its end. Callers must not run two
/// kernels on neighbouring rows at once.
///
/// Index arithmetic uses the wrapping operators (`&+`, `&*`): the indices are bounded by the
/// buffers' sizes, and the overflow checks cost as much as the arithmetic in these loops.
enum LayerKernels {
    /// z[j, s] = b[j] + Σᵢ W[j, i]·a[i, s] for s < count.
    @inline(__always)
    static func forward(weights w: UnsafePointer<Double>, biases b: UnsafePointer<Double>, inputs: Int, size: Int,
                        input a: UnsafePointer<Double>, inputStride: Int,
                        sums z: UnsafeMutablePointer<Double>, stride: Int, count: Int) {
        var wj = w, zj = z
        for j in 0..<size {
            let bias = Vec(repeating: b[j])
            var c = 0
            // four vectors at once: independent accumulators hide the FMA latency
            while c &+ 32 <= count {
                var a0 = bias, a1 = bias, a2 = bias, a3 = bias
                var ai = a + c
                for i in 0..<inputs {
                    let wi = Vec(repeating: wj[i])
                    a0 = a0.addingProduct(wi, ai.vec(0))
                    a1 = a1.addingProduct(wi, ai.vec(8))
                    a2 = a2.addingProduct(wi, ai.vec(16))
                    a3 = a3.addingProduct(wi, ai.vec(24))
                    ai += inputStride
                }
                zj.store(a0, c); zj.store(a1, c &+ 8); zj.store(a2, c &+ 16); zj.store(a3, c &+ 24)
                c &+= 32
            }
            while c < count {   // the last vector may reach past the row (see above)
                var a0 = bias
                var ai = a + c
                for i in 0..<inputs {
                    a0 = a0.addingProduct(Vec(repeating: wj[i]), ai.vec(0))
                    ai += inputStride
                }
                zj.store(a0, c)
                c &+= 8
            }
            wj += inputs
            zj += stride
        }
    }

    /// out[k] = f(z[k]) for k < n. The last vector may write up to 7 values past n (see above);
    /// in place (out = z) only over a whole block, whose overflow lands in the buffer's slack.
    @inline(__always)
    static func activate(_ f: Activation, _ z: UnsafePointer<Double>, _ out: UnsafeMutablePointer<Double>, _ n: Int) {
        switch f {
        case .tanh: tanhRun(z, out, n)
        case .sigmoid: sigmoidRun(z, out, n)
        case .relu: map(z, out, n) { v in v.replacing(with: 0, where: .!(v .> 0)) }
        case .leakyRelu: map(z, out, n) { v in v.replacing(with: v * Activation.leakySlope, where: .!(v .> 0)) }
        case .linear: if UnsafePointer(out) != z { out.update(from: z, count: n) }
        default: for k in 0..<n { out[k] = f.apply(z[k]) }
        }
    }

    /// out = g(v) eight at a time, the last vector reaching past n (see above): every value is
    /// computed by the same code.
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

    /// δ ← δ · f'(z) over a run of n values, with f'(z) from a = f(z) where that is exact and cheaper.
    @inline(never)
    static func multiplyByDerivative(_ f: Activation, _ d: UnsafeMutablePointer<Double>, _ z: UnsafePointer<Double>,
                                     _ a: UnsafePointer<Double>, _ n: Int) {
        switch f {
        case .tanh:
            var c = 0
            while c &+ 8 <= n {
                let av = a.vec(c)
                d.store(d.vec(c) * (1 - av * av), c)
                c &+= 8
            }
            while c < n { d[c] *= 1 - a[c] * a[c]; c &+= 1 }
        case .sigmoid:
            var c = 0
            while c &+ 8 <= n {
                let av = a.vec(c)
                d.store(d.vec(c) * (av * (1 - av)), c)
                c &+= 8
            }
            while c < n { d[c] *= a[c] * (1 - a[c]); c &+= 1 }
        case .relu:
            for k in 0..<n where !(z[k] > 0) { d[k] = 0 }
        case .leakyRelu:
            for k in 0..<n where !(z[k] > 0) { d[k] *= Activation.leakySlope }
        case .linear:
            break
        default:
            for k in 0..<n { d[k] *= f.derivative(z: z[k], a: a[k]) }
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
        // lanes of the last, partial vector of a row that hold points (the rest reach past the row)
        let tail = SIMD8<Int64>(0, 1, 2, 3, 4, 5, 6, 7) .< Int64(count & 7)
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
        var dj = d, gj = gw
        for j in 0..<size {
            var i = 0
            while i &+ 32 <= inputs {
                var g0 = Vec(), g1 = Vec(), g2 = Vec(), g3 = Vec()
                var r = UnsafePointer(aT) + i
                for s in 0..<count {
                    let ds = Vec(repeating: dj[s])
                    g0 = g0.addingProduct(ds, r.vec(0))
                    g1 = g1.addingProduct(ds, r.vec(8))
                    g2 = g2.addingProduct(ds, r.vec(16))
                    g3 = g3.addingProduct(ds, r.vec(24))
                    r += rowStride
                }
                gj.store(g0, i); gj.store(g1, i &+ 8); gj.store(g2, i &+ 16); gj.store(g3, i &+ 24)
                i &+= 32
            }
            while i < inputs {
                var g0 = Vec()
                var r = UnsafePointer(aT) + i
                for s in 0..<count {
                    g0 = g0.addingProduct(Vec(repeating: dj[s]), r.vec(0))
                    r += rowStride
                }
                if i &+ 8 <= inputs {
                    gj.store(g0, i)
                } else {
                    // a partial vector: store only the row's own lanes (the gradient buffer is packed)
                    for k in 0..<(inputs &- i) { gj[i &+ k] = g0[k] }
                }
                i &+= 8
            }
            gb[j] = sum(dj, count, tail)
            gj += inputs
            dj += stride
        }
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

    /// δprev[i, s] = Σⱼ W[j, i]·δ[j, s] (before the activation's derivative).
    @inline(__always)
    static func backward(weights w: UnsafePointer<Double>, inputs: Int, size: Int, delta d: UnsafePointer<Double>,
                         previousDelta pd: UnsafeMutablePointer<Double>, stride: Int, count: Int) {
        var pi = pd
        for i in 0..<inputs {
            var c = 0
            while c &+ 32 <= count {
                var a0 = Vec(), a1 = Vec(), a2 = Vec(), a3 = Vec()
                var wji = w + i, dj = d + c
                for _ in 0..<size {
                    let wv = Vec(repeating: wji.pointee)
                    a0 = a0.addingProduct(wv, dj.vec(0))
                    a1 = a1.addingProduct(wv, dj.vec(8))
                    a2 = a2.addingProduct(wv, dj.vec(16))
                    a3 = a3.addingProduct(wv, dj.vec(24))
                    wji += inputs
                    dj += stride
                }
                pi.store(a0, c); pi.store(a1, c &+ 8); pi.store(a2, c &+ 16); pi.store(a3, c &+ 24)
                c &+= 32
            }
            while c < count {   // the last vector may reach past the row (see above)
                var a0 = Vec()
                var wji = w + i, dj = d + c
                for _ in 0..<size {
                    a0 = a0.addingProduct(Vec(repeating: wji.pointee), dj.vec(0))
                    wji += inputs
                    dj += stride
                }
                pi.store(a0, c)
                c &+= 8
            }
            pi += stride
        }
    }
}

/// A count rounded up to whole vectors of 8.
@inline(__always)
func vectorLanes(_ count: Int) -> Int { (count + 7) & ~7 }
