extension Network {
    /// Backpropagation: the gradient of the batch's mean data loss with respect to every parameter,
    /// written into `gradient` (laid out like `parameters`). Needs `forward(ws, count:)` first;
    /// loads the targets of classes `labels` into the workspace, then fills every layer's deltas on
    /// the way (the chain rule, layer by layer).
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
        ws.loadTargets(labels: labels, count: count, for: self)
        backward(ws, count: count, loss: loss, gradient: gradient, parameters: p, dropout: nil)
    }

    /// The backward pass of a training step, after `forward(…, dropout:)` with the same masks and
    /// with the batch's targets in `ws.targets`: a dropped unit passes no gradient (its δ is
    /// multiplied by its mask, as its activation was). The layer above's weight gradient uses the
    /// masked activations; f′(z) the unmasked ones, which are computed again from the sums (bit for
    /// bit those of the forward pass) first. `layerDone(k)` runs as soon as layer k's gradient is
    /// complete and the pass no longer reads its weights (the trainer updates the layer then).
    func backward(_ ws: Workspace, count: Int, loss: Loss,
                  gradient: UnsafeMutablePointer<Double>, parameters p: UnsafePointer<Double>, dropout: DropoutMasks?,
                  layerDone: (Int) -> Void = { _ in }) {
        let c = ws.stride, top = layers.count
        let kernel = LossKernel(loss: loss, output: outputActivation, size: outputCount)
        let scale = 1.0 / Double(count)
        kernel.deltas(a: ws.activations[top], y: ws.targets, into: ws.deltas[top], count: count, stride: c, scale: scale)
        for k in Swift.stride(from: top - 1, through: 0, by: -1) {
            let shape = layers[k]
            let delta = ws.deltas[k + 1], input = ws.activations[k]
            LayerKernels.weightGradient(delta: delta, input: input, inputs: shape.inputs, size: shape.size,
                                        stride: c, count: count, transposed: ws.transposed[k], rowStride: ws.transposedStride(k),
                                        weightGradient: gradient + shape.weightOffset, biasGradient: gradient + shape.biasOffset)
            if k > 0 {
                let f = hiddenActivations[k - 1]
                let mask = dropout?.mask(ofHiddenLayer: k)
                if mask != nil {
                    LayerKernels.activate(f, sums: UnsafePointer(ws.sums[k]), sumStride: c, into: ws.activations[k], stride: c,
                                          rows: shape.inputs, count: count)
                }
                let fused = LayerKernels.fusesDerivative(f)
                LayerKernels.backward(weights: p + shape.weightOffset, inputs: shape.inputs, size: shape.size,
                                      delta: delta, previousDelta: ws.deltas[k], stride: c, count: count,
                                      derivative: fused ? f : nil, activations: ws.activations[k])
                if !fused {
                    LayerKernels.multiplyByDerivative(f, ws.deltas[k], ws.sums[k], ws.activations[k],
                                                      rows: shape.inputs, count: count, stride: c)
                }
                if let m = mask { LayerKernels.multiply(ws.deltas[k], by: m, rows: shape.inputs, count: count, stride: c) }
            }
            layerDone(k)
        }
    }
}
