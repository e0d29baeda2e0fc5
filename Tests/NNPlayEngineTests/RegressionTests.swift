import Foundation
import Testing
@testable import NNPlayEngine

/// Regression (Playground's second problem type): real targets through the same loss path as
/// classes, checked against finite differences, the scalar reference and Playground's datasets.
@Suite struct RegressionTests {
    static func settings(optimizer: Optimizer = .sgd, lr: Double = 0.03, batch: Int = 10, seed: UInt64 = 3) -> TrainingSettings {
        var s = TrainingSettings()
        s.loss = .mse
        s.optimizer = optimizer
        s.learningRate = lr
        s.batchSize = batch
        s.seed = seed
        return s
    }

    // MARK: Gradients

    @Test(arguments: [OutputActivation.linear, .tanh])
    func everyHiddenActivationAgreesWithFiniteDifferences(output: OutputActivation) throws {
        let data = try Dataset.generate(.multigauss, count: 61, noise: 0.2, seed: 7)
        var worst = 0.0
        for activation in Activation.allCases {
            for reg in Regularization.allCases {
                let net = try Network(features: [.x, .y, .xy], hidden: [(5, activation), (3, activation)], classes: 1, output: output)
                var s = Self.settings()
                s.regularization = reg
                s.regularizationRate = reg == .none ? 0 : 0.01
                let p = try Playground(dataset: data, network: net, settings: s)
                let result = p.gradientCheck(points: 13)
                worst = max(worst, result.maxRelativeError)
                #expect(result.maxRelativeError < 1e-6,
                        "\(activation) \(output) \(reg): \(result.maxRelativeError) at \(result.worst) (backprop \(result.backprop), numeric \(result.numeric))")
                #expect(result.parametersChecked == net.parameterCount)
            }
        }
        print("regression gradcheck \(output): largest relative error \(worst)")
    }

    @Test func theGradientIsNotZeroAndMovesTowardsTheTarget() throws {
        // a check that could pass with targets of 0 everywhere: the target must reach the loss
        let data = try Dataset(xs: [0.5], ys: [-1], values: [3], testFraction: 0, seed: 1, origin: "one")
        let net = try Network(features: [.x, .y], hidden: [], classes: 1)
        var p = try Playground(dataset: data, network: net, settings: Self.settings(lr: 0.1, batch: 1))
        try p.setParameters([0, 0, 0])
        let before = try #require(p.trainMetrics)
        #expect(before.loss == 0.5 * 9 && before.rmse == 3, "every parameter 0: output 0, target 3")
        try p.train(.epochs(50))
        let after = try #require(p.trainMetrics)
        #expect(after.loss < 1e-6 && abs((after.rmse ?? .nan) - (2 * after.loss).squareRoot()) < 1e-12)
    }

    // MARK: The scalar reference

    /// Points with real targets at awkward counts, trained in batches of 7 (and the whole set),
    /// step by step against the scalar reference; then loss, rmse and r² of both sets.
    @Test(arguments: [13, 37])
    func trainingStepsAndMetricsMatchTheScalarReference(points n: Int) throws {
        var rng = SeededGenerator(seed: UInt64(n), stream: .test)
        let xs = (0..<n).map { _ in rng.nextUniform(-5, 5) }, ys = (0..<n).map { _ in rng.nextUniform(-5, 5) }
        let values = zip(xs, ys).map { sin($0) * 0.7 + 0.1 * $1 + rng.nextUniform(-0.2, 0.2) }
        let data = try Dataset(xs: xs, ys: ys, values: values, testFraction: 0.3, seed: 5, origin: "sweep")
        #expect(data.problem == .regression && data.classCount == 1)
        let nTrain = data.trainIndices.count
        for (optimizer, output, batch, activation) in [(Optimizer.sgd, OutputActivation.linear, 7, Activation.tanh),
                                                       (.adam, .tanh, 7, .relu), (.momentum, .linear, nTrain, .swish),
                                                       (.rmsprop, .linear, 7, .elu)] {
            var net = try Network(features: [.x, .y, .sinx], hidden: [(9, activation), (5, .tanh)], classes: 1, output: output)
            net.initialize(.xavier, seed: 11)
            let settings = Self.settings(optimizer: optimizer, lr: optimizer == .sgd || optimizer == .momentum ? 0.02 : 0.01, batch: batch)
            var p = try Playground(dataset: data, network: net, settings: settings, initialize: false)
            var ref = Reference(net, loss: .mse)
            var opt = ReferenceOptimizer(settings, parameterCount: net.parameterCount)
            let config = "n=\(n) train=\(nTrain) batch=\(batch) \(optimizer) \(activation) → \(output)"
            func points(_ indices: [Int]) -> [ReferencePoint] {
                indices.map { ReferencePoint(x: data.xs[$0], y: data.ys[$0], label: 0, value: data.values[$0]) }
            }
            for epoch in 1...3 {
                try p.train(.epochs(1))
                let order = p.progress.order
                var position = 0
                while position < nTrain {
                    let b = min(batch, nTrain - position)
                    opt.step(&ref, batch: points(Array(order[position..<(position + b)])))
                    position += b
                }
                var worst = WorstDifference(tolerance: 1e-12)
                let expected = ref.parameters
                for i in expected.indices { worst.check(p.network.parameters[i], expected[i]) { p.describeParameter(i) } }
                #expect(worst.passed, "epoch \(epoch), \(config): \(worst)")
            }
            var worst = WorstDifference(tolerance: 1e-12)
            for (name, indices, metrics) in [("train", data.trainIndices, p.trainMetrics), ("test", data.testIndices, p.testMetrics)] {
                let m = try #require(metrics)
                let expected = ref.regressionMetrics(points(indices))
                worst.check(m.loss, ref.meanLoss(points(indices))) { "\(name) loss" }
                worst.check(m.rmse ?? .nan, expected.rmse) { "\(name) rmse" }
                worst.check(m.r2 ?? .nan, expected.r2) { "\(name) r2" }
                #expect(m.accuracy == nil)
            }
            #expect(worst.passed, "metrics, \(config): \(worst)")
        }
    }

    // MARK: Learning Playground's datasets

    @Test func planeReachesATestR2OfAtLeast0_99() throws {
        let data = try Dataset.generate(.plane, count: 500, noise: 0, seed: 1)
        let net = try Network(features: [.x, .y], hidden: [(4, .tanh), (2, .tanh)], classes: 1)
        var p = try Playground(dataset: data, network: net, settings: Self.settings(optimizer: .adam, lr: 0.01, seed: 1))
        let outcome = try p.train(until: StoppingRule(condition: .init(.testR2, .greaterOrEqual, 0.99), maxEpochs: 100))
        let r2 = try #require(p.testMetrics?.r2)
        print("plane: test r² \(r2) after \(p.progress.epoch) epochs")
        #expect(outcome.reason == .conditionMet(epoch: p.progress.epoch) && r2 >= 0.99, "test r² \(r2) after \(p.progress.epoch) epochs")
    }

    @Test func multigaussReachesATestR2OfAtLeast0_9() throws {
        let data = try Dataset.generate(.multigauss, count: 1000, noise: 0, seed: 1)
        let net = try Network(features: [.x, .y, .sinx, .siny], hidden: [(8, .tanh), (8, .tanh), (8, .tanh)], classes: 1)
        var p = try Playground(dataset: data, network: net, settings: Self.settings(optimizer: .adam, lr: 0.01, seed: 1))
        let outcome = try p.train(until: StoppingRule(condition: .init(.testR2, .greaterOrEqual, 0.9), maxEpochs: 150))
        let r2 = try #require(p.testMetrics?.r2)
        print("multigauss: test r² \(r2) after \(p.progress.epoch) epochs")
        #expect(outcome.reason == .conditionMet(epoch: p.progress.epoch) && r2 >= 0.9, "test r² \(r2) after \(p.progress.epoch) epochs")
    }

    // MARK: Data

    @Test func playgroundsDatasetsFollowItsDefinitions() throws {
        let plane = try Dataset.generate(.plane, count: 203, noise: 0, seed: 2)
        for i in 0..<plane.count { #expect(abs(plane.values[i] - (plane.xs[i] + plane.ys[i]) / 10) < 1e-15) }
        let range = try #require(plane.valueRange)
        #expect(range.min >= -1.2 && range.max <= 1.2 && range.min < -0.9 && range.max > 0.9)
        #expect(RegressionKind.multigauss.target(x: -4, y: 2.5) == 1 && RegressionKind.multigauss.target(x: 0, y: 2.5) == -1)
        #expect(RegressionKind.multigauss.target(x: 4, y: -3.5) == -0.5 && RegressionKind.multigauss.target(x: 2, y: 0) == 0)
        // noise reads the target at a moved point: the targets change, the points do not
        let noisy = try Dataset.generate(.plane, count: 203, noise: 0.3, seed: 2)
        #expect(noisy.xs == plane.xs && noisy.ys == plane.ys && noisy.values != plane.values)
        // the same seed gives the same data and split, bit for bit; another seed other ones
        #expect(try Dataset.generate(.multigauss, count: 99, noise: 0.1, seed: 4) == Dataset.generate(.multigauss, count: 99, noise: 0.1, seed: 4))
        #expect(try Dataset.generate(.multigauss, count: 99, seed: 4).testIndices != Dataset.generate(.multigauss, count: 99, seed: 5).testIndices)
        let split = try Dataset.generate(.plane, count: 101, testFraction: 0.3, seed: 9)
        #expect(split.testIndices.count == 30 && split.trainIndices.count == 71)
    }

    @Test func aCSVOfRealTargetsIsRegressionData() throws {
        let text = "x,y,label\n1,2,0.5\n-1,0,1\n3,1,-2.25\n"
        let data = try Dataset.fromCSV(Array(text.utf8), testFraction: 0, origin: "t")
        #expect(data.problem == .regression && data.values == [0.5, 1, -2.25] && data.classCount == 1)
        // whole numbers are classes, unless forced or named as targets
        let whole = "1,2,0\n-1,0,1\n3,1,1\n"
        #expect(try Dataset.fromCSV(Array(whole.utf8), origin: "t").problem == .classification)
        let forced = try Dataset.fromCSV(Array(whole.utf8), problem: .regression, origin: "t")
        #expect(forced.problem == .regression && forced.values == [0, 1, 1])
        #expect(try Dataset.fromCSV(Array(("x,y,target\n" + whole).utf8), origin: "t").problem == .regression)
        #expect(try Dataset.fromCSV(Array(("x,y,Value\n" + whole).utf8), origin: "t").problem == .regression)
        // problem=classification reads real numbers as labels, which they are not
        #expect(throws: NNPlayError.self) { try Dataset.fromCSV(Array(text.utf8), problem: .classification, origin: "t") }
        // a name among real targets is an error with its line
        do {
            _ = try Dataset.fromCSV(Array("1,2,0.5\n3,4,cat\n".utf8), problem: .regression, origin: "t")
            Issue.record("a name as a target was read")
        } catch let e as NNPlayError {
            #expect(e.message.hasPrefix("line 2: target \"cat\" is not a number"), "\(e.message)")
        }
        // a nan or an overflowing target among real ones is a bad target, said as such
        for (text, message) in [("1,2,0.5\n3,4,nan\n", "line 2: target nan is not a finite number"),
                                ("1,2,0.5\n3,4,-inf\n", "line 2: target -inf is not a finite number"),
                                ("1,2,0.5\n3,4,2e12\n", "line 2: target 2e12 is out of range: regression data has lines x,y,target with finite targets within ±1e12")] {
            do {
                _ = try Dataset.fromCSV(Array(text.utf8), origin: "t")
                Issue.record("\(text.debugDescription) was read")
            } catch let e as NNPlayError {
                #expect(e.message.hasPrefix(message), "\(e.message)")
            }
        }
        let huge = Array("1,2,0.".utf8) + [UInt8](repeating: UInt8(ascii: "5"), count: 256 * 1024) + Array("\n3,4,1\n".utf8)
        #expect(try Dataset.fromCSV(huge, origin: "t").values.count == 2, "a 256 kB fraction is a real target")
        // saved as x,y,target and read back the same, even when every target is whole
        let saved = CSVFormat.serialize(forced)
        #expect(saved.hasPrefix("x,y,target\n"))
        let back = try Dataset.fromCSV(Array(saved.utf8), testFraction: forced.testFraction, seed: 1, origin: forced.source)
        #expect(back.problem == .regression && back.values == forced.values && back.xs == forced.xs)
    }

    // MARK: Data and network together

    @Test func changingTheProblemSwitchesTheOutputLayersDefaults() throws {
        var p = Playground.makeDefault()
        let notes = try p.replaceDataset(Dataset.generate(.plane, count: 100))
        #expect(p.network.problem == .regression && p.network.outputActivation == .linear && p.network.outputCount == 1)
        #expect(p.settings.loss == .mse && notes.contains("output layer rebuilt for regression: 1 linear"), "\(notes)")
        // a tanh output stays from one regression dataset to another; bce and sigmoid are refused
        p.network = try p.network.withActivations(output: .tanh)
        try p.replaceDataset(Dataset.generate(.multigauss, count: 100))
        #expect(p.network.outputActivation == .tanh)
        var s = p.settings
        s.loss = .bce
        #expect(throws: NNPlayError.self) { try p.updateSettings(s) }
        #expect(throws: NNPlayError.self) { try p.network.withActivations(output: .sigmoid) }
        // and back to classes: the classification defaults
        try p.replaceDataset(Dataset.generate(.circle, count: 100))
        #expect(p.network.problem == .classification && p.network.outputActivation == .sigmoid && p.settings.loss == .bce)
        try p.replaceDataset(Dataset.generate(.spiral, count: 99, classes: 3))
        try p.replaceDataset(Dataset.generate(.plane, count: 100))
        #expect(p.network.outputActivation == .linear && p.settings.loss == .mse)
    }

    @Test func aRegressionModelSavesAndLoadsBitForBit() throws {
        let data = try Dataset.generate(.multigauss, count: 77, noise: 0.1, seed: 3)
        let net = try Network(features: [.x, .y, .x2], hidden: [(5, .relu)], classes: 1, output: .tanh)
        var p = try Playground(dataset: data, network: net, settings: Self.settings(optimizer: .adam, lr: 0.01))
        try p.train(.epochs(3))
        let range = try #require(data.valueRange)
        let file = ModelFile(network: p.network, settings: p.settings, targetRange: range.min...range.max)
        let text = file.encoded()
        #expect(text.contains("\"problem\": \"regression\"") && text.contains("\"targets\": {\"min\": ") && !text.contains("\"classes\""))
        let back = try ModelFile.decode(text)
        #expect(back == file && back.network.problem == .regression)
        var q = Playground.makeDefault()
        // a regression model on classification data is refused, saying why
        do {
            try q.install(model: back.network, settings: back.settings)
            Issue.record("a regression model was installed on classes")
        } catch let e as NNPlayError {
            #expect(e.message.contains("regression") && e.message.contains("load regression data first"), "\(e.message)")
        }
        try q.replaceDataset(data)
        try q.install(model: back.network, settings: back.settings)
        #expect(q.testMetrics == p.testMetrics && q.network.predict(x: 0.3, y: -1.7) == p.network.predict(x: 0.3, y: -1.7))
        // an older file without "problem" is classification; regression without classes only
        let old = ModelFile(network: Playground.makeDefault().network, settings: nil).encoded()
        #expect(try !old.contains("problem") && ModelFile.decode(old).network.problem == .classification)
        let both = text.replacingOccurrences(of: "\"problem\": \"regression\",", with: "\"problem\": \"regression\", \"classes\": 2,")
        #expect(throws: NNPlayError.self) { try ModelFile.decode(both) }
        let sigmoid = text.replacingOccurrences(of: "\"activation\": \"tanh\"", with: "\"activation\": \"sigmoid\"")
        #expect(throws: NNPlayError.self) { try ModelFile.decode(sigmoid) }
    }

    @Test func pointsWithTargetsAreAddedAndRemoved() throws {
        var p = try Playground(dataset: Dataset.generate(.plane, count: 20, seed: 1),
                               network: Network(features: [.x, .y], hidden: [(3, .tanh)], classes: 1), settings: Self.settings())
        try p.addPoint(x: 1, y: 2, value: 0.75, toTest: true)
        #expect(p.dataset.values.last == 0.75 && p.dataset.testIndices.last == 20)
        #expect(throws: NNPlayError.self) { try p.addPoint(x: 1, y: 2, label: 1, toTest: false) }
        #expect(throws: NNPlayError.self) { try p.addPoint(x: 1, y: 2, value: .infinity, toTest: false) }
        try p.removePoints(nearX: 1, y: 2, radius: nil)
        #expect(p.dataset.values.count == 20 && !p.dataset.values.contains(0.75))
        var c = Playground.makeDefault()
        #expect(throws: NNPlayError.self) { try c.addPoint(x: 1, y: 2, value: 0.5, toTest: false) }
    }

    // MARK: Pictures

    @Test func theOutputMapAndThePointsShareOneDivergingScaleOfTheTargets() throws {
        let data = try Dataset.generate(.multigauss, count: 53, seed: 2)
        let net = try Network(features: [.x, .y], hidden: [(5, .tanh)], classes: 1)
        var p = try Playground(dataset: data, network: net, settings: Self.settings(optimizer: .adam, lr: 0.01))
        try p.train(.epochs(5))
        let coloring = PointColoring(p.dataset)
        guard case .values(let scale) = coloring else { Issue.record("regression data is coloured by class"); return }
        let r = try #require(data.valueRange)
        #expect(scale.center == 0 && scale.halfRange == max(abs(r.min), abs(r.max)))
        // white at 0, orange below, blue above, full colour at the largest |target|
        #expect(scale.color(0) == .white && scale.color(-scale.halfRange) == Palette.negative && scale.color(scale.halfRange) == Palette.positive)
        let half = scale.color(0.5 * scale.halfRange), low = scale.color(-0.5 * scale.halfRange)
        #expect(half.b > half.r && low.r > low.b)
        // each cell of the output picture is the prediction there, on that scale
        let size = 37
        let maps = p.network.gridMaps(Grid(frame: data.frame, columns: size, rows: size), layers: [])
        #expect(maps.values.count == size * size)
        // a classification network's maps carry no predictions (and write none)
        #expect(Playground.makeDefault().network.gridMaps(Grid(frame: .standard, columns: size, rows: size)).values.isEmpty)
        let image = MapPainter.outputImage(maps, discrete: false, coloring: coloring)
        for (c, row) in [(0, 0), (18, 5), (36, 36), (7, 29)] {
            let x = maps.grid.x(c), y = maps.grid.y(row)
            let predicted = p.network.predict(x: x, y: y)[0]
            #expect(abs(maps.values[row * size + c] - predicted) < 1e-12)
            #expect(image[c, row] == scale.color(predicted), "cell \(c),\(row)")
        }
        // a point's disc is its target's colour
        let two = try Dataset(xs: [-3, 3], ys: [0, 0], values: [-0.4, 0.8], testFraction: 0, seed: 1, frame: .standard, origin: "two")
        var blank = Image(width: 120, height: 120)
        MapPainter.drawPoints(&blank, data: two, frame: two.frame, .all, radius: 4)
        #expect(blank[30, 60] == Palette.negative.mixed(with: .white, 0.5) && blank[30, 60] == PointColoring.targetScale(min: -0.4, max: 0.8).color(-0.4))
        #expect(blank[90, 60] == Palette.positive && blank[60, 60] == .white, "off the points the image stays as it was")
        // classification pictures are untouched: coloured by class
        #expect(PointColoring(Playground.makeDefault().dataset) == .classes)
    }

    @Test func terminalPicturesInColourShowTheTargetScaleAndColourPointsByTarget() throws {
        let data = try Dataset(xs: [-3, 3], ys: [0, 0], values: [-0.4, 0.8], testFraction: 0, seed: 1, frame: .standard, origin: "two")
        let p = try Playground(dataset: data, network: Network(features: [.x, .y], hidden: [(3, .tanh)], classes: 1), settings: Self.settings())
        let picture = TerminalPictures.output(p, columns: 24, rows: 12, .trueColor, points: .all, discrete: false)
        let legend = (0..<picture.width).map { picture[$0, picture.height - 1].char }.map(String.init).joined()
        #expect(legend.contains("-0.8 ") && legend.contains(" 0 ") && legend.contains(" 0.8  (prediction and ● train ○ test points by target; targets -0.4 … 0.8)"), "\(legend)")
        // the two points' glyphs are their targets' colours (lightened or darkened only for contrast)
        let glyphs = (0..<(picture.height - 1)).flatMap { y in (0..<picture.width).map { picture[$0, y] } }.filter { $0.char == "●" }
        #expect(glyphs.count == 2)
        let scale = PointColoring.targetScale(min: -0.4, max: 0.8)
        let expected = [scale.color(-0.4), scale.color(0.8)]
        for (cell, color) in zip(glyphs, expected) {
            let glyph = try #require(cell.foreground)
            // a darkened target colour keeps its hue: orange stays red-heavy, blue blue-heavy
            #expect(glyph == color || (color.r > color.b) == (glyph.r > glyph.b), "\(glyph) for \(color)")
        }
    }
}
