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
    /// RMSprop (Hinton): v ← ρ·v + (1−ρ)·g²;  w ← w − lr·g/(√v + ε)   (ρ is the `decay` setting)
    case rmsprop
    /// AdaGrad (Duchi et al.): v ← v + g²;  w ← w − lr·g/(√v + ε)
    case adagrad
    /// Nesterov momentum, PyTorch's form: v ← μ·v + g;  w ← w − lr·(g + μ·v)   (μ is `momentum`)
    case nesterov

    public init?(name: String) { self.init(rawValue: name.lowercased()) }

    public static let namesList = allCases.map(\.rawValue).joined(separator: " ")
}

/// What an optimiser remembers between steps: one or two buffers the size of the parameter vector.
public struct OptimizerState: Equatable, Sendable {
    /// Momentum's and nesterov's velocity, or Adam's first moment.
    public var first: [Double]
    /// Adam's second moment, rmsprop's running mean of g², or adagrad's sum of g².
    public var second: [Double]
    /// Adam's step count (for bias correction).
    public var steps: Int

    public init(parameterCount: Int = 0) {
        first = [Double](repeating: 0, count: parameterCount)
        second = [Double](repeating: 0, count: parameterCount)
        steps = 0
    }
}
