import Testing
@testable import NNPlayEngine

/// Backpropagation must agree with finite differences for every hidden activation, loss (with each
/// output it suits) and regulariser, for 2 and 3 classes, on a net with two hidden layers.
@Suite struct GradientCheckTests {
    static let outputsForLoss: [(Loss, OutputActivation)] = [
        (.bce, .sigmoid), (.ce, .softmax), (.ce, .sigmoid),
        (.mse, .sigmoid), (.mse, .softmax), (.mse, .tanh), (.mse, .linear),
    ]

    static func playground(activation: Activation, loss: Loss, output: OutputActivation,
                           reg: Regularization, classes: Int) throws -> Playground {
        let data = try Dataset.generate(.gauss, count: 60, noise: 0.3, classes: classes, seed: 7)
        let net = try Network(features: [.x, .y, .xy], hidden: [(5, activation), (4, activation)],
                              classes: classes, output: output)
        var s = TrainingSettings()
        s.loss = loss
        s.regularization = reg
        s.regularizationRate = reg == .none ? 0 : 0.01
        s.seed = 3
        return try Playground(dataset: data, network: net, settings: s)
    }

    @Test(arguments: [2, 3])
    func everyActivationLossAndRegulariserAgreesWithFiniteDifferences(classes: Int) throws {
        var worst = 0.0, combinations = 0
        for activation in Activation.allCases {
            for (loss, output) in Self.outputsForLoss {
                if loss.incompatibility(with: output, outputCount: output.outputCount(classes: classes)) != nil { continue }
                for reg in Regularization.allCases {
                    let p = try Self.playground(activation: activation, loss: loss, output: output, reg: reg, classes: classes)
                    let result = p.gradientCheck(points: 8)
                    combinations += 1
                    worst = max(worst, result.maxRelativeError)
                    #expect(result.maxRelativeError < 1e-6,
                            "\(activation) \(loss) \(output) \(reg) \(classes) classes: \(result.maxRelativeError) at \(result.worst) (backprop \(result.backprop), numeric \(result.numeric))")
                    #expect(result.parametersChecked == p.network.parameterCount)
                }
            }
        }
        #expect(combinations == (classes == 2 ? 10 * 7 * 3 : 10 * 6 * 3))
        print("gradcheck \(classes) classes: \(combinations) combinations, largest relative error \(worst)")
    }

    @Test func gradientsAreCheckedAfterTrainingToo() throws {
        var p = try Self.playground(activation: .tanh, loss: .ce, output: .softmax, reg: .l2, classes: 3)
        try p.train(.epochs(20))
        #expect(p.gradientCheck().maxRelativeError < 1e-6)
    }

    @Test func parametersAreNamedByLayerAndRole() throws {
        let p = Playground.makeDefault()
        #expect(p.describeParameter(0) == "layer 1, weight 1←1")
        #expect(p.describeParameter(3) == "layer 1, weight 2←2")
        #expect(p.describeParameter(8) == "layer 1, bias 1")
        #expect(p.describeParameter(p.network.parameterCount - 1) == "layer 3 (output), bias 1")
    }
}

/// A wide network is checked on a sample small enough to take seconds, not minutes.
@Suite struct GradientCheckBudgetTests {
    @Test func wideNetworksAreSampledWithinTheWorkBudget() {
        for (parameters, points) in [(1_000_000, 2), (1_000_000, 256), (50_000, 8), (3_000, 8), (10, 1)] {
            let n = GradientCheck.sampleSize(parameterCount: parameters, points: points)
            #expect(n >= Swift.min(parameters, GradientCheck.minParameters) && n <= parameters)
            #expect(n == parameters || n <= GradientCheck.maxParameters)
            if n > GradientCheck.minParameters {
                #expect(4 * n * parameters * points <= GradientCheck.workBudget, "\(parameters) parameters, \(points) points")
            }
        }
        #expect(GradientCheck.sampleSize(parameterCount: 3_000, points: 8) == 3_000)   // small nets: every parameter
    }

    @Test func aCheckCanBeStoppedBetweenParameters() throws {
        let p = try GradientCheckTests.playground(activation: .tanh, loss: .bce, output: .sigmoid, reg: .l2, classes: 2)
        var calls = 0
        let r = p.gradientCheck(points: 4, shouldStop: { calls += 1; return calls > 3 })
        #expect(r.interrupted && r.parametersChecked == 3 && r.parameterCount == p.network.parameterCount)
    }
}
