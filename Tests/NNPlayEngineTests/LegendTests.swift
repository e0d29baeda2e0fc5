import Foundation
import Testing
@testable import NNPlayEngine

/// The legends of picture files and of colour terminals: swatches in the classes' exact colours with
/// their names, axis numbers that are the frame's, colour bars from the low to the high colour with
/// the scale's numbers, the map itself unchanged inside its figure, and only characters the font has.
@Suite struct LegendTests {
    /// A playground with weights drawn (seeded) for `hidden` layers over a dataset.
    static func playground(_ hidden: [(size: Int, activation: Activation)], kind: DatasetKind = .circle, classes: Int = 2,
                           features: [Feature] = [.x, .y]) throws -> Playground {
        let d = try Dataset.generate(kind, count: 120, classes: classes, seed: 5)
        let net = try Network(features: features, hidden: hidden, classes: classes)
        var s = TrainingSettings()
        s.loss = classes > 2 ? .ce : .bce
        return try Playground(dataset: d, network: net, settings: s, initialize: true)
    }

    /// Whether `text` is drawn in ink at (x, y): drawing it again changes nothing, and the ink in its
    /// box is exactly its glyphs' pixels (so a solid block of ink does not pass).
    static func textIsDrawn(_ image: Image, _ text: String, x: Int, y: Int) -> Bool {
        var again = image
        again.drawText(text, x: x, y: y)
        guard again == image else { return false }
        var alone = Image(width: image.width, height: image.height)
        alone.drawText(text, x: x, y: y)
        let w = Image.textWidth(text)
        for yy in y..<(y + 7) {
            for xx in x..<(x + w) where (alone[xx, yy] == Palette.ink) != (image[xx, yy] == Palette.ink) { return false }
        }
        return true
    }

    static func placed(_ legend: Legend) -> [(Legend.Item, Int, Int, Int, String)] {
        legend.placed.map { ($0.item, $0.x, $0.y, $0.width, $0.text) }
    }

    @Test(arguments: [2, 3, 5])
    func theOutputsLegendHasEachClasssColourAndNameAndTheFramesNumbers(classes: Int) throws {
        let p = try Self.playground([(4, .tanh)], kind: .gauss, classes: classes)
        let size = 96
        let figure = LegendedPictures.outputFigure(p, size: size, points: .all, discrete: false)
        let image = LegendedPictures.output(p, size: size, points: .all, discrete: false)
        #expect(image.width == figure.width && image.height == figure.height)
        var swatches = 0
        for (item, x, y, _, text) in Self.placed(figure.legend) {
            let (lead, h) = Legend.lead(item)
            let left = Figure.pad + x, top = figure.legendY + y
            switch item {
            case .swatch(let color, let name):
                // the swatch is the class's colour, every pixel of it, and its name follows it
                let c = swatches
                #expect(color == Palette.classColor(c) && name == "CLASS \(c)" && text == name)
                for yy in top..<(top + Legend.swatchSide) {
                    for xx in left..<(left + Legend.swatchSide) { #expect(image[xx, yy] == Palette.classColor(c), "swatch \(c) at \(xx),\(yy)") }
                }
                #expect(Self.textIsDrawn(image, name, x: left + lead, y: top + (h - Legend.textHeight + 1) / 2), "class \(c)'s name")
                swatches += 1
            case .point(let isTest, let name):
                // the marker's ring: white for training points, black for test points (as the map draws them)
                let c = Double(Legend.pointBox) / 2
                #expect(image[left + Int(c), top + Int(c) - 3] == (isTest ? .black : .white))
                #expect(Self.textIsDrawn(image, name, x: left + lead, y: top + (h - Legend.textHeight + 1) / 2))
            default: break
            }
        }
        #expect(swatches == classes)
        #expect(figure.legend.texts.contains("PALER = LESS SURE"))
        #expect(!LegendedPictures.outputFigure(p, size: size, points: .all, discrete: true).legend.texts.contains("PALER = LESS SURE"))
        // discrete regions have one shade of each class: the swatches show that shade
        let discrete = LegendedPictures.outputFigure(p, size: size, points: .all, discrete: true).legend.placed.compactMap { placed -> RGB? in
            if case .swatch(let color, _) = placed.item { return color } else { return nil }
        }
        #expect(discrete == (0..<classes).map { MapPainter.regionColor($0, confidence: nil) })
        // the axis numbers are the frame's, at the map's edges
        let f = p.dataset.frame, n = { (v: Double) in formatMetric(v, digits: 3) }
        #expect([figure.xMin, figure.xMax, figure.yMin, figure.yMax] == [n(f.xMin), n(f.xMax), n(f.yMin), n(f.yMax)])
        let below = figure.mapY + size + 4
        #expect(Self.textIsDrawn(image, figure.xMin, x: figure.mapX, y: below))
        #expect(Self.textIsDrawn(image, figure.xMax, x: figure.mapX + size - Image.textWidth(figure.xMax), y: below))
        #expect(Self.textIsDrawn(image, figure.yMax, x: figure.mapX - 4 - Image.textWidth(figure.yMax), y: figure.mapY))
        #expect(Self.textIsDrawn(image, figure.yMin, x: figure.mapX - 4 - Image.textWidth(figure.yMin), y: figure.mapY + size - 7))
        // the title names the architecture and the epoch
        #expect(figure.title.joined(separator: " ").replacingOccurrences(of: "\u{A0}", with: " ").contains(p.network.architecture))
        #expect(figure.title.last == "EPOCH 0")
    }

    @Test func theMapInsideItsFigureIsTheBareMapPixelForPixel() throws {
        let p = try Self.playground([(3, .relu)], kind: .spiral, classes: 3)
        for size in [8, 64, 200] {
            let bare = PosterPictures.output(p, size: size, points: .all, discrete: false)
            let figure = LegendedPictures.outputFigure(p, size: size, points: .all, discrete: false)
            let image = LegendedPictures.output(p, size: size, points: .all, discrete: false)
            #expect(bare.width == size && bare.height == size)
            for y in 0..<size {
                for x in 0..<size where image[figure.mapX + x, figure.mapY + y] != bare[x, y] {
                    Issue.record("size \(size): pixel \(x),\(y) differs")
                    return
                }
            }
            // a thin frame of ink around it
            #expect(image[figure.mapX - 1, figure.mapY - 1] == Palette.ink && image[figure.mapX + size, figure.mapY + size] == Palette.ink)
            let neuron = LegendedPictures.neuron(p, layer: 1, neuron: 0, size: size)
            let nf = LegendedPictures.neuronFigure(p, layer: 1, neuron: 0, size: size)
            let bareNeuron = PosterPictures.neuron(p, layer: 1, neuron: 0, size: size)
            #expect((0..<size).allSatisfy { y in (0..<size).allSatisfy { x in neuron[nf.mapX + x, nf.mapY + y] == bareNeuron[x, y] } })
        }
    }

    /// The scale bar item of a figure's legend and where it is.
    static func bar(_ figure: Figure) -> (scale: ColorScale, low: String, center: String, high: String, x: Int, y: Int, width: Int)? {
        for (item, x, y, w, _) in placed(figure.legend) {
            if case let .scale(s, low, center, high) = item { return (s, low, center, high, Figure.pad + x, figure.legendY + y, w) }
        }
        return nil
    }

    @Test func aNeuronsColourBarRunsFromLowThroughTheCentreToHighWithTheScalesNumbers() throws {
        let p = try Self.playground([(3, .tanh), (2, .relu)])
        let size = 64
        // sigmoid 0…1 (the output), tanh −1…1, relu the map's own range
        let maps = p.network.gridMaps(Grid(frame: p.dataset.frame, columns: size, rows: size), layers: [2])
        let reluScale = MapPainter.scaledMap(maps, layer: 2, neuron: 0, network: p.network).1
        let n = { (v: Double) in formatMetric(v, digits: 3) }
        for (k, expected) in [(3, ["0", "0.5", "1"]), (1, ["-1", "0", "1"]),
                              (2, [n(-reluScale.halfRange), "0", n(reluScale.halfRange)])] {
            let image = LegendedPictures.neuron(p, layer: k, neuron: 0, size: size)
            let maps = p.network.gridMaps(Grid(frame: p.dataset.frame, columns: size, rows: size), layers: [k])
            let scale = MapPainter.scaledMap(maps, layer: k, neuron: 0, network: p.network).1
            let figure = LegendedPictures.neuronFigure(p, layer: k, neuron: 0, size: size, scale: scale)
            let bar = try #require(Self.bar(figure))
            #expect([bar.low, bar.center, bar.high] == expected, "layer \(k)")
            #expect(bar.scale == scale)
            // low colour at the left end, the centre's grey in the middle, high colour at the right end
            #expect(image[bar.x, bar.y + 2] == Palette.negative && image[bar.x + bar.width - 1, bar.y + 2] == Palette.positive)
            let middle = image[bar.x + bar.width / 2, bar.y + 2]
            #expect(middle.distance(to: Palette.neutral) < 3 * 12 * 12, "middle \(middle)")
            // from orange through the grey to blue, red only falls, pixel after pixel
            for i in 1..<bar.width {
                let a = image[bar.x + i - 1, bar.y + 2], b = image[bar.x + i, bar.y + 2]
                #expect(b.r <= a.r, "column \(i)")
            }
            // the numbers under the bar's ends and middle
            let ny = bar.y + Legend.barHeight + 2
            #expect(Self.textIsDrawn(image, bar.low, x: bar.x, y: ny))
            #expect(Self.textIsDrawn(image, bar.high, x: bar.x + bar.width - Image.textWidth(bar.high), y: ny))
            #expect(Self.textIsDrawn(image, bar.center, x: bar.x + (bar.width - Image.textWidth(bar.center)) / 2, y: ny))
        }
    }

    @Test func everyCharacterOfEveryLegendHasAGlyph() throws {
        var texts: [String] = []
        for p in [try Self.playground([(4, .tanh), (2, .relu)]),
                  try Self.playground([(3, .sigmoid)], kind: .spiral, classes: 3, features: Feature.allCases),
                  try Self.playground(Activation.allCases.map { (2, $0) }, kind: .gauss, classes: 16, features: [.x2, .y2, .xy])] {
            let net = p.network
            for size in [8, 64, 256] {
                for discrete in [false, true] {
                    for points in PointSelection.allCases {
                        texts += LegendedPictures.outputFigure(p, size: size, points: points, discrete: discrete).texts
                    }
                }
                for k in 0...(net.hiddenCount + 1) {
                    for j in 0..<net.width(ofLayer: k) { texts += LegendedPictures.neuronFigure(p, layer: k, neuron: j, size: size).texts }
                    texts += LegendedPictures.layerLegend(p, layer: k, size: size).texts
                    if net.width(ofLayer: k) >= 2 {
                        texts += LegendedPictures.spaceFigure(p, LegendedPictures.hiddenSpace(p, layer: k, neurons: (0, 1), points: .all),
                                                              size: size, points: .all).texts
                    }
                }
                texts += LegendedPictures.posterLegend(p, width: size).texts
            }
        }
        let missing = Set(texts.joined()).filter { !BitmapFont.has($0) }
        #expect(missing.isEmpty, "characters without a glyph: \(missing.sorted())")
        #expect(texts.contains("CLASS 3") && texts.contains("TRAIN") && texts.contains("TEST"))
        // a name the font cannot draw (a class from a file) shows ? instead of the unknown box
        #expect(BitmapFont.printable("café→x") == "caf?→x")
    }

    @Test func aLegendNarrowerThanItsItemsWrapsAndCutsWithinItsWidth() throws {
        let items: [Legend.Item] = [.swatch(Palette.classColor(0), "A VERY LONG CLASS NAME INDEED"), .swatch(Palette.classColor(1), "B"),
                                    .newRow, .point(isTest: false, "TRAIN"), .point(isTest: true, "TEST"),
                                    .text("PALER = LESS SURE, AND A NOTE THAT GOES ON AND ON"),
                                    .scale(ColorScale(center: 0, halfRange: 1), low: "-1", center: "0", high: "1")]
        for width in [20, 60, 120, 400] {
            let legend = Legend(items, width: width)
            for p in legend.placed { #expect(p.x >= 0 && p.x + p.width <= width, "width \(width): \(p.text) at \(p.x)+\(p.width)") }
            var image = Image(width: width, height: legend.height)
            legend.draw(into: &image, x: 0, y: 0)
            #expect(legend.texts.allSatisfy { !$0.contains("\u{FFFD}") })
        }
        #expect(Legend(items, width: 400).placed.filter { if case .text = $0.item { true } else { false } }.count == 1)
        #expect(Legend(items, width: 120).placed.filter { if case .text = $0.item { true } else { false } }.count > 1)
        #expect(Legend.cut("CLASS NAME", 30) == "CLAS…" && Legend.cut("AB", 30) == "AB")
    }

    @Test func theSpaceFigureNamesItsNeuronsAndItsEdgesHoldTheMeshsBounds() throws {
        let p = try Self.playground([(3, .tanh)])
        let space = LegendedPictures.hiddenSpace(p, layer: 1, neurons: (0, 2), points: .all)
        let figure = LegendedPictures.spaceFigure(p, space, size: 100, points: .all)
        #expect(figure.xTitle == "NEURON 1.1" && figure.yTitle == "NEURON 1.3")
        let edges = LegendedPictures.edges(space, size: 100)
        let b = space.bounds
        // the picture keeps a margin: its edges lie a little outside the bounds, 4 % of the side each way
        #expect(edges.xMin < b.xMin && edges.xMax > b.xMax && edges.yMin < b.yMin && edges.yMax > b.yMax)
        #expect(abs((b.xMin - edges.xMin) / edges.width - 0.04) < 1e-9 && abs((edges.yMax - b.yMax) / edges.height - 0.04) < 1e-9)
        #expect(figure.xMin == formatMetric(edges.xMin, digits: 3) && figure.yMax == formatMetric(edges.yMax, digits: 3))
    }

    // MARK: Terminal

    @Test func colourTerminalLegendsCarryTheClassColoursAndAGradientBar() throws {
        let p = try Self.playground([(3, .tanh), (2, .relu)], kind: .gauss, classes: 3)
        for mode in [ColorMode.trueColor, .palette256] {
            let cells = TerminalPictures.classLegend(p.dataset, mode, points: .all)
            let text = String(cells.map(\.char))
            for c in 0..<3 {
                #expect(text.contains("class \(c)"))
                // the swatch before each name is in the class's colour
                let at = try #require(text.range(of: "class \(c)")).lowerBound
                let index = text.distance(from: text.startIndex, to: at)
                #expect(cells[index - 3].char == "█" && cells[index - 3].foreground == Palette.classColor(c)
                        && cells[index - 2].foreground == Palette.classColor(c))
            }
            // the scale: from the low colour through the centre to the high colour, with the numbers
            let tanh = TerminalPictures.scaleLegend(p, layer: 1, mode)
            let bar = tanh.filter { $0.char == "█" }
            #expect(bar.count == 2 * TerminalPictures.legendBarHalf)
            #expect(bar.first?.foreground == Palette.negative && bar.last?.foreground == Palette.positive)
            #expect(String(tanh.map(\.char)).hasPrefix("-1 ██████ 0 ██████ 1"))
            #expect(String(TerminalPictures.scaleLegend(p, layer: 3, mode).map(\.char)).hasPrefix("0 ██████ 0.5 ██████ 1"))
            #expect(String(TerminalPictures.scaleLegend(p, layer: 2, mode).map(\.char)).hasPrefix("low ██████ 0 ██████ high"))
            // and the plot carries them
            let plot = TerminalPictures.output(p, columns: 30, rows: 15, mode, points: .all, discrete: false)
            #expect((0..<plot.width).contains { plot[$0, plot.height - 1].foreground == Palette.classColor(2) })
        }
        // plain legends are text alone, as before
        let plain = TerminalPictures.classLegend(p.dataset, .plain, points: .all)
        #expect(plain.allSatisfy { $0.foreground == nil && $0.background == nil })
        #expect(String(plain.map(\.char)) == "- o/O 0  + x/X 1  : v/V 2  (region, train/test point; # boundary)")
        #expect(String(TerminalPictures.scaleLegend(p, layer: 1, .plain).map(\.char)) == "= low  - . +  # high (-1 … 1)")
    }
}
