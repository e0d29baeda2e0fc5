import Foundation
import NNPlayEngine

/// A lesson being followed: the step the learner is at, the playground each step started from
/// (`back` returns to it), and the learner's own playground from before the lesson (`lesson end`
/// gives it back). Both the prompt (`next`) and `nnplay --lesson N` step through it here.
struct LessonRun {
    var lesson: Lesson
    /// `lesson 3`, or `lesson FILE` for one read from a file.
    var label: String
    var language: Lesson.Language
    /// The step shown now (== steps.count once the last is done).
    var step = 0
    /// The playground and replay log at the start of each step reached.
    var starts: [(playground: Playground, log: [String])] = []
    /// The learner's playground, replay log and settings before the lesson.
    var before: (playground: Playground, log: [String])
    /// The current step's commands the learner typed already (`next` does not run them twice).
    var typedCommands: Set<String> = []

    static func normalized(_ line: String) -> String {
        line.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    mutating func typed(_ line: String) { typedCommands.insert(Self.normalized(line)) }

    var isDone: Bool { step >= lesson.steps.count }
}

/// Showing a lesson and running its steps.
enum LessonRunner {
    /// Starts `lesson` in `session`: a fresh default playground, the setup run quietly, then the
    /// first step shown. The learner's playground is kept for `lesson end`.
    static func start(_ lesson: Lesson, label: String, language: Lesson.Language, in session: Session) throws {
        let before = session.lessonRun?.before ?? (session.playground, session.replayLog)
        try runSetup(lesson, in: session)
        var run = LessonRun(lesson: lesson, label: label, language: language, before: before)
        run.starts = [(session.playground, session.replayLog)]
        session.lessonRun = run
        let title = lesson.title.lines(language).first ?? ""
        let count = lesson.steps.count
        session.say(language == .zh ? "\(label)：\(title)（共 \(count) 步；next 运行一步，back 返回，lesson end 结束）"
                                    : "\(label): \(title) (\(count) step\(count == 1 ? "" : "s"); next runs a step, back goes back, lesson end leaves)")
        show(in: session)
    }

    /// A fresh playground of seed 1 and the lesson's setup, its output left unshown (errors are not).
    static func runSetup(_ lesson: Lesson, in session: Session) throws {
        let shown = session.output
        let quiet = CapturedOutput(isTerminal: false, width: shown.width, height: shown.height)
        session.output = quiet
        defer { session.output = shown }
        try session.runLine("new seed=1")
        for line in lesson.setup { try runLessonLine(line, lesson, in: session) }
    }

    /// Runs one line of the lesson file; an error names the file and line.
    static func runLessonLine(_ line: Lesson.Line, _ lesson: Lesson, in session: Session) throws {
        do {
            try session.runLine(line.text)
        } catch let e as NNPlayError {
            throw LocatedError(file: lesson.name, line: line.number, message: e.message)
        }
    }

    /// The current step: its title, text, the commands to try and its questions.
    static func show(in session: Session) {
        guard let run = session.lessonRun else { return }
        guard !run.isDone else {
            if session.options.interactive {
                session.say("\(run.label) is done. `lesson end` gives your playground back; `lesson` lists the others.")
            }
            return
        }
        let step = run.lesson.steps[run.step], language = run.language
        session.say()
        session.say("── \(run.label) · \(language == .zh ? "第 " : "step ")\(run.step + 1)/\(run.lesson.steps.count)\(language == .zh ? " 步" : ""): \(step.title.lines(language).first ?? "") ──")
        for line in step.text.lines(language) { session.say(line) }
        if !step.commands.isEmpty {
            session.say(language == .zh ? "试一试（next 会运行它们）：" : "try (next runs them):")
            for c in step.commands { session.say("  \(c.text)") }
        }
        say(step.questions.lines(language), label: language == .zh ? "问题：" : "question: ", in: session)
    }

    /// Lines after a label, the later ones indented under the first.
    static func say(_ lines: [String], label: String, in session: Session) {
        let indent = String(repeating: " ", count: label.count * (label.utf8.count > label.count ? 2 : 1))
        for (i, line) in lines.enumerated() { session.say((i == 0 ? label : indent) + line) }
    }

    /// `next`: runs the current step's commands (those not typed already) and its checks, shows
    /// the answers and moves on. `pictures`: a directory to write the plots to as PNG files
    /// (`nnplay --lesson N`) instead of drawing them.
    static func runStep(in session: Session, picturesTo pictures: String? = nil) throws {
        guard var run = session.lessonRun else {
            throw ShellError("no lesson is running: `lesson` lists them, `lesson 1` starts the first")
        }
        guard !run.isDone else {
            throw ShellError("\(run.label) has no more steps: `lesson end` gives your playground back, `back` goes back a step")
        }
        let step = run.lesson.steps[run.step], language = run.language
        for (i, c) in step.commands.enumerated() where !run.typedCommands.contains(LessonRun.normalized(c.text)) {
            session.say("\(session.prompt)\(c.text)")
            if let dir = pictures, let export = LessonPictures.export(c.text, to: "\(dir)/step-\(run.step + 1)-\(i + 1).png") {
                try runLessonLine(Lesson.Line(text: export, number: c.number), run.lesson, in: session)
            } else {
                try runLessonLine(c, run.lesson, in: session)
            }
            if session.wasInterrupted { return }
        }
        for check in step.checks {
            do {
                try runLessonLine(check, run.lesson, in: session)
            } catch let e as LocatedError where session.options.interactive {
                throw ShellError("\(e.message): the claim does not hold for the playground as it is now; `back` then `next` runs the step again from its start")
            }
        }
        say(step.answers.lines(language), label: language == .zh ? "答案：" : "answer: ", in: session)
        run.step += 1
        run.typedCommands = []
        run.starts.append((session.playground, session.replayLog))
        session.lessonRun = run
        show(in: session)
    }

    /// `back`: the step before, from the playground it started with.
    static func back(in session: Session) throws {
        guard var run = session.lessonRun else { throw ShellError("no lesson is running: `lesson` lists them") }
        guard run.step > 0 else { throw ShellError("this is the first step of \(run.label): `next` runs it") }
        run.step -= 1
        run.starts.removeLast(run.starts.count - run.step - 1)
        let start = run.starts[run.step]
        session.playground = start.playground
        session.replayLog = start.log
        run.typedCommands = []
        session.lessonRun = run
        show(in: session)
    }

    /// `lesson end`: the learner's playground back as it was before the lesson.
    static func end(in session: Session) throws {
        guard let run = session.lessonRun else { throw ShellError("no lesson is running: `lesson` lists them") }
        session.playground = run.before.playground
        session.replayLog = run.before.log
        session.lessonRun = nil
        session.say("\(run.label) ended: your playground is back (\(session.playground.dataset.origin), \(session.playground.network.architecture))")
    }

    /// `nnplay --lesson N`: every step in turn, plots written to `pictures`; throws at the first
    /// failed check (a `LocatedError` naming the lesson's file and line).
    static func runAll(_ lesson: Lesson, label: String, language: Lesson.Language, picturesTo pictures: String, in session: Session) throws {
        try FileAccess.makeDirectory(pictures)   // before any text: a bad directory fails at once
        try start(lesson, label: label, language: language, in: session)
        while let run = session.lessonRun, !run.isDone {
            try runStep(in: session, picturesTo: pictures)
            if session.wasInterrupted { return }
        }
        session.lessonRun = nil
    }
}

/// A lesson's `plot` as a picture file: the same picture through `export` (ascii and a size in
/// character columns do not apply). Nil for what has no file (`plot grads`, `plot loss steps`).
enum LessonPictures {
    static func export(_ command: String, to file: String) -> String? {
        guard let words = try? Tokenizer.commands(in: command).first?.words, words.first?.lowercased() == "plot" else { return nil }
        var rest = Array(words.dropFirst()).filter { !$0.lowercased().hasPrefix("size=") && $0.lowercased() != "ascii" }
        let kind = rest.first?.lowercased() ?? "out"
        if rest.isEmpty || rest[0].contains("=") || rest[0].lowercased() == "discrete" { rest.insert("out", at: 0) }
        switch kind {
        case "landscape":
            let args = rest.dropFirst().filter { $0.lowercased() != "json" }
            return (["export", "landscape", file] + args).map(Tokenizer.quoted).joined(separator: " ")
        case "loss" where rest.count > 1 && rest[1].lowercased() == "steps": return nil
        case "grads", "gradients": return nil
        default:
            let head = Array(rest.prefix { !$0.contains("=") && $0.lowercased() != "discrete" })
            let tail = Array(rest.dropFirst(head.count))
            return (["export"] + head + [file] + tail).map(Tokenizer.quoted).joined(separator: " ")
        }
    }
}
