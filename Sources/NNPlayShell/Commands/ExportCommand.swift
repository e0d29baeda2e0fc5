import Foundation
import NNPlayEngine

/// `export`: picture files, PNG or PPM.
public enum ExportCommand: Command {
    static let kinds = PlotCommand.kinds

    public static let help = CommandHelp(
        name: "export", group: .pictures,
        usage: ["export DIR [size=256] [format=ppm|png] [bare]",
                "export out FILE [size=256] [points=all] [discrete] [bare]",
                "export layer K FILE [size=128] [bare]",
                "export neuron K.J FILE [size=256] [bare]",
                "export net FILE [size=64] [bare]",
                "export loss FILE [size=640x400]",
                "export space K [I J] FILE [size=256] [points=all] [bare]",
                LandscapePlot.exportUsage],
        summary: "write PNG or PPM pictures: every neuron, every layer, the output, the network poster, the loss",
        details: ["A FILE's extension picks its format: .png (PNG, through libpng) or .ppm (binary P6, maxval 255);",
                  "any other name is refused before anything is drawn. Both formats hold the same pixels, and",
                  "every file is written whole or not at all.",
                  "export DIR writes, in format= (default ppm), neuron-L.J for every neuron (L = in, 1…H, out),",
                  "layer-L tiles, output (class regions and data), net (the poster: neuron maps in columns,",
                  "connections blue for positive and orange for negative weights, thicker for larger ones), loss,",
                  "and space-K for hidden layers of 2 or more neurons, each .ppm or .png; then lists them. size is",
                  "the side of a map in pixels (net: of each neuron's tile).",
                  "Pictures carry legends: a title, the map in a frame with its axis ranges (x under it, y at its",
                  "left), and a key under it: out and space a swatch and the name of each class and the train and",
                  "test point markers (space's axes are its two neurons); neuron, layer and net the value scale as a",
                  "colour bar with its numbers (unbounded activations: each map to its own largest value); net also",
                  "the weight colours and widths with the largest |w|. The legend adds margins: the map stays",
                  "size×size inside the picture. bare writes the maps alone, size×size with nothing around them",
                  "(net: the poster without its keys), for putting pictures together elsewhere.",
                  "export landscape: the picture of `plot landscape` (same axes, span=, and size= in cells, odd,",
                  "default 65x65), drawn at least 512 pixels wide, with its colour bar and path."],
        options: [OptionHelp("size", "N", default: "256 (net 64, loss 640x400)", "pixels"),
                  OptionHelp("points", "WHICH", default: "all", "data points shown: train, test, all or none",
                             completion: .words(PointSelection.allCases.map(\.rawValue))),
                  OptionHelp("format", "F", default: "ppm", "export DIR: the files' format, png or ppm",
                             completion: .words(PictureFormat.allCases.map(\.rawValue))),
                  OptionHelp("span", "S", default: "2 (random: 1)", "landscape: half the width of the plane")],
        examples: ["export /tmp/pictures", "export /tmp/pictures format=png", "export out /tmp/out.png size=512", "export out /tmp/map.png bare", "export net /tmp/net.ppm",
                   "export landscape /tmp/landscape.ppm 1.1:1,1.1:2"])

    public static func optionKeys(after previous: [String]) -> [String] {
        guard let first = previous.first?.lowercased() else { return ["size", "points", "format"] }
        if first == "landscape" { return ["size", "span"] }
        return kinds.contains(first) ? ["size", "points"] : ["size", "points", "format"]
    }

    public static func completion(forPositional index: Int, after previous: [String]) -> CompletionKind {
        if previous.isEmpty { return .words(kinds + ["discrete"]) }
        switch previous[0].lowercased() {
        case "layer", "space": return previous.count == 1 ? .anyLayer : .path
        case "neuron": return previous.count == 1 ? .neurons : .path
        case "landscape": return previous.count == 1 ? .path : .words(["random"])
        case let kind where kinds.contains(kind): return .path
        default: return .none   // after export DIR: only its options

        }
    }

    public static func run(_ args: Arguments, in session: Session) throws {
        if args.positional(0)?.lowercased() == "landscape" { return try LandscapePlot.export(args, in: session) }
        try args.allowOptions(["size", "points", "format"])
        let p = session.playground, net = p.network
        var o = try PictureOptions(args, maxSide: PPM.maxSide, minSide: 8, takesBare: true)
        if o.ascii { throw ShellError("ascii does not apply to export (its pictures are in colour)") }
        guard let first = o.words.first else { throw ShellError("missing argument: usage: export DIR, or export out FILE.png (help export)") }
        let kind = first.lowercased()
        guard kinds.contains(kind) else {
            guard o.words.count == 1 else { throw ShellError("unexpected '\(o.words[1])': usage: export DIR [size=256] [format=ppm|png]") }
            let format = try args.option("format").map {
                try Values.name($0, "picture format", { PictureFormat(rawValue: $0.lowercased()) },
                                accepted: PictureFormat.allCases.map(\.rawValue))
            } ?? .ppm
            let dir = Values.path(first)
            var isDirectory: ObjCBool = false
            if (try? PictureFormat(path: dir)) != nil,
               !(FileManager.default.fileExists(atPath: dir, isDirectory: &isDirectory) && isDirectory.boolValue) {
                throw ShellError("\(dir) is named like a picture file, but export DIR makes a directory of pictures: "
                                 + "write one picture with e.g. `export out \(Tokenizer.quoted(dir))` (or layer K, neuron K.J, net, loss, space K for out)")
            }
            try exportAll(to: dir, size: o.width ?? 256, points: o.points, format: format, bare: o.bare, session)
            return
        }
        if args.option("format") != nil {
            throw ShellError("format= is for export DIR: one file's format is its extension (.png or .ppm)")
        }
        o.words.removeFirst()
        if o.bare && kind == "loss" { throw ShellError("bare is for the maps (export DIR, out, neuron, layer, net, space): the loss chart is its axes and labels") }
        let bare = o.bare
        let usage = help.usage.first { $0.hasPrefix("export \(kind)") } ?? ""
        // the words before FILE: none, K or K.J, or K [I J] for space
        let most = ["neuron": 1, "layer": 1, "space": 3][kind] ?? 0
        if o.words.count > most + 1 { throw ShellError("unexpected '\(ShellError.excerpt(o.words[most + 1]))': usage: \(usage)") }
        guard let file = o.words.last.map(Values.path) else { throw ShellError("missing FILE: usage: \(usage)") }
        let format = try PictureFormat(path: file)
        let rest = Array(o.words.dropLast())
        // the picture at map side `side`, planned so that its memory is checked before it is drawn
        let one: (Int) throws -> PlannedPicture
        switch kind {
        case "out":
            try PlotCommand.expectNone(rest, "export out FILE")
            one = { side in outputPicture(p, name: "out", side: side, points: o.points, discrete: o.discrete, bare: bare) }
        case "neuron":
            guard rest.count == 1 else { throw ShellError("usage: export neuron K.J FILE") }
            let (k, j) = try References.neuron(rest[0], in: net)
            one = { side in neuronPicture(p, name: "neuron \(rest[0])", layer: k, neuron: j, side: side, bare: bare) }
        case "layer":
            guard rest.count == 1 else { throw ShellError("usage: export layer K FILE") }
            let k = try References.layer(rest[0], in: net)
            one = { side in layerPicture(p, name: "layer \(rest[0])", layer: k, side: side, bare: bare) }
        case "net":
            try PlotCommand.expectNone(rest, "export net FILE")
            one = { side in try posterPicture(p, tile: side, bare: bare) }
        case "loss":
            try PlotCommand.expectNone(rest, "export loss FILE")
            let height = o.height
            one = { side in
                let h = height ?? (o.width == nil ? 400 : side * 5 / 8)
                return lossPicture(p, width: side, height: h)
            }
        default:
            guard (1...3).contains(rest.count) else { throw ShellError("usage: export space K [I J] FILE") }
            let (k, i, j) = try PlotCommand.spaceArguments(rest, net)
            one = { side in spacePicture(p, name: "space \(rest.joined(separator: " "))", layer: k, neurons: (i, j), side: side, points: o.points, bare: bare) }
        }
        let side = o.width ?? ["layer": 128, "net": 64, "loss": 640][kind] ?? 256
        let picture = try one(side)
        let words = ([kind] + rest + [file]).map(Tokenizer.quoted).joined(separator: " ")
        try check([picture], size: side, command: { "export \(words) size=\($0)\(bare ? " bare" : "")" }) { s in (try? one(s)).map { [$0] } ?? [] }
        let image = try picture.make()
        try FileAccess.writeAtomically(format.encode(image), to: file)
        session.say("wrote \(file) (\(image.width)×\(image.height))")
    }

    /// Most bytes one export may write (4 GB of files).
    static let maxExportBytes = 4 << 30

    /// One picture of an export: its file name (without the extension), its size, what it needs in memory while it is made
    /// (maps and image), and how to make it.
    struct PlannedPicture {
        var name: String
        var width: Int
        var height: Int
        var memory: Int
        var make: () throws -> Image
    }

    /// Memory of the maps of `neurons` neurons over `side`² cells, and of one `width × height` image;
    /// with a legend, also of the picture drawn `before` the legend goes around it.
    static func memory(neurons: Int, side: Int, width: Int, height: Int, before: (width: Int, height: Int)? = nil) -> Int {
        let drawnFirst = before.map { MemoryBudget.product($0.width, $0.height, 3) } ?? 0
        return MemoryBudget.sum(MemoryBudget.product(side, side, MemoryBudget.sum(MemoryBudget.product(8, neurons), 16)),
                                MemoryBudget.sum(MemoryBudget.product(width, height, 3), drawnFirst))
    }

    /// Refuses pictures that do not fit the memory budget or, together, 4 GB of files; says which
    /// and the size that fits, before anything is written.
    static func check(_ pictures: [PlannedPicture], size: Int, command: @escaping (Int) -> String,
                      fits: @escaping (Int) -> [PlannedPicture]) throws {
        let what = command(size)
        // a legend's margins may take a picture past the largest side written: the largest size that fits, or bare
        let tooLarge = { (p: PlannedPicture) in p.width > PPM.maxSide || p.height > PPM.maxSide }
        if let big = pictures.first(where: tooLarge) {
            var low = 8, high = size
            while low < high {
                let mid = (low + high + 1) / 2
                if fits(mid).contains(where: tooLarge) { high = mid - 1 } else { low = mid }
            }
            let fitting = fits(low).contains(where: tooLarge) ? "export the pictures one by one" : "`\(command(low))` fits"
            throw ShellError("\(what) would draw \(big.name) \(big.width)×\(big.height) pixels with its legend, more than "
                             + "\(PPM.maxSide) a side: \(fitting) (or add bare for the map alone)")
        }
        let advice = { () -> String in
            let fitting = MemoryBudget.largest(in: 8...Swift.max(8, size)) { s in fits(s).map(\.memory).max() ?? 0 }
            return fitting.map { "`\(command($0))` fits" } ?? "export the pictures one by one"
        }
        try MemoryBudget.check(pictures.map(\.memory).max() ?? 0, for: what, advice: advice())
        let bytes = pictures.reduce(0) { MemoryBudget.sum($0, MemoryBudget.product($1.width, $1.height, 3), 20) }
        guard bytes <= maxExportBytes else {
            var smaller = size
            while smaller > 8 && fits(smaller).reduce(0, { $0 + $1.width * $1.height * 3 }) > maxExportBytes { smaller = smaller * 9 / 10 }
            throw ShellError("\(what) would write \(MemoryBudget.describe(bytes)) of pictures, more than the limit of "
                             + "\(MemoryBudget.describe(maxExportBytes)): `\(command(smaller))` fits (or export the layers one by one)")
        }
    }

    // MARK: The pictures, planned

    /// The output with the data (its figure, or with `bare` the map alone).
    static func outputPicture(_ p: Playground, name: String, side: Int, points: PointSelection, discrete: Bool, bare: Bool) -> PlannedPicture {
        let size = bare ? (width: side, height: side) : LegendedPictures.outputFigure(p, size: side, points: points, discrete: discrete).size
        return PlannedPicture(name: name, width: size.width, height: size.height,
                              memory: memory(neurons: p.network.outputCount, side: side, width: size.width, height: size.height,
                                             before: bare ? nil : (side, side))) {
            bare ? PosterPictures.output(p, size: side, points: points, discrete: discrete)
                 : LegendedPictures.output(p, size: side, points: points, discrete: discrete)
        }
    }

    /// One neuron's map; `maps` may hand over its layer's maps computed already (export DIR).
    static func neuronPicture(_ p: Playground, name: String, layer k: Int, neuron j: Int, side: Int, bare: Bool,
                              maps: @escaping () -> GridMaps? = { nil }) -> PlannedPicture {
        let net = p.network
        let size = bare ? (width: side, height: side) : LegendedPictures.neuronFigure(p, layer: k, neuron: j, size: side).size
        return PlannedPicture(name: name, width: size.width, height: size.height,
                              memory: memory(neurons: net.width(ofLayer: k), side: side, width: size.width, height: size.height,
                                             before: bare ? nil : (side, side))) {
            guard let computed = maps() else {
                return bare ? PosterPictures.neuron(p, layer: k, neuron: j, size: side) : LegendedPictures.neuron(p, layer: k, neuron: j, size: side)
            }
            return bare ? MapPainter.neuronImage(computed, layer: k, neuron: j, network: net) : LegendedPictures.neuron(computed, p, layer: k, neuron: j)
        }
    }

    /// A layer's tiles.
    static func layerPicture(_ p: Playground, name: String, layer k: Int, side: Int, bare: Bool) -> PlannedPicture {
        let sheet = bare ? LayerSheet(neurons: p.network.width(ofLayer: k), tile: side) : LegendedPictures.sheet(p, layer: k, size: side)
        let size = bare ? (width: sheet.width, height: sheet.height) : LegendedPictures.layerSize(p, layer: k, size: side)
        return PlannedPicture(name: name, width: size.width, height: size.height,
                              memory: memory(neurons: p.network.width(ofLayer: k), side: sheet.tile, width: size.width, height: size.height,
                                             before: bare ? nil : (sheet.width, sheet.height))) {
            bare ? PosterPictures.layerTile(p, layer: k, size: side) : LegendedPictures.layer(p, layer: k, size: side)
        }
    }

    /// The poster, tiles `tile` pixels; throws when it cannot be laid out at all.
    static func posterPicture(_ p: Playground, tile: Int, bare: Bool) throws -> PlannedPicture {
        let net = p.network
        let layout = bare ? try PosterLayout(network: net, tile: tile) : try LegendedPictures.posterLayout(p, tile: tile)
        let size = bare ? (width: layout.width, height: layout.height) : try LegendedPictures.posterSize(p, tile: tile)
        return PlannedPicture(name: "net", width: size.width, height: size.height,
                              memory: memory(neurons: net.layers.reduce(net.features.count) { $0 + $1.size }, side: layout.tile,
                                             width: size.width, height: size.height, before: bare ? nil : (layout.width, layout.height))) {
            bare ? try PosterPictures.poster(p, tile: tile) : try LegendedPictures.poster(p, tile: tile)
        }
    }

    /// The loss chart.
    static func lossPicture(_ p: Playground, width: Int, height: Int) -> PlannedPicture {
        PlannedPicture(name: "loss", width: width, height: height, memory: MemoryBudget.product(width, height, 3)) {
            PosterPictures.loss(p, width: width, height: height)
        }
    }

    /// A hidden layer's space in the plane of two of its neurons.
    static func spacePicture(_ p: Playground, name: String, layer k: Int, neurons: (Int, Int), side: Int, points: PointSelection,
                             bare: Bool) -> PlannedPicture {
        let size = bare ? (width: side, height: side) : LegendedPictures.spaceSize(p, layer: k, neurons: neurons, size: side, points: points)
        return PlannedPicture(name: name, width: size.width, height: size.height,
                              memory: MemoryBudget.sum(MemoryBudget.product(side, side, 3), bare ? 0 : MemoryBudget.product(size.width, size.height, 3))) {
            bare ? PosterPictures.space(p, layer: k, neurons: neurons, size: side, points: points)
                 : LegendedPictures.space(p, layer: k, neurons: neurons, size: side, points: points)
        }
    }

    /// Every picture of `export DIR` at map side `size`, planned but not yet drawn. Throws when one
    /// cannot be made at all (a poster of dozens of very wide layers).
    static func plan(_ p: Playground, size: Int, points: PointSelection, bare: Bool) throws -> [PlannedPicture] {
        let net = p.network
        let widths = (0...(net.hiddenCount + 1)).map { net.width(ofLayer: $0) }
        var pictures = [outputPicture(p, name: "output", side: size, points: points, discrete: false, bare: bare),
                        try posterPicture(p, tile: Swift.max(16, size / 4), bare: bare),
                        lossPicture(p, width: Swift.max(320, 2 * size), height: Swift.max(200, 5 * size / 4))]
        // a layer's maps are computed once for all its neuron pictures, and let go after the last one
        final class LayerMaps { var layer = -1; var maps: GridMaps? }
        let cache = LayerMaps()
        for (k, n) in widths.enumerated() {
            let name = net.layerName(k)
            pictures.append(layerPicture(p, name: "layer-\(name)", layer: k, side: Swift.max(32, size / 2), bare: bare))
            for j in 0..<n {
                pictures.append(neuronPicture(p, name: "neuron-\(name).\(j + 1)", layer: k, neuron: j, side: size, bare: bare) {
                    if cache.layer != k {
                        cache.maps = nil
                        cache.maps = net.gridMaps(Grid(frame: p.dataset.frame, columns: size, rows: size), layers: [k])
                        cache.layer = k
                    }
                    return cache.maps
                })
            }
            if k >= 1 && k <= net.hiddenCount && n >= 2 {
                pictures.append(spacePicture(p, name: "space-\(k)", layer: k, neurons: (0, 1), side: size, points: points, bare: bare))
            }
        }
        return pictures
    }

    /// `export DIR`: every picture in `format`, then the list of files. Everything is planned and
    /// checked before the first file is written; Ctrl-C stops between files.
    static func exportAll(to dir: String, size: Int, points: PointSelection, format: PictureFormat, bare: Bool, _ session: Session) throws {
        let p = session.playground
        let pictures = try plan(p, size: size, points: points, bare: bare)
        try check(pictures, size: size, command: { "export \(Tokenizer.quoted(dir)) size=\($0)\(bare ? " bare" : "")" }) {
            (try? plan(p, size: $0, points: points, bare: bare)) ?? []
        }
        try FileAccess.makeDirectory(dir)
        var written: [String] = []
        for picture in pictures {
            if session.interrupt.isRaised {
                _ = session.interrupt.consume()
                session.wasInterrupted = true
                session.say("interrupted: wrote \(written.count) pictures to \(dir) before Ctrl-C")
                return
            }
            let name = picture.name + format.fileExtension
            let path = dir.hasSuffix("/") ? dir + name : dir + "/" + name
            do {
                try FileAccess.writeAtomically(format.encode(try picture.make()), to: path)
            } catch let error as NNPlayError where !written.isEmpty {
                // each file is whole or absent; say which ones are there
                throw NNPlayError("\(error.message); \(written.count) pictures were written before it (\(written.first ?? "")…\(written.last ?? ""))")
            }
            written.append(name)
        }
        let neurons = written.filter { $0.hasPrefix("neuron-") }.count, ext = format.fileExtension
        session.say("wrote \(written.count) pictures to \(dir): output\(ext), net\(ext), loss\(ext), "
                    + "\(written.filter { $0.hasPrefix("layer-") }.joined(separator: " ")), "
                    + "\(neurons) neuron maps (neuron-L.J\(ext))"
                    + (written.contains { $0.hasPrefix("space-") } ? ", \(written.filter { $0.hasPrefix("space-") }.joined(separator: " "))" : ""))
    }
}
