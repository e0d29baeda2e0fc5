import NNPlayEngine

/// `plot`: pictures in the terminal.
public enum PlotCommand: Command {
    static let kinds = ["out", "layer", "neuron", "net", "loss", "grads", "space", "landscape"]

    public static let help = CommandHelp(
        name: "plot", group: .pictures,
        usage: ["plot [out] [size=W[xH]] [points=all] [ascii] [discrete]",
                "plot layer K [size=W] [ascii]",
                "plot neuron K.J [size=W[xH]] [ascii]",
                "plot net [size=W] [ascii]",
                "plot loss [steps] [size=W[xH]] [ascii]",
                "plot grads [size=W[xH]] [ascii]",
                "plot space K [I J] [size=W[xH]] [points=all] [ascii]",
                LandscapePlot.plotUsage],
        summary: "draw the output's class regions with the data, a layer, a neuron, the network, the loss, a layer's space, the loss landscape",
        details: ["Maps cover the data's frame ([-6, 6]² for built-in data). Colours follow Playground: orange for",
                  "negative values and class 0, blue for positive values and class 1, grey in between; more classes",
                  "get more hues, paler where the network is unsure (discrete: hard regions). Data points: ● training,",
                  "○ test. ascii (also --no-color, NO_COLOR, or output that is not a terminal) draws plain characters:",
                  "= - . + # for a neuron's low…high values; - + : ~ … for class regions, # at boundaries,",
                  "o x v … for training points and O X V … for test points. A point's cell is lightened behind it",
                  "(a halo) so that it stands out on every region; in 256 colours every colour keeps its hue.",
                  "net: each neuron's map in its layer's column, the weights as lines between the columns (blue",
                  "positive, orange negative, brighter larger; ascii: solid positive, dotted negative; under 10% of",
                  "the largest |w| left out); tiles shrink and columns wrap so that it fits the window.",
                  "layer K: 0 (inputs), 1…H, out. space K [I J]: the input plane's grid and the data pushed",
                  "through layer K, drawn in the plane of its neurons I and J (default 1 and 2) — ConvNetJS's view",
                  "of how a layer makes the classes separable. size is in character columns; maps are square.",
                  "loss: the train and test loss per epoch; loss steps: the mini-batch loss of every step (batch 1",
                  "is noisy, full batch smooth; thinned evenly on long runs). grads: each layer's weight-gradient",
                  "norm per epoch on a log scale (the mean gradient of the epoch's steps): in a deep sigmoid net",
                  "the layers near the input get gradients many times smaller (the vanishing gradient).",
                  "landscape: the mean training loss (no regularization: stats' train-loss) over a plane of weight",
                  "space through the current weights, the centre cell: along two named weights, L.J:I = the weight",
                  "from input I into neuron L.J (L.J:b its bias; span in the weights' units, default 2), or along",
                  "two random directions (the default; seeded by the seed setting), each neuron's weight row scaled",
                  "to that neuron's weights (Li et al. 2018; default span 1). size=W[xH] counts cells, both odd",
                  "(json: 33x33 by default); the edges lie at ±span. Dark blue is low loss, yellow high (log scale),",
                  "light lines are contours; the optimiser's path since the last init: S its start, X now.",
                  "json prints {\"axes\", \"span\", \"size\", \"loss\" (rows from v=-span), \"path\"} on one line.",
                  "In a terminal that shows pictures (set graphics kitty, iterm or sixel, or auto finding one), out,",
                  "neuron, layer, net, space, loss and landscape are the pictures export writes, sized to the window."],
        options: PictureOptions.optionHelp + [OptionHelp("span", "S", default: "2 (random: 1)", "landscape: half the width of the plane")],
        examples: ["plot", "plot ascii size=40", "plot layer 1", "plot neuron 2.1", "plot net", "plot loss", "plot loss steps",
                   "plot grads", "plot space 2", "plot landscape", "plot landscape 1.1:1,1.1:2 span=3", "plot landscape out.1:1,out.1:b json"])

    public static func optionKeys(after previous: [String]) -> [String] {
        previous.first?.lowercased() == "landscape" ? ["size", "span"] : ["size", "points"]
    }

    public static func completion(forPositional index: Int, after previous: [String]) -> CompletionKind {
        if previous.first?.lowercased() == "landscape" { return .words(["random", "ascii", "json"]) }
        let words = previous.filter { !["ascii", "discrete"].contains($0.lowercased()) }
        let flags: [String] = ["ascii", "discrete"]
        if words.isEmpty { return .words(kinds + flags) }
        switch words[0].lowercased() {
        case "layer": return words.count == 1 ? .anyLayer : .words(flags)
        case "neuron": return words.count == 1 ? .neurons : .words(flags)
        case "space": return words.count == 1 ? .anyLayer : (words.count <= 3 ? .neuronNumbers(ofLayer: words[1]) : .words(flags))
        case "loss": return words.count == 1 ? .words(["steps"] + flags) : .words(flags)
        default: return .words(flags)
        }
    }

    public static func run(_ args: Arguments, in session: Session) throws {
        if args.positional(0)?.lowercased() == "landscape" { return try LandscapePlot.plot(args, in: session) }
        try args.allowOptions(["size", "points"])
        let o = try PictureOptions(args, maxSide: TerminalPictures.maxColumns, minSide: TerminalPictures.minColumns)
        let kind = o.words.first?.lowercased() ?? "out"
        let rest = Array(o.words.dropFirst())
        if !o.ascii, InlinePlot.shows(kind), let proto = session.inlineImageProtocol() {
            return try InlinePlot.show(kind, rest, o, proto, in: session)
        }
        try drawCharacters(kind, rest, o, in: session)
    }

    /// The picture in characters: coloured half blocks, or plain characters with `ascii`.
    static func drawCharacters(_ kind: String, _ rest: [String], _ o: PictureOptions, in session: Session) throws {
        let mode = o.mode(session)
        let p = session.playground, net = p.network
        let out = session.output
        // the map's side when none is given: fit the terminal's width and height (a square frame
        // is w columns by w/2 rows), at most 96 columns
        let fitted = Swift.max(16, Swift.min(out.width - 8, 2 * (out.height - 6), 96))
        let w = o.width ?? fitted, h = o.height ?? Swift.max(2, w / 2)
        if let requested = o.width { try checkMemory(kind, rest, side: requested, height: o.height, net, mode) }
        let canvas: TextCanvas
        switch kind {
        case "out", "output":
            try expectNone(rest, "plot [out]")
            canvas = TerminalPictures.output(p, columns: w, rows: h, mode, points: o.points, discrete: o.discrete, maxWidth: out.width)
        case "neuron":
            guard rest.count == 1 else { throw ShellError("usage: plot neuron K.J, e.g. `plot neuron out.1`") }
            let (k, j) = try References.neuron(rest[0], in: net)
            canvas = TerminalPictures.neuron(p, layer: k, neuron: j, columns: w, rows: h, mode, maxWidth: out.width)
        case "layer":
            guard rest.count == 1 else { throw ShellError("usage: plot layer K, e.g. `plot layer out`") }
            try squareTilesOnly(o, "plot layer K [size=W]")
            let k = try References.layer(rest[0], in: net)
            let n = net.width(ofLayer: k)
            let tile = o.width ?? Swift.max(8, Swift.min(24, (out.width + 2) / Swift.min(n, 6) - 2))
            canvas = TerminalPictures.layer(p, layer: k, tile: tile, maxWidth: Swift.max(tile, out.width - 1), mode)
        case "net", "network":
            try expectNone(rest, "plot net")
            try squareTilesOnly(o, "plot net [size=W]")
            // a terminal's window bounds the height too (a prompt line stays visible)
            canvas = TerminalPictures.network(p, tile: o.width, maxWidth: Swift.max(16, out.width - 1),
                                              maxHeight: out.isTerminal ? out.height - 1 : .max, mode)
        case "loss":
            let steps = rest.first?.lowercased() == "steps"
            try expectNone(steps ? Array(rest.dropFirst()) : rest, "plot loss [steps]")
            let columns = o.width ?? Swift.min(100, Swift.max(20, out.width - 2)), rows = o.height ?? 16
            if steps || p.progress.history.isEmpty {
                guard !p.progress.stepLosses.isEmpty else { throw ShellError("there is no loss curve yet: train first, e.g. `train 10`") }
                if !steps { session.say("no epoch has ended yet: the mini-batch loss of each step so far, as plot loss steps draws it") }
                canvas = TerminalPictures.stepLosses(p, columns: columns, rows: rows, mode)
            } else {
                canvas = TerminalPictures.loss(p, columns: columns, rows: rows, mode)
            }
        case "grads", "gradients":
            try expectNone(rest, "plot grads")
            guard p.progress.history.contains(where: { !$0.gradientNorms.isEmpty }) else {
                throw ShellError("there are no gradient norms yet: they are recorded at the end of each epoch, so train first, e.g. `train 10` (`stats grads` shows them now)")
            }
            canvas = TerminalPictures.gradients(p, columns: o.width ?? Swift.min(100, Swift.max(20, out.width - 2)), rows: o.height ?? 16, mode)
        case "space":
            guard (1...3).contains(rest.count) else { throw ShellError("usage: plot space K [I J], e.g. `plot space in` or `plot space in 2 1`") }
            let (k, i, j) = try spaceArguments(rest, net)
            canvas = TerminalPictures.space(p, layer: k, neurons: (i, j), columns: w, rows: h, mode, points: o.points, maxWidth: out.width)
        default:
            throw ShellError("cannot plot '\(o.words.first ?? kind)'\(Suggestions.hint(for: kind, in: kinds)): plot out, layer K, neuron K.J, net, loss, loss steps, grads, space K or landscape")
        }
        out.write(canvas.render(mode))
    }

    /// Refuses a picture whose maps and canvas would not fit the memory budget, naming the size that does.
    static func checkMemory(_ kind: String, _ rest: [String], side: Int, height: Int?, _ net: Network, _ mode: ColorMode) throws {
        // the layer a picture maps (nil: the output's classes only, or no maps at all)
        var layer: Int?
        if kind == "layer" || kind == "space", let word = rest.first { layer = try? References.layer(word, in: net) }
        if kind == "neuron", let word = rest.first { layer = (try? References.neuron(word, in: net))?.layer }
        let need = { (w: Int) in bytesNeeded(kind, side: w, height: height, layer: layer, net, mode) }
        let fits = MemoryBudget.largest(in: TerminalPictures.minColumns...side, fitting: need)
        let words = ([kind] + rest).map(Tokenizer.quoted).joined(separator: " ")
        let oneNeuron = "`plot neuron \(layer.map(net.layerName) ?? "out").1`"
        try MemoryBudget.check(need(side), for: "plot \(words) size=\(side)\(height.map { "x\($0)" } ?? "")",
                               advice: fits.map { "`plot \(words) size=\($0)` fits" } ?? "\(oneNeuron) instead")
    }

    /// Bytes a picture takes at map side `w`: its grid maps (8 bytes per neuron kept per cell, and
    /// a class and confidence per cell) and its character canvas (a cell and its escape codes).
    static func bytesNeeded(_ kind: String, side w: Int, height: Int?, layer: Int?, _ net: Network, _ mode: ColorMode) -> Int {
        let pixelRows = mode == .plain ? 1 : 2
        let cell = TextCanvas.bytesPerCell
        func maps(_ cells: Int, _ neurons: Int) -> Int { MemoryBudget.product(cells, MemoryBudget.sum(MemoryBudget.product(8, neurons), 16)) }
        let widths = (0...(net.hiddenCount + 1)).map { net.width(ofLayer: $0) }
        switch kind {
        case "layer":
            let n = layer.map { net.width(ofLayer: $0) } ?? (widths.max() ?? 1)
            let tileRows = Swift.max(1, w / 2)
            return MemoryBudget.sum(maps(MemoryBudget.product(w, tileRows, pixelRows), n),
                                    MemoryBudget.product(n, w + 2, tileRows + 2, cell))
        case "net", "network":
            let tileRows = Swift.max(1, w / 2)
            let shown = widths.map { Swift.min($0, TerminalPictures.maxNeuronsPerColumn) }.reduce(0, +)
            return MemoryBudget.sum(maps(MemoryBudget.product(w, tileRows, pixelRows), widths.reduce(0, +)),
                                    MemoryBudget.product(shown, w + (TerminalPictures.networkGaps.first ?? 0), tileRows + 1, cell))
        case "loss", "grads", "gradients":
            return MemoryBudget.product(w, height ?? 16, cell)
        default:   // out, neuron, space: one map of w × h cells
            let h = height ?? Swift.max(2, w / 2)
            let kept = kind == "neuron" ? (layer.map { net.width(ofLayer: $0) } ?? 1) : net.outputCount
            return MemoryBudget.sum(maps(MemoryBudget.product(w, h, pixelRows), kept),
                                    MemoryBudget.product(w + 12, h + 4, cell), MemoryBudget.product(w, h, pixelRows, 3))
        }
    }

    /// Tiles are square: a size with a height would be ignored, so it is refused.
    static func squareTilesOnly(_ o: PictureOptions, _ usage: String) throws {
        if let w = o.width, o.height != nil { throw ShellError("tiles are square: give one side, size=\(w): usage: \(usage)") }
    }

    static func expectNone(_ rest: [String], _ usage: String) throws {
        if let extra = rest.first { throw ShellError("unexpected '\(extra)': usage: \(usage)") }
    }

    /// Layer and two neurons (0-based) of `space K [I J]`.
    static func spaceArguments(_ words: [String], _ net: Network) throws -> (Int, Int, Int) {
        let k = try References.layer(words[0], in: net)
        let width = net.width(ofLayer: k)
        guard width >= 2 else {
            throw ShellError("layer \(net.layerName(k)) has 1 neuron: its space needs 2 (resize it, or pick another layer)")
        }
        guard words.count != 2 else { throw ShellError("give both neurons, I and J, e.g. `plot space \(words[0]) 1 2`") }
        var i = 0, j = 1
        if words.count == 3 {
            i = try Values.integer(words[1], "I", in: 1...width) - 1
            j = try Values.integer(words[2], "J", in: 1...width) - 1
            guard i != j else { throw ShellError("I and J must be two different neurons of layer \(net.layerName(k))") }
        }
        return (k, i, j)
    }
}
