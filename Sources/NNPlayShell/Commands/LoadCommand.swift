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
                  OptionHelp("seed", "S", default: "the seed setting", "with data: seed of the split")],
        examples: ["load model /tmp/circle.json", "load data Datasets/iris-petals.csv"],
        positionals: [.words(["model", "data"]), .path])

    public static func changesState(_ args: Arguments) -> Bool { true }

    public static func optionKeys(after previous: [String]) -> [String] {
        previous.first?.lowercased() == "data" ? ["test", "seed"] : []
    }

    public static func run(_ args: Arguments, in session: Session) throws {
        try args.expectPositionals(2...2, usage: "load model|data PATH")
        let what = args.positionals[0].lowercased(), path = args.positionals[1]
        switch what {
        case "model":
            try args.allowOptions([], for: "load model")
            let bytes = try FileAccess.read(path, limit: ModelFile.maxBytes)
            guard let text = String(validating: bytes, as: UTF8.self) else {
                throw ShellError("\(path): not an nnplay model (the file is not UTF-8 text)")
            }
            let model: ModelFile
            do { model = try ModelFile.decode(text) } catch let e as NNPlayError { throw ShellError("\(path): \(e.message)") }
            var notes: [String] = []
            try session.update { notes = try $0.install(model: model.network, settings: model.settings) }
            session.record("load model \(Tokenizer.quoted(absolutePath(path)))")
            session.say("loaded the model \(model.network.architecture) (\(model.network.parameterCount) parameters) from \(path)")
            for note in notes { session.say(note) }
            OverflowWarning.check(session, train: session.playground.trainMetrics, test: session.playground.testMetrics)
        case "data":
            try args.allowOptions(["test", "seed"], for: "load data")
            try DataCommand.load(path: path, args, session)
        default:
            throw ShellError("cannot load '\(args.positionals[0])'\(Suggestions.hint(for: what, in: ["model", "data"])): usage: load model|data PATH")
        }
    }
}
