/// `plot net` in a terminal: the network left to right like Playground — inputs, each hidden layer,
/// the output — each neuron a small map, and between the columns the weights as Braille lines from
/// each neuron to the next layer's (colour: blue positive, orange negative, brighter = larger;
/// plain characters: solid positive, dotted negative). Tiles shrink and columns wrap into bands so
/// that the picture fits the window.
extension TerminalPictures {
    /// Most neurons `plot net` shows in one column.
    public static let maxNeuronsPerColumn = 24
    /// Links of weights smaller than this fraction of the largest |w| are left out: they would only
    /// hide the strong ones.
    public static let weakestLinkShown = 0.1

    /// How `plot net` is laid out: tile side (columns), gap between columns, columns per band, and
    /// neurons shown per column.
    /// Gaps between `plot net`'s columns (room for the links), widest first.
    public static let networkGaps = [8, 6, 4]

    struct NetworkLayout: Equatable {
        var tile: Int, gap: Int, perBand: Int, shown: Int
        var tileRows: Int { Swift.max(1, tile / 2) }
        var columnWidth: Int { Swift.max(tile, 6) }

        /// Rows of the whole picture: title, bands (header, tiles with their labels, a "+N more"
        /// line where a column is cut) with a blank line before each, and the legend.
        func height(widths: [Int]) -> Int {
            var rows = 2
            for start in stride(from: 0, to: widths.count, by: perBand) {
                let band = widths[start..<Swift.min(widths.count, start + perBand)]
                let tallest = Swift.min(band.max() ?? 1, shown)
                rows += 2 + tallest * (tileRows + 1) + (band.contains { $0 > shown } ? 1 : 0)
            }
            return rows
        }

        /// The largest layout that fits `maxWidth × maxHeight`: big tiles with room for links in one
        /// band first, then smaller tiles, then bands, then fewer neurons per column. A tile side
        /// given by the user is kept.
        static func fitting(widths: [Int], requested: Int?, maxWidth: Int, maxHeight: Int) -> NetworkLayout {
            let n = widths.count
            let tiles = requested.map { [$0] } ?? Array(stride(from: 12, through: 4, by: -2))
            let most = Swift.min(maxNeuronsPerColumn, widths.max() ?? 1)
            func make(_ tile: Int, _ gap: Int) -> NetworkLayout {
                let column = Swift.max(tile, 6)
                return NetworkLayout(tile: tile, gap: gap, perBand: Swift.max(1, (maxWidth + gap) / (column + gap)), shown: most)
            }
            for gap in networkGaps {
                for tile in tiles {
                    let l = make(tile, gap)
                    if l.perBand >= n && l.height(widths: widths) <= maxHeight { return l }
                }
            }
            for tile in tiles {
                let l = make(tile, networkGaps[networkGaps.count - 1])
                if l.height(widths: widths) <= maxHeight { return l }
            }
            var l = make(tiles.last ?? 4, networkGaps[networkGaps.count - 1])
            while l.shown > 1 && l.height(widths: widths) > maxHeight { l.shown -= 1 }
            return l
        }
    }

    /// `plot net`, fitted to `maxWidth` columns and `maxHeight` rows (a tile side `requested` is kept).
    public static func network(_ p: Playground, tile requested: Int?, maxWidth: Int, maxHeight: Int = .max,
                               _ mode: ColorMode) -> TextCanvas {
        let net = p.network
        let layers = Array(0...(net.hiddenCount + 1))
        let widths = layers.map { net.width(ofLayer: $0) }
        let layout = NetworkLayout.fitting(widths: widths, requested: requested.map { Swift.max(minColumns, $0) },
                                           maxWidth: maxWidth, maxHeight: maxHeight)
        let headers = layers.map { k in k == 0 ? "in" : "\(net.layerName(k)) \(net.activationName(ofLayer: k))" }
        let tile = layout.tile, tileRows = layout.tileRows, columnWidth = layout.columnWidth, gap = layout.gap
        let grid = self.grid(p.dataset.frame, columns: tile, rows: tileRows, mode)
        let maps = net.gridMaps(grid, layers: nil)
        let largest = net.largestWeight
        var bands: [TextCanvas] = []
        for bandStart in stride(from: 0, to: layers.count, by: layout.perBand) {
            let bandLayers = Array(layers[bandStart..<Swift.min(layers.count, bandStart + layout.perBand)])
            let tallest = bandLayers.map { Swift.min(widths[$0], layout.shown) }.max() ?? 1
            let anyCut = bandLayers.contains { widths[$0] > layout.shown }
            var band = TextCanvas(width: bandLayers.count * (columnWidth + gap) - gap,
                                  height: 1 + tallest * (tileRows + 1) + (anyCut ? 1 : 0))
            // the links first, in the gaps: from the right edge of each tile to the left edge of
            // the next column's, weakest first so that the strongest shows where lines cross
            var links = BrailleLines(width: band.width, height: band.height)
            for (c, k) in bandLayers.enumerated() where c > 0 && largest > 0 {
                let shape = net.layers[k - 1]
                var drawn: [(strength: Double, w: Double, i: Int, j: Int)] = []
                for j in 0..<Swift.min(shape.size, layout.shown) {
                    for i in 0..<Swift.min(shape.inputs, layout.shown) {
                        let w = net.parameters[shape.weightIndex(neuron: j, input: i)]
                        let strength = abs(w) / largest
                        if strength.isFinite && strength >= weakestLinkShown { drawn.append((strength, w, i, j)) }
                    }
                }
                let fromX = Double(2 * ((c - 1) * (columnWidth + gap) + tile)) + 1
                let toX = Double(2 * (c * (columnWidth + gap))) - 1
                func middle(_ j: Int) -> Double { Double(4 * (1 + j * (tileRows + 1))) + Double(4 * tileRows) / 2 - 0.5 }
                for link in drawn.sorted(by: { $0.strength < $1.strength }) {
                    let color: RGB? = mode == .plain ? nil
                        : (link.w >= 0 ? Palette.positive : Palette.negative).mixed(with: .white, 0.6 * (1 - link.strength))
                    links.line(x0: fromX, y0: middle(link.i), x1: toX, y1: middle(link.j), color: color,
                               dotted: mode == .plain && link.w < 0)
                }
            }
            links.draw(on: &band, x: 0, y: 0)
            for (c, k) in bandLayers.enumerated() {
                let x = c * (columnWidth + gap)
                band.put(String(headers[k].prefix(columnWidth + gap - 1)), x: x, y: 0)
                let n = widths[k], shown = Swift.min(n, layout.shown)
                for j in 0..<shown {
                    let y = 1 + j * (tileRows + 1)
                    band.draw(cells(maps, layer: k, neuron: j, network: net, mode), x: x, y: y)
                    let label = k == 0 ? net.features[j].rawValue : net.neuronName(layer: k, neuron: j)
                    if k == 0 || tile >= 6 { band.put(String(label.prefix(columnWidth)), x: x, y: y + tileRows) }
                }
                if shown < n { band.put("+\(n - shown) more", x: x, y: band.height - 1) }
            }
            bands.append(band)
        }
        let title = fit("network: \(net.architecture)", maxWidth)
        let legend = fit(largest > 0 ? networkLegend(largest: largest, mode) : "all weights are 0", maxWidth)
        var canvas = TextCanvas(width: Swift.max(bands.map(\.width).max() ?? 0, title.count, legend.count), height: 1)
        canvas.put(title, x: 0, y: 0)
        for band in bands {
            let y = canvas.height + 1
            canvas.grow(by: band.height + 1)
            canvas.draw(band, x: 0, y: y)
        }
        canvas.grow(by: 1)
        canvas.put(legend, x: 0, y: canvas.height - 1)
        return canvas
    }

    static func networkLegend(largest: Double, _ mode: ColorMode) -> String {
        let kind = mode == .plain ? "solid +, dotted −" : "blue +, orange −, brighter larger"
        return "links = weights: \(kind); largest |w| \(formatMetric(largest, digits: 3)) (under \(Int(weakestLinkShown * 100))% not drawn)"
    }
}
