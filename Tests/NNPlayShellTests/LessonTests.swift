import Foundation
@testable import NNPlayEngine
import Testing
@testable import NNPlayShell

/// Lessons: every built-in lesson runs green without a prompt; its checks fail when its claim is
/// made false; the prompt walks one with next, back and lesson end (through ReadLoop, no terminal);
/// the file format's mistakes name file:line.
@Suite struct LessonTests {
    static let textsDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Sources/NNPlayShell/Lessons/Texts")

    @Test func everyLessonFileIsBuiltInInOrder() throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: Self.textsDirectory.path).filter { $0.hasSuffix(".nn") }.sorted()
        #expect(names == BuiltInLessons.files.map(\.name))
        for (name, bytes) in BuiltInLessons.files {
            #expect(try Data(contentsOf: Self.textsDirectory.appendingPathComponent(name)) == Data(bytes), "\(name) is not the file compiled in")
        }
        #expect(names.count >= 10)
    }

    @Test(arguments: 1...BuiltInLessons.count) func lessonRunsGreenWithoutAPrompt(n: Int) throws {
        let dir = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let (s, out) = makeSession()
        let lesson = try BuiltInLessons.lesson(n)
        try LessonCommand.runWithoutPrompt(String(n), language: nil, pictures: dir, in: s)
        let checks = lesson.steps.map(\.checks.count).reduce(0, +)
        #expect(checks >= lesson.steps.count - 1, "lesson \(n) checks too little: \(checks) checks in \(lesson.steps.count) steps")
        #expect(out.standard.components(separatedBy: "\nok: ").count - 1 == checks, "every check ran and held")
        #expect(out.standard.hasSuffix("lesson \(n): every check holds; its pictures are in \(dir)/\n"))
        // every step has its text in both languages, and every plot that has a picture file wrote one
        for step in lesson.steps {
            #expect(!step.text.en.isEmpty && !step.text.zh.isEmpty && !step.title.zh.isEmpty, "lesson \(n): \(step.title.en)")
            #expect(step.questions.en.count == step.questions.zh.count && step.answers.en.isEmpty == step.answers.zh.isEmpty)
        }
        let plots = lesson.steps.flatMap(\.commands).filter { LessonPictures.export($0.text, to: "f.png") != nil }.count
        let files = (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []
        #expect(files.count == plots && files.allSatisfy { $0.hasSuffix(".png") }, "lesson \(n): \(files)")
        #expect(!lesson.title.zh.isEmpty && !lesson.summary.en.isEmpty)
    }

    /// A lesson with one line changed, run without a prompt: the error it stops with.
    static func failure(_ n: Int, replacing old: String, with new: String) throws -> LocatedError? {
        let text = String(decoding: BuiltInLessons.files[n - 1].bytes, as: UTF8.self)
        guard text.contains(old) else { throw NNPlayError("lesson \(n) has no '\(old)'") }
        let dir = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = "\(dir)/changed.nn"
        try text.replacingOccurrences(of: old, with: new).write(toFile: path, atomically: true, encoding: .utf8)
        let (s, _) = makeSession()
        do {
            try LessonCommand.runWithoutPrompt(path, language: nil, pictures: "\(dir)/pictures", in: s)
            return nil
        } catch let e as LocatedError {
            return e
        }
    }

    /// Each claim, made false, fails its check (and the error names the lesson file's line).
    @Test(arguments: [
        (2, "set bias out.1 -2", "set bias out.1 -1", "neuron out.1 at (2, -4)"),
        (3, "features x2 y2\ntrain 100", "train 100", "test-accuracy"),
        (4, "act all relu", "act all sigmoid", "train-loss"),
        (5, "set lr 50", "set lr 0.1", "train-loss"),
        (6, "set batch 1\n", "set batch 25\n", "steps"),
        (8, "set seed 7\nreset", "set seed 1\nreset", "neuron 1.2 at (3, 3)"),
        (9, "reg l2 0.003", "reg l2 0", "test-loss"),
        (10, "data add 5.5 5.5 2\ndata add 5.2 5.5 2\ndata add 5.5 5.2 2\ndata add 5.8 5.5 2\ndata add 5.5 5.8 2\ndata add 5.2 5.2 2\n", "",
         "neuron out.3 at (5.5, 5.5)"),
        (10, "data plane\nfeatures x y\ntrain 100", "data plane\nfeatures x y\ntrain 2", "test-r2"),
    ]) func aFalseClaimFailsItsCheck(n: Int, old: String, new: String, failing: String) throws {
        let e = try #require(try Self.failure(n, replacing: old, with: new), "lesson \(n) stayed green with \(new.debugDescription)")
        #expect(e.file.hasSuffix("changed.nn") && e.message.contains("expect failed: \(failing)"), "\(e)")
        let line = String(decoding: BuiltInLessons.files[n - 1].bytes, as: UTF8.self).replacingOccurrences(of: old, with: new)
            .split(separator: "\n", omittingEmptySubsequences: false)[e.line - 1]
        #expect(line.hasPrefix("expect "), "the error names the check's line: \(line)")
    }

    /// Lines typed at the prompt, for ReadLoop.
    final class TypedLines: PromptLines {
        var lines: [String]
        var prompts: [String] = []
        init(_ lines: [String]) { self.lines = lines }
        func readLine(prompt: String) -> PromptInput {
            prompts.append(prompt)
            return lines.isEmpty ? .end : .line(lines.removeFirst())
        }
        func remember(_ line: String) {}
    }

    @Test func thePromptWalksALessonWithNextBackAndEnd() throws {
        let (s, out) = makeSession()
        try s.run("data xor n=90; train 3")
        let mine = s.playground
        let typed = TypedLines(["lesson 1", "eval 1 2", "next", "next", "back", "next", "next", "next", "lesson end", "stats"])
        #expect(ReadLoop.run(s, lines: typed, banner: "nnplay test") == 0)
        #expect(typed.prompts == ["nnplay> ", "lesson 1 · 1/3 nnplay> ", "lesson 1 · 1/3 nnplay> ", "lesson 1 · 2/3 nnplay> ",
                                  "lesson 1 · 3/3 nnplay> ", "lesson 1 · 2/3 nnplay> ", "lesson 1 · 3/3 nnplay> ",
                                  "lesson 1 · 3/3 nnplay> ", "lesson 1 · 3/3 nnplay> ", "nnplay> ", "nnplay> "])
        let text = out.standard
        // the learner typed eval 1 2: next runs the step's checks without running it again
        #expect(!text.contains("lesson 1 · 1/3 nnplay> eval 1 2"))
        #expect(text.contains("lesson 1 · 2/3 nnplay> eval 100 100"), "next echoes the commands it runs")
        #expect(text.contains("ok: test-accuracy") && text.contains("answer: Near 1 at the centre"))
        #expect(text.contains("lesson 1 is done."))
        #expect(out.errors.contains("error: lesson 1 has no more steps"), "\(out.errors)")
        #expect(text.contains("lesson 1 ended: your playground is back (xor n=90"))
        let restored = s.playground == mine
        #expect(restored, "lesson end gives back the learner's playground")
        #expect(s.lessonRun == nil)
    }

    @Test func backReturnsToTheStepsStartingPlayground() throws {
        let (s, _) = makeSession()
        try s.run("lesson 2")
        let start = s.playground
        try s.run("next; next")
        let moved = s.playground != start
        #expect(moved)
        try s.run("back; back")
        let back = s.playground == start
        #expect(back && s.lessonRun?.step == 0)
        #expect(throws: ShellError.self) { try s.run("back") }
    }

    @Test func aFailedCheckAtThePromptKeepsTheStep() throws {
        let (s, _) = makeSession()
        s.options.interactive = true
        try s.run("lesson 2; next")
        // the learner changes a weight the step does not set, before its checks run
        try s.run("set weight out.1 1 2")
        s.recordLine("set weight out.1 1 2")
        do {
            try s.run("next")
            Issue.record("next passed a false claim")
        } catch let e as NNPlayError {
            #expect(e.message.contains("expect failed") && e.message.contains("`back` then `next`"), "\(e)")
        }
        #expect(s.lessonRun?.step == 1)
        try s.run("back; next; next")
        #expect(s.lessonRun?.step == 2)
    }

    @Test func chineseTextsWithLangZh() throws {
        let (s, out) = makeSession()
        try s.run("lesson 3 lang=zh")
        #expect(out.standard.contains("更好的输入：x² 和 y²") && out.standard.contains("试一试（next 会运行它们）："))
        #expect(out.standard.contains("问题："))
        try s.run("next")
        #expect(out.standard.contains("答案："))
        #expect(try s.run("lesson").contains("now: lesson 3, step 2/"))
    }

    @Test func mistakesGetOneClearLine() throws {
        let (s, _) = makeSession()
        let cases: [(String, String)] = [
            ("lesson 11", "there is no lesson 11: the lessons are 1…10"),
            ("lesson 0", "there is no lesson 0"),
            ("lesson 1 lang=fr", "'fr'"),
            ("next", "no lesson is running"),
            ("back", "no lesson is running"),
            ("lesson end", "no lesson is running"),
            ("lesson /nonexistent/x.nn", "/nonexistent/x.nn"),
            ("lesson lang=zh", "lang= goes with a lesson"),
            ("next 2", "unexpected '2'"),
        ]
        for (line, message) in cases {
            do {
                try s.run(line)
                Issue.record("\(line) did not fail")
            } catch let e as NNPlayError {
                #expect(e.message.contains(message) && !e.message.contains("\n"), "\(line): \(e.message)")
            }
        }
        #expect(s.lessonRun == nil)
    }

    @Test func theFormatsMistakesNameFileAndLine() {
        let cases: [(String, Int, String)] = [
            ("#: title T\n#: step S\n#: colour red\n", 3, "unknown lesson key '#: colour'"),
            ("#: step S\n# text\n", 1, "a lesson needs a title"),
            ("#: title T\n# no step\n", 1, "needs at least one step"),
            ("#: title T\n#: step.zh 步\n", 2, "#: step.zh comes after its #: step"),
        ]
        for (text, line, message) in cases {
            do {
                _ = try Lesson(parsing: text, name: "mine.nn")
                Issue.record("\(text.debugDescription) parsed")
            } catch let e as LocatedError {
                #expect(e.file == "mine.nn" && e.line == line && e.message.contains(message), "\(e)")
            } catch {
                Issue.record("\(error)")
            }
        }
    }

    @Test func aLessonFileIsParsedIntoStepsTextsCommandsAndChecks() throws {
        let lesson = try Lesson(parsing: """
            ## a note for the author
            #: title Mine
            #: title.zh 我的
            data xor
            #: step First
            #   indented text
            #zh 中文
            train 5
            #? Why?
            expect epoch == 5
            #= Because.
            """, name: "mine.nn")
        #expect(lesson.setup.map(\.text) == ["data xor"] && lesson.setup.first?.number == 4)
        #expect(lesson.steps.count == 1)
        let step = try #require(lesson.steps.first)
        #expect(step.text.en == ["  indented text"] && step.text.zh == ["中文"])
        #expect(step.commands.map(\.text) == ["train 5"] && step.checks.map(\.text) == ["expect epoch == 5"] && step.checks.first?.number == 10)
        #expect(step.questions.en == ["Why?"] && step.answers.en == ["Because."] && step.answers.lines(.zh) == ["Because."])
    }

    @Test func aPlotBecomesTheSameExport() {
        #expect(LessonPictures.export("plot", to: "f.png") == "export out f.png")
        #expect(LessonPictures.export("plot size=30 points=test", to: "f.png") == "export out f.png points=test")
        #expect(LessonPictures.export("plot discrete", to: "f.png") == "export out f.png discrete")
        #expect(LessonPictures.export("plot neuron out.1 ascii", to: "f.png") == "export neuron out.1 f.png")
        #expect(LessonPictures.export("plot space 2 1 2", to: "f.png") == "export space 2 1 2 f.png")
        #expect(LessonPictures.export("plot landscape out.1:1,out.1:2 span=3", to: "f.png") == "export landscape f.png out.1:1,out.1:2 span=3")
        #expect(LessonPictures.export("plot loss steps", to: "f.png") == nil && LessonPictures.export("plot grads", to: "f.png") == nil)
        #expect(LessonPictures.export("train 5", to: "f.png") == nil)
    }

    @Test func expectNeuronAtAPoint() throws {
        let (s, _) = makeSession()
        let eval = try s.run("eval 1 2")
        #expect(eval.contains("sigmoid(z) = "))
        #expect(try s.run("expect neuron out.1 at 1,2 > 0").hasPrefix("ok: neuron out.1 at (1, 2) "))
        let input = try s.run("expect neuron in.2 at 1,2 == 2")
        #expect(input.hasPrefix("ok: neuron ") && input.hasSuffix(" at (1, 2) 2 == 2\n"), "\(input)")
        #expect(throws: ShellError.self) { try s.run("expect neuron out.1 at 1,2 > 1") }
        for bad in ["expect neuron out.1 1,2 > 0", "expect neuron out.1 at 1 > 0", "expect neuron out.9 at 1,2 > 0", "expect neuron out.1 at 1,2 ~ 0"] {
            #expect(throws: ShellError.self, "\(bad)") { try s.run(bad) }
        }
    }
}
