import Foundation

/// An input feature computed from a point's coordinates, as in TensorFlow Playground.
public enum Feature: String, CaseIterable, Sendable, Codable {
    case x, y, x2, y2, xy, sinx, siny, cosx, cosy

    /// The feature's value at a point.
    @inlinable
    public func value(x: Double, y: Double) -> Double {
        switch self {
        case .x: return x
        case .y: return y
        case .x2: return x * x
        case .y2: return y * y
        case .xy: return x * y
        case .sinx: return sin(x)
        case .siny: return sin(y)
        case .cosx: return cos(x)
        case .cosy: return cos(y)
        }
    }

    /// How the feature reads in formulas and pictures.
    public var formula: String {
        switch self {
        case .x: return "x"
        case .y: return "y"
        case .x2: return "x²"
        case .y2: return "y²"
        case .xy: return "x·y"
        case .sinx: return "sin(x)"
        case .siny: return "sin(y)"
        case .cosx: return "cos(x)"
        case .cosy: return "cos(y)"
        }
    }

    /// Parses a feature name (case-insensitive).
    public init?(name: String) {
        self.init(rawValue: name.lowercased())
    }

    /// The names accepted, for error messages.
    public static let namesList = allCases.map(\.rawValue).joined(separator: " ")
}
