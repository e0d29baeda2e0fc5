import NNPlayEngine

/// A guided lesson: a text for each step, the commands to try, questions, and `expect` checks that
/// prove each claim on the spot. A lesson file is also a plain nnplay script (its text lives in
/// comments), so `nnplay 03-layers.nn` runs every command and check of it.
///
/// The format, line by line (blank lines are ignored):
///
///     #: title TEXT            the lesson's title (#: title.zh TEXT in Chinese)
///     #: summary TEXT          its line in `lesson`'s list (#: summary.zh)
///     COMMAND                  before the first step: setup, run quietly on a fresh playground
///     #: step TITLE            starts a step (#: step.zh TITLE)
///     # TEXT                   the step's text (#zh TEXT in Chinese)
///     COMMAND                  a command to try: shown, and run by `next` (or typed by the learner)
///     #? QUESTION              a question (#?zh)
///     expect METRIC OP VALUE   a check, run after the step's commands
///     #= ANSWER                shown once the checks hold (#=zh)
///     ## NOTE                  for the lesson's author only, never shown
public struct Lesson: Sendable, Equatable {
    /// Texts in English and, where given, Chinese.
    public struct Text: Sendable, Equatable {
        public var en: [String] = []
        public var zh: [String] = []
        public func lines(_ language: Language) -> [String] { language == .zh && !zh.isEmpty ? zh : en }
    }

    public enum Language: String, CaseIterable, Sendable { case en, zh }

    /// A command of the file with its line number (errors name `file:line`).
    public struct Line: Sendable, Equatable {
        public var text: String
        public var number: Int
    }

    public struct Step: Sendable, Equatable {
        public var title = Text()
        public var text = Text()
        public var commands: [Line] = []
        public var questions = Text()
        public var checks: [Line] = []
        public var answers = Text()
    }

    /// Where the lesson came from, for errors: `lesson 3` or a file's path.
    public var name: String
    public var title = Text()
    public var summary = Text()
    public var setup: [Line] = []
    public var steps: [Step] = []

    /// Largest lesson file read (1 MB).
    public static let maxBytes = 1 << 20

    /// Parses a lesson; a malformed line is a `LocatedError` naming `name` and the line.
    public init(parsing text: String, name: String) throws {
        self.name = name
        var step: Step?
        func fail(_ n: Int, _ message: String) -> LocatedError { LocatedError(file: name, line: n, message: message) }
        for (i, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let n = i + 1
            var line = raw.trimmingCharacters(in: .whitespaces)
            if n == 1 && line.hasPrefix("\u{FEFF}") { line.removeFirst() }
            if line.isEmpty || line.hasPrefix("##") { continue }
            if line.hasPrefix("#:") {
                let words = line.dropFirst(2).trimmingCharacters(in: .whitespaces)
                let key = String(words.prefix { !$0.isWhitespace }).lowercased()
                let value = words.dropFirst(key.count).trimmingCharacters(in: .whitespaces)
                let zh = key.hasSuffix(".zh")
                switch zh ? String(key.dropLast(3)) : key {
                case "step":
                    if zh {
                        guard step != nil else { throw fail(n, "#: step.zh comes after its #: step") }
                        step?.title.zh = [value]
                    } else {
                        if let s = step { steps.append(s) }
                        step = Step()
                        step?.title.en = [value]
                    }
                case "title": if zh { title.zh = [value] } else { title.en = [value] }
                case "summary": if zh { summary.zh = [value] } else { summary.en = [value] }
                default:
                    throw fail(n, "unknown lesson key '#: \(key)': use #: title, #: summary or #: step (add .zh for Chinese)")
                }
                continue
            }
            if line.hasPrefix("#") {
                guard step != nil else { continue }   // a comment before the first step is the file's own
                for (prefix, keyPath) in Self.textPrefixes where line.hasPrefix(prefix) {
                    let content = String(line.dropFirst(prefix.count))
                    let trimmed = content.hasPrefix(" ") ? String(content.dropFirst()) : content
                    step?[keyPath: keyPath].append(trimmed)
                    break
                }
                continue
            }
            let command = Line(text: line, number: n)
            if step == nil {
                setup.append(command)
            } else if line.lowercased().hasPrefix("expect ") {
                step?.checks.append(command)
            } else {
                step?.commands.append(command)
            }
        }
        if let s = step { steps.append(s) }
        guard !title.en.isEmpty else { throw fail(1, "a lesson needs a title: a line #: title TEXT") }
        guard !steps.isEmpty else { throw fail(1, "a lesson needs at least one step: a line #: step TITLE") }
    }

    /// The comment prefixes of a step's texts, longest first (`#?zh` before `#?`).
    static var textPrefixes: [(String, WritableKeyPath<Step, [String]>)] { [
        ("#?zh", \.questions.zh), ("#=zh", \.answers.zh), ("#zh", \.text.zh),
        ("#?", \.questions.en), ("#=", \.answers.en), ("#", \.text.en),
    ] }
}
