import NNPlayEngine

/// `load model|data PATH`.
public enum LoadCommand: Command {
    public static let help = CommandHelp(
        name: "load", group: .session,
        usage: ["load model PATH", "load data PATH [test=0.5] [seed=S]"],
        summary: "load a model (JSON, from save model) or data (CSV, as data load)",
        details: ["A model replaces the network, its weights and its settings; its class count must match the",
                  "data's (load the data first). Training then starts afresh from its weights (epoch 0, a new",
                  "shuffle, empty optimizer memory: see help save). A bad or foreign file is an error and nothing changes."],
        options: [OptionHelp("test", "F", default: "0.5", "with data: fraction held out for testing"),
                  OptionHelp("seed", "S", default: "the seed setting", "with data: seed of the split"),
                  OptionHelp("checksum", "HEX", default: "none", "refuse the file unless its bytes have this checksum (saved sessions write it)")],
        examples: ["load model /tmp/circle.json", "load data Datasets/iris-petals.csv"],
        positionals: [.words(["model", "data"]), .path])

    public static func changesState(_ args: Arguments) -> Bool { true }

    public static func optionKeys(after previous: [String]) -> [String] {
        previous.first?.lowercased() == "data" ? ["test", "seed"] : []
    }

    /// The file's checksum; with `checksum=` (as saved sessions write it), an error when the file
    /// is no longer the one the session loaded.
    static func verify(_ bytes: [UInt8], of path: String, _ args: Arguments) throws -> String {
        let checksum = Checksum.of(bytes)
        if let expected = args.option("checksum"), expected.lowercased() != checksum {
            throw ShellError("\(path) has changed since the session that loads it was saved (checksum \(checksum), "
                             + "the session expects \(ShellError.excerpt(expected))): replaying it would not give the same state; "
                             + "put the file back, or run the command without checksum= to load the file as it is now")
        }
        return checksum
    }

    public static func run(_ args: Arguments, in session: Session) throws {
        try args.expectPositionals(2...2, usage: "load model|data PATH")
        let what = args.positionals[0].lowercased(), path = Values.path(args.positionals[1])
        switch what {
        case "model":
            try args.allowOptions(["checksum"], for: "load model")
            let bytes = try FileAccess.read(path, limit: ModelFile.maxBytes, shouldStop: { session.interrupt.isRaised })
            let checksum = try verify(bytes, of: path, args)
            guard let text = String(validating: bytes, as: UTF8.self) else {
                throw ShellError("\(path): not an nnplay model (the file is not UTF-8 text)")
            }
            let model: ModelFile
            do { model = try ModelFile.decode(text) } catch let e as NNPlayError { throw ShellError("\(path): \(e.message)") }
            var notes: [String] = []
            try session.update { notes = try $0.install(model: model.network, settings: model.settings, classNames: model.classNames) }
            session.record("load model \(Tokenizer.quoted(absolutePath(path))) checksum=\(checksum)")
            session.say("loaded the model \(model.network.architecture) (\(model.network.parameterCount) parameters) from \(path)")
            for note in notes { session.say(note) }
            OverflowWarning.check(session, train: session.playground.trainMetrics, test: session.playground.testMetrics)
        case "data":
            try args.allowOptions(["test", "seed", "checksum"], for: "load data")
            try DataCommand.load(path: path, args, session)
        default:
            throw ShellError("cannot load '\(args.positionals[0])'\(Suggestions.hint(for: what, in: ["model", "data"])): usage: load model|data PATH")
        }
    }
}
