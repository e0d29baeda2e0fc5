/// A script file's bytes as text, or an error at the line where they stop being text.
public enum ScriptText {
    /// The text of a script; a NUL byte or bytes that are not UTF-8 are a `LocatedError` naming
    /// `name` and the line they are on (`run.nn:3: error: …`), as any other error in a script.
    public static func decode(_ bytes: [UInt8], name: String) throws -> String {
        if let text = String(validating: bytes, as: UTF8.self), !bytes.contains(0) { return text }
        var line = 1, start = 0
        for (i, b) in bytes.enumerated() {
            if b == 0 {
                throw LocatedError(file: name, line: line, message: "a NUL byte: the file is binary, not a script of text commands")
            }
            if b == UInt8(ascii: "\n") {
                if String(validating: bytes[start..<i], as: UTF8.self) == nil { break }
                line += 1
                start = i + 1
            }
        }
        throw LocatedError(file: name, line: line, message: "the line is not UTF-8 text (is the file binary, or saved in another encoding?)")
    }
}
