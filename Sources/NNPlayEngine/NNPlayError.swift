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
        self.message = clean
    }

    public var description: String { message }
}
