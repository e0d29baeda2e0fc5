import NNPlayEngine

/// `step`: one mini-batch update.
public enum StepCommand: Command {
    public static let help = CommandHelp(
        name: "step", group: .training, usage: ["step"],
        summary: "one mini-batch update (train 1 steps)",
        details: ["Takes the next batch of the current epoch's shuffled order and updates every weight once."],
        examples: ["step"])

    public static func changesState(_ args: Arguments) -> Bool { true }

    public static func run(_ args: Arguments, in session: Session) throws {
        try args.allowOptions([])
        try args.expectPositionals(0...0, usage: "step")
        try TrainCommand.train(.steps(1), in: session)
    }
}
