import Foundation
@testable import NNPlayEngine

/// A 3-class playground of every kind of setting (spiral data of `points` points; features x y x2 siny;
/// hidden layers of 5 swish and 3 elu; cross-entropy, Adam, L1) trained for `epochs` epochs.
func trainedSpiralPlayground(points: Int, epochs: Int) throws -> Playground {
    let data = try Dataset.generate(.spiral, count: points, noise: 0.1, classes: 3, seed: 4)
    let net = try Network(features: [.x, .y, .x2, .siny], hidden: [(5, .swish), (3, .elu)], classes: 3)
    var s = TrainingSettings()
    s.loss = .ce
    s.optimizer = .adam
    s.learningRate = 0.02
    s.regularization = .l1
    s.regularizationRate = 1e-4
    s.seed = 4
    var p = try Playground(dataset: data, network: net, settings: s)
    try p.train(.epochs(epochs))
    return p
}

/// A new, empty temporary directory.
func makeTemporaryDirectory() throws -> String {
    let dir = NSTemporaryDirectory() + "nnplay-test-\(UUID().uuidString)"
    try FileAccess.makeDirectory(dir)
    return dir
}

extension Metrics {
    /// The accuracy of classification metrics (NaN for regression, which has none), for checks.
    var accuracyValue: Double { accuracy ?? .nan }
}
