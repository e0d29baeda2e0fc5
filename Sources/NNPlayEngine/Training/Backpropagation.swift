extension Network {
    /// Backpropagation: the gradient of the batch's mean data loss with respect to every parameter,
    /// written into `gradient` (laid out like `parameters`). Needs `forward(ws, count:)` first;
    /// fills every layer's deltas in the workspace on the way (the chain rule, layer by layer).
    public func backward(_ ws: Workspace, count: Int, labels: UnsafePointer<Int>, loss: Loss,
                         gradient: UnsafeMutablePointer<Double>) {
        parameters.withUnsafeBufferPointer { buffer in
            guard let p = buffer.baseAddress else { return }
            backward(ws, count: count, labels: labels, loss: loss, gradient: gradient, parameters: p)
        }
    }

    /// `backward` with the parameters taken from `p` (laid out like `parameters`) instead.
    public func backward(_ ws: Workspace, count: Int, labels: UnsafePointer<Int>, loss: Loss,
                         gradient: UnsafeMutablePointer<Double>, parameters p: UnsafePointer<Double>) {
        let c = ws.capacity, top = layers.count
        let kernel = LossKernel(loss: loss, output: outputActivation, size: outputCount)
        let scale = 1.0 / Double(count)
        for s in 0..<count {
            kernel.delta(a: ws.activations[top], into: ws.deltas[top], point: s, stride: c, label: labels[s], scale: scale)
        }
        for k in stride(from: top - 1, through: 0, by: -1) {
            let shape = layers[k]
            let delta = ws.deltas[k + 1], input = ws.activations[k]
            denseWeightGradient(delta: delta, input: input, inputs: shape.inputs, size: shape.size,
                                count: count, stride: c,
                                weightGradient: gradient + shape.weightOffset, biasGradient: gradient + shape.biasOffset)
            if k > 0 {
                denseBackward(weights: p + shape.weightOffset, inputs: shape.inputs, size: shape.size,
                              delta: delta, previousDelta: ws.deltas[k], count: count, stride: c)
                let f = hiddenActivations[k - 1]
                for i in 0..<shape.inputs {
                    let d = ws.deltas[k] + i * c, z = ws.sums[k] + i * c, a = ws.activations[k] + i * c
                    multiplyByDerivative(f, d, z, a, count)
                }
            }
        }
    }
}

/// ∂W[j, i] = Σₛ δ[j, s]·a[i, s];  ∂b[j] = Σₛ δ[j, s].
@inline(__always)
func denseWeightGradient(delta d: UnsafePointer<Double>, input a: UnsafePointer<Double>, inputs: Int, size: Int,
                         count: Int, stride: Int,
                         weightGradient gw: UnsafeMutablePointer<Double>, biasGradient gb: UnsafeMutablePointer<Double>) {
    for j in 0..<size {
        let dj = d + j * stride
        var bias = 0.0
        for s in 0..<count { bias += dj[s] }
        gb[j] = bias
        for i in 0..<inputs {
            let ai = a + i * stride
            var sum = 0.0
            for s in 0..<count { sum += dj[s] * ai[s] }
            gw[j * inputs + i] = sum
        }
    }
}

/// δprev[i, s] = Σⱼ W[j, i]·δ[j, s] (before the activation's derivative is applied).
@inline(__always)
func denseBackward(weights w: UnsafePointer<Double>, inputs: Int, size: Int, delta d: UnsafePointer<Double>,
                   previousDelta pd: UnsafeMutablePointer<Double>, count: Int, stride: Int) {
    for i in 0..<inputs {
        let pi = pd + i * stride
        for s in 0..<count { pi[s] = 0 }
        for j in 0..<size {
            let wji = w[j * inputs + i], dj = d + j * stride
            for s in 0..<count { pi[s] += wji * dj[s] }
        }
    }
}

/// δ ← δ · f'(z) over one neuron's run of values.
@inline(__always)
func multiplyByDerivative(_ f: Activation, _ d: UnsafeMutablePointer<Double>, _ z: UnsafePointer<Double>,
                          _ a: UnsafePointer<Double>, _ n: Int) {
    switch f {
    case .linear: break
    case .tanh: for s in 0..<n { d[s] *= 1 - a[s] * a[s] }
    case .relu: for s in 0..<n { d[s] = z[s] > 0 ? d[s] : 0 }
    default: for s in 0..<n { d[s] *= f.derivative(z: z[s], a: a[s]) }
    }
}
