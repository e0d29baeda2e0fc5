import Foundation

/// How a gradient g becomes a change of the parameters.
public enum Optimizer: String, CaseIterable, Sendable, Codable {
    /// w ← w − lr·g
    case sgd
    /// v ← μ·v + g;  w ← w − lr·v   (PyTorch's form; μ is the `momentum` setting)
    case momentum
    /// Adam (Kingma & Ba) with bias correction: m ← β₁m + (1−β₁)g, v ← β₂v + (1−β₂)g²,
    /// w ← w − lr·m̂/(√v̂ + ε)
    case adam

    public init?(name: String) { self.init(rawValue: name.lowercased()) }

    public static let namesList = allCases.map(\.rawValue).joined(separator: " ")
}

/// What an optimiser remembers between steps: one or two buffers the size of the parameter vector.
public struct OptimizerState: Equatable, Sendable {
    /// Momentum's velocity, or Adam's first moment.
    public var first: [Double]
    /// Adam's second moment.
    public var second: [Double]
    /// Adam's step count (for bias correction).
    public var steps: Int

    public init(parameterCount: Int = 0) {
        first = [Double](repeating: 0, count: parameterCount)
        second = [Double](repeating: 0, count: parameterCount)
        steps = 0
    }
}
