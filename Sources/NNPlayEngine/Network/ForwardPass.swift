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
        forward(ws, count: count, parameters: p, dropout: nil)
    }

    /// The forward pass of a training step: with `dropout`, each dropout layer's activations are
    /// multiplied by its mask before the next layer reads them (its sums stay as computed).
    /// Without `keepingSums`, a hidden layer whose derivative comes from its activations
    /// (`LayerKernels.fusesDerivative`) is computed in place in its activations, and its sums are
    /// left as they were: the backward pass does not read them, and a step touches less memory
    /// (the output layer's sums, which the losses read, are always kept).
    func forward(_ ws: Workspace, count: Int, parameters p: UnsafePointer<Double>, dropout: DropoutMasks?, keepingSums: Bool = true) {
        precondition(count <= ws.capacity && ws.fits(self), "workspace does not fit the network")
        let top = layers.count - 1
        for k in layers.indices {
            forwardLayer(k, ws, count: count, parameters: p, keepingSums: keepingSums || k == top)
            if k < top, let m = dropout?.mask(ofHiddenLayer: k + 1) {
                LayerKernels.multiply(ws.activations[k + 1], by: m, rows: layers[k].size, count: count, stride: ws.stride)
            }
        }
    }

    /// Layer k's sums and activations (workspace layer k + 1) from the workspace's layer k.
    func forwardLayer(_ k: Int, _ ws: Workspace, count: Int, parameters p: UnsafePointer<Double>, keepingSums: Bool = true) {
        Network.forwardLayer(k, layers[k], activation: k < layers.count - 1 ? hiddenActivations[k] : outputActivation.elementwise,
                             ws, count: count, parameters: p, keepingSums: keepingSums)
    }

    /// The same for a layer of this shape and activation (nil: softmax).
    static func forwardLayer(_ k: Int, _ shape: LayerShape, activation: Activation?, _ ws: Workspace, count: Int,
                             parameters p: UnsafePointer<Double>, keepingSums: Bool = true) {
        let stride = ws.stride
        let a = ws.activations[k + 1]
        let inPlace = !keepingSums && activation.map(LayerKernels.fusesDerivative) == true
        let z = inPlace ? a : ws.sums[k + 1]
        @inline(__always) func sums<F: ElementwiseForm>(applying form: F.Type) {
            LayerKernels.forward(weights: p + shape.weightOffset, biases: p + shape.biasOffset,
                                 inputs: shape.inputs, size: shape.size, input: UnsafePointer(ws.activations[k]), inputStride: stride,
                                 sums: z, stride: stride, count: count, applying: form)
        }
        // relu and leaky-relu in place are stored as they are computed: no second pass
        switch (inPlace, activation) {
        case (true, .relu?): sums(applying: ReLUForm.self); return
        case (true, .leakyRelu?): sums(applying: LeakyReLUForm.self); return
        default: sums(applying: Sums.self)
        }
        guard let activation else {
            softmax(UnsafePointer(z), a, size: shape.size, count: count, stride: stride)
            return
        }
        LayerKernels.activate(activation, sums: UnsafePointer(z), sumStride: stride, into: a, stride: stride,
                              rows: shape.size, count: count)
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
        outputs.withUnsafeBufferPointer { b in b.baseAddress.map { predictedClass(outputs: $0, stride: 1) } ?? 0 }
    }

    /// The class of one point whose output k sits at `out[k * stride]`: for one output, whether it is
    /// above the output's threshold; otherwise the largest output (the first of equals).
    @inline(__always)
    func predictedClass(outputs out: UnsafePointer<Double>, stride: Int) -> Int {
        if outputCount == 1 { return out[0] > outputActivation.threshold ? 1 : 0 }
        var best = 0
        for k in 1..<outputCount where out[k * stride] > out[best * stride] { best = k }
        return best
    }

    /// Every layer's weighted sums and activations for one point (layer 0: the input features).
    public func trace(x: Double, y: Double) -> [LayerValues] {
        let ws = Workspace(network: self, capacity: 1)
        let px = [x], py = [y]
        ws.loadInputs(features: features, xs: px, ys: py, count: 1)
        forward(ws, count: 1)
        return ws.widths.indices.map { k in
            let w = ws.widths[k]
            let a = (0..<w).map { ws.activations[k][$0 * ws.stride] }
            let z = k == 0 ? a : (0..<w).map { ws.sums[k][$0 * ws.stride] }
            return LayerValues(sums: z, activations: a)
        }
    }
}

/// The values of one layer for one point.
public struct LayerValues: Equatable, Sendable {
    public var sums: [Double]
    public var activations: [Double]
}

/// Softmax across the neurons of each point (in place allowed: each z is read before its a is written).
@inline(__always)
func softmax(_ z: UnsafePointer<Double>, _ a: UnsafeMutablePointer<Double>, size: Int, count: Int, stride: Int) {
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
