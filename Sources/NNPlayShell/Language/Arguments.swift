/// The words of one command after its name: positional words and `key=value` options.
///
/// Keys are case-insensitive; a key given twice, or one the command does not take, is an error that
/// lists the keys it takes (with a suggestion for a misspelling).
public struct Arguments {
    /// The command's name as typed (for messages).
    public let command: String
    public private(set) var positionals: [String]
    /// Options in the order given, keys lowercased.
    public private(set) var options: [(key: String, value: String)]

    public init(command: String, words: [String]) throws {
        self.command = command
        positionals = []
        options = []
        for word in words {
            if let eq = word.firstIndex(of: "="), Arguments.isKey(word[..<eq]), !word[word.index(after: eq)...].hasPrefix("=") {
                let key = word[..<eq].lowercased(), value = String(word[word.index(after: eq)...])
                guard !value.isEmpty else { throw ShellError("\(key)= needs a value, e.g. \(key)=1") }
                guard !options.contains(where: { $0.key == key }) else { throw ShellError("\(key)= is given twice") }
                options.append((key, value))
            } else {
                positionals.append(word)
            }
        }
    }

    /// Whether text can be an option key: a letter, then letters, digits, `-` or `_`
    /// (so that `>=` and `epoch==5` stay positional words).
    static func isKey(_ text: Substring) -> Bool {
        guard let first = text.first, first.isLetter else { return false }
        return text.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }
    }

    /// Throws when an option is not among `allowed`.
    public func allowOptions(_ allowed: [String], for usage: String? = nil) throws {
        for (key, _) in options where !allowed.contains(key) {
            let what = usage ?? command
            if allowed.isEmpty { throw ShellError("\(what) takes no options (\(key)= is not one)") }
            throw ShellError("unknown option '\(key)' for \(what)\(Suggestions.hint(for: key, in: allowed)) (options: \(allowed.map { $0 + "=" }.joined(separator: " ")))")
        }
    }

    /// Throws unless the number of positional words is in `range`; `usage` goes into the message.
    public func expectPositionals(_ range: ClosedRange<Int>, usage: String) throws {
        guard range.contains(positionals.count) else {
            if positionals.count > range.upperBound {
                let extra = positionals[range.upperBound]
                throw ShellError("unexpected '\(extra)': usage: \(usage)")
            }
            throw ShellError("missing argument: usage: \(usage)")
        }
    }

    /// The value of an option, or nil.
    public func option(_ key: String) -> String? { options.first { $0.key == key }?.value }

    public func positional(_ i: Int) -> String? { i < positionals.count ? positionals[i] : nil }

    /// The arguments without their first positional word (after a sub-command).
    public func droppingFirst() -> Arguments {
        var copy = self
        if !copy.positionals.isEmpty { copy.positionals.removeFirst() }
        return copy
    }
}
