import Foundation
@testable import NNPlayEngine

/// A labelled point of the plane, as the reference sees it.
struct ReferencePoint {
    var x: Double
    var y: Double
    var label: Int
    /// A regression point's real target (then `label` is 0 and unused).
    var value: Double? = nil
}

/// A scalar reference MLP, written the textbook way and independently of the engine: nested arrays,
/// one point at a time, the formulas of SPEC.md ("Training math") with Foundation's math functions.
/// It uses none of the engine's arithmetic (no `Activation.apply`/`derivative`, `Feature.value`,
/// `LossKernel`, `Regularization.penalty`, optimiser code): only the network's shape and parameters.
///
/// Parameters are `weights[l][j][i]` (layer l = 0 the first hidden layer … the output layer last;
/// from input i into neuron j) and `biases[l][j]`. Flat vectors (gradients, optimiser steps) follow
/// the model file's order: each layer's weights row after row, then its biases, layer after layer.
struct Reference {
    var features: [Feature]
    var weights: [[[Double]]]
    var biases: [[Double]]
    /// The activation of each hidden layer.
    var hidden: [Activation]
    var output: OutputActivation
    var loss: Loss
    var regularization: Regularization
    var regularizationRate: Double

    init(_ net: Network, loss: Loss, regularization: Regularization = .none, rate: Double = 0) {
        features = net.features
        weights = net.layers.indices.map { net.weightMatrix(layerIndex: $0) }
        biases = net.layers.indices.map { net.biases(layerIndex: $0) }
        hidden = net.hiddenActivations
        output = net.outputActivation
        self.loss = loss
        self.regularization = regularization
        regularizationRate = rate
    }

    var outputCount: Int { biases[biases.count - 1].count }

    // MARK: The functions

    static func feature(_ f: Feature, x: Double, y: Double) -> Double {
        switch f {
        case .x: return x
        case .y: return y
        case .x2: return x * x
        case .y2: return y * y
        case .xy: return x * y
        case .sinx: return sin(x)
        case .siny: return sin(y)
        case .cosx: return cos(x)
        case .cosy: return cos(y)
        }
    }

    static func sigmoid(_ z: Double) -> Double { 1 / (1 + exp(-z)) }

    /// log(1 + eᶻ); for large z as z + log(1 + e⁻ᶻ), which is the same number without overflow.
    static func softplus(_ z: Double) -> Double { z > 30 ? z + log1p(exp(-z)) : log1p(exp(z)) }

    static let leakySlope = 0.01
    static let eluAlpha = 1.0
    static let seluLambda = 1.0507009873554804934193349852946
    static let seluAlpha = 1.6732632423543772848170429916717

    /// f(z) of a hidden activation.
    static func f(_ act: Activation, _ z: Double) -> Double {
        switch act {
        case .linear: return z
        case .sigmoid: return sigmoid(z)
        case .tanh: return tanh(z)
        case .relu: return z > 0 ? z : 0
        case .leakyRelu: return z > 0 ? z : leakySlope * z
        case .elu: return z > 0 ? z : eluAlpha * expm1(z)
        case .selu: return seluLambda * (z > 0 ? z : seluAlpha * expm1(z))
        case .swish: return z * sigmoid(z)
        case .mish: return z * tanh(softplus(z))
        case .softplus: return softplus(z)
        }
    }

    /// f'(z) of a hidden activation, differentiated by hand from z (the kinks of relu, leaky-relu,
    /// elu and selu take the left-hand slope at 0).
    static func df(_ act: Activation, _ z: Double) -> Double {
        switch act {
        case .linear: return 1
        case .sigmoid: let s = sigmoid(z); return s * (1 - s)
        case .tanh: let t = tanh(z); return 1 - t * t
        case .relu: return z > 0 ? 1 : 0
        case .leakyRelu: return z > 0 ? 1 : leakySlope
        case .elu: return z > 0 ? 1 : eluAlpha * exp(z)
        case .selu: return z > 0 ? seluLambda : seluLambda * seluAlpha * exp(z)
        case .swish: let s = sigmoid(z); return s + z * s * (1 - s)
        case .mish:
            // d/dz z·tanh(sp(z)) = tanh(sp) + z·(1 − tanh²(sp))·sp'(z), sp' = σ
            let t = tanh(softplus(z))
            return t + z * (1 - t * t) * sigmoid(z)
        case .softplus: return sigmoid(z)
        }
    }

    /// The output layer's activations from its sums.
    static func outputs(_ out: OutputActivation, _ z: [Double]) -> [Double] {
        switch out {
        case .sigmoid: return z.map(sigmoid)
        case .tanh: return z.map { tanh($0) }
        case .linear: return z
        case .softmax:
            var m = -Double.infinity
            for v in z { m = max(m, v) }
            let e = z.map { exp($0 - m) }
            var total = 0.0
            for v in e { total += v }
            return e.map { $0 / total }
        }
    }

    /// "Off" and "on" target values: 0/1 for sigmoid and softmax, −1/+1 for tanh and linear.
    static func targetValues(_ out: OutputActivation) -> (off: Double, on: Double) {
        switch out {
        case .sigmoid, .softmax: return (0, 1)
        case .tanh, .linear: return (-1, 1)
        }
    }

    /// The targets of a point of class `label`: a single output aims at "on" for class 1, otherwise
    /// output k aims at "on" when k is the label.
    /// A regression point (`value` given) aims every output at its value.
    func targets(label: Int, value: Double? = nil) -> [Double] {
        if let value { return [Double](repeating: value, count: outputCount) }
        let (off, on) = Reference.targetValues(output)
        let n = outputCount
        return (0..<n).map { k in (n == 1 ? label == 1 : k == label) ? on : off }
    }

    // MARK: Forward

    /// Every layer's weighted sums and activations for one point; layer 0 is the input features
    /// (its sums are the features too).
    struct Pass {
        var sums: [[Double]]
        var activations: [[Double]]
        var outputs: [Double] { activations[activations.count - 1] }
        var outputSums: [Double] { sums[sums.count - 1] }
    }

    func inputs(x: Double, y: Double) -> [Double] { features.map { Reference.feature($0, x: x, y: y) } }

    func forward(x: Double, y: Double) -> Pass { forward(inputs: inputs(x: x, y: y)) }

    /// `mask[l][j]` (dropout's 0 or 1/(1−rate)) multiplies hidden layer l + 1's activation j.
    func forward(inputs: [Double], mask: [[Double]]? = nil) -> Pass {
        var pass = Pass(sums: [inputs], activations: [inputs])
        var a = inputs
        for l in weights.indices {
            let w = weights[l], b = biases[l]
            var z = [Double](repeating: 0, count: w.count)
            for j in w.indices {
                let row = w[j]
                var s = b[j]
                for i in row.indices { s += row[i] * a[i] }
                z[j] = s
            }
            if l < weights.count - 1 {
                let act = hidden[l]
                a = z.map { Reference.f(act, $0) }
                if let m = mask?[l] { a = a.indices.map { a[$0] * m[$0] } }
            } else {
                a = Reference.outputs(output, z)
            }
            pass.sums.append(z)
            pass.activations.append(a)
        }
        return pass
    }

    // MARK: Loss, class

    /// log σ(z) and log(1 − σ(z)) = log σ(−z).
    static func logSigmoid(_ z: Double) -> Double { log(sigmoid(z)) }

    /// The loss of one point (no regularisation): mse ½Σₖ(aₖ − yₖ)²; bce Σₖ −[y log a + (1−y) log(1−a)]
    /// (log a and log(1 − a) from the sums, 1 − σ(z) = σ(−z)); ce −log a_label for softmax, bce for
    /// one sigmoid output.
    func pointLoss(_ pass: Pass, label: Int, value: Double? = nil) -> Double {
        let a = pass.outputs, z = pass.outputSums, y = targets(label: label, value: value)
        switch loss {
        case .mse:
            var total = 0.0
            for k in a.indices { total += 0.5 * (a[k] - y[k]) * (a[k] - y[k]) }
            return total
        case .ce where output == .softmax:
            return -log(a[label])
        case .bce, .ce:
            var total = 0.0
            for k in z.indices { total += -(y[k] * Reference.logSigmoid(z[k]) + (1 - y[k]) * Reference.logSigmoid(-z[k])) }
            return total
        }
    }

    /// Mean per-point loss of the points.
    func meanLoss(_ points: [ReferencePoint]) -> Double {
        var total = 0.0
        for p in points { total += pointLoss(forward(x: p.x, y: p.y), label: p.label, value: p.value) }
        return total / Double(points.count)
    }

    /// Regression: √(mean (a − y)²) and 1 − Σ(a − y)² / Σ(y − ȳ)² over the points (their `value`s).
    func regressionMetrics(_ points: [ReferencePoint]) -> (rmse: Double, r2: Double) {
        let n = Double(points.count)
        var squared = 0.0, mean = 0.0
        for p in points { mean += p.value ?? 0 }
        mean /= n
        var spread = 0.0
        for p in points {
            let y = p.value ?? 0, a = forward(x: p.x, y: p.y).outputs[0]
            squared += (a - y) * (a - y)
            spread += (y - mean) * (y - mean)
        }
        return ((squared / n).squareRoot(), 1 - squared / spread)
    }

    /// regRate · R(w), R = ½Σw² (l2) or Σ|w| (l1), over weights only.
    var regularizationLoss: Double {
        var r = 0.0
        for layer in weights {
            for row in layer {
                for w in row {
                    switch regularization {
                    case .none: break
                    case .l1: r += abs(w)
                    case .l2: r += 0.5 * w * w
                    }
                }
            }
        }
        return regularizationRate * r
    }

    /// The objective a training step minimises: mean loss plus the regularisation term.
    func objective(_ points: [ReferencePoint]) -> Double { meanLoss(points) + regularizationLoss }

    /// The threshold of a single output: 0.5 for sigmoid, 0 for tanh and linear.
    var threshold: Double { output == .sigmoid ? 0.5 : 0 }

    /// The predicted class: output > threshold for one output, else the first largest output.
    func predictedClass(_ outputs: [Double]) -> Int {
        if outputs.count == 1 { return outputs[0] > threshold ? 1 : 0 }
        var best = 0
        for k in outputs.indices where outputs[k] > outputs[best] { best = k }
        return best
    }

    /// How far the outputs are from changing class: |output − threshold|, or the gap between the two
    /// largest outputs. Within rounding of 0, an engine may fairly decide either way.
    func classMargin(_ outputs: [Double]) -> Double {
        if outputs.count == 1 { return abs(outputs[0] - threshold) }
        let best = predictedClass(outputs)
        var second = -Double.infinity
        for k in outputs.indices where k != best { second = max(second, outputs[k]) }
        return outputs[best] - second
    }

    /// Points classified correctly for certain, and points too close to a class boundary to tell.
    func correctCount(_ points: [ReferencePoint]) -> (sure: Int, ambiguous: Int) {
        var sure = 0, ambiguous = 0
        for p in points {
            let out = forward(x: p.x, y: p.y).outputs
            if classMargin(out) < 1e-9 { ambiguous += 1 } else if predictedClass(out) == p.label { sure += 1 }
        }
        return (sure, ambiguous)
    }

    // MARK: Gradient

    /// ∂(loss of one point)/∂z of the output layer.
    func outputDelta(_ pass: Pass, label: Int, value: Double? = nil) -> [Double] {
        let a = pass.outputs, z = pass.outputSums, y = targets(label: label, value: value)
        switch (loss, output) {
        case (.bce, _), (.ce, _):
            // sigmoid + bce (also ce with one sigmoid output) and softmax + ce: a − y
            return a.indices.map { a[$0] - y[$0] }
        case (.mse, .linear): return a.indices.map { a[$0] - y[$0] }
        case (.mse, .tanh): return a.indices.map { (a[$0] - y[$0]) * (1 - tanh(z[$0]) * tanh(z[$0])) }
        case (.mse, .sigmoid):
            return a.indices.map { k in
                let s = Reference.sigmoid(z[k])
                return (a[k] - y[k]) * s * (1 - s)
            }
        case (.mse, .softmax):
            // δⱼ = Σₖ ∂L/∂aₖ · ∂aₖ/∂zⱼ, ∂aₖ/∂zⱼ = aₖ(1[j=k] − aⱼ)
            return a.indices.map { j in
                var s = 0.0
                for k in a.indices { s += (a[k] - y[k]) * a[k] * ((j == k ? 1 : 0) - a[j]) }
                return s
            }
        }
    }

    /// Gradient of the mean loss over points given by their input features (no regularisation).
    func gradient(_ inputs: [[Double]], _ labels: [Int], values: [Double?]? = nil) -> (w: [[[Double]]], b: [[Double]]) {
        var gw = weights.map { $0.map { $0.map { _ in 0.0 } } }
        var gb = biases.map { $0.map { _ in 0.0 } }
        let n = Double(inputs.count)
        for (s, (x, label)) in zip(inputs, labels).enumerated() {
            let pass = forward(inputs: x)
            var delta = outputDelta(pass, label: label, value: values?[s] ?? nil)
            for l in stride(from: weights.count - 1, through: 0, by: -1) {
                let below = pass.activations[l]
                for j in weights[l].indices {
                    gb[l][j] += delta[j] / n
                    for i in weights[l][j].indices { gw[l][j][i] += delta[j] * below[i] / n }
                }
                if l > 0 {
                    // layer l's inputs are hidden layer l's activations (hidden[l − 1])
                    let act = hidden[l - 1], zBelow = pass.sums[l]
                    var next = [Double](repeating: 0, count: below.count)
                    for i in below.indices {
                        var s = 0.0
                        for j in weights[l].indices { s += weights[l][j][i] * delta[j] }
                        next[i] = s * Reference.df(act, zBelow[i])
                    }
                    delta = next
                }
            }
        }
        return (gw, gb)
    }

    /// A layer-nested gradient as one flat vector in parameter order.
    static func flatten(_ g: (w: [[[Double]]], b: [[Double]])) -> [Double] {
        var flat: [Double] = []
        for (w, b) in zip(g.w, g.b) {
            for row in w { flat += row }
            flat += b
        }
        return flat
    }

    /// dR/dw: w (l2), sign(w) with 0 at 0 (l1).
    func regularizationGradient(_ w: Double) -> Double {
        switch regularization {
        case .none: return 0
        case .l1: return w > 0 ? 1 : (w < 0 ? -1 : 0)
        case .l2: return w
        }
    }

    /// The gradient of the objective (mean loss + regRate·R(w)) over the points, flat.
    func gradient(of points: [ReferencePoint]) -> [Double] {
        let g = gradient(points.map { inputs(x: $0.x, y: $0.y) }, points.map(\.label), values: points.map(\.value))
        var gw = g.w
        for l in weights.indices {
            for j in weights[l].indices {
                for i in weights[l][j].indices {
                    gw[l][j][i] += regularizationRate * regularizationGradient(weights[l][j][i])
                }
            }
        }
        return Reference.flatten((gw, g.b))
    }

    /// Every weight and bias, flat.
    var parameters: [Double] {
        get { Reference.flatten((weights, biases)) }
        set {
            var k = 0
            for l in weights.indices {
                for j in weights[l].indices {
                    for i in weights[l][j].indices { weights[l][j][i] = newValue[k]; k += 1 }
                }
                for j in biases[l].indices { biases[l][j] = newValue[k]; k += 1 }
            }
        }
    }

    /// Whether flat parameter k is a weight (regularised) rather than a bias.
    var isWeight: [Bool] {
        var flags: [Bool] = []
        for l in weights.indices {
            for row in weights[l] { flags += row.map { _ in true } }
            flags += biases[l].map { _ in false }
        }
        return flags
    }
}

/// The optimisers of SPEC.md, one parameter at a time:
/// sgd w −= lr·g; momentum m = μm + g, w −= lr·m; adam m = β₁m + (1−β₁)g, v = β₂v + (1−β₂)g²,
/// w −= lr·(m/(1−β₁ᵗ)) / (√(v/(1−β₂ᵗ)) + ε); rmsprop v = ρv + (1−ρ)g², w −= lr·g/(√v + ε);
/// adagrad v = v + g², w −= lr·g/(√v + ε); nesterov m = μm + g, w −= lr·(g + μm).
struct ReferenceOptimizer {
    var kind: Optimizer
    var learningRate: Double
    var momentum = 0.9
    var beta1 = 0.9
    var beta2 = 0.999
    var epsilon = 1e-8
    var decay = 0.9
    var m: [Double]
    var v: [Double]
    var t = 0

    init(_ kind: Optimizer, learningRate: Double, parameterCount: Int) {
        self.kind = kind
        self.learningRate = learningRate
        m = [Double](repeating: 0, count: parameterCount)
        v = m
    }

    init(_ settings: TrainingSettings, parameterCount: Int) {
        self.init(settings.optimizer, learningRate: settings.learningRate, parameterCount: parameterCount)
        momentum = settings.momentum
        beta1 = settings.beta1
        beta2 = settings.beta2
        epsilon = settings.epsilon
        decay = settings.decay
    }

    /// One update with the rate `rate` (the learning rate unless a schedule says otherwise).
    mutating func step(_ w: inout [Double], gradient g: [Double], rate: Double? = nil) {
        let learningRate = rate ?? self.learningRate
        t += 1
        for i in w.indices {
            switch kind {
            case .sgd:
                w[i] -= learningRate * g[i]
            case .momentum:
                m[i] = momentum * m[i] + g[i]
                w[i] -= learningRate * m[i]
            case .adam:
                m[i] = beta1 * m[i] + (1 - beta1) * g[i]
                v[i] = beta2 * v[i] + (1 - beta2) * g[i] * g[i]
                let mHat = m[i] / (1 - pow(beta1, Double(t))), vHat = v[i] / (1 - pow(beta2, Double(t)))
                w[i] -= learningRate * mHat / (vHat.squareRoot() + epsilon)
            case .rmsprop:
                v[i] = decay * v[i] + (1 - decay) * g[i] * g[i]
                w[i] -= learningRate * g[i] / (v[i].squareRoot() + epsilon)
            case .adagrad:
                v[i] += g[i] * g[i]
                w[i] -= learningRate * g[i] / (v[i].squareRoot() + epsilon)
            case .nesterov:
                m[i] = momentum * m[i] + g[i]
                w[i] -= learningRate * (g[i] + momentum * m[i])
            }
        }
    }

    /// One step of the reference network on a batch: the objective's gradient, then the update.
    mutating func step(_ net: inout Reference, batch: [ReferencePoint], rate: Double? = nil) {
        let g = net.gradient(of: batch)
        var w = net.parameters
        step(&w, gradient: g, rate: rate)
        net.parameters = w
    }
}
