import NNPlayEngine

/// What a line source gives the read loop.
public enum PromptInput: Equatable, Sendable {
    case line(String)
    /// Ctrl-C at the prompt.
    case interrupted
    /// Ctrl-D on an empty line, or the terminal went away.
    case end
}

/// Where the interactive loop reads lines: libedit at a terminal (the executable's LineEditor),
/// or a list of lines in tests (so a lesson can be walked without a pseudo-terminal).
public protocol PromptLines: AnyObject {
    func readLine(prompt: String) -> PromptInput
    /// Adds a line to the history.
    func remember(_ line: String)
}

/// The interactive prompt: reads a line, runs it, prints its error and goes on; Ctrl-C ends the
/// line (or stops a training) and the prompt starts afresh. The prompt says which lesson step the
/// learner is at.
public enum ReadLoop {
    /// Runs until `quit`, the end of input, or a termination signal (`terminated` gives its exit status).
    public static func run(_ session: Session, lines: PromptLines, banner: String, terminated: () -> Int32? = { nil }) -> Int32 {
        session.options.interactive = true
        let p = session.playground
        session.say("\(banner): a neural-network playground. help lists the commands, Tab completes, Ctrl-D leaves.")
        session.say("playground: \(p.dataset.origin), \(p.network.architecture)")
        session.say("new here? `lesson` lists guided lessons on how neural networks learn")
        while !session.quitRequested {
            switch lines.readLine(prompt: session.prompt) {
            case .end:
                if let status = terminated() { return status }
                session.say()
                return 0
            case .interrupted:
                if let status = terminated() { return status }
                session.output.write("\n")   // ^C ends the line; the prompt starts afresh
                session.acknowledgeInterrupt()
                continue
            case .line(let line):
                lines.remember(line)
                session.recordLine(line)
                do {
                    try session.runLine(line)
                } catch let e as LocatedError {
                    printError("\(e)", session)
                } catch let e as NNPlayError {
                    printError("error: \(e.message)", session)
                } catch {
                    printError("error: \(error)", session)
                }
                if let status = terminated() { return status }
                session.acknowledgeInterrupt()
            }
        }
        return 0
    }

    static func printError(_ text: String, _ session: Session) {
        let colored = session.options.color ? text.replacingOccurrences(of: "error:", with: "\u{1B}[31merror:\u{1B}[0m") : text
        session.output.writeError(colored + "\n")
    }
}
