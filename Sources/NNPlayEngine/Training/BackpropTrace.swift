import Foundation

/// One point through the network and back: what `backprop X Y` shows a learner.
///
/// Written one neuron at a time, in the notation of the chain rule, and independently of the batch
/// kernels (which `backward` uses), so that the two can check each other:
///
///     z = W a_prev + b,   a = f(z)
///     ∂C/∂a (output: from the loss; hidden: Σⱼ wⱼᵢ δⱼ of the layer above)
///     δ = ∂C/∂z = ∂C/∂a · f′(z)
///     ∂C/∂w = a_prev · δ,   ∂C/∂b = δ
///
/// For a sigmoid output with bce (or softmax with ce) δ = a − y is computed directly, which stays
/// exact where ∂C/∂a and f′(z) alone would be ∞ and 0. A softmax output has no f′(z) of its own
/// (each output depends on every sum), so its `slope` is nil and δ comes from the whole Jacobian.
public struct BackpropTrace: Equatable, Sendable {
    /// The values of one layer (1…H hidden, H+1 output).
    public struct Layer: Equatable, Sendable {
        /// 1…H for hidden layers, H+1 for the output.
        public var index: Int
        public var z: [Double]
        public var a: [Double]
        public var dCda: [Double]
        /// f′(z) per neuron; nil for a softmax output.
        public var slope: [Double]?
        public var delta: [Double]
        /// `weightGradient[j][i]` = ∂C/∂w from input i into neuron j = a_prev[i] · δ[j].
        public var weightGradient: [[Double]]
        public var biasGradient: [Double]
    }

    /// The point's input features (layer 0).
    public var inputs: [Double]
    /// The class the loss is measured against (0 for a regression point: see `targets`).
    public var label: Int
    /// The targets y of the output neurons for that class.
    public var targets: [Double]
    /// The loss C of this point (no regularisation).
    public var loss: Double
    /// Hidden layers and, last, the output layer.
    public var layers: [Layer]
}

extension Network {
    /// The forward and backward pass of one point of class `label`, measured with `loss`.
    public func backpropTrace(x: Double, y: Double, label: Int, loss: Loss) -> BackpropTrace {
        backpropTrace(x: x, y: y, label: label, value: nil, loss: loss)
    }

    /// The same for a regression point whose target is `value`.
    public func backpropTrace(x: Double, y: Double, value: Double, loss: Loss) -> BackpropTrace {
        backpropTrace(x: x, y: y, label: 0, value: value, loss: loss)
    }

    private func backpropTrace(x: Double, y: Double, label: Int, value: Double?, loss: Loss) -> BackpropTrace {
        let ws = Workspace(network: self, capacity: 1)
        ws.loadInputs(features: features, xs: [x], ys: [y], count: 1)
        forward(ws, count: 1)
        let c = ws.stride, top = layers.count
        func column(_ rows: UnsafeMutablePointer<Double>, _ width: Int) -> [Double] { (0..<width).map { rows[$0 * c] } }
        let a = (0...top).map { column(ws.activations[$0], ws.widths[$0]) }
        let z = (0...top).map { $0 == 0 ? a[0] : column(ws.sums[$0], ws.widths[$0]) }
        let kernel = LossKernel(loss: loss, output: outputActivation, size: outputCount)
        if let value { ws.loadTargets(values: [value], for: self) } else { ws.loadTargets(labels: [label], for: self) }
        let targets = (0..<outputCount).map { ws.targets[$0 * c] }
        let pointLoss = kernel.value(z: ws.sums[top], a: ws.activations[top], y: ws.targets, point: 0, stride: c)

        // the output layer: ∂C/∂a from the loss, then δ
        let out = a[top]
        var dCda: [Double], slope: [Double]?, delta: [Double]
        if loss != .mse && outputActivation == .softmax {
            // softmax with ce: C = −log a_c
            dCda = zip(out, targets).map { a, y in y == 0 ? 0 : -y / a }
            slope = nil
            delta = zip(out, targets).map { $0 - $1 }
        } else if loss != .mse {
            // sigmoid outputs with bce (or ce): −y/a + (1−y)/(1−a), each term only where its
            // target asks for it (no 0/0 at a = 1)
            dCda = zip(out, targets).map { a, y in (y == 0 ? 0 : -y / a) + (y == 1 ? 0 : (1 - y) / (1 - a)) }
            slope = out.map { $0 * (1 - $0) }
            delta = zip(out, targets).map { $0 - $1 }
        } else if outputActivation == .softmax {
            // mse through softmax: δⱼ = aⱼ (gⱼ − Σₖ aₖ gₖ), g = ∂C/∂a
            dCda = zip(out, targets).map { $0 - $1 }
            slope = nil
            let dot = zip(out, dCda).map(*).reduce(0, +)
            delta = out.indices.map { j in out[j] * (dCda[j] - dot) }
        } else {
            dCda = zip(out, targets).map { $0 - $1 }
            let s = out.indices.map { j in outputActivation.elementwise?.derivative(z: z[top][j], a: out[j]) ?? 1 }
            slope = s
            delta = zip(dCda, s).map(*)
        }

        var traced: [BackpropTrace.Layer] = []
        for k in Swift.stride(from: top, through: 1, by: -1) {
            let shape = layers[k - 1]
            let below = a[k - 1]
            traced.append(BackpropTrace.Layer(
                index: k, z: z[k], a: a[k], dCda: dCda, slope: slope, delta: delta,
                weightGradient: delta.map { d in below.map { $0 * d } }, biasGradient: delta))
            guard k > 1 else { break }
            // the wishes of this layer passed back: ∂C/∂a_prev[i] = Σⱼ wⱼᵢ δⱼ
            dCda = (0..<shape.inputs).map { i in
                var total = 0.0
                for j in 0..<shape.size { total += parameters[shape.weightIndex(neuron: j, input: i)] * delta[j] }
                return total
            }
            let f = hiddenActivations[k - 2]
            let s = (0..<shape.inputs).map { f.derivative(z: z[k - 1][$0], a: a[k - 1][$0]) }
            slope = s
            delta = zip(dCda, s).map(*)
        }
        return BackpropTrace(inputs: a[0], label: label, targets: targets, loss: pointLoss, layers: traced.reversed())
    }
}
