import Foundation

/// The CSV dataset format of SPEC.md: one point per line `x,y,label`, an optional header line.
///
/// Labels are either all numbers — classes `0…K−1` (every class used), or `-1`/`1` (read as 0/1) —
/// or all names (classes numbered in order of first appearance). Real numbers that are not all
/// whole, or a header naming the third column `target` or `value`, make regression data instead:
/// the third column is then each point's target (`x,y,target`). Blank lines and lines starting with
/// `#` are skipped; fields may be quoted (`"a,b"`). Every problem is reported with its line number.
public enum CSVFormat {
    /// Largest CSV file read.
    public static let maxBytes = 256 * 1024 * 1024

    /// The points, labels and class names read from a CSV text.
    public struct Contents: Equatable, Sendable {
        public var xs: [Double] = []
        public var ys: [Double] = []
        public var labels: [Int] = []
        public var classCount = 0
        /// Class names, when the labels were names.
        public var classNames: [String]?
        /// Classification, or regression (then `values` holds the targets and `labels` is empty).
        public var problem = Problem.classification
        public var values: [Double] = []
    }

    /// Header names of the third column that mark regression data.
    public static let targetHeaders: Set<String> = ["target", "value"]

    /// Reads CSV bytes. Errors are one line: `line 7: y is not a number ("abc"); each line is x,y,label`.
    /// `shouldStop` is asked every few thousand lines (Ctrl-C during a long load): then it throws.
    /// `problem` forces how the third column is read; nil decides from the file.
    public static func parse(_ bytes: [UInt8], problem: Problem? = nil, shouldStop: () -> Bool = { false }) throws -> Contents {
        guard bytes.count <= maxBytes else {
            throw NNPlayError("the file is \(bytes.count) bytes, more than the limit of \(maxBytes / 1_048_576) MB (\(maxBytes) bytes)")
        }
        if bytes.contains(0) { throw NNPlayError("the file holds NUL bytes: it is binary, not CSV text") }
        var body = bytes[...]
        if body.starts(with: [0xEF, 0xBB, 0xBF]) { body = body.dropFirst(3) }
        guard let text = String(validating: body, as: UTF8.self) else {
            // find the line of the first invalid byte
            var line = 1, start = body.startIndex
            for (i, b) in zip(body.indices, body) where b == UInt8(ascii: "\n") {
                if String(validating: body[start..<i], as: UTF8.self) == nil { break }
                line += 1; start = i + 1
            }
            throw NNPlayError("line \(line): the text is not UTF-8 (save the file as UTF-8)")
        }
        var rawLabels: [(line: Int, text: String)] = []
        var contents = Contents()
        var header: [String]?
        var sawData = false
        var lineNumber = 0
        for rawLine in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }) {
            lineNumber += 1
            if lineNumber & 4095 == 0 && shouldStop() { throw NNPlayError("stopped reading at line \(lineNumber): interrupted; nothing was loaded") }
            var line = Substring(rawLine)
            if line.hasSuffix("\r") { line = line.dropLast() }
            let trimmed = line.trimmingSpaces
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            let fields = try splitFields(trimmed, line: lineNumber)
            guard fields.count == 3 else {
                throw NNPlayError("line \(lineNumber): \(fields.count) field\(fields.count == 1 ? "" : "s"), expected 3: x,y,label")
            }
            let x = coordinate(fields[0]), y = coordinate(fields[1])
            if x == nil && y == nil && !sawData && header == nil {
                header = fields
                continue
            }
            if x == nil && y == nil && isNumberOrNonFinite(fields[0]) == false && isNumberOrNonFinite(fields[1]) == false {
                throw NNPlayError("line \(lineNumber): a header line (\(NNPlayError.excerpt(fields.joined(separator: ",")))) in the middle of the data; only the first line may be a header")
            }
            guard let xv = x else { throw badCoordinate("x", fields[0], line: lineNumber) }
            guard let yv = y else { throw badCoordinate("y", fields[1], line: lineNumber) }
            guard contents.xs.count < Dataset.maxPoints else {
                throw NNPlayError("line \(lineNumber): more than the limit of \(Dataset.maxPoints) points")
            }
            guard !fields[2].isEmpty else {
                throw NNPlayError("line \(lineNumber): the label is empty; labels are 0…K−1, -1/1, or names")
            }
            sawData = true
            contents.xs.append(xv)
            contents.ys.append(yv)
            rawLabels.append((lineNumber, fields[2]))
        }
        guard !rawLabels.isEmpty else {
            throw NNPlayError(header == nil ? "the file is empty: expected lines of x,y,label"
                                            : "the file has a header but no data lines: expected lines of x,y,label")
        }
        let named = header.map { targetHeaders.contains($0[2].lowercased()) } ?? false
        let regression = problem.map { $0 == .regression } ?? (named || looksReal(rawLabels))
        if regression {
            try resolveTargets(rawLabels, into: &contents)
        } else {
            try resolveLabels(rawLabels, into: &contents)
        }
        return contents
    }

    private static func badCoordinate(_ name: String, _ field: String, line: Int) -> NNPlayError {
        if let v = decimal(field) {
            if !v.isFinite { return NNPlayError("line \(line): \(name) is \(NNPlayError.excerpt(field)): coordinates must be finite numbers") }
            return NNPlayError("line \(line): \(name) is \(NNPlayError.excerpt(field)): coordinates must lie within ±\(formatNumber(maxCoordinate))")
        }
        return NNPlayError("line \(line): \(name) is not a number (\"\(NNPlayError.excerpt(field))\"); each line is x,y,label")
    }

    /// Largest coordinate accepted: beyond it the frame around the data, its grid and the first
    /// layer's sums would overflow.
    public static let maxCoordinate = 1e12

    /// A finite number (decimal, not hexadecimal), or nil.
    static func number(_ field: String) -> Double? {
        decimal(field).flatMap { $0.isFinite ? $0 : nil }
    }

    /// A number written in decimal (including nan and inf; not hexadecimal), or nil.
    static func decimal(_ field: String) -> Double? {
        field.lowercased().contains("x") ? nil : Double(field)
    }

    /// A coordinate: a number within ±`maxCoordinate`, or nil.
    static func coordinate(_ field: String) -> Double? {
        guard let v = number(field), abs(v) <= maxCoordinate else { return nil }
        return v
    }

    /// Whether a field is a number at all (including nan and inf).
    static func isNumberOrNonFinite(_ field: String) -> Bool { Double(field) != nil }

    /// Whether the labels are all numbers and one of them is not whole: real targets (a nan or inf
    /// among them is then a bad target, not a class name).
    private static func looksReal(_ raw: [(line: Int, text: String)]) -> Bool {
        var sawFraction = false
        for (_, text) in raw {
            guard let v = decimal(text) else { return false }
            if v.isFinite && v != v.rounded() { sawFraction = true }
        }
        return sawFraction
    }

    /// Reads the third column as real targets (regression).
    private static func resolveTargets(_ raw: [(line: Int, text: String)], into c: inout Contents) throws {
        c.values.reserveCapacity(raw.count)
        for (line, text) in raw {
            guard let v = number(text), abs(v) <= Dataset.maxTarget else {
                let why = decimal(text) == nil ? "is not a number"
                    : number(text) == nil ? "is not a finite number" : "is out of range"
                throw NNPlayError("line \(line): target \(decimal(text) == nil ? "\"\(NNPlayError.excerpt(text))\"" : NNPlayError.excerpt(text)) \(why): regression data has lines x,y,target with finite targets within ±1e12")
            }
            c.values.append(v)
        }
        c.problem = .regression
        c.classCount = Problem.regressionClassCount
    }

    /// Turns label texts into class numbers (see the type's description).
    private static func resolveLabels(_ raw: [(line: Int, text: String)], into c: inout Contents) throws {
        let firstIsNumber = number(raw[0].text) != nil
        for (line, text) in raw where (number(text) != nil) != firstIsNumber {
            throw NNPlayError(firstIsNumber
                ? "line \(line): label \"\(NNPlayError.excerpt(text))\" is a name but the labels before it are numbers"
                : "line \(line): label \(NNPlayError.excerpt(text)) is a number but the labels before it are names")
        }
        if firstIsNumber {
            var values: [Int] = []
            values.reserveCapacity(raw.count)
            for (line, text) in raw {
                guard let v = number(text), v == v.rounded(), abs(v) <= 1e9 else {
                    throw NNPlayError("line \(line): label \(NNPlayError.excerpt(text)) is not a whole number; labels are 0…K−1, -1/1, or names")
                }
                values.append(Int(v))
            }
            let distinct = Set(values)
            if distinct.contains(-1) {
                if let (line, text) = zip(raw, values).first(where: { $0.1 != -1 && $0.1 != 1 }).map({ ($0.0.line, $0.0.text) }) {
                    throw NNPlayError("line \(line): label \(NNPlayError.excerpt(text)) among -1/1 labels; use either -1/1 or 0…K−1")
                }
                c.labels = values.map { $0 == 1 ? 1 : 0 }
                c.classCount = distinct.count
            } else {
                if let (line, text) = zip(raw, values).first(where: { $0.1 < 0 }).map({ ($0.0.line, $0.0.text) }) {
                    throw NNPlayError("line \(line): label \(NNPlayError.excerpt(text)) is negative; labels are 0…K−1 or -1/1")
                }
                if let (line, text) = zip(raw, values).first(where: { $0.1 >= Dataset.maxClasses }).map({ ($0.0.line, $0.0.text) }) {
                    throw NNPlayError("line \(line): label \(NNPlayError.excerpt(text)) is out of range; labels are 0…\(Dataset.maxClasses - 1)")
                }
                let k = (distinct.max() ?? 0) + 1
                let missing = (0..<k).filter { !distinct.contains($0) }
                if !missing.isEmpty {
                    let maxLabel = k - 1
                    let line = zip(raw, values).first { $0.1 == maxLabel }?.0.line ?? 0
                    throw NNPlayError("line \(line): label \(maxLabel) is out of range: labels are 0…K−1 with every class used, and no point has label \(missing.map(String.init).joined(separator: ", "))")
                }
                c.labels = values
                c.classCount = k
            }
        } else {
            var names: [String] = [], index: [String: Int] = [:]
            for (line, text) in raw {
                if let i = index[text] { c.labels.append(i); continue }
                guard names.count < Dataset.maxClasses else {
                    throw NNPlayError("line \(line): a \(Dataset.maxClasses + 1)th class name (\"\(NNPlayError.excerpt(text))\"); at most \(Dataset.maxClasses) classes")
                }
                index[text] = names.count
                c.labels.append(names.count)
                names.append(text)
            }
            c.classNames = names
            c.classCount = names.count
        }
        if c.classCount < 2 {
            throw NNPlayError("every point has label \(NNPlayError.excerpt(raw[0].text)): a dataset needs at least 2 classes")
        }
    }

    /// Splits a line at commas, honouring double quotes ("" is a quote inside quotes); trims spaces.
    static func splitFields(_ line: Substring, line number: Int) throws -> [String] {
        var fields: [String] = []
        var field = "", inQuotes = false, wasQuoted = false
        var chars = line.makeIterator()
        while let ch = chars.next() {
            if inQuotes {
                if ch == "\"" {
                    if let next = chars.next() {
                        if next == "\"" { field.append("\"") } else if next == "," {
                            inQuotes = false; fields.append(field); field = ""; wasQuoted = false
                        } else if next == " " || next == "\t" {
                            inQuotes = false
                        } else { throw NNPlayError("line \(number): text after a closing quote") }
                    } else { inQuotes = false }
                } else { field.append(ch) }
            } else if ch == "," {
                fields.append(wasQuoted ? field : String(Substring(field).trimmingSpaces))
                field = ""; wasQuoted = false
            } else if ch == "\"" && Substring(field).trimmingSpaces.isEmpty {
                inQuotes = true; wasQuoted = true; field = ""
            } else {
                field.append(ch)
            }
        }
        if inQuotes { throw NNPlayError("line \(number): a quote is not closed") }
        fields.append(wasQuoted ? field : String(Substring(field).trimmingSpaces))
        return fields
    }

    // MARK: Writing

    /// CSV text of a dataset: a header `x,y,label`, then every point in order, numbers in their
    /// shortest exact form, labels as names when the data has names, else as class numbers.
    /// Regression data is written `x,y,target`, its targets in their shortest exact form.
    public static func serialize(_ data: Dataset) -> String {
        if data.problem == .regression {
            var out = "x,y,target\n"
            out.reserveCapacity(data.count * 60)
            for i in 0..<data.count {
                out += JSON.numberText(data.xs[i]) + "," + JSON.numberText(data.ys[i]) + "," + JSON.numberText(data.values[i]) + "\n"
            }
            return out
        }
        var out = "x,y,label\n"
        out.reserveCapacity(data.count * 40)
        for i in 0..<data.count {
            out += JSON.numberText(data.xs[i]) + "," + JSON.numberText(data.ys[i]) + ","
            out += data.classNames.map { quoteIfNeeded($0[data.labels[i]]) } ?? String(data.labels[i])
            out += "\n"
        }
        return out
    }

    static func quoteIfNeeded(_ s: String) -> String {
        let needsQuotes = s.contains(",") || s.contains("\"") || s.hasPrefix(" ") || s.hasSuffix(" ") || s.hasPrefix("#")
            || number(s) != nil
        return needsQuotes ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
    }
}

extension Substring {
    /// Without leading and trailing spaces and tabs.
    var trimmingSpaces: Substring {
        var s = self
        while let f = s.first, f == " " || f == "\t" { s = s.dropFirst() }
        while let l = s.last, l == " " || l == "\t" { s = s.dropLast() }
        return s
    }
}
