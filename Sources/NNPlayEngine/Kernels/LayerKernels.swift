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
    /// Four neurons at a time over sixteen points at a time: each input vector loaded serves four
    /// rows (a load-bound loop otherwise), and eight independent accumulators keep both FMA units
    /// busy through the FMA latency; then pairs, then a last single neuron. Every sum gets the same
    /// multiply-adds in the same order whichever block computes it.
    @inline(__always)
    static func forward(weights w: UnsafePointer<Double>, biases b: UnsafePointer<Double>, inputs: Int, size: Int,
                        input a: UnsafePointer<Double>, inputStride: Int,
                        sums z: UnsafeMutablePointer<Double>, stride: Int, count: Int) {
        forward(weights: w, biases: b, inputs: inputs, size: size, input: a, inputStride: inputStride,
                sums: z, stride: stride, count: count, applying: Sums.self)
    }

    /// `forward` storing F(z) instead of z: a layer's sums and its activation in one pass, for
    /// the activations that are one vector operation (`ReLUForm`, `LeakyReLUForm`).
    @inline(__always)
    static func forward<F: ElementwiseForm>(weights w: UnsafePointer<Double>, biases b: UnsafePointer<Double>, inputs: Int, size: Int,
                                            input a: UnsafePointer<Double>, inputStride: Int,
                                            sums z: UnsafeMutablePointer<Double>, stride: Int, count: Int, applying _: F.Type) {
        checkRows(stride: inputStride, count: count)
        checkRows(stride: stride, count: count)
        var j = 0
        while j &+ 4 <= size {
            var c = 0
            #if NNPLAY_32_VECTOR_REGISTERS
            // thirty-two points at a time where more than sixteen are left: sixteen accumulators,
            // four loads and four broadcasts for sixteen FMAs (they fit AVX-512's 32 registers only)
            while c &+ 16 < count {
                forwardBlock(Row32.self, weights: w + j &* inputs, inputs: inputs, biases: b + j, input: a + c, inputStride: inputStride,
                             sums: z + j &* stride, stride: stride, at: c, count: count, applying: F.self)
                c &+= 32
            }
            #endif
            while c < count {
                forwardBlock(Row16.self, weights: w + j &* inputs, inputs: inputs, biases: b + j, input: a + c, inputStride: inputStride,
                             sums: z + j &* stride, stride: stride, at: c, count: count, applying: F.self)
                c &+= 16
            }
            j &+= 4
        }
        while j &+ 2 <= size {
            let w0 = w + j &* inputs, w1 = w0 + inputs
            let z0 = z + j &* stride, z1 = z0 + stride
            let bias0 = Vec(repeating: b[j]), bias1 = Vec(repeating: b[j &+ 1])
            var c = 0
            while c < count {
                var r0 = Row16(repeating: bias0), r1 = Row16(repeating: bias1)
                var ai = a + c
                for i in 0..<inputs {
                    let x = Row16(loading: ai)
                    r0.add(Vec(repeating: w0[i]), x); r1.add(Vec(repeating: w1[i]), x)
                    ai += inputStride
                }
                r0.store(into: z0, at: c, count: count, applying: F.self); r1.store(into: z1, at: c, count: count, applying: F.self)
                c &+= 16
            }
            j &+= 2
        }
        if j < size {
            let wj = w + j &* inputs, zj = z + j &* stride, bias = Vec(repeating: b[j])
            var c = 0
            while c < count {
                var r0 = Row16(repeating: bias)
                var ai = a + c
                for i in 0..<inputs {
                    r0.add(Vec(repeating: wj[i]), Row16(loading: ai))
                    ai += inputStride
                }
                r0.store(into: zj, at: c, count: count, applying: F.self)
                c &+= 16
            }
        }
    }

    /// Four neurons' sums (rows `z`, `z + stride`, …), each stored as F(z), over one block of
    /// `R.lanes` points from `c`: each input vector loaded serves the four rows.
    @inline(__always)
    static func forwardBlock<R: RegisterRow, F: ElementwiseForm>(_: R.Type, weights w0: UnsafePointer<Double>, inputs: Int,
                                                                  biases b: UnsafePointer<Double>, input a: UnsafePointer<Double>,
                                                                  inputStride: Int, sums z0: UnsafeMutablePointer<Double>, stride: Int,
                                                                  at c: Int, count: Int, applying _: F.Type) {
        let w1 = w0 + inputs, w2 = w1 + inputs, w3 = w2 + inputs
        let z1 = z0 + stride, z2 = z1 + stride, z3 = z2 + stride
        var r0 = R(repeating: Vec(repeating: b[0])), r1 = R(repeating: Vec(repeating: b[1]))
        var r2 = R(repeating: Vec(repeating: b[2])), r3 = R(repeating: Vec(repeating: b[3]))
        var ai = a
        for i in 0..<inputs {
            let x = R(loading: ai)
            r0.add(Vec(repeating: w0[i]), x); r1.add(Vec(repeating: w1[i]), x)
            r2.add(Vec(repeating: w2[i]), x); r3.add(Vec(repeating: w3[i]), x)
            ai += inputStride
        }
        r0.store(into: z0, at: c, count: count, applying: F.self); r1.store(into: z1, at: c, count: count, applying: F.self)
        r2.store(into: z2, at: c, count: count, applying: F.self); r3.store(into: z3, at: c, count: count, applying: F.self)
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
        case .relu: map(z, out, n, ReLUForm.apply)
        case .leakyRelu: map(z, out, n, LeakyReLUForm.apply)
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
        transpose(a, inputs: inputs, stride: stride, count: count, into: aT, rowStride: rowStride)
        // The row aT[s] ends with a 1 at `inputs` (see Workspace), so lane `inputs` accumulates Σₛ δ[j, s]:
        // the bias gradient, without a horizontal sum, when that lane falls in the last block of 16
        // anyway (with 16 or 32 inputs it would cost a block of its own: a sum is cheaper then).
        let biasLane = inputs & 15 != 0
        let lanes = biasLane ? inputs &+ 1 : inputs
        var j = 0
        // Blocks of neurons, so that enough independent accumulators hide the FMA latency: eight
        // neurons when a whole row fits one vector (the first hidden layer: x, y and the 1), else four
        // over sixteen inputs at a time; then pairs. Every gradient gets the same multiply-adds in
        // the same order (s = 0, 1, …) whichever block computes it. (A one-vector row has at most
        // 7 inputs, so its bias lane is in that vector.)
        if biasLane && lanes <= 8 {
            while j &+ 8 <= size {
                let d0 = d + j &* stride, d1 = d0 + stride, d2 = d1 + stride, d3 = d2 + stride
                let d4 = d3 + stride, d5 = d4 + stride, d6 = d5 + stride, d7 = d6 + stride
                var p0 = Vec(), p1 = Vec(), p2 = Vec(), p3 = Vec(), p4 = Vec(), p5 = Vec(), p6 = Vec(), p7 = Vec()
                var r = UnsafePointer(aT)
                for s in 0..<count {
                    let x = r.vec(0)
                    p0 = p0.addingProduct(Vec(repeating: d0[s]), x); p1 = p1.addingProduct(Vec(repeating: d1[s]), x)
                    p2 = p2.addingProduct(Vec(repeating: d2[s]), x); p3 = p3.addingProduct(Vec(repeating: d3[s]), x)
                    p4 = p4.addingProduct(Vec(repeating: d4[s]), x); p5 = p5.addingProduct(Vec(repeating: d5[s]), x)
                    p6 = p6.addingProduct(Vec(repeating: d6[s]), x); p7 = p7.addingProduct(Vec(repeating: d7[s]), x)
                    r += rowStride
                }
                @inline(__always) func finish(_ p: Vec, _ k: Int) {
                    gradientBlock(Row16(p, Vec()), into: gw + (j &+ k) &* inputs, bias: gb + (j &+ k), at: 0, inputs: inputs, biasLane: true)
                }
                finish(p0, 0); finish(p1, 1); finish(p2, 2); finish(p3, 3)
                finish(p4, 4); finish(p5, 5); finish(p6, 6); finish(p7, 7)
                j &+= 8
            }
        }
        while j &+ 4 <= size {
            let d0 = d + j &* stride, d1 = d0 + stride, d2 = d1 + stride, d3 = d2 + stride
            let g0 = gw + j &* inputs, g1 = g0 + inputs, g2 = g1 + inputs, g3 = g2 + inputs
            if !biasLane {
                for k in 0..<4 { gb[j &+ k] = sum(d0 + k &* stride, count, tail) }
            }
            var i = 0
            #if NNPLAY_32_VECTOR_REGISTERS
            while lanes &- i > 16 {   // thirty-two inputs at a time: sixteen accumulators, as in forward
                var r0 = Row32(repeating: Vec()), r1 = Row32(repeating: Vec()), r2 = Row32(repeating: Vec()), r3 = Row32(repeating: Vec())
                var r = UnsafePointer(aT) + i
                for s in 0..<count {
                    let x = Row32(loading: r)
                    r0.add(Vec(repeating: d0[s]), x); r1.add(Vec(repeating: d1[s]), x)
                    r2.add(Vec(repeating: d2[s]), x); r3.add(Vec(repeating: d3[s]), x)
                    r += rowStride
                }
                @inline(__always) func finish(_ row: Row32, _ k: Int, _ g: UnsafeMutablePointer<Double>) {
                    gradientBlock(Row16(row.v0, row.v1), into: g, bias: gb + (j &+ k), at: i, inputs: inputs, biasLane: biasLane)
                    gradientBlock(Row16(row.v2, row.v3), into: g, bias: gb + (j &+ k), at: i &+ 16, inputs: inputs, biasLane: biasLane)
                }
                finish(r0, 0, g0); finish(r1, 1, g1); finish(r2, 2, g2); finish(r3, 3, g3)
                i &+= 32
            }
            #endif
            while i < lanes {
                var r0 = Row16(repeating: Vec()), r1 = Row16(repeating: Vec()), r2 = Row16(repeating: Vec()), r3 = Row16(repeating: Vec())
                var r = UnsafePointer(aT) + i
                if lanes &- i <= 8 {   // the last few inputs fit one vector: half the work
                    for s in 0..<count {
                        let x = r.vec(0)
                        r0.v0 = r0.v0.addingProduct(Vec(repeating: d0[s]), x); r1.v0 = r1.v0.addingProduct(Vec(repeating: d1[s]), x)
                        r2.v0 = r2.v0.addingProduct(Vec(repeating: d2[s]), x); r3.v0 = r3.v0.addingProduct(Vec(repeating: d3[s]), x)
                        r += rowStride
                    }
                } else {
                    for s in 0..<count {
                        let x = Row16(loading: r)
                        r0.add(Vec(repeating: d0[s]), x); r1.add(Vec(repeating: d1[s]), x)
                        r2.add(Vec(repeating: d2[s]), x); r3.add(Vec(repeating: d3[s]), x)
                        r += rowStride
                    }
                }
                gradientBlock(r0, into: g0, bias: gb + j, at: i, inputs: inputs, biasLane: biasLane)
                gradientBlock(r1, into: g1, bias: gb + (j &+ 1), at: i, inputs: inputs, biasLane: biasLane)
                gradientBlock(r2, into: g2, bias: gb + (j &+ 2), at: i, inputs: inputs, biasLane: biasLane)
                gradientBlock(r3, into: g3, bias: gb + (j &+ 3), at: i, inputs: inputs, biasLane: biasLane)
                i &+= 16
            }
            j &+= 4
        }
        while j < size {
            let pair = j &+ 1 < size
            let d0 = d + j &* stride, d1 = pair ? d0 + stride : d0
            let g0 = gw + j &* inputs, g1 = g0 + inputs
            if !biasLane {
                gb[j] = sum(d0, count, tail)
                if pair { gb[j &+ 1] = sum(d1, count, tail) }
            }
            var i = 0
            while i < lanes {
                var r0 = Row16(repeating: Vec()), r1 = Row16(repeating: Vec())
                var r = UnsafePointer(aT) + i
                if lanes &- i <= 8 {   // the last few inputs fit one vector: half the work
                    for s in 0..<count {
                        let x = r.vec(0)
                        r0.v0 = r0.v0.addingProduct(Vec(repeating: d0[s]), x)
                        r1.v0 = r1.v0.addingProduct(Vec(repeating: d1[s]), x)
                        r += rowStride
                    }
                } else {
                    for s in 0..<count {
                        let x = Row16(loading: r)
                        r0.add(Vec(repeating: d0[s]), x); r1.add(Vec(repeating: d1[s]), x)
                        r += rowStride
                    }
                }
                gradientBlock(r0, into: g0, bias: gb + j, at: i, inputs: inputs, biasLane: biasLane)
                if pair { gradientBlock(r1, into: g1, bias: gb + (j &+ 1), at: i, inputs: inputs, biasLane: biasLane) }
                i &+= 16
            }
            j &+= 2
        }
    }

    /// aT[s][i] = a[i][s] for s < count, i < inputs: blocks of 8 inputs × 8 points by vector shuffles
    /// (24 for 64 values, against 64 scalar loads and stores), the last inputs & 7 one by one.
    /// A block's stores reach rows up to `vectorLanes(count)` (≤ stride, the copy's row count),
    /// whose extra rows no kernel reads, and never column `inputs` (the ones).
    @inline(__always)
    static func transpose(_ a: UnsafePointer<Double>, inputs: Int, stride: Int, count: Int,
                          into aT: UnsafeMutablePointer<Double>, rowStride: Int) {
        let whole = inputs & ~7
        var i = 0
        while i < whole {
            var s = 0
            while s < count {
                transposeBlock(a + (i &* stride &+ s), stride, into: aT + (s &* rowStride &+ i), rowStride)
                s &+= 8
            }
            i &+= 8
        }
        guard whole < inputs else { return }
        var row = aT + whole, column = a + whole &* stride
        for _ in 0..<count {
            var src = column
            for k in 0..<(inputs &- whole) {
                row[k] = src.pointee
                src += stride
            }
            row += rowStride
            column += 1
        }
    }

    /// An 8×8 transpose from memory to memory (see `transpose8`).
    @inline(__always)
    static func transposeBlock(_ src: UnsafePointer<Double>, _ srcStride: Int, into dst: UnsafeMutablePointer<Double>, _ dstStride: Int) {
        let t = transpose8((src.vec(0), src.vec(srcStride), src.vec(2 &* srcStride), src.vec(3 &* srcStride),
                            src.vec(4 &* srcStride), src.vec(5 &* srcStride), src.vec(6 &* srcStride), src.vec(7 &* srcStride)))
        dst.store(t.0, 0); dst.store(t.1, dstStride); dst.store(t.2, 2 &* dstStride); dst.store(t.3, 3 &* dstStride)
        dst.store(t.4, 4 &* dstStride); dst.store(t.5, 5 &* dstStride); dst.store(t.6, 6 &* dstStride); dst.store(t.7, 7 &* dstStride)
    }

    /// Eight vectors as the rows of an 8×8 matrix, transposed: interleaving rows k and k + 4 three
    /// times turns rows into columns (each interleave compiles to one two-source permute).
    @inline(__always)
    static func transpose8(_ rows: (Vec, Vec, Vec, Vec, Vec, Vec, Vec, Vec)) -> (Vec, Vec, Vec, Vec, Vec, Vec, Vec, Vec) {
        @inline(__always) func low(_ a: Vec, _ b: Vec) -> Vec { Vec(a[0], b[0], a[1], b[1], a[2], b[2], a[3], b[3]) }
        @inline(__always) func high(_ a: Vec, _ b: Vec) -> Vec { Vec(a[4], b[4], a[5], b[5], a[6], b[6], a[7], b[7]) }
        var (r0, r1, r2, r3, r4, r5, r6, r7) = rows
        for _ in 0..<3 {
            (r0, r1, r2, r3, r4, r5, r6, r7) = (low(r0, r4), high(r0, r4), low(r1, r5), high(r1, r5),
                                                low(r2, r6), high(r2, r6), low(r3, r7), high(r3, r7))
        }
        return (r0, r1, r2, r3, r4, r5, r6, r7)
    }

    /// The sixteen lanes from i of one neuron's outer-product sums: the weights' into its gradient
    /// row, and lane `inputs` (when it falls here) into its bias gradient.
    @inline(__always)
    static func gradientBlock(_ row: Row16, into g: UnsafeMutablePointer<Double>, bias: UnsafeMutablePointer<Double>,
                              at i: Int, inputs: Int, biasLane: Bool) {
        if i < inputs { storeRow(row.v0, row.v1, into: g, at: i, upTo: inputs) }
        if biasLane && inputs &- i < 16 {
            let lane = inputs &- i
            bias.pointee = lane < 8 ? row.v0[lane] : row.v1[lane &- 8]
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

    /// δprev · f'(z), each derivative computed from the activations a alone: relu's and
    /// leaky-relu's from a > 0, which holds exactly when z > 0 (for z ≤ 0, NaN or −0, a is 0, z·slope
    /// or NaN: never > 0), so that a training step need not keep the sums (`Network.forward`).
    @inline(__always)
    static func withDerivative(_ f: Activation?, _ v: Vec, a: UnsafePointer<Double>) -> Vec {
        switch f {
        case .tanh?:
            let av = a.vec(0)
            return v * (1 - av * av)
        case .sigmoid?:
            let av = a.vec(0)
            return v * (av * (1 - av))
        case .relu?:
            return v.replacing(with: 0, where: .!(a.vec(0) .> 0))
        case .leakyRelu?:
            return v.replacing(with: v * Activation.leakySlope, where: .!(a.vec(0) .> 0))
        default:
            return v
        }
    }

    /// δprev[i, s] = Σⱼ W[j, i]·δ[j, s] · f'(z[i, s]) when `derivative` is one that `fusesDerivative`
    /// (nil: no derivative applied); four rows of δprev at a time over sixteen points, then pairs,
    /// then a last row, as in `forward`.
    @inline(__always)
    static func backward(weights w: UnsafePointer<Double>, inputs: Int, size: Int, delta d: UnsafePointer<Double>,
                         previousDelta pd: UnsafeMutablePointer<Double>, stride: Int, count: Int,
                         derivative f: Activation?, activations a: UnsafePointer<Double>) {
        checkRows(stride: stride, count: count)
        var i = 0
        while i &+ 4 <= inputs {
            let r0 = pd + i &* stride, r1 = r0 + stride, r2 = r1 + stride, r3 = r2 + stride
            let a0 = a + i &* stride
            var c = 0
            #if NNPLAY_32_VECTOR_REGISTERS
            while c &+ 16 < count {   // thirty-two points at a time, as in forward
                var x0 = Row32(repeating: Vec()), x1 = Row32(repeating: Vec()), x2 = Row32(repeating: Vec()), x3 = Row32(repeating: Vec())
                var wj = w + i, dj = d + c
                for _ in 0..<size {
                    let x = Row32(loading: dj)
                    x0.add(Vec(repeating: wj[0]), x); x1.add(Vec(repeating: wj[1]), x)
                    x2.add(Vec(repeating: wj[2]), x); x3.add(Vec(repeating: wj[3]), x)
                    wj += inputs
                    dj += stride
                }
                // the stores stay written out: a helper for them was not inlined (11 % of workload c)
                let (p0, q0, s0, t0) = (x0.v0, x0.v1, x0.v2, x0.v3), (p1, q1, s1, t1) = (x1.v0, x1.v1, x1.v2, x1.v3)
                let (p2, q2, s2, t2) = (x2.v0, x2.v1, x2.v2, x2.v3), (p3, q3, s3, t3) = (x3.v0, x3.v1, x3.v2, x3.v3)
                let e = c &+ 8, g = c &+ 16, h = c &+ 24
                let a1 = a0 + stride, a2 = a1 + stride, a3 = a2 + stride
                r0.store(withDerivative(f, p0, a: a0 + c), c); r0.store(withDerivative(f, q0, a: a0 + e), e)
                r1.store(withDerivative(f, p1, a: a1 + c), c); r1.store(withDerivative(f, q1, a: a1 + e), e)
                r2.store(withDerivative(f, p2, a: a2 + c), c); r2.store(withDerivative(f, q2, a: a2 + e), e)
                r3.store(withDerivative(f, p3, a: a3 + c), c); r3.store(withDerivative(f, q3, a: a3 + e), e)
                r0.store(withDerivative(f, s0, a: a0 + g), g); r1.store(withDerivative(f, s1, a: a1 + g), g)
                r2.store(withDerivative(f, s2, a: a2 + g), g); r3.store(withDerivative(f, s3, a: a3 + g), g)
                if h < count {
                    r0.store(withDerivative(f, t0, a: a0 + h), h); r1.store(withDerivative(f, t1, a: a1 + h), h)
                    r2.store(withDerivative(f, t2, a: a2 + h), h); r3.store(withDerivative(f, t3, a: a3 + h), h)
                }
                c &+= 32
            }
            #endif
            while c < count {
                var x0 = Row16(repeating: Vec()), x1 = Row16(repeating: Vec()), x2 = Row16(repeating: Vec()), x3 = Row16(repeating: Vec())
                var wj = w + i, dj = d + c
                for _ in 0..<size {
                    let x = Row16(loading: dj)
                    x0.add(Vec(repeating: wj[0]), x); x1.add(Vec(repeating: wj[1]), x)
                    x2.add(Vec(repeating: wj[2]), x); x3.add(Vec(repeating: wj[3]), x)
                    wj += inputs
                    dj += stride
                }
                let (p0, q0, p1, q1) = (x0.v0, x0.v1, x1.v0, x1.v1), (p2, q2, p3, q3) = (x2.v0, x2.v1, x3.v0, x3.v1)
                let e = c &+ 8, ac = a0 + c, ae = a0 + e
                r0.store(withDerivative(f, p0, a: ac), c)
                r1.store(withDerivative(f, p1, a: ac + stride), c)
                r2.store(withDerivative(f, p2, a: ac + 2 &* stride), c)
                r3.store(withDerivative(f, p3, a: ac + 3 &* stride), c)
                if e < count {
                    r0.store(withDerivative(f, q0, a: ae), e)
                    r1.store(withDerivative(f, q1, a: ae + stride), e)
                    r2.store(withDerivative(f, q2, a: ae + 2 &* stride), e)
                    r3.store(withDerivative(f, q3, a: ae + 3 &* stride), e)
                }
                c &+= 16
            }
            i &+= 4
        }
        while i &+ 2 <= inputs {
            let r0 = pd + i &* stride, r1 = r0 + stride
            let a0 = a + i &* stride, a1 = a0 + stride
            var c = 0
            while c < count {
                var x0 = Row16(repeating: Vec()), x1 = Row16(repeating: Vec())
                var wj = w + i, dj = d + c
                for _ in 0..<size {
                    let x = Row16(loading: dj)
                    x0.add(Vec(repeating: wj[0]), x); x1.add(Vec(repeating: wj[1]), x)
                    wj += inputs
                    dj += stride
                }
                let (p0, q0, p1, q1) = (x0.v0, x0.v1, x1.v0, x1.v1)
                r0.store(withDerivative(f, p0, a: a0 + c), c)
                if c &+ 8 < count { r0.store(withDerivative(f, q0, a: a0 + (c &+ 8)), c &+ 8) }
                r1.store(withDerivative(f, p1, a: a1 + c), c)
                if c &+ 8 < count { r1.store(withDerivative(f, q1, a: a1 + (c &+ 8)), c &+ 8) }
                c &+= 16
            }
            i &+= 2
        }
        if i < inputs {
            let r0 = pd + i &* stride, a0 = a + i &* stride
            var c = 0
            while c < count {
                var x0 = Row16(repeating: Vec())
                var wj = w + i, dj = d + c
                for _ in 0..<size {
                    x0.add(Vec(repeating: wj[0]), Row16(loading: dj))
                    wj += inputs
                    dj += stride
                }
                let (p0, q0) = (x0.v0, x0.v1)
                r0.store(withDerivative(f, p0, a: a0 + c), c)
                if c &+ 8 < count { r0.store(withDerivative(f, q0, a: a0 + (c &+ 8)), c &+ 8) }
                c &+= 16
            }
        }
    }
}

/// What a kernel stores of a sum: F(z), one vector operation, the same one `LayerKernels.run`
/// applies, so that a fused pass and a separate one agree bit for bit.
protocol ElementwiseForm {
    static func apply(_ v: Vec) -> Vec
}

/// The sums themselves.
enum Sums: ElementwiseForm {
    @inline(__always) static func apply(_ v: Vec) -> Vec { v }
}

// (written without a negated mask: inlined into `forward`, `.!(v .> 0)` compiled lane by lane)
enum ReLUForm: ElementwiseForm {
    @inline(__always) static func apply(_ v: Vec) -> Vec { Vec().replacing(with: v, where: v .> 0) }
}

enum LeakyReLUForm: ElementwiseForm {
    @inline(__always) static func apply(_ v: Vec) -> Vec { (v * Activation.leakySlope).replacing(with: v, where: v .> 0) }
}

/// A count rounded up to whole vectors of 8.
@inline(__always)
func vectorLanes(_ count: Int) -> Int { (count + 7) & ~7 }
