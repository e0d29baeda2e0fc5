import NNPlayEngine

/// `export`: PPM pictures.
public enum ExportCommand: Command {
    static let kinds = PlotCommand.kinds

    public static let help = CommandHelp(
        name: "export", group: .pictures,
        usage: ["export DIR [size=256]",
                "export out FILE.ppm [size=256] [points=all] [discrete]",
                "export layer K FILE.ppm [size=128]",
                "export neuron K.J FILE.ppm [size=256]",
                "export net FILE.ppm [size=64]",
                "export loss FILE.ppm [size=640x400]",
                "export space K [I J] FILE.ppm [size=256] [points=all]"],
        summary: "write PPM pictures: every neuron, every layer, the output, the network poster, the loss",
        details: ["export DIR writes neuron-L.J.ppm for every neuron (L = in, 1…H, out), layer-L.ppm tiles,",
                  "output.ppm (class regions and data), net.ppm (the poster: neuron maps in columns, connections",
                  "blue for positive and orange for negative weights, thicker for larger ones), loss.ppm, and",
                  "space-K.ppm for hidden layers of 2 or more neurons; then lists them. size is the side of a",
                  "map in pixels (net: of each neuron's tile). PPM: binary P6, maxval 255; every file is written",
                  "whole or not at all."],
        options: [OptionHelp("size", "N", default: "256 (net 64, loss 640x400)", "pixels"),
                  OptionHelp("points", "WHICH", default: "all", "data points shown: train, test, all or none",
                             completion: .words(PointSelection.allCases.map(\.rawValue)))],
        examples: ["export /tmp/pictures", "export out /tmp/out.ppm size=512", "export net /tmp/net.ppm"])

    public static func completion(forPositional index: Int, after previous: [String]) -> CompletionKind {
        if previous.isEmpty { return .words(kinds + ["discrete"]) }
        switch previous[0].lowercased() {
        case "layer", "space": return previous.count == 1 ? .anyLayer : .path
        case "neuron": return previous.count == 1 ? .neurons : .path
        default: return .path
        }
    }

    public static func run(_ args: Arguments, in session: Session) throws {
        try args.allowOptions(["size", "points"])
        let p = session.playground, net = p.network
        var o = try PictureOptions(args, maxSide: PPM.maxSide, minSide: 8)
        if o.ascii { throw ShellError("ascii does not apply to export (PPM pictures are in colour)") }
        guard let first = o.words.first else { throw ShellError("missing argument: usage: export DIR, or export out FILE.ppm (help export)") }
        let kind = first.lowercased()
        guard kinds.contains(kind) else {
            guard o.words.count == 1 else { throw ShellError("unexpected '\(o.words[1])': usage: export DIR [size=256]") }
            try exportAll(to: first, size: o.width ?? 256, points: o.points, session)
            return
        }
        o.words.removeFirst()
        let usage = help.usage.first { $0.hasPrefix("export \(kind)") } ?? ""
        // the words before FILE.ppm: none, K or K.J, or K [I J] for space
        let most = ["neuron": 1, "layer": 1, "space": 3][kind] ?? 0
        if o.words.count > most + 1 { throw ShellError("unexpected '\(ShellError.excerpt(o.words[most + 1]))': usage: \(usage)") }
        guard let file = o.words.last else { throw ShellError("missing FILE.ppm: usage: \(usage)") }
        let rest = Array(o.words.dropLast())
        if kind == "layer" || kind == "neuron" { try checkSize(net, size: o.width ?? 256) }
        let image: Image
        switch kind {
        case "out":
            try PlotCommand.expectNone(rest, "export out FILE.ppm")
            image = PosterPictures.output(p, size: o.width ?? 256, points: o.points, discrete: o.discrete)
        case "neuron":
            guard rest.count == 1 else { throw ShellError("usage: export neuron K.J FILE.ppm") }
            let (k, j) = try References.neuron(rest[0], in: net)
            image = PosterPictures.neuron(p, layer: k, neuron: j, size: o.width ?? 256)
        case "layer":
            guard rest.count == 1 else { throw ShellError("usage: export layer K FILE.ppm") }
            image = PosterPictures.layerTile(p, layer: try References.layer(rest[0], in: net), size: o.width ?? 128)
        case "net":
            try PlotCommand.expectNone(rest, "export net FILE.ppm")
            image = try PosterPictures.poster(p, tile: o.width ?? 64)
        case "loss":
            try PlotCommand.expectNone(rest, "export loss FILE.ppm")
            image = PosterPictures.loss(p, width: o.width ?? 640, height: o.height ?? (o.width.map { $0 * 5 / 8 } ?? 400))
        default:
            guard (1...3).contains(rest.count) else { throw ShellError("usage: export space K [I J] FILE.ppm") }
            let (k, i, j) = try PlotCommand.spaceArguments(rest, net)
            image = PosterPictures.space(p, layer: k, neurons: (i, j), size: o.width ?? 256, points: o.points)
        }
        try FileAccess.writeAtomically(PPM.encode(image), to: file)
        session.say("wrote \(file) (\(image.width)×\(image.height))")
        if !file.lowercased().hasSuffix(".ppm") { session.warn("\(file) holds a PPM picture whatever its name says (export writes PPM only)") }
    }

    /// Most memory one layer's maps may take while exporting (1 GB), and most bytes one export may write (4 GB).
    static let maxLayerBytes = 1 << 30
    static let maxExportBytes = 4 << 30

    /// Refuses an export whose pictures would take more memory or disk than is reasonable, naming
    /// the largest size that fits.
    static func checkSize(_ net: Network, size: Int) throws {
        let widest = (0...(net.hiddenCount + 1)).map { net.width(ofLayer: $0) }.max() ?? 1
        let neurons = (0...(net.hiddenCount + 1)).map { net.width(ofLayer: $0) }.reduce(0, +)
        let layerBytes = widest * size * size * 8
        let fileBytes = (neurons + net.hiddenCount + 6) * size * size * 3
        guard layerBytes <= maxLayerBytes, fileBytes <= maxExportBytes else {
            var fits = size
            while fits > 8 && (widest * fits * fits * 8 > maxLayerBytes || (neurons + net.hiddenCount + 6) * fits * fits * 3 > maxExportBytes) {
                fits = fits * 9 / 10
            }
            throw ShellError("size=\(size) would take \(Swift.max(layerBytes, fileBytes) >> 20) MB for \(neurons) neurons: use size=\(fits) or less (or export layers one by one)")
        }
    }

    /// `export DIR`: every picture, then the list of files. Ctrl-C stops between files.
    static func exportAll(to dir: String, size: Int, points: PointSelection, _ session: Session) throws {
        let p = session.playground, net = p.network
        try checkSize(net, size: size)
        try FileAccess.makeDirectory(dir)
        var written: [String] = []
        struct Stopped: Error {}
        func write(_ name: String, _ image: @autoclosure () throws -> Image) throws {
            if session.interrupt.isRaised { throw Stopped() }
            let path = dir.hasSuffix("/") ? dir + name : dir + "/" + name
            try FileAccess.writeAtomically(PPM.encode(try image()), to: path)
            written.append(name)
        }
        do {
            try writeAll(write)
        } catch is Stopped {
            _ = session.interrupt.consume()
            session.wasInterrupted = true
            session.say("interrupted: wrote \(written.count) pictures to \(dir) before Ctrl-C")
            return
        } catch let error as NNPlayError where !written.isEmpty {
            // each file is whole or absent; say which ones are there
            throw NNPlayError("\(error.message); \(written.count) pictures were written before it (\(written.first ?? "")…\(written.last ?? ""))")
        }
        func writeAll(_ write: (String, @autoclosure () throws -> Image) throws -> Void) throws {
            try write("output.ppm", PosterPictures.output(p, size: size, points: points, discrete: false))
            try write("net.ppm", try PosterPictures.poster(p, tile: Swift.max(16, size / 4)))
            try write("loss.ppm", PosterPictures.loss(p, width: Swift.max(320, 2 * size), height: Swift.max(200, 5 * size / 4)))
            for k in 0...(net.hiddenCount + 1) {
                let name = net.layerName(k)
                try write("layer-\(name).ppm", PosterPictures.layerTile(p, layer: k, size: Swift.max(32, size / 2)))
                for (j, image) in PosterPictures.neurons(p, layer: k, size: size).enumerated() {
                    try write("neuron-\(name).\(j + 1).ppm", image)
                }
                if k >= 1 && k <= net.hiddenCount && net.width(ofLayer: k) >= 2 {
                    try write("space-\(k).ppm", PosterPictures.space(p, layer: k, neurons: (0, 1), size: size, points: points))
                }
            }
        }
        let neurons = written.filter { $0.hasPrefix("neuron-") }.count
        session.say("wrote \(written.count) pictures to \(dir): output.ppm, net.ppm, loss.ppm, "
                    + "\(written.filter { $0.hasPrefix("layer-") }.joined(separator: " ")), "
                    + "\(neurons) neuron maps (neuron-L.J.ppm)"
                    + (written.contains { $0.hasPrefix("space-") } ? ", \(written.filter { $0.hasPrefix("space-") }.joined(separator: " "))" : ""))
    }
}
