/// The pictures `export` writes by default: the maps of `PosterPictures` with what it takes to read
/// them — the output with its classes' colours and names, the point markers and the axis ranges; a
/// neuron with its value scale; the layer sheet and the poster with their scale (and weight) keys; a
/// hidden layer's space with its two neurons as the axes. `export … bare` writes the maps alone.
/// Each picture's size is known before it is drawn (`…Figure`, `…Legend`), for the memory checks.
public enum LegendedPictures {
    static func number(_ v: Double) -> String { formatMetric(v, digits: 3) }

    /// A swatch per class with its name, then the markers of the points shown. The swatch is the
    /// class's colour (its region where the network is sure), or with `discrete` its regions' one shade.
    /// Regression data has the targets' scale instead, with their range.
    static func classItems(_ data: Dataset, points: PointSelection, discrete: Bool = false) -> [Legend.Item] {
        var items: [Legend.Item]
        if case .values(let scale) = PointColoring(data), let r = data.valueRange {
            items = [.scale(scale, low: number(-scale.halfRange), center: "0", high: number(scale.halfRange)),
                     .text("TARGETS \(number(r.min)) TO \(number(r.max))")]
        } else {
            items = (0..<data.classCount).map { c in
                .swatch(discrete ? MapPainter.regionColor(c, confidence: nil) : Palette.classColor(c),
                        data.classNames == nil ? "CLASS \(c)" : data.className(c))
            }
        }
        items.append(.newRow)
        if points.includes(test: false) { items.append(.point(isTest: false, "TRAIN")) }
        if points.includes(test: true) { items.append(.point(isTest: true, "TEST")) }
        return items
    }

    // MARK: Output

    /// `epoch`: the one the title names, when the weights are not the playground's own (a recording's frame).
    public static func outputFigure(_ p: Playground, size: Int, points: PointSelection, discrete: Bool, epoch: Double? = nil) -> Figure {
        Figure(title: ["OUTPUT: \(Legend.keepingLayersTogether(p.network.architecture))", "EPOCH \(formatMetric(epoch ?? p.epochsTrained, digits: 6))"],
               mapWidth: size, mapHeight: size, frame: p.dataset.frame, xTitle: "X", yTitle: "Y",
               legend: classItems(p.dataset, points: points, discrete: discrete)
                   + (discrete || p.dataset.problem == .regression ? [] : [.text("PALER = LESS SURE")]))
    }

    /// `export out`: the class regions and the data, `size × size`, in their figure.
    public static func output(_ p: Playground, size: Int, points: PointSelection, discrete: Bool, epoch: Double? = nil) -> Image {
        outputFigure(p, size: size, points: points, discrete: discrete, epoch: epoch)
            .draw(map: PosterPictures.output(p, size: size, points: points, discrete: discrete))
    }

    // MARK: Neurons

    /// The colour bar of a scale and what it means: bounded activations show their range, the
    /// others the map's own (its largest distance from the centre either way).
    static func scaleItems(_ scale: ColorScale, bounded: Bool) -> [Legend.Item] {
        [.scale(scale, low: number(scale.center - scale.halfRange), center: number(scale.center), high: number(scale.center + scale.halfRange)),
         .text(bounded ? "ORANGE LOW, BLUE HIGH" : "SCALED TO THIS MAP'S LARGEST |VALUE|")]
    }

    /// A neuron's figure; `scale` gives only the bar's numbers, so any scale gives the size.
    public static func neuronFigure(_ p: Playground, layer k: Int, neuron j: Int, size: Int,
                                    scale: ColorScale = ColorScale(center: 0, halfRange: 1)) -> Figure {
        let net = p.network
        return Figure(title: ["NEURON \(net.neuronName(layer: k, neuron: j)) (\(net.activationName(ofLayer: k)))"],
                      mapWidth: size, mapHeight: size, frame: p.dataset.frame, xTitle: "X", yTitle: "Y",
                      legend: scaleItems(scale, bounded: net.colorScaleBounds(layer: k).halfRange != nil))
    }

    /// `export neuron`: one neuron's map, `size × size`, with its value scale.
    public static func neuron(_ p: Playground, layer k: Int, neuron j: Int, size: Int) -> Image {
        neuron(p.network.gridMaps(Grid(frame: p.dataset.frame, columns: size, rows: size), layers: [k]), p, layer: k, neuron: j)
    }

    /// A neuron's picture from maps already computed (`export DIR` computes a layer's once).
    public static func neuron(_ maps: GridMaps, _ p: Playground, layer k: Int, neuron j: Int) -> Image {
        let (_, scale) = MapPainter.scaledMap(maps, layer: k, neuron: j, network: p.network)
        return neuronFigure(p, layer: k, neuron: j, size: maps.grid.columns, scale: scale)
            .draw(map: MapPainter.neuronImage(maps, layer: k, neuron: j, network: p.network))
    }

    // MARK: Layer sheet

    /// The layer sheet's key: its scale, or for unbounded activations the note that each tile has its own.
    static func layerItems(_ p: Playground, layer k: Int) -> [Legend.Item] {
        let b = p.network.colorScaleBounds(layer: k)
        if let h = b.halfRange {
            return scaleItems(ColorScale(center: b.center, halfRange: h), bounded: true) + [.text("(\(p.network.activationName(ofLayer: k)))")]
        }
        return [.scale(ColorScale(center: b.center, halfRange: 1), low: "-MAX", center: number(b.center), high: "+MAX"),
                .text("EACH TILE SCALED TO ITS OWN LARGEST |VALUE| (\(k == 0 ? "INPUTS" : p.network.activationName(ofLayer: k)))")]
    }

    /// Room for a key under a picture: its height at the narrowest width a strip has (the tallest it gets).
    static func reserve(_ items: [Legend.Item]) -> Int {
        Image.stripLegend(items, pictureWidth: 0).height + Figure.pad
    }

    /// The sheet of layer k's tiles, with room under it for its key within `PPM.maxSide`.
    public static func sheet(_ p: Playground, layer k: Int, size: Int) -> LayerSheet {
        LayerSheet(neurons: p.network.width(ofLayer: k), tile: size, reserve: reserve(layerItems(p, layer: k)))
    }

    public static func layerLegend(_ p: Playground, layer k: Int, size: Int) -> Legend {
        Image.stripLegend(layerItems(p, layer: k), pictureWidth: sheet(p, layer: k, size: size).width)
    }

    /// `export layer`: the layer's tiles with the key under them.
    public static func layer(_ p: Playground, layer k: Int, size: Int) -> Image {
        PosterPictures.layerTile(p, layer: k, size: size, reserve: reserve(layerItems(p, layer: k))).withLegend(layerLegend(p, layer: k, size: size))
    }

    /// The size of `layer(_:layer:size:)`.
    public static func layerSize(_ p: Playground, layer k: Int, size: Int) -> (width: Int, height: Int) {
        let sheet = sheet(p, layer: k, size: size), legend = layerLegend(p, layer: k, size: size)
        return (Swift.max(sheet.width, legend.width + 2 * Figure.pad), sheet.height + legend.height + Figure.pad)
    }

    // MARK: Poster

    /// The poster's keys: the value scale of its maps (each layer's range) and its connections' colours and widths.
    static func posterItems(_ p: Playground) -> [Legend.Item] {
        let net = p.network
        var bounded: [String] = [], own: [String] = []
        for k in 0...(net.hiddenCount + 1) {
            let b = net.colorScaleBounds(layer: k)
            let name = k == 0 ? "INPUTS" : net.activationName(ofLayer: k)
            if let h = b.halfRange {
                let text = "\(name) \(number(b.center - h))…\(number(b.center + h))"
                if !bounded.contains(text) { bounded.append(text) }
            } else if !own.contains(name) {
                own.append(name)
            }
        }
        var items: [Legend.Item] = [.scale(ColorScale(center: 0, halfRange: 1), low: "LOW", center: "CENTRE", high: "HIGH")]
        items += bounded.map { .text("\($0),") }
        if !own.isEmpty { items.append(.text("\(own.joined(separator: ", ")): EACH MAP TO ITS LARGEST |VALUE|")) }
        // the last bounded range without its comma when nothing follows it
        if own.isEmpty, case .text(let t)? = items.last { items[items.count - 1] = .text(String(t.dropLast())) }
        return items + [.newRow, .line(Palette.positive, thickness: 5, "W > 0"), .line(Palette.negative, thickness: 5, "W < 0"),
                        .line(Palette.positive.mixed(with: .white, 0.54), thickness: 1, "THIN: SMALL |W|"),
                        .text("LARGEST |W| \(number(net.largestWeight))")]
    }

    public static func posterLegend(_ p: Playground, width: Int) -> Legend {
        Image.stripLegend(posterItems(p), pictureWidth: width)
    }

    /// The poster's layout, with room under it for its keys within `PPM.maxSide`.
    public static func posterLayout(_ p: Playground, tile: Int) throws -> PosterLayout {
        try PosterLayout(network: p.network, tile: tile, reserve: reserve(posterItems(p)))
    }

    /// `export net`: the poster with its keys under it, and its column headers wrapped into the room
    /// of their column (a small poster's would run into each other).
    public static func poster(_ p: Playground, tile: Int) throws -> Image {
        let layout = try posterLayout(p, tile: tile), net = p.network
        var image = try PosterPictures.poster(p, tile: tile, headers: false, reserve: reserve(posterItems(p)))
            .withLegend(posterLegend(p, width: layout.width))
        for (k, column) in layout.tiles.enumerated() {
            let x = column.first?.x ?? PosterLayout.margin
            let end = k + 1 < layout.tiles.count ? (layout.tiles[k + 1].first?.x ?? image.width) - 6 : image.width - 2
            let header = k == 0 ? "INPUTS" : "\(net.layerName(k)) \(net.activationName(ofLayer: k))"
            var lines = Legend.wrap(BitmapFont.printable(header), width: end - x)
            if lines.count > 2 { lines = [lines[0], Legend.cut(lines[1...].joined(separator: " "), end - x)] }
            for (i, line) in lines.enumerated() {
                image.drawText(line, x: x, y: PosterLayout.margin - (lines.count - 1) * 5 + i * 9)
            }
        }
        return image
    }

    /// The size of `poster(_:tile:)`.
    public static func posterSize(_ p: Playground, tile: Int) throws -> (width: Int, height: Int) {
        let layout = try posterLayout(p, tile: tile), legend = posterLegend(p, width: layout.width)
        return (Swift.max(layout.width, legend.width + 2 * Figure.pad), layout.height + legend.height + Figure.pad)
    }

    // MARK: Space

    /// The values at the edges of a space picture `size` wide (its bounds and the margin `HiddenSpace` keeps).
    static func edges(_ space: HiddenSpace, size: Int) -> Frame {
        let b = space.bounds, s = Double(size)
        let (toX, toY) = space.mapping(width: s, height: s)
        // the mapping is linear: the value at a pixel from the pixels of the bounds' ends (in halves, so
        // that bounds near ±1e308 do not overflow)
        func value(at pixel: Double, _ lo: Double, _ hi: Double, _ map: (Double) -> Double) -> Double {
            let perUnit = (map(hi) - map(lo)) / 2 / (hi / 2 - lo / 2)
            guard perUnit.isFinite, perUnit != 0 else { return pixel < s / 2 ? lo : hi }
            return lo + (pixel - map(lo)) / perUnit
        }
        return Frame(xMin: value(at: 0, b.xMin, b.xMax, toX), xMax: value(at: s, b.xMin, b.xMax, toX),
                     yMin: value(at: s, b.yMin, b.yMax, toY), yMax: value(at: 0, b.yMin, b.yMax, toY))
    }

    public static func spaceFigure(_ p: Playground, _ space: HiddenSpace, size: Int, points: PointSelection) -> Figure {
        let net = p.network, k = space.layer
        return Figure(title: ["LAYER \(net.layerName(k)) SPACE (\(net.activationName(ofLayer: k)))"],
                      mapWidth: size, mapHeight: size, frame: edges(space, size: size),
                      xTitle: "NEURON \(net.neuronName(layer: k, neuron: space.neurons.0))",
                      yTitle: "NEURON \(net.neuronName(layer: k, neuron: space.neurons.1))",
                      legend: classItems(p.dataset, points: points)
                          + [.text(p.dataset.problem == .regression ? "LINES: THE INPUT PLANE'S GRID" : "LINES: THE INPUT PLANE'S GRID, COLOURED BY PREDICTED CLASS")])
    }

    static func hiddenSpace(_ p: Playground, layer k: Int, neurons: (Int, Int), points: PointSelection) -> HiddenSpace {
        HiddenSpace(network: p.network, layer: k, neurons: neurons, frame: p.dataset.frame, data: p.dataset, selection: points)
    }

    /// `export space`: layer K's space, `size × size`, with its axes named after the two neurons.
    public static func space(_ p: Playground, layer k: Int, neurons: (Int, Int), size: Int, points: PointSelection) -> Image {
        let space = hiddenSpace(p, layer: k, neurons: neurons, points: points)
        return spaceFigure(p, space, size: size, points: points)
            .draw(map: space.image(width: size, height: size, pointRadius: PosterPictures.pointRadius(size: size)))
    }

    /// The size of `space(_:layer:neurons:size:points:)`.
    public static func spaceSize(_ p: Playground, layer k: Int, neurons: (Int, Int), size: Int, points: PointSelection) -> (width: Int, height: Int) {
        let f = spaceFigure(p, hiddenSpace(p, layer: k, neurons: neurons, points: points), size: size, points: points)
        return (f.width, f.height)
    }
}
