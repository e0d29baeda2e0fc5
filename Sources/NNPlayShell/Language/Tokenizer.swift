/// Splits script text into commands and words, following SPEC.md's script syntax: one command per
/// line, `;` between commands, `#` to the end of the line is a comment, words separated by spaces.
/// Double or single quotes keep a word together (for paths with spaces) and protect `;` and `#`.
public enum Tokenizer {
    /// One command's words, with the column (1-based) where it starts on its line.
    public struct Command: Equatable, Sendable {
        public var words: [String]
        public var column: Int
    }

    /// The commands on one line (comments and empty commands dropped).
    public static func commands(in line: String) throws -> [Command] {
        var commands: [Command] = []
        var words: [String] = []
        var word = ""
        var inWord = false
        var quote: Character?
        var column = 0, commandStart = 1
        func endWord() {
            if inWord { words.append(word) }
            word = ""
            inWord = false
        }
        func endCommand() {
            endWord()
            if !words.isEmpty { commands.append(Command(words: words, column: commandStart)) }
            words = []
        }
        for ch in line {
            column += 1
            if let q = quote {
                if ch == q { quote = nil } else { word.append(ch) }
                continue
            }
            switch ch {
            case "#":
                endCommand()
                return commands
            case ";":
                endCommand()
                commandStart = column + 1
            case " ", "\t", "\r", "\n":
                endWord()
            case "\"", "'":
                quote = ch
                inWord = true
            default:
                if words.isEmpty && !inWord && word.isEmpty { commandStart = column }
                word.append(ch)
                inWord = true
            }
        }
        if let q = quote { throw ShellError("a \(q) quote is not closed") }
        endCommand()
        return commands
    }

    /// A word as it should be written back into a script: quoted when it has spaces or special characters.
    public static func quoted(_ word: String) -> String {
        let special: Set<Character> = [" ", "\t", ";", "#", "\"", "'"]
        guard word.isEmpty || word.contains(where: { special.contains($0) }) else { return word }
        guard word.contains("\"") && word.contains("'") else {
            return word.contains("\"") ? "'" + word + "'" : "\"" + word + "\""
        }
        // both kinds: quoted pieces written next to each other make one word (`"it's "'"q".csv'`),
        // a " inside single quotes and a ' inside double quotes
        var out = "", piece = "", style: Character = "\""
        for ch in word {
            let needs: Character? = ch == "\"" ? "'" : (ch == "'" ? "\"" : nil)
            if let needs, needs != style {
                if !piece.isEmpty { out += String(style) + piece + String(style) }
                piece = ""
                style = needs
            }
            piece.append(ch)
        }
        return out + String(style) + piece + String(style)
    }
}
