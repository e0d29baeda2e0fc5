import Testing
@testable import NNPlayEngine

/// The loss landscape: its centre, its cells along named weights, the random directions, the path.
@Suite struct LandscapeTests {
    /// 17 training points, hidden layers of 3 and 5 neurons: sizes that fit no vector width.
    static func awkwardPlayground(epochs: Int) throws -> Playground {
        let data = try Dataset.generate(.xor, count: 34, noise: 0.1, classes: 2, testFraction: 0.5, seed: 3)
        let net = try Network(features: [.x, .y, .x2], hidden: [(3, .tanh), (5, .relu)], classes: 2)
        var s = TrainingSettings()
        s.seed = 3
        var p = try Playground(dataset: data, network: net, settings: s)
        try p.train(.epochs(epochs))
        return p
    }

    @Test func centreIsTheTrainingLossAndEdgesLieAtSpan() throws {
        for p in [try Self.awkwardPlayground(epochs: 4), { var d = Playground.makeDefault(); _ = try? d.train(.epochs(3)); return d }()] {
            #expect(p.dataset.trainIndices.count == 17 || p.dataset.trainIndices.count == 250)
            let train = try #require(p.trainMetrics).loss
            for directions in [LandscapeDirections.random(seed: 5),
                               .named(.weight(layer: 1, neuron: 0, input: 1), .bias(layer: p.network.hiddenCount + 1, neuron: 0))] {
                let l = try p.landscape(directions, span: 0.7, columns: 7, rows: 5)
                #expect(l.centre == train)
                #expect(l.loss.count == 35)
                #expect(l.u(0) == -0.7 && l.u(6) == 0.7 && l.u(3) == 0)
                #expect(l.v(0) == -0.7 && l.v(4) == 0.7 && l.v(2) == 0)
            }
        }
    }

    @Test func cellsAlongNamedWeightsAreTheLossWithThoseWeightsMoved() throws {
        let p = try Self.awkwardPlayground(epochs: 2)
        let a = LandscapeAxis.weight(layer: 2, neuron: 4, input: 2), b = LandscapeAxis.weight(layer: 3, neuron: 0, input: 3)
        let l = try p.landscape(.named(a, b), span: 1.5, columns: 5, rows: 3)
        #expect(l.axes == ["2.5:3", "out.1:4"])
        for (c, r) in [(0, 1), (4, 0), (1, 2), (3, 1)] {
            var moved = p.network
            moved.parameters[p.network.layers[1].weightIndex(neuron: 4, input: 2)] += l.u(c)
            moved.parameters[p.network.layers[2].weightIndex(neuron: 0, input: 3)] += l.v(r)
            let reference = try #require(moved.metrics(on: p.dataset, indices: p.dataset.trainIndices, loss: p.settings.loss)).loss
            #expect(l.value(c, r) == reference)
        }
    }

    @Test func randomDirectionsAreFilterNormalisedAndSeeded() throws {
        let p = try Self.awkwardPlayground(epochs: 3)
        let net = p.network
        let (d1, d2) = net.filterNormalizedDirections(seed: 9)
        #expect(d1 != d2)
        for d in [d1, d2] {
            for shape in net.layers {
                for j in 0..<shape.size {
                    let row = shape.weightIndex(neuron: j, input: 0)..<shape.weightIndex(neuron: j, input: shape.inputs)
                    let dn = row.map { d[$0] * d[$0] }.reduce(0, +).squareRoot()
                    let wn = row.map { net.parameters[$0] * net.parameters[$0] }.reduce(0, +).squareRoot()
                    #expect(abs(dn - wn) <= 1e-12 * Swift.max(1, wn))
                }
                for i in shape.biasOffset..<(shape.biasOffset + shape.size) { #expect(d[i] == 0) }
            }
        }
        #expect(net.filterNormalizedDirections(seed: 9) == (d1, d2))
        #expect(net.filterNormalizedDirections(seed: 10).0 != d1)
        #expect(try p.landscape(.random(seed: 9), span: 1, columns: 9, rows: 9) == p.landscape(.random(seed: 9), span: 1, columns: 9, rows: 9))
    }

    @Test func thePathRunsFromTheStartToTheCentreAndRestartsAfterReset() throws {
        var p = try Self.awkwardPlayground(epochs: 5)
        #expect(p.progress.path.snapshots.map(\.epoch) == [0, 1, 2, 3, 4, 5])
        let start = p.progress.path.snapshots[0].parameters
        for directions in [LandscapeDirections.random(seed: 1), .named(.weight(layer: 1, neuron: 0, input: 0), .bias(layer: 1, neuron: 2))] {
            let l = try p.landscape(directions, span: 1, columns: 3, rows: 3)
            #expect(l.path.count == 6)
            #expect(l.path.last == LandscapePoint(u: 0, v: 0))
            #expect(l.pathEpochs == 5)
            if case .named = directions {
                #expect(l.path[0].u == start[0] - p.network.parameters[0])
            }
        }
        // a random plane's projection of a point in the plane gives back its coordinates
        let (d1, d2) = p.network.filterNormalizedDirections(seed: 2)
        let inPlane = p.network.parameters.indices.map { p.network.parameters[$0] + 0.3 * d1[$0] - 0.6 * d2[$0] }
        let q = Landscape.project(inPlane, theta: p.network.parameters, d1, d2)
        #expect(abs(q.u - 0.3) < 1e-9 && abs(q.v + 0.6) < 1e-9)
        // steps within an epoch end the path at the current weights
        try p.train(.steps(1))
        #expect(try p.landscape(.random(seed: 1), span: 1, columns: 3, rows: 3).path.last == LandscapePoint(u: 0, v: 0))
        p.reset()
        #expect(p.progress.path.isEmpty)
        #expect(try p.landscape(.random(seed: 1), span: 1, columns: 3, rows: 3).path.isEmpty)
        try p.train(.epochs(1), control: TrainingControl(recordHistory: false))
        #expect(p.progress.path.isEmpty)
    }

    @Test func thePathStaysBoundedAndEvenlySpaced() {
        var path = ParameterPath()
        let parameters = [Double](repeating: 1, count: 700)   // 1497 snapshots fit 2^20 doubles
        let limit = ParameterPath.limit(parameterCount: 700)
        #expect(limit == (1 << 20) / 700)
        parameters.withUnsafeBufferPointer { b in
            for e in 0...5000 { path.record(epoch: e, parameters: b.baseAddress!, count: 700) }
        }
        #expect(path.snapshots.count <= limit)
        #expect(path.snapshots.first?.epoch == 0 && path.snapshots.last?.epoch == 5000)
        let inner = path.snapshots.dropFirst().dropLast().map(\.epoch)
        #expect(inner.allSatisfy { $0 % path.stride == 0 })
        #expect(path.stride > 1)
        #expect(ParameterPath.limit(parameterCount: 600_000) < 2)
    }

    @Test func noTrainingPointsIsAnError() throws {
        var p = Playground.makeDefault()
        try p.resplit(testFraction: 1, seed: 1)
        #expect(throws: NNPlayError.self) { try p.landscape(.random(seed: 1), span: 1, columns: 3, rows: 3) }
    }
}
