/// A training step's forward and backward passes for networks whose inputs and hidden layers are
/// all at most 8 wide (TensorFlow Playground's limit, and the default playground's shape): one
/// vector holds a whole layer for one point, so the hidden layers run point by point with the
/// neurons in the lanes. With the usual neuron-major layout a batch of 10 fills 10 of 16 lanes of
/// every vector, and each layer is a separate pass over memory; here every lane of a full-width
/// layer works, and a point's values go from a layer's sum to its activation to the next layer's
/// sum without a pass of their own.
///
/// The results are bit for bit those of `Network.forward` + `backward`: every value gets the same
/// fused multiply-adds in the same order (sums from the bias over the inputs in order, gradients
/// over the points in order, back-propagated sums over the neurons above in order), and the parts
/// whose order differs in this layout — the output layer, and the weight gradient of a hidden layer
/// narrower than 4 (dot products over the points) — run through the general kernels on
/// neuron-major copies.
///
/// Lanes past a layer's width (or a row's inputs) carry whatever the loads bring: weights of the
/// next row, biases, zeros. Those lanes are never read back into a real one: sums run over the
/// real inputs only, gradients past a layer's inputs are dropped, and only real rows are copied
/// back to the neuron-major layout.
final class NarrowStep {
    /// One hidden layer: its shape, activation and point-major buffers (8 lanes per point).
    private struct Layer {
        let inputs, size, weightOffset, biasOffset: Int
        let activation: Activation
        let sums, activations, deltas: UnsafeMutablePointer<Double>
        /// The weights as columns: input i's weights to every neuron, in lanes (8 × 8).
        let columns: UnsafeMutablePointer<Double>
    }

    private let capacity: Int
    private let featureCount: Int
    private let hiddenCount: Int
    private let layers: UnsafeMutablePointer<Layer>
    private let output: LayerShape
    private let outputActivation: OutputActivation
    /// The input features, point-major (lanes past the features stay 0).
    private let inputs: UnsafeMutablePointer<Double>
    /// Neuron-major copies (8 rows of the workspace's stride) of a narrow layer's deltas and inputs,
    /// for the general weight-gradient kernel.
    private let neuronMajorDeltas: UnsafeMutablePointer<Double>
    private let neuronMajorInputs: UnsafeMutablePointer<Double>
    private var buffers: [UnsafeMutablePointer<Double>] = []

    /// Values a step may read past the end of the parameters: a hidden layer's weights are loaded
    /// as 8 rows of 8 from its first weight, and an output weight row as 8 lanes.
    static let parameterSlack = 64

    /// A narrow step for `network` and batches of up to `capacity` points, or nil when the network
    /// does not qualify: inputs and hidden layers at most 8 wide, at least one hidden layer, hidden
    /// activations with a vector form and a derivative the backward kernel fuses, and no dropout.
    /// The parameters it runs on need `parameterSlack` values after their end.
    init?(network: Network, capacity: Int, dropout: Bool) {
        let hidden = Array(network.layers.dropLast())
        guard !dropout, !hidden.isEmpty, network.features.count <= 8, hidden.allSatisfy({ $0.size <= 8 }),
              network.hiddenActivations.allSatisfy(NarrowStep.supports) else { return nil }
        self.capacity = capacity
        featureCount = network.features.count
        hiddenCount = hidden.count
        output = network.layers[network.layers.count - 1]
        outputActivation = network.outputActivation
        // whole blocks of 8 points, so that the 8 × 8 transposes never reach past a buffer
        let points = vectorLanes(capacity)
        var all: [UnsafeMutablePointer<Double>] = []
        func zeroed(_ n: Int) -> UnsafeMutablePointer<Double> {
            // 64-byte aligned, zeroed, a vector of slack
            let p = UnsafeMutableRawPointer.allocate(byteCount: (n + 8) * 8, alignment: 64).bindMemory(to: Double.self, capacity: n + 8)
            p.initialize(repeating: 0, count: n + 8)
            all.append(p)
            return p
        }
        inputs = zeroed(points * 8)
        layers = UnsafeMutablePointer<Layer>.allocate(capacity: hidden.count)
        for (k, shape) in hidden.enumerated() {
            (layers + k).initialize(to: Layer(inputs: shape.inputs, size: shape.size, weightOffset: shape.weightOffset,
                                              biasOffset: shape.biasOffset, activation: network.hiddenActivations[k],
                                              sums: zeroed(points * 8), activations: zeroed(points * 8),
                                              deltas: zeroed(points * 8), columns: zeroed(64)))
        }
        neuronMajorDeltas = zeroed(8 * points)   // the workspace's stride for this capacity
        neuronMajorInputs = zeroed(8 * points)
        buffers = all
    }

    deinit {
        layers.deinitialize(count: hiddenCount)
        layers.deallocate()
        for p in buffers { UnsafeMutableRawPointer(p).deallocate() }
    }

    /// Whether a hidden activation can run here: one the layer kernels compute eight at a time and
    /// whose derivative the backward kernel applies itself.
    static func supports(_ f: Activation) -> Bool {
        switch f {
        case .tanh, .sigmoid, .relu, .leakyRelu, .linear: return true
        default: return false
        }
    }

    /// Loads the input features of the points `indices[0..<count]` from point-major rows
    /// (`rows[p * featureCount + f]`, as `Workspace.loadInputs`): straight into this step's
    /// point-major inputs, and into the workspace's layer 0 too when a first hidden layer narrower
    /// than 4 needs them there (its weight gradient runs neuron-major).
    func loadInputs(_ ws: Workspace, rows: UnsafePointer<Double>, indices: UnsafePointer<Int>, count: Int) {
        let n = featureCount
        if n == 2 {   // x and y, the usual features: two loads and two stores a point
            for s in 0..<count {
                let row = rows + indices[s] &* 2, x = inputs + s &* 8
                x[0] = row[0]
                x[1] = row[1]
            }
        } else {
            for s in 0..<count {
                let row = rows + indices[s] &* n, x = inputs + s &* 8
                for f in 0..<n { x[f] = row[f] }
            }
        }
        if layers[0].size < 4 { ws.loadInputs(rows: rows, featureCount: n, indices: indices, count: count) }
    }

    /// Forward and backward for `count` points whose inputs `loadInputs` loaded and whose targets
    /// are in the workspace: the output layer's activations in the workspace, the gradient of
    /// every parameter.
    func run(_ ws: Workspace, count: Int, loss: Loss, gradient: UnsafeMutablePointer<Double>, parameters p: UnsafePointer<Double>) {
        precondition(count <= capacity && ws.capacity >= count, "workspace does not fit the network")
        let c = ws.stride, top = hiddenCount
        for k in 0..<top {
            loadColumns(layers[k], parameters: p)
            forward(layers[k], from: inputs(of: k), parameters: p, count: count)
        }
        // the output layer through the general kernels, from a neuron-major copy of the last hidden layer
        let last = layers[top - 1]
        toNeuronMajor(last.activations, rows: last.size, count: count, into: ws.activations[top], stride: c)
        Network.forwardLayer(top, output, activation: outputActivation.elementwise, ws, count: count, parameters: p)
        let kernel = LossKernel(loss: loss, output: outputActivation, size: output.size)
        kernel.deltas(a: ws.activations[top + 1], y: ws.targets, into: ws.deltas[top + 1], count: count, stride: c, scale: 1.0 / Double(count))
        LayerKernels.weightGradient(delta: ws.deltas[top + 1], input: ws.activations[top], inputs: output.inputs, size: output.size,
                                    stride: c, count: count, transposed: ws.transposed[top], rowStride: ws.transposedStride(top),
                                    weightGradient: gradient + output.weightOffset, biasGradient: gradient + output.biasOffset)
        // the last hidden layer's deltas from the output's, then down through the hidden layers
        backward(into: last, fromNeuronMajor: ws.deltas[top + 1], stride: c, size: output.size,
                 weights: p + output.weightOffset, count: count)
        for k in Swift.stride(from: top - 1, through: 0, by: -1) {
            let layer = layers[k]
            weightGradient(layer, k: k, from: inputs(of: k), ws: ws, count: count, gradient: gradient)
            if k > 0 { backward(into: layers[k - 1], from: layer, parameters: p, count: count) }
        }
    }

    /// The inputs of hidden layer k, point-major: the features, or the layer below's activations.
    private func inputs(of k: Int) -> UnsafeMutablePointer<Double> { k == 0 ? inputs : layers[k - 1].activations }

    /// The layer's weights as columns, from the rows as they lie in the parameters (lanes past the
    /// layer's neurons, and rows past its inputs, hold neighbouring parameters: never read back).
    private func loadColumns(_ layer: Layer, parameters p: UnsafePointer<Double>) {
        let w = p + layer.weightOffset, n = layer.inputs
        let t = LayerKernels.transpose8((w.vec(0), w.vec(n), w.vec(2 &* n), w.vec(3 &* n),
                                         w.vec(4 &* n), w.vec(5 &* n), w.vec(6 &* n), w.vec(7 &* n)))
        let cw = layer.columns
        cw.store(t.0, 0); cw.store(t.1, 8); cw.store(t.2, 16); cw.store(t.3, 24)
        cw.store(t.4, 32); cw.store(t.5, 40); cw.store(t.6, 48); cw.store(t.7, 56)
    }

    /// z = b + Σᵢ W[:, i]·a[i] and a = f(z) for each point, the layer's neurons in the lanes.
    private func forward(_ layer: Layer, from a: UnsafePointer<Double>, parameters p: UnsafePointer<Double>, count: Int) {
        let n = layer.inputs
        let bias = (p + layer.biasOffset).vec(0), columns = UnsafePointer(layer.columns), z = layer.sums
        // four points at a time: four independent chains of n multiply-adds
        var s = 0
        while s &+ 4 <= count {
            let x0 = a + s &* 8, x1 = x0 + 8, x2 = x0 + 16, x3 = x0 + 24
            var z0 = bias, z1 = bias, z2 = bias, z3 = bias
            for i in 0..<n {
                let wi = columns.vec(i &* 8)
                z0 = z0.addingProduct(wi, Vec(repeating: x0[i])); z1 = z1.addingProduct(wi, Vec(repeating: x1[i]))
                z2 = z2.addingProduct(wi, Vec(repeating: x2[i])); z3 = z3.addingProduct(wi, Vec(repeating: x3[i]))
            }
            let o = s &* 8
            z.store(z0, o); z.store(z1, o &+ 8); z.store(z2, o &+ 16); z.store(z3, o &+ 24)
            s &+= 4
        }
        while s < count {
            let x = a + s &* 8
            var sum = bias
            for i in 0..<n { sum = sum.addingProduct(columns.vec(i &* 8), Vec(repeating: x[i])) }
            z.store(sum, s &* 8)
            s &+= 1
        }
        // the activations as one run of whole vectors, by the general kernel
        LayerKernels.run(layer.activation, UnsafePointer(z), layer.activations, count &* 8)
    }

    /// δ of `layer` from the deltas of the output layer (neuron-major): Σⱼ W[j, :]·δ[j] over the
    /// `size` outputs in order, times f′.
    private func backward(into layer: Layer, fromNeuronMajor d: UnsafePointer<Double>, stride: Int, size: Int,
                          weights w: UnsafePointer<Double>, count: Int) {
        backward(into: layer, size: size, weights: w, count: count) { j, s in d[j &* stride &+ s] }
    }

    /// δ of `layer` from the point-major deltas of the hidden layer `above` it.
    private func backward(into layer: Layer, from above: Layer, parameters p: UnsafePointer<Double>, count: Int) {
        let d = UnsafePointer(above.deltas)
        backward(into: layer, size: above.size, weights: p + above.weightOffset, count: count) { j, s in d[s &* 8 &+ j] }
    }

    /// δ[s] = Σⱼ W[j, :]·δabove(j, s) over the `size` neurons above in order, times f′; four points
    /// at a time (four independent chains).
    @inline(__always)
    private func backward(into layer: Layer, size: Int, weights w: UnsafePointer<Double>, count: Int,
                          _ above: (Int, Int) -> Double) {
        let n = layer.size, f = layer.activation
        let a = UnsafePointer(layer.activations), out = layer.deltas
        @inline(__always) func finish(_ sum: Vec, _ s: Int) {
            let o = s &* 8
            out.store(LayerKernels.withDerivative(f, sum, a: a + o), o)
        }
        var s = 0
        while s &+ 4 <= count {
            var d0 = Vec(), d1 = Vec(), d2 = Vec(), d3 = Vec()
            for j in 0..<size {
                let wj = w.vec(j &* n)
                d0 = d0.addingProduct(wj, Vec(repeating: above(j, s))); d1 = d1.addingProduct(wj, Vec(repeating: above(j, s &+ 1)))
                d2 = d2.addingProduct(wj, Vec(repeating: above(j, s &+ 2))); d3 = d3.addingProduct(wj, Vec(repeating: above(j, s &+ 3)))
            }
            finish(d0, s); finish(d1, s &+ 1); finish(d2, s &+ 2); finish(d3, s &+ 3)
            s &+= 4
        }
        while s < count {
            var sum = Vec()
            for j in 0..<size { sum = sum.addingProduct(w.vec(j &* n), Vec(repeating: above(j, s))) }
            finish(sum, s)
            s &+= 1
        }
    }

    /// ∂W and ∂b of hidden layer k, whose inputs are `a` (point-major). From 4 neurons up as the
    /// general kernel does it for such a layer (each gradient a sum over the points in order, the
    /// bias's as one more input of 1), here with the neurons in the lanes: eight accumulators, one
    /// per input (those past the layer's inputs are dropped). Narrower layers through the general
    /// kernel, on neuron-major copies.
    private func weightGradient(_ layer: Layer, k: Int, from a: UnsafePointer<Double>, ws: Workspace, count: Int,
                                gradient: UnsafeMutablePointer<Double>) {
        let c = ws.stride, n = layer.inputs, size = layer.size
        let gw = gradient + layer.weightOffset, gb = gradient + layer.biasOffset
        guard size >= 4 else {
            toNeuronMajor(layer.deltas, rows: size, count: count, into: neuronMajorDeltas, stride: c)
            let input: UnsafeMutablePointer<Double>
            if k == 0 { input = ws.activations[0] } else {
                toNeuronMajor(a, rows: n, count: count, into: neuronMajorInputs, stride: c)
                input = neuronMajorInputs
            }
            LayerKernels.weightGradient(delta: neuronMajorDeltas, input: input, inputs: n, size: size,
                                        stride: c, count: count, transposed: ws.transposed[k], rowStride: ws.transposedStride(k),
                                        weightGradient: gw, biasGradient: gb)
            return
        }
        let d = UnsafePointer(layer.deltas)
        var g0 = Vec(), g1 = Vec(), g2 = Vec(), g3 = Vec(), g4 = Vec(), g5 = Vec(), g6 = Vec(), g7 = Vec(), gBias = Vec()
        // as many accumulators as the inputs need, in steps of 2, 4 and 8 (the first layer's x and
        // y need two: the other six would be work thrown away); the tests, the same for every
        // point, ran as fast as three separate loops
        var s = 0
        while s < count {
            let o = s &* 8, dv = d.vec(o), x = a + o
            g0 = g0.addingProduct(dv, Vec(repeating: x[0])); g1 = g1.addingProduct(dv, Vec(repeating: x[1]))
            if n > 2 {
                g2 = g2.addingProduct(dv, Vec(repeating: x[2])); g3 = g3.addingProduct(dv, Vec(repeating: x[3]))
            }
            if n > 4 {
                g4 = g4.addingProduct(dv, Vec(repeating: x[4])); g5 = g5.addingProduct(dv, Vec(repeating: x[5]))
                g6 = g6.addingProduct(dv, Vec(repeating: x[6])); g7 = g7.addingProduct(dv, Vec(repeating: x[7]))
            }
            gBias += dv
            s &+= 1
        }
        // columns (input i's gradient for every neuron) → rows (neuron j's for every input), stored
        // in order: each row's extra lanes fall on the next row's start, which its own store then
        // overwrites; the last row's on the biases, written last (one by one, as what follows them
        // is the next layer's gradient, already computed)
        let t = LayerKernels.transpose8((g0, g1, g2, g3, g4, g5, g6, g7))
        let end = size &* n &+ size   // this layer's gradients: weights, then biases
        @inline(__always) func row(_ j: Int, _ v: Vec) {
            guard j < size else { return }
            let at = j &* n
            if at &+ 8 <= end { gw.store(v, at) } else { for i in 0..<n { gw[at &+ i] = v[i] } }
        }
        row(0, t.0); row(1, t.1); row(2, t.2); row(3, t.3); row(4, t.4); row(5, t.5); row(6, t.6); row(7, t.7)
        for j in 0..<size { gb[j] = gBias[j] }
    }

    /// Point-major rows of 8 lanes to the first `rows` neuron-major rows (`stride` apart), eight
    /// points at a time (the last block's extra points land in the rows' padding).
    private func toNeuronMajor(_ a: UnsafePointer<Double>, rows n: Int, count: Int, into out: UnsafeMutablePointer<Double>, stride: Int) {
        var s = 0
        while s < count {
            let x = a + s &* 8
            let t = LayerKernels.transpose8((x.vec(0), x.vec(8), x.vec(16), x.vec(24), x.vec(32), x.vec(40), x.vec(48), x.vec(56)))
            let o = out + s
            o.store(t.0, 0)
            if n > 1 { o.store(t.1, stride) }
            if n > 2 { o.store(t.2, 2 &* stride) }
            if n > 3 { o.store(t.3, 3 &* stride) }
            if n > 4 { o.store(t.4, 4 &* stride) }
            if n > 5 { o.store(t.5, 5 &* stride) }
            if n > 6 { o.store(t.6, 6 &* stride) }
            if n > 7 { o.store(t.7, 7 &* stride) }
            s &+= 8
        }
    }
}
