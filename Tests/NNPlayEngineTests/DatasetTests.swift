import Testing
@testable import NNPlayEngine

@Suite struct DatasetTests {
    @Test(arguments: DatasetKind.allCases)
    func generatorMakesTheCountBalancedClassesAndStaysInTheFrame(kind: DatasetKind) throws {
        for noise in [0.0, 0.5, 1.0] {
            let data = try Dataset.generate(kind, count: 501, noise: noise, classes: 2, seed: 4)
            #expect(data.count == 501)
            #expect(data.classCount == 2)
            #expect(data.xs.indices.allSatisfy { abs(data.xs[$0]) <= 6 && abs(data.ys[$0]) <= 6 },
                    "\(kind) noise \(noise): a point leaves [-6, 6]²")
            if noise == 0 || kind == .gauss || kind == .spiral || kind == .moons {
                // classes get n/K points each (noise flips labels only for circle and xor)
                #expect(data.classCounts == [251, 250], "\(kind) noise \(noise): \(data.classCounts)")
            }
        }
    }

    @Test(arguments: DatasetKind.allCases)
    func sameSeedSameData_otherSeedOtherData(kind: DatasetKind) throws {
        let a = try Dataset.generate(kind, count: 200, noise: 0.2, seed: 11)
        let b = try Dataset.generate(kind, count: 200, noise: 0.2, seed: 11)
        let c = try Dataset.generate(kind, count: 200, noise: 0.2, seed: 12)
        #expect(a == b)
        #expect(a.xs != c.xs)
        #expect(a.trainIndices != c.trainIndices)
    }

    @Test(arguments: [DatasetKind.spiral, .gauss, .circle])
    func kClassesGiveEqualShares(kind: DatasetKind) throws {
        let data = try Dataset.generate(kind, count: 600, noise: 0, classes: 5, seed: 1)
        #expect(data.classCount == 5)
        #expect(data.classCounts == [120, 120, 120, 120, 120])
    }

    @Test func xorAndMoonsHaveTwoClassesOnly() {
        #expect(throws: NNPlayError.self) { try Dataset.generate(.xor, classes: 3) }
        #expect(throws: NNPlayError.self) { try Dataset.generate(.moons, classes: 3) }
    }

    @Test func noiseFreeLabelsFollowTheDatasetsGeometry() throws {
        let xor = try Dataset.generate(.xor, count: 400, noise: 0, seed: 2)
        for i in 0..<xor.count {
            #expect(xor.labels[i] == (xor.xs[i] * xor.ys[i] >= 0 ? 1 : 0))
            #expect(abs(xor.xs[i]) >= 0.3 && abs(xor.ys[i]) >= 0.3)
        }
        let circle = try Dataset.generate(.circle, count: 400, noise: 0, seed: 2)
        for i in 0..<circle.count {
            let r = (circle.xs[i] * circle.xs[i] + circle.ys[i] * circle.ys[i]).squareRoot()
            #expect(circle.labels[i] == 1 ? r <= 2.5 : (r >= 3.5 && r <= 5))
        }
        let gauss = try Dataset.generate(.gauss, count: 400, noise: 0, seed: 2)
        // Playground's positive (blue) class, class 1, sits at (2, 2); class 0 at (−2, −2)
        for (c, centre) in [(0, -2.0), (1, 2.0)] {
            let members = (0..<gauss.count).filter { gauss.labels[$0] == c }
            let meanX = members.map { gauss.xs[$0] }.reduce(0, +) / Double(members.count)
            let meanY = members.map { gauss.ys[$0] }.reduce(0, +) / Double(members.count)
            #expect(abs(meanX - centre) < 0.2 && abs(meanY - centre) < 0.2, "class \(c) centred at (\(meanX), \(meanY))")
        }
    }

    @Test func badParametersAreRefusedWithTheRange() {
        #expect(throws: NNPlayError("noise=2 is out of range: noise is in [0, 1]")) {
            try Dataset.generate(.circle, noise: 2)
        }
        #expect(throws: NNPlayError("n=1 is too few points for 2 classes: n must be at least 2")) {
            try Dataset.generate(.circle, count: 1)
        }
        #expect(throws: NNPlayError.self) { try Dataset.generate(.spiral, count: Dataset.maxPoints + 1) }
        #expect(throws: NNPlayError.self) { try Dataset.generate(.spiral, classes: Dataset.maxClasses + 1) }
        #expect(throws: NNPlayError.self) { try Dataset.generate(.circle, testFraction: 1.5) }
        #expect(throws: NNPlayError.self) { try Dataset.generate(.circle, noise: .nan) }
    }

    @Test func theSplitIsStratifiedAndSeeded() throws {
        let data = try Dataset.generate(.spiral, count: 300, noise: 0, classes: 3, testFraction: 0.2, seed: 5)
        #expect(data.testIndices.count == 60)
        #expect(data.trainIndices.count == 240)
        #expect(Set(data.trainIndices).isDisjoint(with: data.testIndices))
        for c in 0..<3 { #expect(data.testIndices.filter { data.labels[$0] == c }.count == 20) }
        var other = data
        other.resplit(testFraction: 0.2, seed: 6)
        #expect(other.testIndices != data.testIndices)
        other.resplit(testFraction: 0.2, seed: 5)
        #expect(other.testIndices == data.testIndices)
        let allTest = try Dataset.generate(.circle, count: 100, testFraction: 1)
        #expect(allTest.trainIndices.isEmpty && allTest.testIndices.count == 100)
    }

    @Test func featuresAreComputedFromThePoint() {
        #expect(Feature.x2.value(x: 3, y: 2) == 9)
        #expect(Feature.xy.value(x: 3, y: 2) == 6)
        #expect(Feature.siny.value(x: 3, y: 2) == Foundation.sin(2.0))
        #expect(Feature.allCases.map(\.rawValue) == ["x", "y", "x2", "y2", "xy", "sinx", "siny", "cosx", "cosy"])
    }
}

import Foundation

@Suite struct SeededGeneratorTests {
    @Test func aSeedGivesAFixedSequence() {
        var a = SeededGenerator(seed: 42, stream: .data), b = SeededGenerator(seed: 42, stream: .data)
        let sa = (0..<100).map { _ in a.next() }, sb = (0..<100).map { _ in b.next() }
        #expect(sa == sb)
        var c = SeededGenerator(seed: 42, stream: .shuffle)
        #expect((0..<100).map { _ in c.next() } != sa)
    }

    @Test func uniformsAndIndicesStayInRange() {
        var g = SeededGenerator(seed: 1, stream: .test)
        var counts = [Int](repeating: 0, count: 7)
        for _ in 0..<70_000 {
            let u = g.nextUniform()
            #expect(u >= 0 && u < 1)
            counts[g.nextIndex(below: 7)] += 1
        }
        #expect(counts.allSatisfy { abs($0 - 10_000) < 500 }, "\(counts)")
        let normals = (0..<20_000).map { _ in g.nextNormal() }
        let mean = normals.reduce(0, +) / 20_000
        let variance = normals.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / 20_000
        #expect(abs(mean) < 0.03 && abs(variance - 1) < 0.05)
    }

    @Test func splitMix64AndXoshiro256StarStarMatchTheirPublishedOutputs() {
        // SplitMix64 from 1234567, and xoshiro256** from the state {1, 2, 3, 4}: the first outputs
        // of the authors' reference C code.
        var state: UInt64 = 1_234_567
        #expect((0..<5).map { _ in SeededGenerator.splitMix64(&state) }
                == [6457827717110365317, 3203168211198807973, 9817491932198370423, 4593380528125082431, 16408922859458223821])
        var g = SeededGenerator(state: (1, 2, 3, 4))
        #expect((0..<6).map { _ in g.next() }
                == [11520, 0, 1509978240, 1215971899390074240, 1216172134540287360, 607988272756665600])
    }
}
