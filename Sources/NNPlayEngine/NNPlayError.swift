/// An error a user can act on: one line saying what was wrong and what is accepted.
public struct NNPlayError: Error, Equatable, Sendable, CustomStringConvertible {
    public var message: String

    /// Control characters in the message (from quoted input) are shown escaped, so that an error is
    /// always one line and never moves the terminal's cursor.
    public init(_ message: String) {
        var clean = ""
        for scalar in message.unicodeScalars {
            switch scalar.value {
            case 0x0A: clean += "\\n"
            case 0x0D: clean += "\\r"
            case 0x09: clean += "\\t"
            case 0..<0x20, 0x7F, 0x80..<0xA0: clean += "\\u{" + String(scalar.value, radix: 16) + "}"
            default: clean.unicodeScalars.append(scalar)
            }
        }
        // a message quotes input: however long the input, the message stays a readable line
        if clean.count > NNPlayError.maxLength {
            clean = String(clean.prefix(NNPlayError.maxLength)) + "… (message shortened)"
        }
        self.message = clean
    }

    /// Longest message kept whole.
    public static let maxLength = 600

    /// A piece of input to quote in a message: whole when short, else its start and "…".
    public static func excerpt(_ text: some StringProtocol, max: Int = 40) -> String {
        text.count <= max ? String(text) : String(text.prefix(max)) + "…"
    }

    public var description: String { message }
}
