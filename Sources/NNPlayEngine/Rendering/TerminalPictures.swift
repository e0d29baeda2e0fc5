/// The pictures `plot` draws in a terminal, as character canvases: the output's class regions with
/// the data, one neuron, one layer's neurons side by side, the whole network left to right, the
/// loss curves, and a hidden layer's space. Sizes are in character cells; in colour modes each cell
/// holds two pixels (upper-half blocks), so a square frame is `w` columns by `w/2` rows either way.
public enum TerminalPictures {
    /// Smallest and largest map sides accepted (columns).
    public static let minColumns = 4
    public static let maxColumns = 1000

    static func grid(_ frame: Frame, columns w: Int, rows h: Int, _ mode: ColorMode) -> Grid {
        Grid(frame: frame, columns: w, rows: mode == .plain ? h : 2 * h)
    }

    /// A neuron's map, without labels, `w × h` cells.
    public static func neuronMap(_ p: Playground, layer k: Int, neuron j: Int, columns w: Int, rows h: Int, _ mode: ColorMode) -> TextCanvas {
        let maps = p.network.gridMaps(grid(p.dataset.frame, columns: w, rows: h, mode), layers: [k])
        return cells(maps, layer: k, neuron: j, network: p.network, mode)
    }

    /// A neuron's map from computed maps: characters in plain mode, else half-block pixels.
    static func cells(_ maps: GridMaps, layer k: Int, neuron j: Int, network: Network, _ mode: ColorMode) -> TextCanvas {
        mode == .plain ? MapPainter.neuronCharacters(maps, layer: k, neuron: j, network: network)
                       : TextCanvas.halfBlocks(MapPainter.neuronImage(maps, layer: k, neuron: j, network: network))
    }

    /// The output's class regions with data points, without labels, `w × h` cells.
    public static func outputMap(_ p: Playground, columns w: Int, rows h: Int, _ mode: ColorMode,
                                 points: PointSelection, discrete: Bool) -> TextCanvas {
        outputMap(network: p.network, data: p.dataset, columns: w, rows: h, mode, points: points, discrete: discrete)
    }

    /// The output map of a network over a dataset's frame (live training draws the network as it learns).
    public static func outputMap(network: Network, data: Dataset, columns w: Int, rows h: Int, _ mode: ColorMode,
                                 points: PointSelection, discrete: Bool) -> TextCanvas {
        let maps = network.gridMaps(grid(data.frame, columns: w, rows: h, mode), layers: [])
        let coloring = PointColoring(data)
        var canvas = mode == .plain ? MapPainter.outputCharacters(maps, coloring: coloring)
                                    : TextCanvas.halfBlocks(MapPainter.outputImage(maps, discrete: discrete, coloring: coloring))
        MapPainter.drawPoints(&canvas, data: data, frame: data.frame, points, colored: mode != .plain)
        return canvas
    }

    /// `plot`: the output regions with axes, a title and a legend.
    public static func output(_ p: Playground, columns w: Int, rows h: Int, _ mode: ColorMode,
                              points: PointSelection, discrete: Bool, maxWidth: Int = .max) -> TextCanvas {
        let map = outputMap(p, columns: w, rows: h, mode, points: points, discrete: discrete)
        let title = "output: \(p.network.architecture), epoch \(formatMetric(p.epochsTrained, digits: 6))"
        return framed(map, title: title, frame: p.dataset.frame, legend: classLegend(p.dataset, mode, points: points), maxWidth: maxWidth)
    }

    /// `plot neuron K.J`: one neuron's map with axes and its colour scale.
    public static func neuron(_ p: Playground, layer k: Int, neuron j: Int, columns w: Int, rows h: Int, _ mode: ColorMode,
                              maxWidth: Int = .max) -> TextCanvas {
        let map = neuronMap(p, layer: k, neuron: j, columns: w, rows: h, mode)
        let title = "neuron \(p.network.neuronName(layer: k, neuron: j)) (\(p.network.activationName(ofLayer: k)))"
        return framed(map, title: title, frame: p.dataset.frame, legend: scaleLegend(p, layer: k, mode), maxWidth: maxWidth)
    }

    /// `plot layer K`: every neuron of a layer as a tile with its name, in rows that fit `maxWidth`.
    public static func layer(_ p: Playground, layer k: Int, tile: Int, maxWidth: Int, _ mode: ColorMode) -> TextCanvas {
        let net = p.network, n = net.width(ofLayer: k)
        let gap = 2, perRow = Swift.max(1, (maxWidth + gap) / (tile + gap))
        let rowsOfTiles = (n + perRow - 1) / perRow
        let tileRows = Swift.max(1, tile / 2)
        let kind = k == 0 ? (n == 1 ? "feature" : "features") : net.activationName(ofLayer: k)
        let title = fit("layer \(net.layerName(k)) (\(n) \(kind)): each tile is a neuron's output over the plane", maxWidth)
        let legend = fit(scaleLegend(p, layer: k, mode), maxWidth)
        var canvas = TextCanvas(width: Swift.max(Swift.min(n, perRow) * (tile + gap) - gap, title.count, legend.count),
                                height: 1 + rowsOfTiles * (tileRows + 2))
        canvas.put(title, x: 0, y: 0)
        let grid = self.grid(p.dataset.frame, columns: tile, rows: tileRows, mode)
        let maps = net.gridMaps(grid, layers: [k])
        for j in 0..<n {
            let x = (j % perRow) * (tile + gap), y = 1 + (j / perRow) * (tileRows + 2)
            canvas.put(net.neuronName(layer: k, neuron: j), x: x, y: y)
            canvas.draw(cells(maps, layer: k, neuron: j, network: net, mode), x: x, y: y + 1)
        }
        canvas.grow(by: 1)
        canvas.put(legend, x: 0, y: canvas.height - 1)
        return canvas
    }

    /// `plot loss`: the loss curves over the epochs trained.
    public static func loss(_ p: Playground, columns w: Int, rows h: Int, _ mode: ColorMode) -> TextCanvas {
        LossChart(history: p.progress.history).characters(width: w, height: h, colored: mode != .plain)
    }

    /// `plot loss steps`: the mini-batch loss of every step (evenly thinned on long runs).
    public static func stepLosses(_ p: Playground, columns w: Int, rows h: Int, _ mode: ColorMode) -> TextCanvas {
        let log = p.progress.stepLosses
        let points = zip(log.steps, log.losses).map { (x: Double($0 + 1), value: $1) }
        let name = "batch \(p.settings.batchSize)" + (log.stride > 1 ? ", every \(log.stride)th step" : "")
        return SeriesChart(title: "mini-batch loss", xLabel: "step",
                           series: [.init(name: name, mark: "*", points: points)]).characters(width: w, height: h, colored: mode != .plain)
    }

    /// The marks of the layers in `plot grads`: 1…9, then letters; `o` for the output.
    static func layerMark(_ k: Int, of net: Network) -> Character {
        if k == net.hiddenCount + 1 { return "o" }
        let marks = Array("123456789abcdefghijklmnpqrstuvwxyz")
        return marks[(k - 1) % marks.count]
    }

    /// `plot grads`: each layer's weight-gradient norm per epoch, on a log scale.
    public static func gradients(_ p: Playground, columns w: Int, rows h: Int, _ mode: ColorMode) -> TextCanvas {
        let net = p.network
        let records = p.progress.history.filter { $0.gradientNorms.count == net.layers.count }
        let series = (1...net.layers.count).map { k in
            SeriesChart.Series(name: "", mark: layerMark(k, of: net),
                               color: Palette.classes[(k - 1) % Palette.classes.count],
                               points: records.map { (x: Double($0.epoch), value: $0.gradientNorms[k - 1]) })
        }
        let marks = net.hiddenCount == 0 ? "o out" : net.hiddenCount == 1 ? "1 layer 1, o out"
            : "1…\(layerMark(net.hiddenCount, of: net)) layers, o out"
        return SeriesChart(title: "gradient norm", xLabel: "epoch", series: series, logScale: true, legend: marks)
            .characters(width: w, height: h, colored: mode != .plain)
    }

    /// `plot space K I J`: layer K's space in the plane of its neurons I and J (0-based).
    public static func space(_ p: Playground, layer k: Int, neurons: (Int, Int), columns w: Int, rows h: Int,
                             _ mode: ColorMode, points: PointSelection, maxWidth: Int = .max) -> TextCanvas {
        // no more grid lines than the cells can show apart
        let space = HiddenSpace(network: p.network, layer: k, neurons: neurons, frame: p.dataset.frame,
                                data: p.dataset, selection: points,
                                lineCount: HiddenSpace.lineCount(columns: w, rows: h, halfBlocks: mode != .plain))
        var map: TextCanvas
        if mode == .plain {
            map = space.characters(width: w, height: h)
        } else {
            // the mesh as pixels, the points as glyphs on top
            map = TextCanvas.halfBlocks(space.image(width: w, height: 2 * h, pointRadius: nil))
            let (toX, toY) = space.mapping(width: Double(w), height: Double(h))
            let ground = map   // what lies under each point: the mesh, not an earlier point
            for point in space.points {
                let x = toX(point.u), y = toY(point.v)
                guard x.isFinite, y.isFinite, x >= 0, y >= 0, x < Double(w), y < Double(h) else { continue }
                map[Int(x), Int(y)] = MapPainter.pointCell(color: point.color, isTest: point.isTest,
                                                           under: ground[Int(x), Int(y)].foreground ?? Palette.background)
            }
        }
        let net = p.network
        let title = "layer \(net.layerName(k)) space: x = neuron \(net.neuronName(layer: k, neuron: neurons.0)), y = neuron \(net.neuronName(layer: k, neuron: neurons.1))"
        return framed(map, title: title, frame: space.bounds,
                      legend: "the input plane's grid lines and the data, as layer \(net.layerName(k)) sees them", maxWidth: maxWidth)
    }

    // MARK: Labels

    /// A map with a title above, y labels at the left, x labels below, and a legend line; the title
    /// and legend are cut (…) to the wider of the map and `maxWidth`.
    static func framed(_ map: TextCanvas, title: String, frame: Frame, legend: String, maxWidth: Int) -> TextCanvas {
        framed(map, title: title, frame: frame, legend: TextCell.line(legend), maxWidth: maxWidth)
    }

    /// `framed` with a legend of cells (coloured swatches and bars in colour modes).
    static func framed(_ map: TextCanvas, title: String, frame: Frame, legend: [TextCell], maxWidth: Int) -> TextCanvas {
        let top = formatMetric(frame.yMax, digits: 3), bottom = formatMetric(frame.yMin, digits: 3)
        let gutter = Swift.max(top.count, bottom.count) + 1
        let textWidth = Swift.max(gutter + map.width, Swift.min(maxWidth, Swift.max(title.count, legend.count)))
        let title = fit(title, textWidth), legend = fit(legend, textWidth)
        var canvas = TextCanvas(width: Swift.max(gutter + map.width, title.count, legend.count), height: map.height + 3)
        canvas.put(title, x: 0, y: 0)
        canvas.put(top, x: gutter - 1 - top.count, y: 1)
        canvas.put(bottom, x: gutter - 1 - bottom.count, y: map.height)
        canvas.draw(map, x: gutter, y: 1)
        let left = formatMetric(frame.xMin, digits: 3), right = formatMetric(frame.xMax, digits: 3)
        canvas.put(left, x: gutter, y: map.height + 1)
        canvas.put(right, x: gutter + map.width - right.count, y: map.height + 1)
        canvas.put(legend, x: 0, y: map.height + 2)
        return canvas
    }

    /// Text cut to `width` characters, ending in … when cut.
    static func fit(_ text: String, _ width: Int) -> String {
        text.count <= width ? text : String(text.prefix(Swift.max(0, width - 1))) + "…"
    }

    /// Cells cut to `width`, ending in … when cut.
    static func fit(_ cells: [TextCell], _ width: Int) -> [TextCell] {
        cells.count <= width ? cells : Array(cells.prefix(Swift.max(0, width - 1))) + [TextCell("…")]
    }

    /// The classes: plain, each region's character, point markers and name; in colour, a swatch in
    /// the class's colour before each name.
    static func classLegend(_ data: Dataset, _ mode: ColorMode, points: PointSelection) -> [TextCell] {
        if case .values(let scale) = PointColoring(data), let r = data.valueRange {
            return targetLegend(scale, range: r, mode)
        }
        guard mode != .plain else {
            let classes = (0..<data.classCount).map { c in
                "\(MapPainter.classFill[c % MapPainter.classFill.count]) \(MapPainter.marker(forClass: c, test: false))/\(MapPainter.marker(forClass: c, test: true)) \(data.className(c))"
            }
            return TextCell.line(classes.joined(separator: "  ") + "  (region, train/test point; # boundary)")
        }
        var cells: [TextCell] = []
        for c in 0..<data.classCount {
            if c > 0 { cells += TextCell.line("  ") }
            cells += TextCell.line(legendSwatch, foreground: Palette.classColor(c)) + TextCell.line(" class \(data.className(c))")
        }
        return cells + TextCell.line("  (● train ○ test; paler = less sure)")
    }

    /// Regression: the targets' scale (plain: the ramp's characters) and their range.
    static func targetLegend(_ scale: ColorScale, range: (min: Double, max: Double), _ mode: ColorMode) -> [TextCell] {
        let span = "targets \(formatMetric(range.min)) … \(formatMetric(range.max))"
        guard mode != .plain else {
            return TextCell.line("= \(formatMetric(-scale.halfRange))  - . +  # \(formatMetric(scale.halfRange))  (prediction; o/O train/test point; \(span))")
        }
        let n = legendBarHalf
        let bar = { (from: Int, shift: Double) -> [TextCell] in
            (from..<(from + n)).map { i in TextCell("█", foreground: scale.color(scale.halfRange * (Double(i) + shift) / Double(n))) }
        }
        return TextCell.line(formatMetric(-scale.halfRange) + " ") + bar(-n, 0) + TextCell.line(" 0 ") + bar(0, 1)
            + TextCell.line(" \(formatMetric(scale.halfRange))  (prediction and ● train ○ test points by target; \(span))")
    }

    /// A class's swatch in colour legends.
    static let legendSwatch = "██"
    /// Cells each half of a colour legend's gradient bar has.
    static let legendBarHalf = 6

    /// A layer's colour scale: plain, the ramp's characters and the range; in colour, a gradient bar
    /// from the low colour through the centre's to the high one, with the numbers at its ends and middle.
    static func scaleLegend(_ p: Playground, layer k: Int, _ mode: ColorMode) -> [TextCell] {
        let b = p.network.colorScaleBounds(layer: k)
        guard mode != .plain else {
            let span = b.halfRange.map { "\(formatMetric(b.center - $0)) … \(formatMetric(b.center + $0))" } ?? "scaled to each map"
            return TextCell.line("= low  - . +  # high (\(span))")
        }
        let scale = ColorScale(center: b.center, halfRange: b.halfRange ?? 1)
        let n = legendBarHalf
        // the low half from full orange, the high half up to full blue: cell i of a half at (i + shift) / n of the way
        let bar = { (from: Int, shift: Double) -> [TextCell] in
            (from..<(from + n)).map { i in
                TextCell("█", foreground: scale.color(scale.center + scale.halfRange * (Double(i) + shift) / Double(n)))
            }
        }
        let low = b.halfRange.map { formatMetric(b.center - $0) } ?? "low", high = b.halfRange.map { formatMetric(b.center + $0) } ?? "high"
        let how = b.halfRange == nil ? "  (each map scaled to its largest distance from \(formatMetric(b.center)))" : "  (orange low, blue high)"
        return TextCell.line(low + " ") + bar(-n, 0) + TextCell.line(" \(formatMetric(b.center)) ") + bar(0, 1)
            + TextCell.line(" " + high + how)
    }
}
