/// `quit` / `exit`.
public enum QuitCommand: Command {
    public static let help = CommandHelp(
        name: "quit", aliases: ["exit"], group: .session, usage: ["quit", "exit"],
        summary: "leave nnplay (Ctrl-D at an empty prompt does the same)",
        examples: ["quit"])

    public static func run(_ args: Arguments, in session: Session) throws {
        try args.allowOptions([])
        try args.expectPositionals(0...0, usage: "quit")
        session.quitRequested = true
    }
}
