/// The register blocks the layer kernels share: one row of a block is sixteen or thirty-two lanes
/// of a neuron's (or a δ row's) sums, two or four vectors kept in registers while the kernel
/// adds `u · x` for each of its inputs. Four rows make a block: four broadcasts and two (four)
/// loads feed eight (sixteen) independent fused multiply-adds. Each lane gets its multiply-adds in
/// the order they are added, whatever block computes it.
/// What the kernels' generic blocks need of a row (`Row16`, `Row32`).
protocol RegisterRow {
    init(repeating x: Vec)
    init(loading p: UnsafePointer<Double>)
    mutating func add(_ u: Vec, _ x: Self)
    /// Stores F of the vectors that start before `count` at `p + c`, `p + c + 8`, …
    func store<F: ElementwiseForm>(into p: UnsafeMutablePointer<Double>, at c: Int, count: Int, applying _: F.Type)
}

struct Row16: RegisterRow {
    var v0, v1: Vec

    @inline(__always) init(repeating x: Vec) { v0 = x; v1 = x }
    @inline(__always) init(_ v0: Vec, _ v1: Vec) { self.v0 = v0; self.v1 = v1 }
    @inline(__always) init(loading p: UnsafePointer<Double>) { v0 = p.vec(0); v1 = p.vec(8) }

    /// self += u · x, lane by lane.
    @inline(__always) mutating func add(_ u: Vec, _ x: Row16) {
        v0 = v0.addingProduct(u, x.v0)
        v1 = v1.addingProduct(u, x.v1)
    }

    /// Stores the vectors that start before `count` at `p + c`, `p + c + 8`.
    @inline(__always) func store(into p: UnsafeMutablePointer<Double>, at c: Int, count: Int) {
        store(into: p, at: c, count: count, applying: Sums.self)
    }

    @inline(__always) func store<F: ElementwiseForm>(into p: UnsafeMutablePointer<Double>, at c: Int, count: Int, applying _: F.Type) {
        p.store(F.apply(v0), c)
        if c &+ 8 < count { p.store(F.apply(v1), c &+ 8) }
    }
}

/// Four vectors of a row: the blocks of thirty-two lanes that only AVX-512's 32 registers hold.
struct Row32: RegisterRow {
    var v0, v1, v2, v3: Vec

    @inline(__always) init(repeating x: Vec) { v0 = x; v1 = x; v2 = x; v3 = x }
    @inline(__always) init(loading p: UnsafePointer<Double>) { v0 = p.vec(0); v1 = p.vec(8); v2 = p.vec(16); v3 = p.vec(24) }

    /// self += u · x, lane by lane.
    @inline(__always) mutating func add(_ u: Vec, _ x: Row32) {
        v0 = v0.addingProduct(u, x.v0)
        v1 = v1.addingProduct(u, x.v1)
        v2 = v2.addingProduct(u, x.v2)
        v3 = v3.addingProduct(u, x.v3)
    }

    /// Stores the vectors that start before `count` at `p + c`, `p + c + 8`, … (the kernels run
    /// these blocks while more than sixteen points are left, so the first three always do).
    @inline(__always) func store(into p: UnsafeMutablePointer<Double>, at c: Int, count: Int) {
        store(into: p, at: c, count: count, applying: Sums.self)
    }

    @inline(__always) func store<F: ElementwiseForm>(into p: UnsafeMutablePointer<Double>, at c: Int, count: Int, applying _: F.Type) {
        p.store(F.apply(v0), c)
        p.store(F.apply(v1), c &+ 8)
        p.store(F.apply(v2), c &+ 16)
        if c &+ 24 < count { p.store(F.apply(v3), c &+ 24) }
    }
}
