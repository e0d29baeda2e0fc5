/// What a dataset asks of a network: a class per point, or a real number per point.
///
/// Playground's two problem types. A regression dataset has one "class" (every label 0) so that
/// the class-count checks that keep data and network together still hold, and a network of one
/// class is a regression network (see `Network.problem`).
public enum Problem: String, CaseIterable, Sendable {
    case classification, regression

    public init?(name: String) { self.init(rawValue: name.lowercased()) }

    /// The class count that stands for this problem in data and networks (regression: 1).
    public static let regressionClassCount = 1

    public static let namesList = allCases.map(\.rawValue).joined(separator: " ")
}
