import NNPlayEngine

/// `features LIST`: the input features.
public enum FeaturesCommand: Command {
    public static let help = CommandHelp(
        name: "features", group: .network, usage: ["features LIST"],
        summary: "choose the input features",
        details: ["LIST is one or more of: \(Feature.namesList), separated by spaces or commas",
                  "(x2 = x², y2 = y², xy = x·y, sinx = sin(x), siny = sin(y), cosx = cos(x), cosy = cos(y)).",
                  "The weights are drawn anew and training starts again."],
        examples: ["features x y", "features x y x2 y2 xy sinx siny", "features x y cosx cosy"])

    public static func completion(forPositional index: Int, after previous: [String]) -> CompletionKind { .features }

    public static func changesState(_ args: Arguments) -> Bool { true }

    public static func run(_ args: Arguments, in session: Session) throws {
        try args.allowOptions([])
        let names = args.positionals.flatMap { $0.split(separator: ",").map(String.init) }
        guard !names.isEmpty else { throw ShellError("missing argument: usage: features LIST (from: \(Feature.namesList))") }
        var features: [Feature] = []
        for name in names {
            let f = try Values.name(name, "feature", as: Feature.self)
            guard !features.contains(f) else { throw ShellError("feature \(f.rawValue) is listed twice") }
            features.append(f)
        }
        try NetworkEditing.apply(session, features: features)
    }
}
