/// How initial weights are drawn. Biases start at 0.
public enum Initializer: String, CaseIterable, Sendable, Codable {
    /// Glorot / Xavier uniform: ±√(6 / (fan-in + fan-out)). Suits tanh and sigmoid.
    case xavier
    /// He / Kaiming uniform: ±√(6 / fan-in) (variance 2 / fan-in). Suits relu and its kin.
    case he
    /// Uniform ±1/√fan-in (LeCun's classic range).
    case uniform

    /// The half-width of the uniform range for a layer.
    public func bound(fanIn: Int, fanOut: Int) -> Double {
        switch self {
        case .xavier: return (6.0 / Double(fanIn + fanOut)).squareRoot()
        case .he: return (6.0 / Double(fanIn)).squareRoot()
        case .uniform: return 1.0 / Double(fanIn).squareRoot()
        }
    }

    public init?(name: String) { self.init(rawValue: name.lowercased()) }

    public static let namesList = allCases.map(\.rawValue).joined(separator: " ")
}
