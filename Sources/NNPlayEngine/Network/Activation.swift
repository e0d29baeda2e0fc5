import Foundation

/// A hidden layer's activation function a = f(z), with its derivative next to it, so the backward
/// pass never has to know which function it is.
public enum Activation: String, CaseIterable, Sendable, Codable {
    case linear, sigmoid, tanh, relu
    case leakyRelu = "leaky-relu"
    case elu, selu, swish, mish, softplus

    /// Slope of leaky-relu for z < 0.
    public static let leakySlope = 0.01
    /// SELU's constants (Klambauer et al., 2017).
    public static let seluLambda = 1.0507009873554804934193349852946
    public static let seluAlpha = 1.6732632423543772848170429916717

    /// f(z).
    @inlinable
    public func apply(_ z: Double) -> Double {
        switch self {
        case .linear: return z
        case .sigmoid: return logistic(z)
        case .tanh: return Foundation.tanh(z)
        case .relu: return z > 0 ? z : 0
        case .leakyRelu: return z > 0 ? z : Activation.leakySlope * z
        case .elu: return z > 0 ? z : expm1(z)
        case .selu: return Activation.seluLambda * (z > 0 ? z : Activation.seluAlpha * expm1(z))
        case .swish: return z * logistic(z)
        case .mish: return z * Foundation.tanh(softplusValue(z))
        case .softplus: return softplusValue(z)
        }
    }

    /// f'(z), given z and a = f(z) (whichever is cheaper to use).
    @inlinable
    public func derivative(z: Double, a: Double) -> Double {
        switch self {
        case .linear: return 1
        case .sigmoid: return a * (1 - a)
        case .tanh: return 1 - a * a
        case .relu: return z > 0 ? 1 : 0
        case .leakyRelu: return z > 0 ? 1 : Activation.leakySlope
        case .elu: return z > 0 ? 1 : a + 1
        case .selu: return z > 0 ? Activation.seluLambda : a + Activation.seluLambda * Activation.seluAlpha
        case .swish:
            let s = logistic(z)
            return s + z * s * (1 - s)
        case .mish:
            let t = Foundation.tanh(softplusValue(z))
            return t + z * (1 - t * t) * logistic(z)
        case .softplus: return logistic(z)
        }
    }

    /// The value the colour scale of pictures centres on (the middle of the function's usual range).
    public var midpoint: Double { self == .sigmoid ? 0.5 : 0 }

    /// Parses an activation name (case-insensitive; `leakyrelu` and `leaky_relu` are accepted too).
    public init?(name: String) {
        let n = name.lowercased().replacingOccurrences(of: "_", with: "-")
        if let a = Activation(rawValue: n) { self = a } else if n == "leakyrelu" { self = .leakyRelu } else { return nil }
    }

    public static let namesList = allCases.map(\.rawValue).joined(separator: " ")
}

/// The output layer's activation.
public enum OutputActivation: String, CaseIterable, Sendable, Codable {
    /// One output with probability of class 1 (2 classes), or one independent probability per class.
    case sigmoid
    /// One probability per class, summing to 1.
    case softmax
    /// One output in (−1, 1) for 2 classes (target −1 / 1), or one per class.
    case tanh
    /// One unbounded output for 2 classes (target −1 / 1), or one per class.
    case linear

    /// How many output neurons a network with this output needs for `classes` classes: softmax has one
    /// per class; the others have a single output for 2 classes and one per class otherwise.
    public func outputCount(classes: Int) -> Int {
        self == .softmax || classes > 2 ? classes : 1
    }

    /// The default output for a class count: sigmoid for 2 classes, softmax for more, linear for
    /// regression (1 class).
    public static func defaultFor(classes: Int) -> OutputActivation {
        classes == Problem.regressionClassCount ? .linear : classes > 2 ? .softmax : .sigmoid
    }

    /// The outputs a regression network may have: linear (any target) or tanh (targets in (−1, 1)).
    public static let regressionOutputs: [OutputActivation] = [.linear, .tanh]

    /// Why this output cannot predict real targets, or nil when it can.
    public var regressionIncompatibility: String? {
        OutputActivation.regressionOutputs.contains(self) ? nil
            : "output \(rawValue) is for classes: regression data takes output linear or tanh"
    }

    /// Target values: what an output should show for "this class" and for "not this class".
    public var targetRange: (off: Double, on: Double) {
        switch self {
        case .sigmoid, .softmax: return (0, 1)
        case .tanh, .linear: return (-1, 1)
        }
    }

    /// The value that separates the classes for a single output (0.5 for sigmoid, 0 for tanh / linear).
    public var threshold: Double { (targetRange.off + targetRange.on) / 2 }

    /// The same function as a per-neuron activation; nil for softmax, which works across neurons.
    var elementwise: Activation? {
        switch self {
        case .sigmoid: return .sigmoid
        case .tanh: return .tanh
        case .linear: return .linear
        case .softmax: return nil
        }
    }

    public init?(name: String) { self.init(rawValue: name.lowercased()) }

    public static let namesList = allCases.map(\.rawValue).joined(separator: " ")
}

/// σ(z), computed without overflow for large |z|.
@inlinable
public func logistic(_ z: Double) -> Double {
    if z >= 0 { return 1 / (1 + exp(-z)) }
    let e = exp(z)
    return e / (1 + e)
}

/// log(1 + eᶻ), computed without overflow for large z.
@inlinable
public func softplusValue(_ z: Double) -> Double {
    Swift.max(z, 0) + log1p(exp(-abs(z)))
}
