import NNPlayEngine

/// `plot` in a terminal that shows pictures (`--graphics kitty|iterm|sixel`, or `auto` finding one):
/// the picture `export` would write — the same planners, so the same pixels and legend — sized to
/// the window. `size=W[xH]` still counts character cells.
enum InlinePlot {
    /// The kinds drawn as pictures; the others (grads) are drawn in coloured characters.
    static func shows(_ kind: String) -> Bool {
        ["out", "output", "neuron", "layer", "net", "network", "loss", "space"].contains(kind)
    }

    /// The window in pixels, less a prompt line and a line for the picture's own newline.
    static func window(_ session: Session) -> (width: Int, height: Int) {
        let cell = session.cellPixels, out = session.output
        return (out.width * cell.width, Swift.max(4, out.height - 2) * cell.height)
    }

    /// Largest side in `low...high` whose picture fits `box` (the smallest when none does).
    static func largest(_ low: Int, _ high: Int, fitting box: (width: Int, height: Int),
                        _ plan: (Int) throws -> ExportCommand.PlannedPicture) rethrows -> Int {
        var lo = low, hi = Swift.max(low, high)
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            let p = try plan(mid)
            if p.width <= box.width && p.height <= box.height { lo = mid } else { hi = mid - 1 }
        }
        return lo
    }

    static func show(_ kind: String, _ rest: [String], _ o: PictureOptions, _ proto: InlineImageProtocol, in session: Session) throws {
        let p = session.playground, net = p.network
        let cell = session.cellPixels
        let plan: (Int) throws -> ExportCommand.PlannedPicture
        var cap = 96 * cell.width   // the character maps' widest default, in pixels
        var smallest = 16
        switch kind {
        case "out", "output":
            try PlotCommand.expectNone(rest, "plot [out]")
            plan = { ExportCommand.outputPicture(p, name: "out", side: $0, points: o.points, discrete: o.discrete, bare: false) }
        case "neuron":
            guard rest.count == 1 else { throw ShellError("usage: plot neuron K.J, e.g. `plot neuron out.1`") }
            let (k, j) = try References.neuron(rest[0], in: net)
            plan = { ExportCommand.neuronPicture(p, name: "neuron \(rest[0])", layer: k, neuron: j, side: $0, bare: false) }
        case "layer":
            guard rest.count == 1 else { throw ShellError("usage: plot layer K, e.g. `plot layer out`") }
            try PlotCommand.squareTilesOnly(o, "plot layer K [size=W]")
            let k = try References.layer(rest[0], in: net)
            cap = 24 * cell.width
            smallest = 8
            plan = { ExportCommand.layerPicture(p, name: "layer \(rest[0])", layer: k, side: $0, bare: false) }
        case "net", "network":
            try PlotCommand.expectNone(rest, "plot net")
            try PlotCommand.squareTilesOnly(o, "plot net [size=W]")
            cap = 12 * cell.width
            smallest = 8
            plan = { try ExportCommand.posterPicture(p, tile: $0, bare: false) }
        case "loss":
            let steps = rest.first?.lowercased() == "steps"
            if steps { return try PlotCommand.drawCharacters(kind, rest, o, in: session) }
            try PlotCommand.expectNone(rest, "plot loss [steps]")
            guard !p.progress.history.isEmpty else { return try PlotCommand.drawCharacters(kind, rest, o, in: session) }
            let box = window(session)
            let w = Swift.min(PPM.maxSide, o.width.map { $0 * cell.width } ?? Swift.min(box.width - cell.width, 100 * cell.width))
            let h = Swift.min(PPM.maxSide, o.height.map { $0 * cell.height } ?? Swift.min(box.height, w * 5 / 8))
            return try draw(ExportCommand.lossPicture(p, width: Swift.max(64, w), height: Swift.max(48, h)), proto, side: w,
                            command: { "plot loss size=\(Swift.max(1, $0 / cell.width))" }, fits: { [ExportCommand.lossPicture(p, width: $0, height: $0 * 5 / 8)] }, in: session)
        case "space":
            guard (1...3).contains(rest.count) else { throw ShellError("usage: plot space K [I J], e.g. `plot space in` or `plot space in 2 1`") }
            let (k, i, j) = try PlotCommand.spaceArguments(rest, net)
            plan = { ExportCommand.spacePicture(p, name: "space \(rest.joined(separator: " "))", layer: k, neurons: (i, j), side: $0, points: o.points, bare: false) }
        default:
            return try PlotCommand.drawCharacters(kind, rest, o, in: session)
        }
        // a size asked for is kept within the largest picture file; none asked for fits the window
        let box = o.width == nil ? window(session) : (PPM.maxSide, PPM.maxSide)
        let side = try largest(smallest, o.width.map { $0 * cell.width } ?? cap, fitting: box, plan)
        // a window too small for the smallest picture: characters fit it (tiles shrink, bands wrap)
        if o.width == nil, let smallest = try? plan(side), smallest.width > box.0 || smallest.height > box.1 {
            return try PlotCommand.drawCharacters(kind, rest, o, in: session)
        }
        let words = ([kind] + rest).map(Tokenizer.quoted).joined(separator: " ")
        try draw(try plan(side), proto, side: side, command: { "plot \(words) size=\(Swift.max(1, $0 / cell.width))" },
                 fits: { s in (try? plan(s)).map { [$0] } ?? [] }, in: session)
    }

    /// Checks the picture's memory, draws it and sends it to the terminal.
    static func draw(_ picture: ExportCommand.PlannedPicture, _ proto: InlineImageProtocol, side: Int,
                     command: @escaping (Int) -> String, fits: @escaping (Int) -> [ExportCommand.PlannedPicture], in session: Session) throws {
        try ExportCommand.check([picture], size: side, command: command, fits: fits)
        let image = try picture.make()
        do {
            session.output.write(try InlineImages.encode(image, as: proto))
        } catch let e as NNPlayError {
            throw ShellError("\(e.message) (set graphics blocks draws with characters)")
        }
    }
}
