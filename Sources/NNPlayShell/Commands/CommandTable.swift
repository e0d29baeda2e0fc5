/// Every command, in the order `help` lists them within their groups. The REPL, scripts, `help`
/// and Tab completion all read this one table, so they cannot drift apart.
public enum CommandTable {
    public static let all: [any Command.Type] = [
        DataCommand.self,
        NetCommand.self, AddCommand.self, RemoveCommand.self, ResizeCommand.self, ActCommand.self,
        FeaturesCommand.self, RegCommand.self, DropoutCommand.self, InitCommand.self, ResetCommand.self,
        SetCommand.self, TrainCommand.self, StepCommand.self, StatsCommand.self, ConfusionCommand.self,
        ExpectCommand.self,
        EvalCommand.self, BackpropCommand.self, SweepCommand.self, WeightsCommand.self, GradcheckCommand.self,
        PlotCommand.self, ExportCommand.self,
        SaveCommand.self, LoadCommand.self, NewCommand.self, SourceCommand.self, HistoryCommand.self,
        LessonCommand.self, NextCommand.self, BackCommand.self,
        HelpCommand.self, QuitCommand.self,
    ]

    /// Names and aliases, for suggestions and completion.
    public static var allNames: [String] { all.flatMap { [$0.help.name] + $0.help.aliases } }

    /// The command with this name or alias (case-insensitive).
    public static func command(named name: String) -> (any Command.Type)? {
        let n = name.lowercased()
        return all.first { $0.help.name == n || $0.help.aliases.contains(n) }
    }

    /// The error for a name that is no command, with the closest one when it looks like a typo.
    static func unknown(_ name: String) -> ShellError {
        ShellError("unknown command '\(ShellError.excerpt(name))'\(Suggestions.hint(for: name, in: allNames)) (`help` lists the commands)")
    }
}
