import NNPlayEngine

/// `lesson`: guided lessons on how neural networks learn, each claim checked on the spot.
public enum LessonCommand: Command {
    public static let help = CommandHelp(
        name: "lesson", group: .session,
        usage: ["lesson", "lesson N [lang=en|zh]", "lesson PATH [lang=en|zh]", "lesson end"],
        summary: "guided lessons: what a neuron, a layer, the cost, gradient descent and backpropagation do",
        details: ["lesson alone lists the lessons. lesson N starts one on a fresh playground (yours is kept:",
                  "lesson end gives it back). Each step shows a text, the commands to try — type them, change",
                  "them, or let `next` run them — and a question; `next` then runs the step's checks, which",
                  "prove the lesson's claim on the spot, shows the answer and goes on; `back` returns to the",
                  "step before, as it started. The prompt shows the lesson and step. lang=zh: the texts in",
                  "Chinese (中文). lesson PATH runs a lesson file (the format: help lesson, or README's Lessons);",
                  "nnplay --lesson N runs one without a prompt, writes its pictures as files and exits 1 when",
                  "a check fails. A lesson file is a script: its text is in comments — #: title, #: step, # text,",
                  "#zh, #? question, #= answer — its commands are lines, its checks expect lines."],
        options: [OptionHelp("lang", "en|zh", default: "en", "the language of the lesson's texts",
                             completion: .words(Lesson.Language.allCases.map(\.rawValue)))],
        examples: ["lesson", "lesson 1", "lesson 2 lang=zh"],
        positionals: [.words(["end"])])

    public static func completion(forPositional index: Int, after previous: [String]) -> CompletionKind {
        index == 0 ? .words(["end"] + (1...BuiltInLessons.count).map(String.init)) : .none
    }

    public static func run(_ args: Arguments, in session: Session) throws {
        try args.allowOptions(["lang"])
        try args.expectPositionals(0...1, usage: "lesson [N|PATH|end] [lang=zh]")
        guard let which = args.positionals.first else {
            if args.option("lang") != nil { throw ShellError("lang= goes with a lesson: e.g. `lesson 1 lang=zh`") }
            return list(in: session)
        }
        if which.lowercased() == "end" {
            if args.option("lang") != nil { throw ShellError("lesson end takes no options") }
            return try LessonRunner.end(in: session)
        }
        let language = try args.option("lang").map {
            try Values.name($0, "language", { Lesson.Language(rawValue: $0.lowercased()) }, accepted: Lesson.Language.allCases.map(\.rawValue))
        } ?? .en
        let (lesson, label) = try load(which)
        try LessonRunner.start(lesson, label: label, language: language, in: session)
    }

    /// Lesson N (a whole number) or the lesson file at PATH, with its label for the prompt.
    public static func load(_ which: String) throws -> (Lesson, String) {
        if let n = Int(which) {
            return (try BuiltInLessons.lesson(n), "lesson \(n)")
        }
        if which.allSatisfy(\.isNumber) {
            throw ShellError("there is no lesson \(ShellError.excerpt(which)): the lessons are 1…\(BuiltInLessons.count)")
        }
        let path = Values.path(which)
        let bytes: [UInt8]
        do { bytes = try FileAccess.read(path, limit: Lesson.maxBytes) } catch let e as NNPlayError {
            throw ShellError("\(e.message) (a lesson is a number 1…\(BuiltInLessons.count) or a lesson file)")
        }
        return (try Lesson(parsing: try ScriptText.decode(bytes, name: path), name: path), "lesson \(path)")
    }

    /// `nnplay --lesson N|PATH [--lang zh] [--pictures DIR]`: the whole lesson without a prompt,
    /// its plots written as PNG files to `pictures` (default `nnplay-lesson-N`); throws at the first
    /// check that fails (a `LocatedError` naming the lesson's file and line).
    public static func runWithoutPrompt(_ which: String, language: String?, pictures: String?, in session: Session) throws {
        let lang = try language.map {
            try Values.name($0, "language", { Lesson.Language(rawValue: $0.lowercased()) }, accepted: Lesson.Language.allCases.map(\.rawValue))
        } ?? .en
        let (lesson, label) = try load(which)
        let stem = (which.split(separator: "/").last.map(String.init) ?? which).replacingOccurrences(of: ".nn", with: "")
        let dir = pictures ?? "nnplay-lesson-\(stem)"
        try LessonRunner.runAll(lesson, label: label, language: lang, picturesTo: dir, in: session)
        session.say("\(label): every check holds; its pictures are in \(dir)/")
    }

    static func list(in session: Session) {
        let language = session.lessonRun?.language ?? .en
        // the title, then its summary indented under it, wrapped at spaces to the window
        let width = Swift.max(40, Swift.min(session.output.width, 100))
        for n in 1...BuiltInLessons.count {
            guard let lesson = try? BuiltInLessons.lesson(n) else { continue }
            session.say("\(String(n).padding(toLength: 3, withPad: " ", startingAt: 0))\(lesson.title.lines(language).first ?? "")")
            var line = "   "
            for word in (lesson.summary.lines(language).first ?? "").split(separator: " ") {
                if line.count > 3 && line.count + 1 + word.count > width {
                    session.say(line)
                    line = "   "
                }
                line += (line.count > 3 ? " " : "") + word
            }
            if line.count > 3 { session.say(line) }
        }
        if let run = session.lessonRun { session.say("now: \(run.label), step \(Swift.min(run.step + 1, run.lesson.steps.count))/\(run.lesson.steps.count)") }
        session.say("`lesson 1` starts the first (lang=zh: 中文); next, back and lesson end move through one")
    }
}

/// `next`: in a lesson, runs the step's commands and checks and goes on to the next step.
public enum NextCommand: Command {
    public static let help = CommandHelp(
        name: "next", group: .session, usage: ["next"],
        summary: "in a lesson: run this step's commands (those not typed yet) and checks, then the next step",
        details: ["A check that fails says so and the lesson stays at the step; `back` then `next` runs the step",
                  "again from the playground it started with."],
        examples: ["lesson 1; next"])

    public static func run(_ args: Arguments, in session: Session) throws {
        try args.allowOptions([])
        try args.expectPositionals(0...0, usage: "next")
        try LessonRunner.runStep(in: session)
    }
}

/// `back`: in a lesson, the step before, from the playground it started with.
public enum BackCommand: Command {
    public static let help = CommandHelp(
        name: "back", group: .session, usage: ["back"],
        summary: "in a lesson: go back to the step before, as it started",
        examples: ["lesson 2; next; back"])

    public static func run(_ args: Arguments, in session: Session) throws {
        try args.allowOptions([])
        try args.expectPositionals(0...0, usage: "back")
        try LessonRunner.back(in: session)
    }
}
