import Foundation
import NNPlayEngine

/// Reading the values of the command language: numbers (`0.03`, `3e-2`, `1_000`), whole numbers,
/// and names from a fixed list (case-insensitive), each with an error that says what is accepted.
public enum Values {
    /// A file path as written in a command: `~` or `~/…` at its start is the home directory, as in
    /// a shell (and as Tab completion shows it); anything else is the path itself.
    public static func path(_ word: String) -> String {
        guard word == "~" || word.hasPrefix("~/") else { return word }
        let home = ProcessInfo.processInfo.environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
        return home + word.dropFirst()
    }

    /// A finite number. `what` names it in errors, e.g. `lr`.
    public static func number(_ text: String, _ what: String) throws -> Double {
        guard let v = parseNumber(text) else {
            if isTooLarge(text) { throw ShellError("\(what)=\(ShellError.excerpt(text)) is too large: numbers are at most about 1.8e308") }
            throw ShellError("\(what)=\(ShellError.excerpt(text)) is not a number (numbers look like 0.03, 3e-2, 1_000)")
        }
        return v
    }

    /// Written like a number but beyond what a double holds (e.g. 1e400).
    static func isTooLarge(_ text: String) -> Bool {
        Double(text.replacingOccurrences(of: "_", with: ""))?.isInfinite == true && !text.lowercased().contains("inf")
    }

    /// A number in a closed range.
    public static func number(_ text: String, _ what: String, in range: ClosedRange<Double>, rangeText: String? = nil) throws -> Double {
        let v = isTooLarge(text) ? (text.hasPrefix("-") ? -Double.infinity : .infinity) : try number(text, what)
        guard range.contains(v) else {
            throw ShellError("\(what)=\(ShellError.excerpt(text)) is out of range: \(what) is \(rangeText ?? "\(formatNumber(range.lowerBound))…\(formatNumber(range.upperBound))")")
        }
        return v
    }

    /// A whole number in a range (`1_000` and `1e3` are accepted).
    public static func integer(_ text: String, _ what: String, in range: ClosedRange<Int>) throws -> Int {
        let shown = ShellError.excerpt(text), allowed = "\(range.lowerBound)…\(range.upperBound)"
        guard let v = parseNumber(text) else {
            if isTooLarge(text) { throw ShellError("\(what)=\(shown) is out of range: \(what) is \(allowed)") }
            throw ShellError("\(what)=\(shown) is not a number: \(what) is a whole number \(allowed)")
        }
        guard v == v.rounded() else { throw ShellError("\(what)=\(shown) is not a whole number: \(what) is \(allowed)") }
        guard v >= Double(range.lowerBound), v <= Double(range.upperBound) else {
            throw ShellError("\(what)=\(shown) is out of range: \(what) is \(allowed)")
        }
        return Int(v)
    }

    /// A seed: a whole number 0…2⁵³−1 (model files store it as a JSON number).
    public static func seed(_ text: String) throws -> UInt64 {
        UInt64(try integer(text, "seed", in: 0...ModelFile.maxSeed))
    }

    /// One of a list of names (case-insensitive), with a suggestion when misspelt.
    public static func name<T>(_ text: String, _ what: String, _ parse: (String) -> T?, accepted: [String]) throws -> T {
        if let v = parse(text) { return v }
        let plural = what.hasSuffix("s") ? what + "es" : what + "s"
        throw ShellError("unknown \(what) '\(ShellError.excerpt(text))'\(Suggestions.hint(for: text, in: accepted)) (\(plural): \(accepted.joined(separator: " ")))")
    }

    /// One of the engine's named choices (an activation, a loss, …), by name.
    static func name<T: NamedChoice>(_ text: String, _ what: String, as type: T.Type) throws -> T {
        try name(text, what, T.init(name:), accepted: T.allCases.map(\.rawValue))
    }

    /// Parses SPEC.md's number syntax: optional sign, digits with `_` between them, an optional
    /// fraction and exponent. No `nan`, `inf` or hexadecimal.
    public static func parseNumber(_ text: String) -> Double? {
        var cleaned = ""
        let chars = Array(text)
        for (i, c) in chars.enumerated() {
            if c == "_" {
                guard i > 0, i < chars.count - 1, chars[i - 1].isASCIIDigit, chars[i + 1].isASCIIDigit else { return nil }
                continue
            }
            cleaned.append(c)
        }
        // sign? digits* (. digits*)? (e sign? digits+)?, with at least one digit before the exponent
        var s = Substring(cleaned)
        if s.first == "+" || s.first == "-" { s = s.dropFirst() }
        let mantissaDigits = s.prefix { $0.isASCIIDigit || $0 == "." }
        guard mantissaDigits.filter({ $0 == "." }).count <= 1, mantissaDigits.contains(where: \.isASCIIDigit) else { return nil }
        s = s.dropFirst(mantissaDigits.count)
        if let e = s.first, e == "e" || e == "E" {
            s = s.dropFirst()
            if s.first == "+" || s.first == "-" { s = s.dropFirst() }
            guard !s.isEmpty, s.allSatisfy(\.isASCIIDigit) else { return nil }
            s = s.dropFirst(s.count)
        }
        guard s.isEmpty, let v = Double(cleaned), v.isFinite else { return nil }
        return v
    }
}

extension Character {
    var isASCIIDigit: Bool { ("0"..."9").contains(self) }
}

/// The engine's enums chosen by name in commands: parsed by `init?(name:)`, listed by their raw values.
protocol NamedChoice: CaseIterable, RawRepresentable where RawValue == String {
    init?(name: String)
}

extension Activation: NamedChoice {}
extension OutputActivation: NamedChoice {}
extension Optimizer: NamedChoice {}
extension Loss: NamedChoice {}
extension Regularization: NamedChoice {}
extension Initializer: NamedChoice {}
extension Feature: NamedChoice {}
