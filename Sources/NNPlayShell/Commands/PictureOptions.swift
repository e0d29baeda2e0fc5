import NNPlayEngine

/// The options `plot` and `export` share: `size=W[xH]`, `points=train|test|all|none`, and the
/// words `ascii` and `discrete`.
struct PictureOptions {
    var width: Int?
    var height: Int?
    var points: PointSelection = .all
    var ascii = false
    var discrete = false
    /// `export … bare`: the map alone, without title, axes or legend.
    var bare = false
    /// The positional words that are not `ascii` or `discrete`.
    var words: [String] = []

    static let optionHelp: [OptionHelp] = [
        OptionHelp("size", "W[xH]", default: "fits the terminal", "picture size in character columns (and rows)"),
        OptionHelp("points", "WHICH", default: "all", "data points shown: train, test, all or none",
                   completion: .words(PointSelection.allCases.map(\.rawValue))),
    ]

    init(_ args: Arguments, maxSide: Int, minSide: Int, takesBare: Bool = false) throws {
        for word in args.positionals {
            switch word.lowercased() {
            case "ascii": ascii = true
            case "discrete": discrete = true
            case "bare" where takesBare: bare = true
            default: words.append(word)
            }
        }
        if let text = args.option("size") {
            let parts = text.lowercased().split(separator: "x", omittingEmptySubsequences: false).map(String.init)
            guard parts.count <= 2, let first = parts.first else {
                throw ShellError("size=\(text) is not a size: use size=W or size=WxH, e.g. size=60 or size=60x30")
            }
            width = try Values.integer(first, "size", in: minSide...maxSide)
            if parts.count == 2 { height = try Values.integer(parts[1], "size (height)", in: Swift.max(2, minSide / 2)...maxSide) }
        }
        if let text = args.option("points") {
            points = try Values.name(text, "point selection", { PointSelection(rawValue: $0.lowercased()) },
                                     accepted: PointSelection.allCases.map(\.rawValue))
        }
    }

    /// The colour mode for this picture in this session.
    func mode(_ session: Session) -> ColorMode { ascii ? .plain : session.options.colorMode }
}
