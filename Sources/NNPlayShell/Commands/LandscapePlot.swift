import NNPlayEngine

/// `plot landscape` and `export landscape`: the words they share (axes or `random`, `span=`, `size=`,
/// `ascii`, `json`), the checks before the work, and what each prints or writes.
enum LandscapePlot {
    /// The usage lines, for `plot` and `export` help.
    static let plotUsage = "plot landscape [LAYER.J:I,LAYER.J:I | random] [span=S] [size=W[xH]] [ascii] [json]"
    static let exportUsage = "export landscape FILE [LAYER.J:I,LAYER.J:I | random] [span=S] [size=W[xH]]"
    /// Default spans: named weights move in their own units; random directions are as large as the weights.
    static let namedSpan = 2.0, randomSpan = 1.0
    static let maxSpan = 1e6
    /// Sides of the grid: odd, 3…1001 cells.
    static let sides = 3...1001
    /// The default grid for json (pictures fit the terminal).
    static let jsonSide = 33
    /// Most multiply-adds one landscape may take (about 5 s in a release build on 2 cores).
    static let maxWork = 1e10

    struct Request {
        var directions: LandscapeDirections
        var span: Double
        var columns: Int?
        var rows: Int?
        var ascii = false
        var json = false
    }

    /// Parses the words after `landscape` (and after FILE for export).
    static func request(_ words: [String], _ args: Arguments, _ session: Session, usage: String) throws -> Request {
        let net = session.playground.network
        var axes: [LandscapeAxis] = [], random = false, ascii = false, json = false
        for word in words {
            switch word.lowercased() {
            case "random": random = true
            case "ascii": ascii = true
            case "json": json = true
            default:
                for part in word.split(separator: ",", omittingEmptySubsequences: true) { axes.append(try axis(String(part), net)) }
                if !word.contains(":") && axes.isEmpty {
                    throw ShellError("unexpected '\(ShellError.excerpt(word))': usage: \(usage)")
                }
            }
        }
        if random && !axes.isEmpty { throw ShellError("give two named axes or random, not both: usage: \(usage)") }
        guard axes.isEmpty || axes.count == 2 else {
            throw ShellError("a landscape has two axes, \(axes.count) given: e.g. `plot landscape 1.1:1,1.1:2` or `plot landscape random`")
        }
        let directions: LandscapeDirections
        if axes.count == 2 {
            guard axes[0].parameterIndex(in: net) != axes[1].parameterIndex(in: net) else {
                throw ShellError("the two axes are the same parameter (\(axes[0].name(in: net))): give two different ones, e.g. 1.1:1,1.1:2")
            }
            directions = .named(axes[0], axes[1])
        } else {
            directions = .random(seed: session.playground.settings.seed)
        }
        var r = Request(directions: directions, span: axes.isEmpty ? randomSpan : namedSpan, ascii: ascii, json: json)
        if let text = args.option("span") {
            r.span = try Values.number(text, "span", in: Double.leastNonzeroMagnitude...maxSpan, rangeText: "a number > 0 and ≤ 1e6")
        }
        if let text = args.option("size") {
            let parts = text.lowercased().split(separator: "x", omittingEmptySubsequences: false).map(String.init)
            guard parts.count <= 2, let first = parts.first else {
                throw ShellError("size=\(ShellError.excerpt(text)) is not a size: use size=W or size=WxH with odd sides, e.g. size=65 or size=41x21")
            }
            r.columns = try odd(first, "size")
            if parts.count == 2 { r.rows = try odd(parts[1], "size (height)") }
        }
        return r
    }

    /// An odd side of the grid: its centre cell is then exactly the current weights.
    static func odd(_ text: String, _ what: String) throws -> Int {
        let n = try Values.integer(text, what, in: sides)
        guard n % 2 == 1 else {
            throw ShellError("\(what)=\(n) is even: a landscape's sides are odd so that its centre cell is the current weights (use \(n - 1) or \(n + 1))")
        }
        return n
    }

    /// `L.J:I` (the weight from input I into neuron L.J, 1-based) or `L.J:b` (its bias).
    static func axis(_ text: String, _ net: Network) throws -> LandscapeAxis {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 2, !parts[1].isEmpty else {
            throw ShellError("'\(ShellError.excerpt(text))' is not an axis: an axis is LAYER.J:I, the weight from input I into neuron LAYER.J (e.g. 1.1:2, out.1:1), or LAYER.J:b, its bias")
        }
        let (k, j) = try References.neuron(parts[0], in: net)
        guard k >= 1 else {
            throw ShellError("axis \(text): the inputs have no incoming weights: axes are weights into layers \(References.describe(net, allowInput: false, allowOutput: true)), e.g. 1.1:2")
        }
        if parts[1].lowercased() == "b" { return .bias(layer: k, neuron: j) }
        let inputs = net.layers[k - 1].inputs
        guard let i = Int(parts[1]), (1...inputs).contains(i) else {
            throw ShellError("axis \(text): neuron \(net.neuronName(layer: k, neuron: j)) has inputs 1…\(inputs) (or b for its bias)")
        }
        return .weight(layer: k, neuron: j, input: i - 1)
    }

    /// The landscape, after the memory and work checks; `extra(W, H)` is what the picture adds.
    static func compute(_ r: Request, columns w: Int, rows h: Int, _ session: Session, command: (Int, Int) -> String,
                        extra: @escaping (Int, Int) -> Int) throws -> Landscape {
        let p = session.playground
        // (no training points: `Playground.landscape` says so; the work is then 0)
        let n = p.network.parameterCount, points = p.dataset.trainIndices.count
        func need(_ s: (Int, Int)) -> Int {
            MemoryBudget.sum(Landscape.bytesNeeded(columns: s.0, rows: s.1, parameterCount: n), extra(s.0, s.1))
        }
        // the largest odd square (scaled like the request) that fits a test
        func fitting(_ fits: ((Int, Int)) -> Bool) -> String {
            var s = Swift.max(w, h)
            while s > 3 && !fits((Swift.max(3, s * w / Swift.max(w, h)) | 1, Swift.max(3, s * h / Swift.max(w, h)) | 1)) { s = s * 9 / 10 }
            let fw = Swift.max(3, s * w / Swift.max(w, h)) | 1, fh = Swift.max(3, s * h / Swift.max(w, h)) | 1
            return fits((fw, fh)) ? "`\(command(fw, fh))` fits" : "use fewer training points or a smaller network"
        }
        let perCell = Double(points) * Double(2 * n + p.network.maxWidth)
        let work = Double(w) * Double(h) * perCell
        guard work <= maxWork else {
            throw ShellError("\(command(w, h)) is about \(formatMetric(work, digits: 2)) multiply-adds, more than the limit of \(formatMetric(maxWork, digits: 2)) (\(points) training points, \(n) parameters): "
                             + fitting { Double($0.0) * Double($0.1) * perCell <= maxWork })
        }
        try MemoryBudget.check(need((w, h)), for: command(w, h), advice: fitting { need($0) <= MemoryBudget.bytes })
        return try p.landscape(r.directions, span: r.span, columns: w, rows: h)
    }

    /// The words of a request as typed again (for messages with a size that fits).
    static func echo(_ words: [String], _ r: Request) -> String {
        (words.map(Tokenizer.quoted) + ["span=\(formatNumber(r.span))"]).joined(separator: " ")
    }

    // MARK: plot landscape

    static func plot(_ args: Arguments, in session: Session) throws {
        try args.allowOptions(["size", "span"], for: "plot landscape")
        let words = Array(args.positionals.dropFirst())
        let r = try request(words, args, session, usage: plotUsage)
        let out = session.output
        let mode: ColorMode = r.ascii ? .plain : session.options.colorMode
        // the picture's default: at most 65 columns, fitting the terminal (and 80 columns) with the labels
        let limit = Swift.max(3, Swift.min(65, Swift.min(out.width, 80) - 8))
        let defaultColumns = r.json ? jsonSide : (limit % 2 == 1 ? limit : limit - 1)
        let w = r.columns ?? defaultColumns
        // a square in the terminal: plain characters are twice as tall as wide, half blocks hold two rows
        let h = r.rows ?? (r.json || mode != .plain ? w : Swift.max(3, (w / 2) | 1))
        let echoed = echo(words, r)
        let landscape = try compute(r, columns: w, rows: h, session, command: { "plot landscape \(echoed) size=\($0)x\($1)" },
                                    extra: { r.json ? MemoryBudget.product($0, $1, 32) : MemoryBudget.product($0 + 12, $1 + 8, TextCanvas.bytesPerCell) })
        if r.json {
            out.line(json(landscape).serialized())
            return
        }
        if !r.ascii, let proto = session.inlineImageProtocol() {
            // export landscape's picture (its cells are pixels enough for a window)
            try InlinePlot.draw(ExportCommand.PlannedPicture(name: "landscape", width: 0, height: 0, memory: 0) { LandscapePictures.image(landscape) },
                                proto, side: w, command: { "plot landscape \(echoed) size=\($0)" }, fits: { _ in [] }, in: session)
        } else {
            out.write(LandscapePictures.canvas(landscape, mode, maxWidth: out.width).render(mode))
        }
        session.say(summary(landscape, width: out.width))
    }

    /// One line for a learner: what is shown, the centre's loss, the path, the lowest cell
    /// (wrapped at spaces where it would not fit `width`).
    static func summary(_ l: Landscape, width: Int = .max) -> String {
        let path = l.path.isEmpty ? "path: none yet (train to draw one)"
                                  : "path: \(l.pathEpochs) epoch\(l.pathEpochs == 1 ? "" : "s") since the start"
        let lowest = l.lowest.map { "lowest cell: \(formatMetric($0.loss)) at (u,v)=(\(formatMetric($0.u, digits: 3)), \(formatMetric($0.v, digits: 3)))" }
            ?? "no cell has a finite loss"
        let text = "mean training loss around the current weights (centre, loss=\(formatMetric(l.centre))); \(path); \(lowest)"
        var lines = [""]
        for word in text.split(separator: " ") {
            let last = lines[lines.count - 1]
            if last.isEmpty { lines[lines.count - 1] = String(word) } else if last.count + 1 + word.count <= width {
                lines[lines.count - 1] += " " + word
            } else {
                lines.append(String(word))
            }
        }
        return lines.joined(separator: "\n")
    }

    /// `{"axes":[…], "span":S, "size":[W,H], "loss":[[…]…], "path":[[u,v],…]}`; non-finite numbers are null.
    static func json(_ l: Landscape) -> JSON {
        func number(_ x: Double) -> JSON { x.isFinite ? .number(x) : .null }
        let rows = (0..<l.rows).map { r in JSON.array((0..<l.columns).map { number(l.value($0, r)) }) }
        return .object([("axes", .array(l.axes.map(JSON.string))), ("span", .number(l.span)),
                        ("size", .array([.number(Double(l.columns)), .number(Double(l.rows))])),
                        ("loss", .array(rows)), ("path", .array(l.path.map { .array([number($0.u), number($0.v)]) }))])
    }

    // MARK: export landscape

    static func export(_ args: Arguments, in session: Session) throws {
        try args.allowOptions(["size", "span"], for: "export landscape")
        let words = Array(args.positionals.dropFirst())
        guard let first = words.first else { throw ShellError("missing FILE: usage: \(exportUsage)") }
        let file = Values.path(first)
        let format = try PictureFormat(path: file)
        let rest = Array(words.dropFirst())
        let r = try request(rest, args, session, usage: exportUsage)
        if r.ascii { throw ShellError("ascii does not apply to export (its pictures are in colour)") }
        if r.json { throw ShellError("json does not apply to export: use `plot landscape json`") }
        let w = r.columns ?? 65, h = r.rows ?? w
        let echoed = echo([first] + rest, r)
        let landscape = try compute(r, columns: w, rows: h, session, command: { "export landscape \(echoed) size=\($0)x\($1)" },
                                    extra: { c, rows in
                                        let size = LandscapePictures.imageSize(columns: c, rows: rows)
                                        return MemoryBudget.product(size.width, size.height, 3 + 8 + 3)
                                    })
        let image = LandscapePictures.image(landscape)
        try FileAccess.writeAtomically(format.encode(image), to: file)
        session.say("wrote \(file) (\(image.width)×\(image.height))")
    }
}
