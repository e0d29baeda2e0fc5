import Foundation
import NNPlayEngine
import Testing
@testable import NNPlayShell

/// The commands that show how a network learns: `backprop`, `stats grads`, `set weight`/`set bias`,
/// `plot grads`, `plot loss steps`, and the JSON forms of SPEC.md ("Seeing how it learns").
@Suite struct LearningViewTests {
    func numbers(_ json: JSON?) -> [Double] {
        guard case .array(let items)? = json else { return [] }
        return items.compactMap { if case .number(let x) = $0 { return x } else { return nil } }
    }

    @Test func backpropJSONHasEveryLayerFromTheOutputDownWithTheEnginesValues() throws {
        let (session, _) = makeSession()
        try session.run("train 3")
        let line = try session.run("backprop 1.5 -2 class=1 json")
        #expect(line.filter { $0 == "\n" }.count == 1, "one line")
        let json = try JSON.parse(line)
        let p = session.playground, net = p.network
        let trace = net.backpropTrace(x: 1.5, y: -2, label: 1, loss: p.settings.loss)
        #expect(numbers(json["loss"].map { .array([$0]) }) == [trace.loss])
        guard case .array(let layers)? = json["layers"] else { Issue.record("no layers"); return }
        #expect(layers.map { $0["layer"] } == [.string("out"), .string("2"), .string("1")])
        for (entry, layer) in zip(layers, trace.layers.reversed()) {
            for (key, values) in [("z", layer.z), ("a", layer.a), ("dC_da", layer.dCda), ("dC_dz", layer.delta), ("dC_db", layer.biasGradient)] {
                #expect(numbers(entry[key]) == values, "\(key)")
            }
            guard case .array(let rows)? = entry["dC_dw"] else { Issue.record("no dC_dw"); continue }
            #expect(rows.map(numbers) == layer.weightGradient, "row j = neuron j, as weights[j][i]")
        }
    }

    @Test func backpropTextFitsEightyColumnsAndSummarisesWideLayers() throws {
        let (session, _) = makeSession()
        try session.run("train 2")
        let small = try session.run("backprop 1 2")
        #expect(small.contains("loss C = "))
        #expect(small.contains("largest nudges"))
        #expect(small.split(separator: "\n").allSatisfy { $0.count <= 80 }, "\(small)")
        // the default class is the nearest training point's, and the output says so
        #expect(small.contains("nearest training point"))
        try session.run("resize 1 40")
        try session.run("add 30 relu")
        let wide = try session.run("backprop 1 2")
        #expect(wide.split(separator: "\n").allSatisfy { $0.count <= 80 }, "\(wide)")
        #expect(wide.contains("… 32 more neurons"))
        #expect(wide.contains("the largest of each neuron's 40"))
        #expect(wide.split(separator: "\n").count < 80, "a summary, not every neuron")
    }

    @Test func backpropRefusesWhatItCannotMeasure() {
        let (session, _) = makeSession()
        #expect(session.error("backprop 1")?.contains("usage: backprop X Y") == true)
        #expect(session.error("backprop 1 2 class=2")?.contains("classes are 0…1") == true)
        #expect(session.error("backprop 1 2 target=0.5")?.contains("regression") == true)
        #expect(session.error("backprop 1 2 bogus")?.contains("unexpected 'bogus'") == true)
        #expect(session.error("backprop a 2") != nil)
    }

    @Test func setWeightThenEvalReflectsIt() throws {
        let (session, _) = makeSession()
        try session.run("train 2")
        try session.run("set weight 1.1 2 0.75")
        try session.run("set bias 1.1 -0.25")
        let eval = try JSON.parse(session.run("eval 0 2 json"))
        guard case .array(let layers)? = eval["layers"] else { Issue.record("no layers"); return }
        // z of neuron 1.1 at (0, 2): 0·w₁ + 2·0.75 − 0.25
        #expect(numbers(layers[1]["z"]).first == 1.25)
        #expect(session.playground.progress.epoch == 2, "the progress stays")
        // sessions replay it
        #expect(session.replayLog.contains("set weight 1.1 2 0.75"))
        #expect(session.replayLog.contains("set bias 1.1 -0.25"))
    }

    @Test func setWeightRefusesBadTargetsAndValuesAndKeepsTheWeights() {
        let (session, _) = makeSession()
        let before = session.playground
        for (line, says) in [("set weight 1.1 3 1", "I is 1…2"), ("set weight 0.1 1 1", "input feature"),
                             ("set weight 1.9 1 1", "neurons 1…4"), ("set weight 1.1 1 inf", "VALUE=inf"),
                             ("set weight 1.1 1 1e7", "-1e6 to 1e6"), ("set weight 1.1 1 nan", "VALUE"),
                             ("set weight 1.1 1", "usage: set weight L.J I VALUE"), ("set bias out.1", "usage: set bias"),
                             ("set bias out.2 1", "neurons 1…1"), ("set weight out.1 1 1 1", "unexpected")] {
            let message = session.error(line)
            #expect(message?.contains(says) == true, "\(line): \(message ?? "accepted")")
        }
        #expect(session.playground == before)
    }

    @Test func setWeightCompletesNeuronsAndInputs() {
        let (session, _) = makeSession()
        let completer = Completer(session: session)
        #expect(completer.complete("set we").candidates == ["weight"])
        #expect(completer.complete("set weight ").candidates.contains("out.1"))
        #expect(!completer.complete("set weight ").candidates.contains("in.1"), "features have no weights into them")
        #expect(completer.complete("set weight 2.1 ").candidates == ["1", "2", "3", "4"])
        #expect(completer.complete("expect grad-n").candidates == ["grad-norm-1", "grad-norm-2", "grad-norm-out"])
    }

    @Test func statsGradsMatchesTheEngineAndItsJSON() throws {
        let (session, _) = makeSession()
        try session.run("train 5")
        let line = try session.run("stats grads")
        let norms = session.playground.gradientNorms
        #expect(line.hasPrefix("grad-norm-1=\(Metric.text(norms[0])) grad-norm-2=\(Metric.text(norms[1])) grad-norm-out=\(Metric.text(norms[2]))"))
        let json = try JSON.parse(session.run("stats grads json"))
        #expect(numbers(json["grad-norm-out"].map { .array([$0]) }) == [norms[2]])
        let stats = try JSON.parse(session.run("stats json"))
        #expect(numbers(stats["train-loss"].map { .array([$0]) }) == [session.playground.trainMetrics?.loss ?? .nan])
        #expect(stats["epoch"] == .number(5))
    }

    /// The vanishing gradient as a fact a script can check: in a fresh five-layer sigmoid net the
    /// first layer's gradient is a small fraction of the output's; with ReLU it is not.
    @Test func aDeepSigmoidNetsGradientVanishesAndAReluNetsDoesNot() throws {
        let (session, _) = makeSession()
        try session.run("data spiral n=400 noise=0.1; remove 1; remove 1")
        for _ in 0..<5 { try session.run("add 8 sigmoid") }
        try session.run("expect grad-ratio < 0.1")
        let sigmoid = try Metric.gradRatio.value(of: session.playground)
        try session.run("act relu; reset")
        try session.run("expect grad-ratio > 0.3")
        let relu = try Metric.gradRatio.value(of: session.playground)
        #expect(relu > 10 * sigmoid)
    }

    @Test func plotGradsAndStepLossesDrawWhatTrainingRecorded() throws {
        let (session, _) = makeSession()
        #expect(session.error("plot grads")?.contains("train first") == true)
        #expect(session.error("plot loss steps")?.contains("train first") == true)
        try session.run("train 20 steps")
        // before any epoch has ended, plot loss shows the steps rather than an error
        let early = try session.run("plot loss ascii")
        #expect(early.contains("mini-batch loss"))
        #expect(early.contains("step 1"))
        try session.run("train 10")
        let grads = try session.run("plot grads ascii")
        #expect(grads.contains("gradient norm (log scale)"))
        #expect(grads.contains("o"))
        let steps = try session.run("plot loss steps ascii size=60x12")
        #expect(steps.contains("mini-batch loss"))
        #expect(steps.split(separator: "\n").allSatisfy { $0.count <= 60 })
        #expect(session.playground.progress.stepLosses.steps.count == session.playground.progress.steps)
        #expect(try session.run("plot loss ascii").contains("epoch"))
    }

    @Test func netNamesTheDeadReluNeurons() throws {
        let (session, _) = makeSession()
        #expect(!(try session.run("net")).contains("dead"))
        try session.run("act relu")
        try session.run("set bias 1.2 -1000")
        let text = try session.run("net")
        #expect(text.contains("dead ReLU neurons (never active on the training set): 1.2"))
        try session.run("expect dead-relu >= 1")
    }
}
