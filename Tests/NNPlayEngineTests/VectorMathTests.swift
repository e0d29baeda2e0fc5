import Foundation
import Testing
import CVectorMath
@testable import NNPlayEngine

/// The vectorised functions against the C library, in units in the last place.
@Suite struct VectorMathTests {
    /// |a − b| in ulps of b (exact zeros compare exactly).
    static func ulps(_ a: Double, _ b: Double) -> Double {
        if a == b { return 0 }
        return abs(a - b) / max(b.ulp, Double.leastNormalMagnitude)
    }

    /// Values across the range, densest where the functions bend.
    static let samples: [Double] = {
        var xs: [Double] = [0, -0.0, 1e-300, -1e-300, 1e-20, 1e-8, 0.5, -0.5, 19.99, 20, 20.01, 40, 700, 710, 1e300]
        var x = -30.0
        while x <= 30 { xs.append(x); x += 0.000731 }
        for e in stride(from: -30.0, through: 1.5, by: 0.01) { xs.append(pow(10, e)); xs.append(-pow(10, e)) }
        return xs
    }()

    func apply(_ f: (Vec) -> Vec, _ xs: [Double]) -> [Double] {
        var out: [Double] = []
        for start in stride(from: 0, to: xs.count, by: 8) {
            var v = Vec()
            for k in 0..<8 { v[k] = start + k < xs.count ? xs[start + k] : 0 }
            let r = f(v)
            for k in 0..<8 where start + k < xs.count { out.append(r[k]) }
        }
        return out
    }

    @Test func tanhIsWithinFourUlpsOfTheCLibrary() {
        let ys = apply(VectorMath.tanh, Self.samples)
        var worst = 0.0
        for (x, y) in zip(Self.samples, ys) {
            let e = Self.ulps(y, Foundation.tanh(x))
            worst = max(worst, e)
            #expect(e <= 4, "tanh(\(x)) = \(y), libm \(Foundation.tanh(x))")
        }
        print("tanh: largest error \(worst) ulps over \(Self.samples.count) points")
        #expect(ys[1].sign == .minus && ys[1] == 0)   // tanh(−0) = −0
    }

    @Test func sigmoidIsWithinFourUlpsOfOneOverOnePlusExp() {
        let ys = apply(VectorMath.sigmoid, Self.samples)
        var worst = 0.0
        for (x, y) in zip(Self.samples, ys) where x > -700 {
            let reference = x >= 0 ? 1 / (1 + exp(-x)) : exp(x) / (1 + exp(x))
            let e = Self.ulps(y, reference)
            worst = max(worst, e)
            #expect(e <= 4, "σ(\(x)) = \(y), reference \(reference)")
        }
        print("sigmoid: largest error \(worst) ulps")
    }

    @Test func expm1AndExpAreWithinThreeUlpsOfTheCLibrary() {
        let xs = Self.samples.filter { abs($0) < 700 }
        let m = apply(VectorMath.expm1, xs), e = apply(VectorMath.exp, xs)
        for (x, y) in zip(xs, m) { #expect(Self.ulps(y, Foundation.expm1(x)) <= 3, "expm1(\(x)) = \(y)") }
        for (x, y) in zip(xs, e) { #expect(Self.ulps(y, Foundation.exp(x)) <= 3, "exp(\(x)) = \(y)") }
    }

    @Test func log1pOfTheUnitIntervalIsWithinAnUlpOfTheCLibrary() {
        // u = e^−|z| of the loss: [0, 1], densest near 0 and around √2 − 1, where the method switches
        var us: [Double] = [0, 1, 0.41421356237309504880, 0.4142135623730951, 0.41421356237309503, .leastNonzeroMagnitude, 1e-300, 1e-17, 1e-8]
        for e in stride(from: -300.0, through: 0, by: 0.01) { us.append(pow(10, e)) }
        var u = 0.0
        while u <= 1 { us.append(u); u += 0.0000731 }
        let ys = apply(VectorMath.log1pUnit, us)
        var worst = 0.0
        for (u, y) in zip(us, ys) {
            let e = Self.ulps(y, Foundation.log1p(u))
            worst = max(worst, e)
            #expect(e <= 1, "log1p(\(u)) = \(y), libm \(Foundation.log1p(u))")
        }
        print("log1p: largest error \(worst) ulps over \(us.count) points")
        #expect(apply(VectorMath.log1pUnit, [.nan])[0].isNaN)
    }

    @Test func theVectorSquareRootIsTheScalarOneBitForBit() {
        // what the adaptive optimisers divide by: moments from 0 up, subnormals, and the special values
        var rng = SeededGenerator(seed: 31, stream: .data)
        var values: [Double] = [0, -0.0, .leastNonzeroMagnitude, .leastNormalMagnitude, .greatestFiniteMagnitude, .infinity, -1, -.infinity, .nan, 1, 2, 4]
        for _ in 0..<200_000 {
            let x = rng.nextUniform(0, 1)
            values.append(x * pow(2, Double(Int(rng.nextUniform(-1070, 1020)))))
        }
        while values.count % 8 != 0 { values.append(3) }
        var mismatches = 0
        for k in Swift.stride(from: 0, to: values.count, by: 8) {
            let v = SIMD8<Double>(values[k..<(k + 8)])
            let r = nnplay_sqrt8(v)
            for l in 0..<8 where r[l].bitPattern != v[l].squareRoot().bitPattern && !(r[l].isNaN && v[l].squareRoot().isNaN) {
                mismatches += 1
            }
        }
        #expect(mismatches == 0, "\(mismatches) of \(values.count) square roots differ")
    }

    @Test func theLogisticLossTakesItsLimitsAtInfiniteSums() {
        let kernel = LossKernel(loss: .bce, output: .sigmoid, size: 1)
        let z = Vec(.infinity, -.infinity, .infinity, -.infinity, .nan, 0, 800, -800)
        let y = Vec(1, 1, 0, 0, 1, 1, 0, 0)
        let loss = kernel.logisticLoss(z: z, y: y)
        #expect(loss[0] == 0 && loss[1] == .infinity && loss[2] == .infinity && loss[3] == 0)
        #expect(loss[4].isNaN)
        #expect(Self.ulps(loss[5], log(2)) <= 1)
        #expect(loss[6] == 800 && loss[7] == 0)
        // against the same formula with the C library's exp and log1p, and against the textbook
        // −[y log σ(z) + (1−y) log(1−σ(z))] where that does not cancel (|z| < 5)
        for zv in stride(from: -40.0, through: 40, by: 0.0737) {
            for yv in [0.0, 1.0] {
                let libm = (yv == 1 ? max(-zv, 0) : max(zv, 0)) + log1p(exp(-abs(zv)))
                let got = kernel.logisticLoss(z: Vec(repeating: zv), y: Vec(repeating: yv))[0]
                #expect(abs(got - libm) <= 4 * max(libm, 1e-300).ulp, "loss(z \(zv), y \(yv)) = \(got), libm \(libm)")
                if abs(zv) < 5 {
                    let sigma = 1 / (1 + exp(-zv))
                    let textbook = -(yv * log(sigma) + (1 - yv) * log1p(-sigma))
                    #expect(abs(got - textbook) <= 1e-13 * max(1, textbook), "loss(z \(zv), y \(yv)) = \(got), textbook \(textbook)")
                }
            }
        }
    }

    @Test func notANumberAndInfinitiesPassThrough() {
        let special: [Double] = [.nan, .infinity, -.infinity, -.nan, .greatestFiniteMagnitude, -.greatestFiniteMagnitude, 0, 1]
        let t = apply(VectorMath.tanh, special), s = apply(VectorMath.sigmoid, special)
        #expect(t[0].isNaN && t[3].isNaN && s[0].isNaN && s[3].isNaN)
        #expect(t[1] == 1 && t[2] == -1 && t[4] == 1 && t[5] == -1)
        #expect(s[1] == 1 && s[2] == 0 && s[4] == 1 && s[5] == 0)
    }
}

/// Pictures come out the same whichever core computes a cell, and equal the single-point forward pass.
@Suite struct GridDeterminismTests {
    @Test func everyCellOfTheMapsEqualsTheForwardPassOfItsPointBitForBit() throws {
        var p = try Playground(dataset: Dataset.generate(.spiral, count: 200, classes: 3),
                               network: Network(features: [.x, .y, .sinx], hidden: [(7, .tanh), (5, .relu), (3, .swish)], classes: 3),
                               settings: { var s = TrainingSettings(); s.loss = .ce; return s }())
        try p.train(.epochs(3))
        // 37 × 29 cells: pieces of 1024 that do not divide it, rows that end inside vectors
        let grid = Grid(frame: p.dataset.frame, columns: 37, rows: 29)
        let maps = p.network.gridMaps(grid)
        let again = p.network.gridMaps(grid)
        for cell in Swift.stride(from: 0, to: grid.count, by: 7) {
            let trace = p.network.trace(x: grid.x(cell % grid.columns), y: grid.y(cell / grid.columns))
            for k in 0..<trace.count {
                for j in 0..<trace[k].activations.count {
                    #expect(maps.map(layer: k, neuron: j)[cell].bitPattern == trace[k].activations[j].bitPattern,
                            "cell \(cell), layer \(k), neuron \(j)")
                    #expect(again.map(layer: k, neuron: j)[cell].bitPattern == maps.map(layer: k, neuron: j)[cell].bitPattern)
                }
            }
            #expect(maps.classes[cell] == p.network.classOf(outputs: trace[trace.count - 1].activations))
        }
    }

    /// Each cell's class and confidence against its own forward pass: the class the output names,
    /// and the confidence as the output's distance from the threshold in half-ranges (one output),
    /// capped at 1; for every output kind, at grid sizes whose rows end inside vectors.
    @Test func everyCellsClassAndConfidenceFollowFromItsOutput() throws {
        for (output, classes) in [(OutputActivation.sigmoid, 2), (.tanh, 2), (.linear, 2), (.softmax, 3), (.sigmoid, 3)] {
            var net = try Network(features: [.x, .y], hidden: [(size: 5, activation: .tanh)], classes: classes, output: output)
            var rng = SweepRandom(seed: 41)
            // weights large enough that a linear output leaves ±1 somewhere (confidence capped at 1)
            for i in net.parameters.indices { net.parameters[i] = rng.double(-3...3) }
            for (columns, rows) in [(1, 1), (7, 3), (37, 23), (64, 17)] {
                let grid = Grid(frame: .standard, columns: columns, rows: rows)
                let maps = net.gridMaps(grid)
                var capped = 0
                for cell in 0..<grid.count {
                    let out = net.trace(x: grid.x(cell % columns), y: grid.y(cell / columns)).last?.activations ?? []
                    let c = net.classOf(outputs: out)
                    #expect(maps.classes[cell] == c, "\(output) \(columns)×\(rows) cell \(cell)")
                    guard out.count == 1 else { continue }
                    let threshold = output.threshold, half = output == .linear ? 1 : output.targetRange.on - threshold
                    let expected = Swift.min(1, abs(out[0] - threshold) / half)
                    #expect(maps.confidence[cell].bitPattern == expected.bitPattern, "\(output) \(columns)×\(rows) cell \(cell)")
                    if expected == 1 { capped += 1 }
                }
                if columns * rows > 100 && output == .linear { #expect(capped > 0, "no cell beyond ±1 to check the cap") }
            }
        }
    }
}
