import NNPlayEngine

/// Reading the values of the command language: numbers (`0.03`, `3e-2`, `1_000`), whole numbers,
/// and names from a fixed list (case-insensitive), each with an error that says what is accepted.
public enum Values {
    /// A finite number. `what` names it in errors, e.g. `lr`.
    public static func number(_ text: String, _ what: String) throws -> Double {
        guard let v = parseNumber(text) else {
            throw ShellError("\(what)=\(text) is not a number (numbers look like 0.03, 3e-2, 1_000)")
        }
        return v
    }

    /// A number in a closed range.
    public static func number(_ text: String, _ what: String, in range: ClosedRange<Double>, rangeText: String? = nil) throws -> Double {
        let v = try number(text, what)
        guard range.contains(v) else {
            throw ShellError("\(what)=\(text) is out of range: \(what) is \(rangeText ?? "\(formatNumber(range.lowerBound))…\(formatNumber(range.upperBound))")")
        }
        return v
    }

    /// A whole number in a range (`1_000` and `1e3` are accepted).
    public static func integer(_ text: String, _ what: String, in range: ClosedRange<Int>) throws -> Int {
        guard let v = parseNumber(text) else {
            throw ShellError("\(what)=\(text) is not a number: \(what) is a whole number \(range.lowerBound)…\(range.upperBound)")
        }
        guard v == v.rounded() else { throw ShellError("\(what)=\(text) is not a whole number: \(what) is \(range.lowerBound)…\(range.upperBound)") }
        guard v >= Double(range.lowerBound), v <= Double(range.upperBound) else {
            throw ShellError("\(what)=\(text) is out of range: \(what) is \(range.lowerBound)…\(range.upperBound)")
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
        throw ShellError("unknown \(what) '\(text)'\(Suggestions.hint(for: text, in: accepted)) (\(what)s: \(accepted.joined(separator: " ")))")
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
