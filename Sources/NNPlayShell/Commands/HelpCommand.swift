/// `help [COMMAND]`.
public enum HelpCommand: Command {
    public static let help = CommandHelp(
        name: "help", group: .session, usage: ["help [COMMAND]"],
        summary: "list the commands, or show one command's syntax, options and examples",
        examples: ["help", "help train"], positionals: [.commands])

    public static func run(_ args: Arguments, in session: Session) throws {
        try args.allowOptions([])
        try args.expectPositionals(0...1, usage: "help [COMMAND]")
        if let name = args.positional(0) {
            guard let command = CommandTable.command(named: name) else { throw CommandTable.unknown(name) }
            for line in text(for: command.help) { session.say(line) }
            return
        }
        session.say("nnplay: a neural-network playground. Commands by group (help COMMAND for details):")
        for group in CommandGroup.allCases {
            let commands = CommandTable.all.filter { $0.help.group == group }
            guard !commands.isEmpty else { continue }
            session.say("")
            session.say("\(group.rawValue):")
            for c in commands {
                session.say("  \(c.help.name.padding(toLength: 10, withPad: " ", startingAt: 0)) \(c.help.summary)")
            }
        }
        session.say("")
        session.say("Layers: 0 or in (inputs), 1…H (hidden), out. Neurons: LAYER.INDEX, e.g. 2.3.")
        session.say("Lines: ';' separates commands, '#' starts a comment. Options are key=value. A line is read")
        session.say("whole before it runs; a command that fails stops it there, and the commands before it stay done.")
    }

    /// The lines of `help NAME`.
    public static func text(for h: CommandHelp) -> [String] {
        var lines = h.usage.map { "usage: \($0)" }
        lines.append(h.summary.prefix(1).uppercased() + h.summary.dropFirst() + ".")
        if !h.aliases.isEmpty { lines.append("Also: \(h.aliases.joined(separator: ", ")).") }
        lines += h.details
        if !h.options.isEmpty {
            lines.append("options:")
            for o in h.options {
                lines.append("  \("\(o.key)=\(o.value)".padding(toLength: 14, withPad: " ", startingAt: 0)) \(o.summary) (default \(o.defaultValue))")
            }
        }
        lines.append(h.examples.count == 1 ? "example:" : "examples:")
        lines += h.examples.map { "  \($0)" }
        return lines
    }
}
