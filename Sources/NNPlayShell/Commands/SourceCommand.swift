import NNPlayEngine

/// `source PATH`: run a script's commands here.
public enum SourceCommand: Command {
    /// Largest script read.
    public static let maxBytes = 16 * 1024 * 1024

    public static let help = CommandHelp(
        name: "source", group: .session, usage: ["source PATH"],
        summary: "run the commands of a script file in this session",
        details: ["An error stops the script and names FILE:LINE; the whole source then changes nothing.",
                  "Scripts may source others, \(Session.maxSourceDepth) deep at most, but not themselves."],
        examples: ["source lesson1.nn"], positionals: [.path])

    public static func run(_ args: Arguments, in session: Session) throws {
        try args.allowOptions([])
        try args.expectPositionals(1...1, usage: "source PATH")
        let path = Values.path(args.positionals[0])
        let key = absolutePath(path)
        guard !session.scriptStack.map(absolutePath).contains(key) else {
            throw ShellError("\(path) sources itself (through \(session.scriptStack.joined(separator: " → "))): a script cannot run itself")
        }
        let bytes = try FileAccess.read(path, limit: maxBytes, shouldStop: { session.interrupt.isRaised })
        try session.runScript(try ScriptText.decode(bytes, name: path), name: path)
    }
}
