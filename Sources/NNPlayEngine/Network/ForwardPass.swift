import Foundation

extension Network {
    /// Pushes the `count` points whose features are in layer 0 of the workspace through every layer,
    /// filling each layer's sums and activations.
    public func forward(_ ws: Workspace, count: Int) {
        parameters.withUnsafeBufferPointer { buffer in
            guard let p = buffer.baseAddress else { return }
            forward(ws, count: count, parameters: p)
        }
    }

    /// `forward(_:count:)` with the parameters taken from `p` (laid out like `parameters`) instead.
    public func forward(_ ws: Workspace, count: Int, parameters p: UnsafePointer<Double>) {
        precondition(ws.fits(self) && count <= ws.capacity, "workspace does not fit the network")
        for (k, shape) in layers.enumerated() {
            denseForward(weights: p + shape.weightOffset, biases: p + shape.biasOffset,
                         inputs: shape.inputs, size: shape.size,
                         input: ws.activations[k], sums: ws.sums[k + 1],
                         count: count, stride: ws.capacity)
            let z = ws.sums[k + 1], a = ws.activations[k + 1]
            if k < hiddenCount {
                for j in 0..<shape.size {
                    applyActivation(hiddenActivations[k], z + j * ws.capacity, a + j * ws.capacity, count)
                }
            } else {
                applyOutput(outputActivation, z, a, size: shape.size, count: count, stride: ws.capacity)
            }
        }
    }

    /// The output of the network for one point (class probabilities for softmax, the single output
    /// for one-output networks).
    public func predict(x: Double, y: Double) -> [Double] {
        let trace = self.trace(x: x, y: y)
        return trace.last?.activations ?? []
    }

    /// The class the network predicts for one point.
    public func predictClass(x: Double, y: Double) -> Int {
        classOf(outputs: predict(x: x, y: y))
    }

    /// The class an output vector stands for: for one output, whether it is above the output's
    /// threshold; otherwise the largest output.
    public func classOf(outputs: [Double]) -> Int {
        if outputs.count == 1 { return outputs[0] > outputActivation.threshold ? 1 : 0 }
        var best = 0
        for k in outputs.indices where outputs[k] > outputs[best] { best = k }
        return best
    }

    /// Every layer's weighted sums and activations for one point (layer 0: the input features).
    public func trace(x: Double, y: Double) -> [LayerValues] {
        let ws = Workspace(network: self, capacity: 1)
        var px = x, py = y
        ws.loadInputs(features: features, xs: &px, ys: &py, count: 1)
        forward(ws, count: 1)
        return ws.widths.indices.map { k in
            let w = ws.widths[k]
            let a = (0..<w).map { ws.activations[k][$0] }
            let z = k == 0 ? a : (0..<w).map { ws.sums[k][$0] }
            return LayerValues(sums: z, activations: a)
        }
    }
}

/// The values of one layer for one point.
public struct LayerValues: Equatable, Sendable {
    public var sums: [Double]
    public var activations: [Double]
}

/// z[j, s] = b[j] + Σᵢ W[j, i] · a[i, s] for s < count, all layers neuron-major with the given stride.
@inline(__always)
func denseForward(weights w: UnsafePointer<Double>, biases b: UnsafePointer<Double>, inputs: Int, size: Int,
                  input a: UnsafePointer<Double>, sums z: UnsafeMutablePointer<Double>, count: Int, stride: Int) {
    for j in 0..<size {
        let zj = z + j * stride, wj = w + j * inputs, bj = b[j]
        for s in 0..<count { zj[s] = bj }
        for i in 0..<inputs {
            let wji = wj[i], ai = a + i * stride
            for s in 0..<count { zj[s] += wji * ai[s] }
        }
    }
}

/// a = f(z) over one neuron's run of values.
@inline(__always)
func applyActivation(_ f: Activation, _ z: UnsafePointer<Double>, _ a: UnsafeMutablePointer<Double>, _ n: Int) {
    switch f {
    case .linear: for s in 0..<n { a[s] = z[s] }
    case .tanh: for s in 0..<n { a[s] = tanh(z[s]) }
    case .relu: for s in 0..<n { a[s] = z[s] > 0 ? z[s] : 0 }
    default: for s in 0..<n { a[s] = f.apply(z[s]) }
    }
}

/// The output layer's activation: per neuron, or across neurons for softmax.
@inline(__always)
func applyOutput(_ f: OutputActivation, _ z: UnsafePointer<Double>, _ a: UnsafeMutablePointer<Double>,
                 size: Int, count: Int, stride: Int) {
    switch f {
    case .sigmoid:
        for j in 0..<size { for s in 0..<count { a[j * stride + s] = logistic(z[j * stride + s]) } }
    case .tanh:
        for j in 0..<size { for s in 0..<count { a[j * stride + s] = tanh(z[j * stride + s]) } }
    case .linear:
        for j in 0..<size { for s in 0..<count { a[j * stride + s] = z[j * stride + s] } }
    case .softmax:
        for s in 0..<count {
            var m = -Double.infinity
            for j in 0..<size { m = max(m, z[j * stride + s]) }
            var total = 0.0
            for j in 0..<size {
                let e = exp(z[j * stride + s] - m)
                a[j * stride + s] = e
                total += e
            }
            for j in 0..<size { a[j * stride + s] /= total }
        }
    }
}
