/// `history`: the lines entered in this session.
public enum HistoryCommand: Command {
    public static let help = CommandHelp(
        name: "history", group: .session, usage: ["history"],
        summary: "list the lines entered in this session",
        details: ["Up and Down at the prompt walk through the lines of this and earlier sessions",
                  "(kept in ~/.nnplay_history, or the file named by NNPLAY_HISTORY)."],
        examples: ["history"])

    public static func run(_ args: Arguments, in session: Session) throws {
        try args.allowOptions([])
        try args.expectPositionals(0...0, usage: "history")
        let width = String(session.lineHistory.count).count
        for (i, line) in session.lineHistory.enumerated() {
            let n = String(i + 1)
            session.say(String(repeating: " ", count: width - n.count) + n + "  " + line)
        }
    }
}
