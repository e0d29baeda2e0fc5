/// The pictures `export` writes as PPM files: neuron maps, layer tiles, the output with the data,
/// the whole network as a poster, the loss curve and a hidden layer's space.
public enum PosterPictures {
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
        var image = MapPainter.outputImage(maps, discrete: discrete)
        MapPainter.drawPoints(&image, data: p.dataset, frame: p.dataset.frame, points, radius: Swift.max(1.5, Double(size) / 120))
        return image
    }

    /// A layer's neurons as tiles in rows of at most 8, each labelled below.
    public static func layerTile(_ p: Playground, layer k: Int, size: Int) -> Image {
        let tiles = neurons(p, layer: k, size: size)
        let perRow = Swift.min(8, tiles.count), gap = 8, label = 12
        let rows = (tiles.count + perRow - 1) / perRow
        var image = Image(width: perRow * (size + gap) + gap, height: rows * (size + gap + label) + gap + label)
        image.drawText("LAYER \(p.network.layerName(k).uppercased())", x: gap, y: 3)
        for (j, tile) in tiles.enumerated() {
            let x = gap + (j % perRow) * (size + gap), y = gap + label + (j / perRow) * (size + gap + label)
            image.draw(tile, x: x, y: y)
            image.drawText(p.network.neuronName(layer: k, neuron: j), x: x, y: y + size + 2)
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
            .image(width: size, height: size, pointRadius: Swift.max(1.5, Double(size) / 120))
    }

    /// The whole network as a poster (see `PosterLayout`).
    public static func poster(_ p: Playground, tile: Int) throws -> Image {
        let layout = try PosterLayout(network: p.network, tile: tile)
        let net = p.network
        var image = Image(width: layout.width, height: layout.height)
        // connections first, so that the maps sit on top of them
        var largest = 0.0
        for r in net.weightRanges { for i in r { largest = Swift.max(largest, abs(net.parameters[i])) } }
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
            image.drawText(header, x: Swift.max(0, headerX), y: PosterLayout.margin)
            for (j, spot) in column.enumerated() {
                image.draw(MapPainter.neuronImage(maps, layer: k, neuron: j, network: net), x: spot.x, y: spot.y)
                image.strokeRect(x: spot.x - 1, y: spot.y - 1, width: layout.tile + 2, height: layout.tile + 2, Palette.ink)
                image.drawText(net.neuronName(layer: k, neuron: j).uppercased(), x: spot.x, y: spot.y + layout.tile + 3)
            }
        }
        return image
    }
}

/// Where the poster puts each neuron: one column per layer (inputs, hidden layers, output), the
/// neurons stacked and centred in it, with room between columns for the connections.
public struct PosterLayout: Equatable, Sendable {
    public static let margin = 12
    /// Height of the column headers.
    public static let header = 20

    public let tile: Int
    public let columnGap: Int
    public let rowGap: Int
    public let width: Int
    public let height: Int
    /// Top-left corners of every neuron's map, by layer (0…H+1) and neuron.
    public let tiles: [[(x: Int, y: Int)]]

    public static func == (a: PosterLayout, b: PosterLayout) -> Bool {
        a.tile == b.tile && a.width == b.width && a.height == b.height
            && a.tiles.map { $0.map { [$0.x, $0.y] } } == b.tiles.map { $0.map { [$0.x, $0.y] } }
    }

    /// Throws when the poster would exceed `PPM.maxSide` even with the smallest tiles.
    public init(network: Network, tile requested: Int) throws {
        let widths = (0...(network.hiddenCount + 1)).map { network.width(ofLayer: $0) }
        let tallest = widths.max() ?? 1
        let rowGap = 14   // room for the neuron's name under its map
        var tile = Swift.max(8, requested)
        let room = PPM.maxSide - 2 * PosterLayout.margin - PosterLayout.header
        if tallest * (tile + rowGap) > room { tile = room / tallest - rowGap }
        guard tile >= 8 else {
            throw NNPlayError("a poster of a layer of \(tallest) neurons would be taller than \(PPM.maxSide) pixels: export its layers one by one (export layer K FILE)")
        }
        let columnGap = Swift.max(48, 2 * tile)
        let columnsWidth = widths.count * tile + (widths.count - 1) * columnGap
        guard columnsWidth + 2 * PosterLayout.margin <= PPM.maxSide else {
            throw NNPlayError("a poster of \(widths.count) layers would be wider than \(PPM.maxSide) pixels: use a smaller size=")
        }
        let columnHeight = { (n: Int) in n * tile + (n - 1) * rowGap }
        let height = 2 * PosterLayout.margin + PosterLayout.header + columnHeight(tallest) + rowGap
        var tiles: [[(x: Int, y: Int)]] = []
        for (k, n) in widths.enumerated() {
            let x = PosterLayout.margin + k * (tile + columnGap)
            let top = PosterLayout.margin + PosterLayout.header + (columnHeight(tallest) - columnHeight(n)) / 2
            tiles.append((0..<n).map { (x: x, y: top + $0 * (tile + rowGap)) })
        }
        self.tile = tile
        self.columnGap = columnGap
        self.rowGap = rowGap
        self.width = columnsWidth + 2 * PosterLayout.margin
        self.height = height
        self.tiles = tiles
    }
}
