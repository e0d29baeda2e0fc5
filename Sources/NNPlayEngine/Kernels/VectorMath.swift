/// Eight doubles at a time: the vector width the kernels work in (two AVX2 registers, one AVX-512
/// register, four NEON registers). Wider vectors compiled to scalar code when this was measured.
typealias Vec = SIMD8<Double>

/// Functions of `Vec` that the standard library lacks, written so that the compiler keeps them in
/// registers: exp, tanh and the logistic function by argument reduction and a polynomial, with
/// 2^k built from its bits. Within a few ulps of libm over the whole range (tests check it).
enum VectorMath {
    static let ln2Hi = 6.93147180369123816490e-01
    static let ln2Lo = 1.90821492927058770002e-10
    static let invLn2 = 1.44269504088896338700e+00
    /// 1.5 · 2⁵²: adding it rounds a double to an integer held in the low bits of its pattern.
    static let shifter = 6755399441055744.0

    /// e^x − 1 for x in [−708, 709], as (2^k − 1) + 2^k · (e^r − 1) with x = k·ln2 + r, |r| ≤ ln2/2.
    ///
    /// Fused multiply-adds throughout (one rounding each, and the fewest instructions: about 12 % faster
    /// tanh than separate multiplies and adds, within the same ulps); the polynomial uses Estrin's
    /// scheme, whose short dependency chains let the processor overlap neighbouring vectors.
    /// ln2Hi has its low 32 bits zero, so k·ln2Hi is exact.
    @inline(__always)
    static func expm1(_ x: Vec) -> Vec { expm1(x, scale: 1) }

    /// e^(c·u) − 1 for c = 1 or 2, as `expm1(c·u)` bit for bit without the multiplication.
    @inline(__always)
    static func expm1(_ u: Vec, scale c: Double) -> Vec {
        let (twoK, em1r) = reduced(u, scale: c)
        // (2^k − 1) + 2^k·(e^r − 1), from 2^k·c and (e^r − 1)/c
        return (c == 1 ? twoK - 1 : Vec(repeating: -1).addingProduct(twoK, Vec(repeating: 1 / c))).addingProduct(twoK, em1r)
    }

    /// e^x for x in [−708, 709], as 2^k + 2^k · (e^r − 1).
    @inline(__always)
    static func exp(_ x: Vec) -> Vec {
        let (twoK, em1r) = reduced(x)
        return twoK.addingProduct(twoK, em1r)
    }

    /// 2^k·c and (e^r − 1)/c with c·u = k·ln2 + r, for c = 1 or 2. The scale is folded into the
    /// constants rather than paid as an instruction: each constant and each intermediate is the
    /// c = 1 one times a power of two, exactly, so the results are bit for bit those for x = c·u
    /// (2^k·c and (e^r − 1)/c only move the exponent).
    @inline(__always)
    static func reduced(_ u: Vec, scale c: Double = 1) -> (twoK: Vec, em1r: Vec) {
        let t = Vec(repeating: shifter).addingProduct(u, Vec(repeating: c * invLn2))   // x/ln2 + 1.5·2⁵²: rounds to an integer
        let kd = t - shifter                                                           // round(x / ln2)
        let v = u.addingProduct(kd, Vec(repeating: -ln2Hi / c)).addingProduct(kd, Vec(repeating: -ln2Lo / c))   // r/c
        // e^r − 1 = r + r²·q(r), q the Taylor series 1/2! + r/3! + … + r¹¹/13! (|r| ≤ 0.347: the next
        // term is below 2⁻⁵³ relative); in v = r/c, (e^r − 1)/c = v + v²·(c·q), whose terms are
        // c^(i+1)·rⁱ/(i+2)!
        let v2 = v * v, v4 = v2 * v2, v8 = v4 * v4
        let c2 = c * c, c4 = c2 * c2, c8 = c4 * c4
        let q01 = Vec(repeating: c / 2).addingProduct(v, Vec(repeating: c2 / 6))
        let q23 = Vec(repeating: c2 * c / 24).addingProduct(v, Vec(repeating: c4 / 120))
        let q45 = Vec(repeating: c4 * c / 720).addingProduct(v, Vec(repeating: c4 * c2 / 5040))
        let q67 = Vec(repeating: c4 * c2 * c / 40320).addingProduct(v, Vec(repeating: c8 / 362880))
        let q89 = Vec(repeating: c8 * c / 3628800).addingProduct(v, Vec(repeating: c8 * c2 / 39916800))
        let q1011 = Vec(repeating: c8 * c2 * c / 479001600).addingProduct(v, Vec(repeating: c8 * c4 / 6227020800))
        let q03 = q01.addingProduct(q23, v2), q47 = q45.addingProduct(q67, v2), q811 = q89.addingProduct(q1011, v2)
        let q = q03.addingProduct(q47, v4).addingProduct(q811, v8)
        let em1r = v.addingProduct(v2, q)
        // 2^k·c from its bits: k sits in the low bits of t's pattern
        let k = unsafeBitCast(t, to: SIMD8<Int64>.self) &- unsafeBitCast(Vec(repeating: shifter), to: SIMD8<Int64>.self)
        let exponentBias: Int64 = c == 1 ? 1023 : 1024
        return (unsafeBitCast((k &+ exponentBias) &<< 52, to: Vec.self), em1r)
    }

    /// tanh(x) = sign(x) · m/(m + 2) with m = e^(2|x|) − 1; ±1 beyond |x| = 20 (where tanh rounds to
    /// ±1 anyway). The sign goes by its bit (cheaper than compare-and-blend: 1.56 against 1.85 ns per
    /// element here); NaN propagates through every step, −0 stays −0.
    @inline(__always)
    static func tanh(_ x: Vec) -> Vec {
        let bits = unsafeBitCast(x, to: SIMD8<UInt64>.self)
        let signBit = SIMD8<UInt64>(repeating: 0x8000_0000_0000_0000)
        let ax = unsafeBitCast(bits & ~signBit, to: Vec.self)
        let clamped = ax.replacing(with: 20, where: ax .> 20)
        let m = expm1(clamped, scale: 2)   // e^(2|x|) − 1
        let t = m / (m + 2)
        return unsafeBitCast(unsafeBitCast(t, to: SIMD8<UInt64>.self) | (bits & signBit), to: Vec.self)
    }

    /// log(1 + u) for u in [0, 1], within an ulp of the C library's log1p (tests check it): fdlibm's
    /// method, f = 1 + u − 1 (halved above √2, with the rounding of 1 + u as a correction), s =
    /// f/(2 + f) and a polynomial in s². NaN propagates.
    @inline(__always)
    static func log1pUnit(_ u: Vec) -> Vec {
        let big = u .> Vec(repeating: 0.41421356237309504880)   // 1 + u > √2: log(1 + u) = ln 2 + log((1 + u)/2)
        let w = 1 + u
        let f = u.replacing(with: w * 0.5 - 1, where: big)
        let k = Vec().replacing(with: 1, where: big)
        // the rounding of 1 + u, as a correction: (u − (w − 1))/w, with 1/w within about 3 % on (√2, 2]
        // (the correction is below 2⁻⁵³: a division would buy nothing)
        let inverse = Vec(repeating: 1.0 / 1.7) * (2 - w * (1.0 / 1.7))
        let c = Vec().replacing(with: (u - (w - 1)) * inverse, where: big)
        let s = f / (2 + f), z = s * s, zz = z * z
        let t1 = zz * Vec(repeating: 3.999999999940941908e-01)
            .addingProduct(zz, Vec(repeating: 2.222219843214978396e-01).addingProduct(zz, Vec(repeating: 1.531383769920937332e-01)))
        let t2 = z * Vec(repeating: 6.666666666666735130e-01)
            .addingProduct(zz, Vec(repeating: 2.857142874366239149e-01)
                .addingProduct(zz, Vec(repeating: 1.818357216161805012e-01).addingProduct(zz, Vec(repeating: 1.479819860511658591e-01))))
        let hfsq = 0.5 * f * f
        return k * ln2Hi - ((hfsq - (s * (hfsq + (t2 + t1)) + (k * ln2Lo + c))) - f)
    }

    /// The logistic function 1/(1 + e^−x), from e^−|x| on both sides for accuracy in the tails.
    /// NaN propagates.
    @inline(__always)
    static func sigmoid(_ x: Vec) -> Vec {
        let bits = unsafeBitCast(x, to: SIMD8<UInt64>.self)
        let ax = unsafeBitCast(bits & ~SIMD8<UInt64>(repeating: 0x8000_0000_0000_0000), to: Vec.self)
        let clamped = ax.replacing(with: 700, where: ax .> 700)
        let e = exp(-clamped)                                     // e^−|x|, accurate however small
        let s = 1 / (1 + e)
        // e/(1 + e) below 0; 0 where e^x underflows (the clamp at 700 would leave 1e−304)
        return s.replacing(with: e * s, where: x .< 0).replacing(with: 0, where: x .< -745)
    }
}

extension UnsafePointer where Pointee == Double {
    @inline(__always) func vec(_ i: Int) -> Vec { UnsafeRawPointer(self + i).loadUnaligned(as: Vec.self) }
}

extension UnsafeMutablePointer where Pointee == Double {
    @inline(__always) func vec(_ i: Int) -> Vec { UnsafeRawPointer(self + i).loadUnaligned(as: Vec.self) }
    @inline(__always) func store(_ v: Vec, _ i: Int) { UnsafeMutableRawPointer(self + i).storeBytes(of: v, as: Vec.self) }

}
