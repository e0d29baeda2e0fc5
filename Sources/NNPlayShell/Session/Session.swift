import Foundation
import NNPlayEngine

/// A session: the playground a person builds, and the one place where every command runs — typed
/// at the prompt, read from a script or a pipe, or given with `-c`. A command either succeeds or
/// throws and leaves the state exactly as it was (see `runLine` for a line of several).
///
/// ```swift
/// let session = Session(output: CapturedOutput())
/// try session.runLine("data spiral classes=3; train 10; stats")
/// ```
public final class Session {
    /// The data, network, settings and training progress.
    public internal(set) var playground: Playground
    /// The state-changing commands since the last `new`, which rebuild the state when replayed.
    public internal(set) var replayLog: [String]
    /// Every line entered in this session (for `history`).
    public internal(set) var lineHistory: [String] = []
    /// Where results go (a lesson's setup writes to a captured output for a moment).
    public internal(set) var output: Output
    public var options: SessionOptions
    /// Raised by Ctrl-C; long commands poll it.
    public let interrupt: InterruptFlag
    /// Set when a command stopped early because of Ctrl-C (scripts end there).
    public internal(set) var wasInterrupted = false
    /// Set by `quit`.
    public internal(set) var quitRequested = false
    /// Scripts being run, innermost last (to refuse a script that sources itself).
    var scriptStack: [String] = []
    /// What to record for the running command instead of its words (e.g. an interrupted `train`).
    var recordOverride: String?
    /// What `--graphics auto` found when it asked the terminal (asked once, at the first picture).
    var detectedInlineImages: InlineImageProtocol??
    /// The lesson being followed at the prompt (`lesson N`, `next`, `back`, `lesson end`).
    var lessonRun: LessonRun?

    /// Deepest nesting of `source`.
    public static let maxSourceDepth = 16
    /// Longest line read from a script or a pipe (1 MB).
    public static let maxLineLength = 1 << 20

    public init(output: Output, options: SessionOptions = SessionOptions(), interrupt: InterruptFlag = InterruptFlag()) {
        self.output = output
        self.options = options
        self.interrupt = interrupt
        self.playground = Playground.makeDefault(seed: options.seed)
        self.replayLog = ["new seed=\(options.seed)"]
    }

    // MARK: Running commands

    /// Runs every command on a line. The whole line is read first: an unknown name or a malformed
    /// argument anywhere on it is an error before any command runs. Then the commands run in turn; a
    /// command that fails changes nothing itself and stops the line there, while what the commands
    /// before it did (a training, a saved file) is kept, and the error says which those were.
    public func runLine(_ line: String) throws {
        let parsed = try Tokenizer.commands(in: line).map { try parse($0.words) }
        var ran: [[String]] = []
        do {
            for (command, args, words) in parsed {
                recordOverride = nil
                try command.run(args, in: self)
                if command.changesState(args) {
                    replayLog.append(recordOverride ?? ([command.help.name] + words.dropFirst()).map(Tokenizer.quoted).joined(separator: " "))
                }
                ran.append(words)
                // Ctrl-C (or SIGTERM) during a command also cancels the rest of the line
                if quitRequested || wasInterrupted || interrupt.isRaised { return }
            }
        } catch {
            guard !ran.isEmpty, let e = error as? NNPlayError else { throw error }
            let list = ran.map { NNPlayError.excerpt($0.map(Tokenizer.quoted).joined(separator: " "), max: 100) }.joined(separator: "; ")
            throw NNPlayError(e.message + (ran.count == 1 ? " (the command before it ran and is kept: \(list))"
                                                          : " (the \(ran.count) commands before it ran and are kept: \(list))"))
        }
    }

    /// The command a line's words name, with its arguments parsed (names, options, quoting).
    private func parse(_ words: [String]) throws -> (command: any Command.Type, args: Arguments, words: [String]) {
        guard let name = words.first, let command = CommandTable.command(named: name) else {
            throw CommandTable.unknown(words.first ?? "")
        }
        return (command, try Arguments(command: command.help.name, words: Array(words.dropFirst())), words)
    }

    /// Runs a script's text line by line. The first error is thrown as a `LocatedError` naming the
    /// script and line; an error inside a sourced script keeps the inner location.
    public func runScript(_ text: String, name: String) throws {
        guard scriptStack.count < Session.maxSourceDepth else {
            throw ShellError("scripts nested more than \(Session.maxSourceDepth) deep (does a script source itself?)")
        }
        scriptStack.append(name)
        defer { scriptStack.removeLast() }
        var lineNumber = 0
        for line in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }) {
            lineNumber += 1
            try runScriptLine(line, number: lineNumber, name: name)
            if quitRequested || wasInterrupted || interrupt.isRaised { return }
        }
    }

    /// Runs line `number` of the script `name` (a file, or `<stdin>` read line by line; nil for a
    /// line that was too long to keep). An error comes back as a `LocatedError` naming the line.
    public func runScriptLine(_ line: Substring?, number: Int, name: String) throws {
        do {
            guard var line, line.utf8.count <= Session.maxLineLength else {
                throw ShellError("the line is longer than \(Session.maxLineLength / 1024) kB: not a command")
            }
            // editors on some systems start UTF-8 files with a byte order mark: it is not part of the text
            if number == 1 && line.hasPrefix("\u{FEFF}") { line = line.dropFirst() }
            try runLine(String(line))
        } catch let located as LocatedError {
            throw located
        } catch let e as NNPlayError {
            throw LocatedError(file: name, line: number, message: e.message)
        }
    }

    /// Adds a line to the session's `history`.
    public func recordLine(_ line: String) {
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        if !trimmed.isEmpty { lineHistory.append(trimmed) }
        lessonRun?.typed(trimmed)
    }

    /// The prompt: `nnplay> `, or in a lesson where the learner is (`lesson 2 · 3/5 nnplay> `).
    public var prompt: String {
        guard let run = lessonRun else { return "nnplay> " }
        return "\(run.label) · \(Swift.min(run.step + 1, run.lesson.steps.count))/\(run.lesson.steps.count) nnplay> "
    }

    /// Clears the Ctrl-C state before the next prompt.
    public func acknowledgeInterrupt() {
        wasInterrupted = false
        interrupt.clear()
    }

    // MARK: Writing

    /// A line of results on standard output.
    public func say(_ text: String = "") { output.line(text) }

    /// A warning on standard error.
    public func warn(_ text: String) { output.writeError("warning: \(text)\n") }

    // MARK: State helpers for commands

    /// Replaces the playground (commands build a new one, then put it in place).
    func update(_ body: (inout Playground) throws -> Void) rethrows {
        var p = playground
        try body(&p)
        playground = p
    }

    /// Records `text` for `save session` instead of the command's words.
    func record(_ text: String) { recordOverride = text }

    /// Starts a new replay log (after `new`).
    func restartLog() { replayLog = [] }
}

/// Settings of a session that are not part of the playground.
public struct SessionOptions: Sendable {
    /// The seed the session starts with (`--seed`).
    public var seed: UInt64 = 1
    /// No progress output (`-q`).
    public var quiet = false
    /// Colour in the terminal (off with `--no-color`, `NO_COLOR`, or when stdout is not a terminal).
    public var color = false
    /// At the interactive prompt (Ctrl-C returns to it; errors carry no file:line).
    public var interactive = false
    /// How character pictures use colour: plain for `--graphics ascii`, the terminal's colours for
    /// `blocks`, and for `auto` what the start found (plain when colour is off or output is not a terminal).
    public var colorMode: ColorMode {
        get {
            switch graphics {
            case .ascii: return .plain
            case .auto: return autoColorMode
            default: return terminalColors
            }
        }
        set { autoColorMode = newValue }
    }
    /// The character colours `auto` uses (what setting `colorMode` sets).
    public var autoColorMode: ColorMode = .plain
    /// The colours the terminal has (24-bit or 256), for `blocks` even when colour was off at the start.
    public var terminalColors: ColorMode = .palette256
    /// `--graphics` / `set graphics`.
    public var graphics: GraphicsMode = .auto
    /// Asks the terminal which inline-image protocol it has (for `auto`; asked once, at the first
    /// picture). Nil: none is asked (not a terminal, colour off, tests).
    public var detectInlineImages: (@Sendable () -> InlineImageProtocol?)?
    /// The terminal understands cursor movement (not so with `TERM=dumb` or no TERM): progress lines
    /// and `train N live` redraw in place only then.
    public var cursorControl = true

    public init(seed: UInt64 = 1, quiet: Bool = false, color: Bool = false, interactive: Bool = false) {
        self.seed = seed
        self.quiet = quiet
        self.color = color
        self.interactive = interactive
    }
}

/// An error in a script, with where it happened: prints as `FILE:LINE: error: message`.
public struct LocatedError: Error, Equatable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var message: String

    public var description: String { "\(file):\(line): error: \(message)" }
}
