import Foundation

/// How healthy the gradient is: the size of each layer's weight gradient (vanishing in a deep
/// sigmoid net, exploding with large weights) and the ReLU neurons that never fire.
extension Network {
    /// The gradient of the mean loss over the points `indices` (no regularisation), laid out like
    /// `parameters`; all zeros when there are no points. Runs over the points 256 at a time.
    public func gradient(on data: Dataset, indices: [Int], loss: Loss) -> [Double] {
        var total = [Double](repeating: 0, count: parameterCount)
        guard !indices.isEmpty else { return total }
        var part = total
        let n = Double(indices.count)
        parameters.withUnsafeBufferPointer { buffer in
            guard let p = buffer.baseAddress else { return }
            forEachChunk(of: data, indices: indices, parameters: p) { ws, _, count in
                part.withUnsafeMutableBufferPointer { g in
                    guard let gb = g.baseAddress else { return }
                    backward(ws, count: count, loss: loss, gradient: gb, parameters: p, dropout: nil)
                }
                // backward gives the chunk's mean: weight it by the chunk's share of the points
                let share = Double(count) / n
                for i in total.indices { total[i] += part[i] * share }
            }
        }
        return total
    }

    /// The L2 norm of each layer's weight gradient (hidden layers, then the output), from a
    /// gradient laid out like `parameters`.
    public func weightGradientNorms(_ gradient: [Double]) -> [Double] {
        layers.map { shape in
            var sum = 0.0
            for i in shape.weightOffset..<shape.biasOffset { sum += gradient[i] * gradient[i] }
            return sum.squareRoot()
        }
    }

    /// For each hidden layer with ReLU, the neurons (0-based) whose sum is never above 0 on the
    /// points `indices`: they output 0 and pass no gradient back for any of them ("dead").
    /// Layers of other activations give an empty list.
    public func deadNeurons(on data: Dataset, indices: [Int]) -> [[Int]] {
        guard hiddenCount > 0, !indices.isEmpty else { return [] }
        var alive = (1...hiddenCount).map { [Bool](repeating: false, count: width(ofLayer: $0)) }
        parameters.withUnsafeBufferPointer { buffer in
            guard let p = buffer.baseAddress else { return }
            forEachChunk(of: data, indices: indices, parameters: p) { ws, _, count in
                for k in 1...hiddenCount where hiddenActivations[k - 1] == .relu {
                    let z = ws.sums[k]
                    for j in 0..<ws.widths[k] where !alive[k - 1][j] {
                        for s in 0..<count where z[j * ws.stride + s] > 0 { alive[k - 1][j] = true; break }
                    }
                }
            }
        }
        return (1...hiddenCount).map { k in
            hiddenActivations[k - 1] == .relu ? alive[k - 1].indices.filter { !alive[k - 1][$0] } : []
        }
    }
}

extension Playground {
    /// The L2 norm of each layer's weight gradient of the mean training loss (no regularisation)
    /// at the current weights, over the whole training set: hidden layers first, the output last.
    public var gradientNorms: [Double] {
        network.weightGradientNorms(network.gradient(on: dataset, indices: dataset.trainIndices, loss: settings.loss))
    }

    /// Dead ReLU neurons of each hidden layer on the training set (see `Network.deadNeurons`).
    public var deadNeurons: [[Int]] {
        network.deadNeurons(on: dataset, indices: dataset.trainIndices)
    }
}
