/// The pictures `export` writes as PPM files: neuron maps, layer tiles, the output with the data,
/// the whole network as a poster, the loss curve and a hidden layer's space.
public enum PosterPictures {
    /// The radius of the data points on a map `size` pixels wide.
    static func pointRadius(size: Int) -> Double { Swift.max(1.5, Double(size) / 120) }

    /// One neuron's map, `size × size` pixels.
    public static func neuron(_ p: Playground, layer k: Int, neuron j: Int, size: Int) -> Image {
        let maps = p.network.gridMaps(Grid(frame: p.dataset.frame, columns: size, rows: size), layers: [k])
        return MapPainter.neuronImage(maps, layer: k, neuron: j, network: p.network)
    }

    /// Every neuron map of a layer, computed once.
    public static func neurons(_ p: Playground, layer k: Int, size: Int) -> [Image] {
        let maps = p.network.gridMaps(Grid(frame: p.dataset.frame, columns: size, rows: size), layers: [k])
        return (0..<p.network.width(ofLayer: k)).map { MapPainter.neuronImage(maps, layer: k, neuron: $0, network: p.network) }
    }

    /// The class regions with the data points, `size × size` pixels.
    public static func output(_ p: Playground, size: Int, points: PointSelection, discrete: Bool) -> Image {
        let maps = p.network.gridMaps(Grid(frame: p.dataset.frame, columns: size, rows: size), layers: [])
        var image = MapPainter.outputImage(maps, discrete: discrete, coloring: PointColoring(p.dataset))
        MapPainter.drawPoints(&image, data: p.dataset, frame: p.dataset.frame, points, radius: pointRadius(size: size))
        return image
    }

    /// A layer's neurons as tiles, each labelled below (see `LayerSheet`; `reserve` keeps room under it for a key).
    public static func layerTile(_ p: Playground, layer k: Int, size: Int, reserve: Int = 0) -> Image {
        let n = p.network.width(ofLayer: k)
        let sheet = LayerSheet(neurons: n, tile: size, reserve: reserve)
        let maps = p.network.gridMaps(Grid(frame: p.dataset.frame, columns: sheet.tile, rows: sheet.tile), layers: [k])
        var image = Image(width: sheet.width, height: sheet.height)
        image.drawText("LAYER \(p.network.layerName(k).uppercased())", x: LayerSheet.gap, y: 3)
        for j in 0..<n {
            let (x, y) = sheet.origin(of: j)
            image.draw(MapPainter.neuronImage(maps, layer: k, neuron: j, network: p.network), x: x, y: y)
            image.drawText(p.network.neuronName(layer: k, neuron: j), x: x, y: y + sheet.tile + 2)
        }
        return image
    }

    /// The loss chart.
    public static func loss(_ p: Playground, width: Int, height: Int) -> Image {
        LossChart(history: p.progress.history).image(width: width, height: height)
    }

    /// A hidden layer's space.
    public static func space(_ p: Playground, layer k: Int, neurons: (Int, Int), size: Int, points: PointSelection) -> Image {
        HiddenSpace(network: p.network, layer: k, neurons: neurons, frame: p.dataset.frame, data: p.dataset, selection: points)
            .image(width: size, height: size, pointRadius: pointRadius(size: size))
    }

    /// The whole network as a poster (see `PosterLayout`); `headers: false` leaves the columns'
    /// headers to the caller.
    public static func poster(_ p: Playground, tile: Int, headers: Bool = true, reserve: Int = 0) throws -> Image {
        let layout = try PosterLayout(network: p.network, tile: tile, reserve: reserve)
        let net = p.network
        var image = Image(width: layout.width, height: layout.height)
        // connections first, so that the maps sit on top of them
        let largest = net.largestWeight
        for k in 1..<layout.tiles.count {
            let shape = net.layers[k - 1]
            for j in 0..<shape.size {
                for i in 0..<shape.inputs {
                    let w = net.parameters[shape.weightIndex(neuron: j, input: i)]
                    let from = layout.tiles[k - 1][i], to = layout.tiles[k][j]
                    let strength = largest > 0 ? abs(w) / largest : 0
                    let color = (w >= 0 ? Palette.positive : Palette.negative).mixed(with: .white, 0.6 * (1 - strength))
                    image.drawLine(x0: Double(from.x + layout.tile), y0: Double(from.y) + Double(layout.tile) / 2,
                                   x1: Double(to.x), y1: Double(to.y) + Double(layout.tile) / 2,
                                   thickness: 0.5 + 4.5 * strength, color)
                }
            }
        }
        let grid = Grid(frame: p.dataset.frame, columns: layout.tile, rows: layout.tile)
        let maps = net.gridMaps(grid, layers: nil)
        for (k, column) in layout.tiles.enumerated() {
            let header = k == 0 ? "INPUTS" : "\(net.layerName(k).uppercased()) \(net.activationName(ofLayer: k).uppercased())"
            // a header wider than the last column moves left to stay inside the picture
            let headerX = Swift.min(column.first?.x ?? 0, layout.width - PosterLayout.margin - Image.textWidth(header))
            if headers { image.drawText(header, x: Swift.max(0, headerX), y: PosterLayout.margin) }
            for (j, spot) in column.enumerated() {
                image.draw(MapPainter.neuronImage(maps, layer: k, neuron: j, network: net), x: spot.x, y: spot.y)
                image.strokeRect(x: spot.x - 1, y: spot.y - 1, width: layout.tile + 2, height: layout.tile + 2, Palette.ink)
                image.drawText(net.neuronName(layer: k, neuron: j).uppercased(), x: spot.x, y: spot.y + layout.tile + 3)
            }
        }
        return image
    }
}

/// How a layer's tiles sit in its picture: rows of 8 (more for wide layers, so the sheet stays
/// about square), the tiles shrunk when a wide layer would not fit `PPM.maxSide` otherwise.
public struct LayerSheet: Equatable, Sendable {
    public static let gap = 8
    /// Room for a tile's label under it.
    public static let label = 12
    public let perRow: Int
    public let tile: Int
    public let width: Int
    public let height: Int

    /// `reserve`: pixels kept free under the sheet within `PPM.maxSide` (for its key).
    public init(neurons n: Int, tile requested: Int, reserve: Int = 0) {
        let perRow = Swift.max(1, Swift.min(n, Swift.max(8, Int(Double(n).squareRoot().rounded(.up)))))
        let rows = (n + perRow - 1) / perRow
        let g = LayerSheet.gap, l = LayerSheet.label
        let fitsAcross = (PPM.maxSide - g) / perRow - g, fitsDown = (PPM.maxSide - reserve - g - l) / rows - g - l
        tile = Swift.max(1, Swift.min(requested, fitsAcross, fitsDown))
        self.perRow = perRow
        width = perRow * (tile + g) + g
        height = rows * (tile + g + l) + g + l
    }

    /// Top-left corner of tile j.
    public func origin(of j: Int) -> (x: Int, y: Int) {
        (LayerSheet.gap + (j % perRow) * (tile + LayerSheet.gap),
         LayerSheet.gap + LayerSheet.label + (j / perRow) * (tile + LayerSheet.gap + LayerSheet.label))
    }
}

/// Where the poster puts each neuron: one column per layer (inputs, hidden layers, output), the
/// neurons stacked and centred in it, with room between columns for the connections. A layer too
/// tall for the picture wraps into side-by-side sub-columns, so any layer width fits.
public struct PosterLayout: Equatable, Sendable {
    public static let margin = 12
    /// Height of the column headers.
    public static let header = 20
    /// Smallest map side a poster uses before it gives up.
    public static let smallestTile = 4

    public let tile: Int
    public let columnGap: Int
    public let rowGap: Int
    /// Most neurons stacked in one (sub-)column.
    public let perColumn: Int
    public let width: Int
    public let height: Int
    /// Top-left corners of every neuron's map, by layer (0…H+1) and neuron.
    public let tiles: [[(x: Int, y: Int)]]

    public static func == (a: PosterLayout, b: PosterLayout) -> Bool {
        a.tile == b.tile && a.width == b.width && a.height == b.height
            && a.tiles.map { $0.map { [$0.x, $0.y] } } == b.tiles.map { $0.map { [$0.x, $0.y] } }
    }

    /// Throws only when even the smallest maps would make the poster wider than `PPM.maxSide`
    /// (dozens of layers of hundreds of neurons). `reserve`: pixels kept free under the poster within
    /// `PPM.maxSide` (for its keys).
    public init(network: Network, tile requested: Int, reserve: Int = 0) throws {
        let widths = (0...(network.hiddenCount + 1)).map { network.width(ofLayer: $0) }
        let tallest = widths.max() ?? 1
        let rowGap = 14   // room for the neuron's name under its map
        let room = PPM.maxSide - reserve - 2 * PosterLayout.margin - PosterLayout.header - rowGap
        // shrink the maps until the tallest layer fits one column, but not below 16 pixels:
        // below that, tall layers wrap into sub-columns instead
        var tile = Swift.max(PosterLayout.smallestTile, requested)
        if tallest * (tile + rowGap) > room { tile = Swift.max(Swift.min(tile, 16), room / tallest - rowGap) }
        func measure(_ tile: Int) -> (perColumn: Int, columnGap: Int, subGap: Int, width: Int) {
            let perColumn = Swift.max(1, room / (tile + rowGap))
            let columnGap = Swift.max(48, 2 * tile), subGap = Swift.max(6, tile / 4)
            var width = 2 * PosterLayout.margin + (widths.count - 1) * columnGap
            for n in widths {
                let columns = (n + perColumn - 1) / perColumn
                width += columns * tile + (columns - 1) * subGap
            }
            return (perColumn, columnGap, subGap, width)
        }
        var m = measure(tile)
        while m.width > PPM.maxSide && tile > PosterLayout.smallestTile {
            tile -= 1
            m = measure(tile)
        }
        guard m.width <= PPM.maxSide else {
            throw NNPlayError("a poster of \(widths.count) layers of up to \(tallest) neurons would be wider than \(PPM.maxSide) pixels "
                              + "even with \(PosterLayout.smallestTile)-pixel maps: export its layers one by one instead (e.g. `export layer 1 layer-1.ppm`)")
        }
        let rows = Swift.min(tallest, m.perColumn)
        let columnHeight = { (n: Int) in n * tile + (n - 1) * rowGap }
        var tiles: [[(x: Int, y: Int)]] = []
        var x = PosterLayout.margin
        for n in widths {
            let shown = Swift.min(n, m.perColumn)
            let top = PosterLayout.margin + PosterLayout.header + (columnHeight(rows) - columnHeight(shown)) / 2
            tiles.append((0..<n).map { j in (x: x + (j / m.perColumn) * (tile + m.subGap), y: top + (j % m.perColumn) * (tile + rowGap)) })
            let columns = (n + m.perColumn - 1) / m.perColumn
            x += columns * tile + (columns - 1) * m.subGap + m.columnGap
        }
        self.tile = tile
        self.columnGap = m.columnGap
        self.rowGap = rowGap
        self.perColumn = m.perColumn
        self.width = m.width
        self.height = 2 * PosterLayout.margin + PosterLayout.header + columnHeight(rows) + rowGap
        self.tiles = tiles
    }
}
