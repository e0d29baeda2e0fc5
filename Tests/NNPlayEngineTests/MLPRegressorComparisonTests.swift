import Foundation
import Testing
@testable import NNPlayEngine

/// nnplay's test RMSE on fixed CSVs (Datasets/plane-*.csv, Datasets/multigauss-*.csv: 500 training and
/// 500 test points) against scikit-learn's MLPRegressor with the same architecture, activation, solver,
/// rate, batch and epochs. The reference figures are MLPRegressor 1.9.1's median test RMSE over
/// random_state 1…8 (`MLPRegressor(hidden_layer_sizes=…, activation="tanh", solver="adam",
/// learning_rate_init=0.01, batch_size=10, max_iter=200, alpha=0, tol=0, n_iter_no_change=10**9)`,
/// features computed alike), measured once (scikit-learn is not needed to run the tests); nnplay's is
/// its median over seeds 1…8, which must lie within 10 % of it.
@Suite struct MLPRegressorComparisonTests {
    static func data(_ name: String, test: Bool) throws -> Dataset {
        let path = #filePath.replacingOccurrences(of: "Tests/NNPlayEngineTests/MLPRegressorComparisonTests.swift",
                                                  with: "Datasets/\(name)-\(test ? "test" : "train").csv")
        return try Dataset.fromCSV(FileAccess.read(path, limit: 1 << 20), testFraction: test ? 1 : 0, origin: name)
    }

    @Test(arguments: [("plane", [Feature.x, .y], [8, 8], 0.105933), ("multigauss", [.x, .y, .sinx, .siny], [8, 8, 8], 0.064778)])
    func testRMSEIsWithinTenPercentOfMLPRegressors(name: String, features: [Feature], hidden: [Int], reference: Double) throws {
        let train = try Self.data(name, test: false), test = try Self.data(name, test: true)
        #expect(train.problem == .regression && train.count == 500 && test.count == 500 && test.testIndices.count == 500)
        var rmses: [Double] = []
        for seed in 1...8 {
            var s = TrainingSettings()
            s.loss = .mse
            s.optimizer = .adam
            s.learningRate = 0.01
            s.batchSize = 10
            s.seed = UInt64(seed)
            let net = try Network(features: features, hidden: hidden.map { ($0, .tanh) }, classes: 1)
            var p = try Playground(dataset: train, network: net, settings: s)
            try p.train(.epochs(200))
            rmses.append(try #require(p.network.metrics(on: test, indices: test.testIndices, loss: .mse)?.rmse))
        }
        let sorted = rmses.sorted(), median = (sorted[3] + sorted[4]) / 2
        print("\(name): nnplay median test RMSE \(median) (seeds 1…8: \(rmses)), MLPRegressor \(reference)")
        #expect(abs(median - reference) / reference <= 0.10, "\(name): nnplay \(median), MLPRegressor \(reference)")
    }
}
