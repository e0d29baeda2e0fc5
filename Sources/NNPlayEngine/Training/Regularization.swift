/// The penalty on weights (never biases) added to the loss: `rate · R(w)`.
public enum Regularization: String, CaseIterable, Sendable, Codable {
    case none
    /// R(w) = Σ|w|; its gradient is sign(w) (0 at w = 0).
    case l1
    /// R(w) = ½Σw²; its gradient is w.
    case l2

    /// R(w) for one weight.
    @inlinable
    public func penalty(_ w: Double) -> Double {
        switch self {
        case .none: return 0
        case .l1: return abs(w)
        case .l2: return 0.5 * w * w
        }
    }

    /// dR/dw for one weight.
    @inlinable
    public func gradient(_ w: Double) -> Double {
        switch self {
        case .none: return 0
        case .l1: return w > 0 ? 1 : (w < 0 ? -1 : 0)
        case .l2: return w
        }
    }

    public init?(name: String) { self.init(rawValue: name.lowercased()) }

    public static let namesList = allCases.map(\.rawValue).joined(separator: " ")
}
