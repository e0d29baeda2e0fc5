import Foundation
import Testing
@testable import NNPlayEngine

/// rmsprop, adagrad and nesterov against the scalar reference (`ReferenceOptimizer`), and the
/// learning-rate schedules: the rate of every step against its formula, written out here.
@Suite struct OptimizerScheduleTests {
    /// 3 features into 5 tanh and 3 relu neurons: 42 parameters, so every update has a vector
    /// body (40) and a scalar tail (2); with 3 classes (softmax) 50, a tail of 2 again.
    static func playground(points n: Int, classes: Int, batch: Int, settings: (inout TrainingSettings) -> Void) throws -> (Playground, Dataset) {
        var rng = SweepRandom(seed: UInt64(n * 31 + classes))
        let points = SizeSweepTests.points(&rng, n, classes: classes, spread: 3)
        let data = try SizeSweepTests.dataset(points, classes: classes, seed: 5)
        let net = try Network(features: [.x, .y, .x2], hidden: [(5, .tanh), (3, .relu)], classes: classes,
                              output: classes == 2 ? .sigmoid : .softmax)
        var s = TrainingSettings()
        s.loss = classes == 2 ? .bce : .ce
        s.batchSize = batch
        s.learningRate = 0.02
        s.seed = 7
        settings(&s)
        return (try Playground(dataset: data, network: net, settings: s), data)
    }

    /// Replays the engine's batches of the epoch just trained (its order) through the reference.
    static func replayEpoch(_ p: Playground, _ data: Dataset, batch: Int, from start: Int = 0,
                            _ ref: inout Reference, _ opt: inout ReferenceOptimizer, rate: (Int) -> Double? = { _ in nil }) {
        let order = p.progress.order, n = data.trainIndices.count
        var position = start
        while position < n {
            let b = min(batch, n - position)
            opt.step(&ref, batch: SizeSweepTests.referencePoints(data, Array(order[position..<(position + b)])), rate: rate(opt.t))
            position += b
        }
    }

    static func compare(_ p: Playground, _ ref: Reference, _ what: String) {
        var worst = WorstDifference(tolerance: 1e-12)
        let expected = ref.parameters
        for i in expected.indices { worst.check(p.network.parameters[i], expected[i]) { p.describeParameter(i) } }
        #expect(worst.passed, "\(what): \(worst)")
    }

    // MARK: Optimisers

    @Test(arguments: [Optimizer.rmsprop, .adagrad, .nesterov])
    func newOptimisersMatchTheScalarReference(optimizer: Optimizer) throws {
        var configurations = 0
        for n in [17, 37] {
            for classes in [2, 3] {
                for reg in Regularization.allCases {
                    // partial last batches (17 = 3·5 + 2, 37 = 7·5 + 2; 17 = 2·8 + 1, 37 = 4·8 + 5) and full batches
                    for batch in [5, 8, n] {
                        let rate = reg == .l1 ? 0.003 : (reg == .l2 ? 0.02 : 0)
                        let (pg, data) = try Self.playground(points: n, classes: classes, batch: batch) { s in
                            s.optimizer = optimizer
                            s.regularization = reg
                            s.regularizationRate = rate
                            s.momentum = batch == 8 ? 0.5 : 0.9
                            s.decay = batch == 5 ? 0.99 : 0.9
                            s.epsilon = batch == n ? 1e-6 : 1e-8
                        }
                        var p = pg
                        var ref = Reference(p.network, loss: p.settings.loss, regularization: reg, rate: rate)
                        var opt = ReferenceOptimizer(p.settings, parameterCount: p.network.parameterCount)
                        let what = "\(optimizer) points=\(n) classes=\(classes) reg=\(reg) batch=\(batch)"
                        // part of an epoch by steps, then the rest, then two whole epochs
                        let k = min(2, p.stepsPerEpoch)
                        let o = try p.train(.steps(k))
                        #expect(o.steps == k && o.divergence == nil)
                        var partial = ref, partialOpt = opt
                        let order = p.progress.order
                        for s in 0..<k {
                            let lo = s * batch, hi = min(lo + batch, data.trainIndices.count)
                            partialOpt.step(&partial, batch: SizeSweepTests.referencePoints(data, Array(order[lo..<hi])))
                        }
                        Self.compare(p, partial, "\(what) after \(k) steps")
                        let start = p.progress.position
                        try p.train(.epochs(1))
                        ref = partial
                        opt = partialOpt
                        Self.replayEpoch(p, data, batch: batch, from: start, &ref, &opt)
                        Self.compare(p, ref, "\(what) after the first epoch")
                        for e in 2...3 {
                            let o = try p.train(.epochs(1))
                            #expect(o.divergence == nil, "\(what)")
                            Self.replayEpoch(p, data, batch: batch, &ref, &opt)
                            Self.compare(p, ref, "\(what) after epoch \(e)")
                        }
                        #expect(opt.t == p.progress.steps)
                        configurations += 1
                    }
                }
            }
        }
        #expect(configurations == 36)
    }

    @Test func nesterovLooksAheadAndRmspropAndAdagradNormaliseTheStep() throws {
        // one parameter's first steps by hand: g = 2 each step (a linear model's bias, say)
        var w = [1.0], nes = ReferenceOptimizer(.nesterov, learningRate: 0.1, parameterCount: 1)
        nes.step(&w, gradient: [2])          // v = 2, w = 1 − 0.1·(2 + 0.9·2)
        #expect(abs(w[0] - (1 - 0.1 * 3.8)) < 1e-15)
        var r = [1.0], rms = ReferenceOptimizer(.rmsprop, learningRate: 0.1, parameterCount: 1)
        rms.step(&r, gradient: [2])          // v = 0.1·4, w = 1 − 0.1·2/√0.4
        #expect(abs(r[0] - (1 - 0.2 / 0.4.squareRoot())) < 1e-7)   // ε = 1e-8 in the denominator
        var a = [1.0], ada = ReferenceOptimizer(.adagrad, learningRate: 0.1, parameterCount: 1)
        ada.step(&a, gradient: [2])
        ada.step(&a, gradient: [2])          // v = 8 after two steps: 1 − 0.1 − 0.1·2/√8
        #expect(abs(a[0] - (1 - 0.1 - 0.2 / 8.0.squareRoot())) < 1e-7)
    }

    @Test func changingTheOptimiserEmptiesItsMemory() throws {
        let (pg, data) = try Self.playground(points: 17, classes: 2, batch: 5) { $0.optimizer = .rmsprop }
        var p = pg
        try p.train(.epochs(2))
        #expect(p.progress.optimizerState.second.contains { $0 != 0 })
        var s = p.settings
        s.optimizer = .adagrad
        try p.updateSettings(s)
        #expect(p.progress.optimizerState.second.allSatisfy { $0 == 0 } && p.progress.optimizerState.first.allSatisfy { $0 == 0 })
        // adagrad from empty memory, as the reference starts it
        var ref = Reference(p.network, loss: .bce)
        var opt = ReferenceOptimizer(p.settings, parameterCount: p.network.parameterCount)
        try p.train(.epochs(1))
        Self.replayEpoch(p, data, batch: 5, &ref, &opt)
        Self.compare(p, ref, "adagrad after rmsprop")
        // nesterov after momentum: a new velocity
        s.optimizer = .momentum
        try p.updateSettings(s)
        try p.train(.epochs(1))
        s.optimizer = .nesterov
        try p.updateSettings(s)
        #expect(p.progress.optimizerState.first.allSatisfy { $0 == 0 })
    }

    @Test func decayIsValidatedInItsRange() throws {
        var (p, _) = try Self.playground(points: 17, classes: 2, batch: 5) { $0.optimizer = .rmsprop }
        for bad in [-0.1, 1, 1.5, .nan, .infinity] {
            var s = p.settings
            s.decay = bad
            #expect(throws: NNPlayError.self) { try p.updateSettings(s) }
        }
        var s = p.settings
        s.decay = 0
        try p.updateSettings(s)
        #expect(p.settings.decay == 0)
        #expect(throws: NNPlayError("decay=1 is out of range: decay is in [0, 1)")) {
            var t = TrainingSettings()
            t.decay = 1
            try t.validate()
        }
    }

    @Test func theNewOptimisersLearnTheCircle() throws {
        for optimizer in [Optimizer.rmsprop, .adagrad, .nesterov] {
            let data = try Dataset.generate(.circle, count: 200, noise: 0.05, classes: 2, seed: 2)
            let net = try Network(features: [.x, .y], hidden: [(8, .tanh)], classes: 2)
            var s = TrainingSettings()
            s.optimizer = optimizer
            s.learningRate = optimizer == .nesterov ? 0.03 : 0.01
            if optimizer == .adagrad { s.learningRate = 0.1 }
            var p = try Playground(dataset: data, network: net, settings: s)
            try p.train(.epochs(150))
            let accuracy = try #require(p.trainMetrics).accuracyValue
            #expect(accuracy > 0.9, "\(optimizer): train accuracy \(accuracy)")
        }
    }

    @Test func modelFilesKeepTheNewOptimisersNames() throws {
        for optimizer in [Optimizer.rmsprop, .adagrad, .nesterov] {
            let (p, _) = try Self.playground(points: 17, classes: 2, batch: 5) { $0.optimizer = optimizer }
            let text = ModelFile(network: p.network, settings: p.settings).encoded()
            #expect(text.contains("\"optimizer\": \"\(optimizer.rawValue)\""))
            let back = try ModelFile.decode(text)
            #expect(back.settings?.optimizer == optimizer)
            #expect(Optimizer(name: optimizer.rawValue.uppercased()) == optimizer)
        }
        #expect(Optimizer.namesList == "sgd momentum adam rmsprop adagrad nesterov")
    }

    // MARK: Schedules

    /// The formulas, written independently of the engine: the rate of the step after `epoch`
    /// completed epochs and `t` steps.
    static func formula(_ schedule: LearningRateSchedule, lr: Double, epoch: Int, t: Int) -> Double {
        switch schedule {
        case .constant: return lr
        case .step(let gamma, let every): return lr * pow(gamma, (Double(epoch) / Double(every)).rounded(.down))
        case .exponential(let gamma): return lr * pow(gamma, Double(epoch))
        case .cosine(let period, let low):
            let e = Double(min(epoch, period))
            return low + (lr - low) * 0.5 * (1 + cos(Double.pi * e / Double(period)))
        case .inverseScaling(let power): return lr / pow(Double(t + 1), power)
        }
    }

    static let schedules: [LearningRateSchedule] = [
        .constant, .step(gamma: 0.5, every: 2), .step(gamma: 0.1, every: 1), .exponential(gamma: 0.9),
        .cosine(period: 3, min: 0.001), .cosine(period: 4, min: 0), .inverseScaling(power: 0.5), .inverseScaling(power: 1.5),
    ]

    @Test(arguments: schedules)
    func everyStepUsesTheRateOfItsSchedulesFormula(schedule: LearningRateSchedule) throws {
        // 17 points in batches of 5: 4 steps an epoch, the last of 2 points
        let (pg, data) = try Self.playground(points: 17, classes: 2, batch: 5) { s in
            s.optimizer = .momentum
            s.learningRate = 0.05
            s.schedule = schedule
        }
        var p = pg
        var rates: [(epochBefore: Int, step: Int, rate: Double)] = []
        var epochBefore = 0
        let control = TrainingControl(onProgress: { report, _ in
            rates.append((epochBefore, report.totalSteps - 1, report.learningRate))
            epochBefore = report.epoch
        })
        var ref = Reference(p.network, loss: .bce)
        var opt = ReferenceOptimizer(p.settings, parameterCount: p.network.parameterCount)
        // training in pieces, a part of an epoch first: the rates follow the counters, not the calls
        try p.train(.steps(3), control: control)
        let firstOrder = p.progress.order
        for s in 0..<3 {
            opt.step(&ref, batch: SizeSweepTests.referencePoints(data, Array(firstOrder[(s * 5)..<(s * 5 + 5)])),
                     rate: Self.formula(schedule, lr: 0.05, epoch: 0, t: s))
        }
        try p.train(.epochs(1), control: control)
        Self.replayEpoch(p, data, batch: 5, from: 15, &ref, &opt) { Self.formula(schedule, lr: 0.05, epoch: $0 / 4, t: $0) }
        for _ in 0..<5 {
            try p.train(.epochs(1), control: control)
            Self.replayEpoch(p, data, batch: 5, &ref, &opt) { Self.formula(schedule, lr: 0.05, epoch: $0 / 4, t: $0) }
        }
        #expect(rates.count == 24 && p.progress.steps == 24 && p.progress.epoch == 6)
        for (k, r) in rates.enumerated() {
            #expect(r.step == k && r.epochBefore == k / 4, "step \(k)")
            let expected = Self.formula(schedule, lr: 0.05, epoch: k / 4, t: k)
            #expect(abs(r.rate - expected) <= 1e-15 * expected, "\(schedule) step \(k): \(r.rate) vs \(expected)")
        }
        // the weights: the reference's momentum with the formula's rates
        Self.compare(p, ref, "\(schedule)")
        #expect(abs(p.learningRateInForce - Self.formula(schedule, lr: 0.05, epoch: 6, t: 24)) <= 1e-15 * p.learningRateInForce)
    }

    @Test func theRatesAtKnownEpochs() {
        let lr = 0.1
        #expect(LearningRateSchedule.constant.rate(base: lr, epoch: 12345, step: 99) == lr)
        let step = LearningRateSchedule.step(gamma: 0.5, every: 100)
        #expect(step.rate(base: lr, epoch: 99, step: 0) == lr && step.rate(base: lr, epoch: 100, step: 0) == 0.05
                && step.rate(base: lr, epoch: 250, step: 0) == 0.025)
        let cosine = LearningRateSchedule.cosine(period: 1000, min: 0.01)
        #expect(cosine.rate(base: lr, epoch: 0, step: 0) == lr)
        #expect(abs(cosine.rate(base: lr, epoch: 500, step: 0) - 0.055) < 1e-15)
        #expect(cosine.rate(base: lr, epoch: 1000, step: 0) == 0.01 && cosine.rate(base: lr, epoch: 5000, step: 0) == 0.01)
        let inv = LearningRateSchedule.inverseScaling(power: 0.5)
        #expect(inv.rate(base: lr, epoch: 7, step: 0) == lr && inv.rate(base: lr, epoch: 0, step: 3) == 0.05)
        #expect(abs(LearningRateSchedule.exponential(gamma: 0.99).rate(base: lr, epoch: 2, step: 0) - 0.09801) < 1e-15)
    }

    /// A rate of lr·1 is lr itself: these runs must equal the constant schedule's bit for bit, and the
    /// constant schedule's rate is the `lr` setting, as before schedules existed.
    @Test(arguments: Optimizer.allCases)
    func theConstantScheduleTrainsBitForBitAsBefore(optimizer: Optimizer) throws {
        func run(_ schedule: LearningRateSchedule) throws -> (Playground, [Double]) {
            var (p, _) = try Self.playground(points: 37, classes: 3, batch: 8) { s in
                s.optimizer = optimizer
                s.schedule = schedule
                s.regularization = .l2
                s.regularizationRate = 0.01
            }
            var rates: [Double] = []
            try p.train(.epochs(4), control: TrainingControl(onProgress: { r, _ in rates.append(r.learningRate) }))
            return (p, rates)
        }
        let (constant, rates) = try run(.constant)
        #expect(rates.count == 20 && rates.allSatisfy { $0 == 0.02 })
        for other in [LearningRateSchedule.step(gamma: 0.5, every: 1000), .cosine(period: 10, min: 0.02), .exponential(gamma: 1)] {
            let (p, _) = try run(other)
            #expect(p.network.parameters == constant.network.parameters, "\(other)")
            #expect(p.progress.optimizerState == constant.progress.optimizerState)
        }
    }

    @Test func theTextFormReadsBackAndNamesItsParameters() throws {
        let cases: [(LearningRateSchedule, String)] = [
            (.constant, "constant"), (.step(gamma: 0.5, every: 100), "step gamma=0.5 every=100"),
            (.exponential(gamma: 0.99), "exp gamma=0.99"), (.cosine(period: 1000, min: 0), "cosine period=1000 min=0"),
            (.cosine(period: 50, min: 0.0001), "cosine period=50 min=0.0001"), (.inverseScaling(power: 0.5), "invscaling power=0.5"),
        ]
        for (schedule, text) in cases {
            #expect(schedule.description == text)
            #expect(try LearningRateSchedule.parse(text.split(separator: " ").map(String.init)) == schedule)
            #expect(try LearningRateSchedule(json: schedule.json) == schedule)
            #expect(try LearningRateSchedule.decode(JSON.parse(schedule.json.serialized())) == schedule)
            try schedule.validate()
        }
        // defaults, any order, case, number syntax
        #expect(try LearningRateSchedule.parse(["step"]) == .step(gamma: 0.5, every: 100))
        #expect(try LearningRateSchedule.parse(["STEP", "every=1e3", "Gamma=0.25"]) == .step(gamma: 0.25, every: 1000))
        #expect(try LearningRateSchedule.parse(["exp"]) == .exponential(gamma: 0.99))
        #expect(try LearningRateSchedule.parse(["cosine", "min=0.001"]) == .cosine(period: 1000, min: 0.001))
        #expect(try LearningRateSchedule.parse(["invscaling", "power=1_0"]) == .inverseScaling(power: 10))
        #expect(TrainingSettings().schedule == .constant)
        #expect(LearningRateSchedule.step(gamma: 0.5, every: 100).json.serialized() == #"{"type": "step", "gamma": 0.5, "every": 100}"#)
        #expect(LearningRateSchedule.namesList == "constant step exp cosine invscaling")
    }

    @Test func parserErrorsAreOneClearLine() {
        let cases: [([String], String)] = [
            ([], "a schedule needs a name: schedules are constant step exp cosine invscaling"),
            (["linear"], "unknown schedule 'linear' (schedules: constant step exp cosine invscaling)"),
            (["step", "rate=0.5"], "schedule step has no parameter 'rate': its parameters are gamma every"),
            (["constant", "gamma=0.5"], "schedule constant has no parameter 'gamma': it takes no parameters"),
            (["step", "gamma"], "schedule step gamma needs a value, as gamma=0.5"),
            (["step", "gamma="], "schedule step gamma needs a value, as gamma=0.5"),
            (["step", "gamma=0.5", "gamma=0.2"], "schedule step gamma is given twice"),
            (["step", "gamma=abc"], "schedule step gamma=abc is not a number: gamma is in (0, 1]"),
            (["step", "gamma=nan"], "schedule step gamma=nan is not a number: gamma is in (0, 1]"),
            (["step", "gamma=0"], "schedule step gamma=0 is out of range: gamma is in (0, 1]"),
            (["exp", "gamma=1.5"], "schedule exp gamma=1.5 is out of range: gamma is in (0, 1]"),
            (["step", "every=2.5"], "schedule step every=2.5 is out of range: every is a whole number 1…1000000000"),
            (["step", "every=0"], "schedule step every=0 is out of range: every is a whole number 1…1000000000"),
            (["cosine", "period=1e400"], "schedule cosine period=1e400 is not a number: period is a whole number 1…1000000000"),
            (["cosine", "min=-1"], "schedule cosine min=-1 is out of range: min is a number ≥ 0"),
            (["invscaling", "power=-0.5"], "schedule invscaling power=-0.5 is out of range: power is a number ≥ 0"),
        ]
        for (words, message) in cases {
            #expect(throws: NNPlayError(message), "\(words)") { try LearningRateSchedule.parse(words) }
        }
        // long or hostile input is quoted short and on one line
        do {
            _ = try LearningRateSchedule.parse([String(repeating: "x", count: 500) + "\n"])
            Issue.record("no error")
        } catch let e as NNPlayError {
            #expect(!e.message.contains("\n") && e.message.count < 120)
        } catch { Issue.record("\(error)") }
    }

    @Test func theJSONFormRefusesWhatIsWrong() throws {
        let cases: [(String, String)] = [
            (#""step""#, #""schedule" is not an object (as {"type": "step", "gamma": 0.5, "every": 100})"#),
            (#"{"gamma": 0.5}"#, #""schedule" needs a "type", one of constant step exp cosine invscaling"#),
            (#"{"type": "linear"}"#, #""schedule": "type" is "linear", not one of constant step exp cosine invscaling"#),
            (#"{"type": "step", "rate": 1}"#, #""schedule": step has no parameter "rate": its parameters are gamma every"#),
            (#"{"type": "step", "gamma": "half"}"#, #""schedule": "gamma" is "half", not a number: gamma is in (0, 1]"#),
            (#"{"type": "step", "every": 0.5}"#, #""schedule": "every" is 0.5: every is a whole number 1…1000000000"#),
            (#"{"type": "cosine", "period": 1e300}"#, #""schedule": "period" is 1e+300: period is a whole number 1…1000000000"#),
            (#"{"type": "exp", "gamma": 0.5, "gamma": 0.7}"#, #""schedule": "gamma" is given twice"#),
        ]
        for (text, message) in cases {
            let value = try JSON.parse(text)
            #expect(throws: NNPlayError(message), "\(text)") { try LearningRateSchedule(json: value) }
        }
        // parameters left out keep their defaults
        #expect(try LearningRateSchedule(json: JSON.parse(#"{"type": "cosine", "period": 10}"#)) == .cosine(period: 10, min: 0))
        #expect(try LearningRateSchedule(json: JSON.parse(#"{"type": "constant"}"#)) == .constant)
    }

    @Test func settingsValidateTheSchedule() throws {
        var s = TrainingSettings()
        s.schedule = .step(gamma: 0.5, every: 0)
        #expect(throws: NNPlayError("schedule step every=0 is out of range: every is a whole number 1…1000000000")) { try s.validate() }
        s.schedule = .cosine(period: 10, min: -1)
        #expect(throws: NNPlayError.self) { try s.validate() }
        s.schedule = .inverseScaling(power: .infinity)
        #expect(throws: NNPlayError.self) { try s.validate() }
        s.schedule = .exponential(gamma: 0.5)
        try s.validate()
        #expect(s.rate(epoch: 2, step: 0) == 0.03 * 0.25)
    }
}
