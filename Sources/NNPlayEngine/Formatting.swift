import Foundation

/// A number as people write it: `0.03`, `500`, `1e-05`; the shortest text that reads back exactly.
public func formatNumber(_ value: Double) -> String {
    if value.isFinite, value == value.rounded(), abs(value) < 1e15 {
        return String(Int64(value))
    }
    return String(value)
}

/// A number with a few significant digits, for tables and progress lines: `0.6931`, `1.2e-05`.
/// Infinities read `inf` and `-inf`; a value that is not a number (where +∞ met −∞) reads
/// `undefined`: nnplay never shows a learner "nan".
public func formatMetric(_ value: Double, digits: Int = 4) -> String {
    guard value.isFinite else { return value.isNaN ? "undefined" : (value > 0 ? "inf" : "-inf") }
    return String(format: "%.\(digits)g", value)
}

/// `value` with exactly `decimals` digits after the point.
public func fixed(_ value: Double, decimals: Int) -> String {
    guard value.isFinite else { return formatMetric(value) }
    return String(format: "%.\(decimals)f", value)
}
