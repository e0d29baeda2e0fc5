import Foundation
import Testing
@testable import NNPlayEngine

/// Terminal pictures as a person sees them: points visible on every region colour, 256-colour maps
/// in their true hues, a readable hidden-space mesh, and `plot net` inside the window with its weights.
@Suite struct CharacterPictureTests {
    /// (glyph, foreground, background) of each cell of rendered text, read back from its escape codes
    /// (256-colour indices turned into the palette's colours).
    static func cells(_ text: String) -> [[(Character, RGB?, RGB?)]] {
        var rows: [[(Character, RGB?, RGB?)]] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: false).dropLast() {
            var row: [(Character, RGB?, RGB?)] = []
            var fg: RGB?, bg: RGB?
            var chars = Array(line)[...]
            while let c = chars.popFirst() {
                guard c == "\u{1B}" else { row.append((c, fg, bg)); continue }
                var code = ""
                while let d = chars.popFirst(), d != "m" { code.append(d) }
                let parts = code.dropFirst().split(separator: ";").compactMap { Int($0) }
                if parts == [0] { fg = nil; bg = nil }
                else if parts.count == 3, parts[1] == 5 {
                    let color = TerminalPalette.color(ofIndex: parts[2])
                    if parts[0] == 38 { fg = color } else { bg = color }
                } else if parts.count == 5, parts[1] == 2 {
                    let color = RGB(UInt8(parts[2]), UInt8(parts[3]), UInt8(parts[4]))
                    if parts[0] == 38 { fg = color } else { bg = color }
                }
            }
            rows.append(row)
        }
        return rows
    }

    /// Every region colour a map can show: grey mixed towards each class colour at every strength.
    static var regionColors: [RGB] {
        var colors = [Palette.neutral, Palette.background]
        for c in Palette.classes { for s in stride(from: 0.15, through: 1.0, by: 0.05) { colors.append(Palette.neutral.mixed(with: c, s)) } }
        return colors
    }

    @Test func aPointStandsOutOnEveryRegionColourInBothColourModes() {
        // the old glyph, the class's dark shade on its own full colour, was about 2:1 for both of
        // Playground's classes: class-0 points vanished on orange
        #expect(Palette.dark(Palette.classColor(0)).contrast(with: Palette.classColor(0)) < 2.5)
        #expect(Palette.dark(Palette.classColor(1)).contrast(with: Palette.classColor(1)) < 2.5)
        var weakest = 21.0, weakest256 = 21.0
        for label in 0..<Palette.classes.count {
            for under in Self.regionColors {
                for isTest in [false, true] {
                    let cell = MapPainter.pointCell(label: label, isTest: isTest, under: under)
                    #expect(cell.char == (isTest ? "○" : "●"))
                    guard let f = cell.foreground, let b = cell.background else { Issue.record("no colours"); continue }
                    weakest = min(weakest, f.contrast(with: b))
                    weakest256 = min(weakest256, TerminalPalette.color(ofIndex: f.xterm256).contrast(with: TerminalPalette.color(ofIndex: b.xterm256)))
                }
            }
        }
        #expect(weakest >= MapPainter.pointContrast)
        #expect(weakest256 >= MapPainter.pointContrast, "256 colours: weakest contrast \(weakest256)")
    }

    @Test func everyCellWithAPointShowsAPointGlyphNeverABlock() throws {
        let data = try Dataset.generate(.circle, count: 500, noise: 0.1, seed: 2)
        let p = try Playground(dataset: data, network: try Network(features: [.x, .y], hidden: [(4, .tanh)], classes: 2), settings: TrainingSettings())
        for (w, h) in [(17, 9), (40, 20), (61, 30), (80, 24)] {
            for mode in [ColorMode.trueColor, .palette256] {
                let canvas = TerminalPictures.outputMap(p, columns: w, rows: h, mode, points: .all, discrete: false)
                let grid = Grid(frame: data.frame, columns: w, rows: h)
                var pointCells = Set<Int>()
                for i in 0..<data.count { if let (c, r) = grid.cell(x: data.xs[i], y: data.ys[i]) { pointCells.insert(r * w + c) } }
                #expect(!pointCells.isEmpty)
                for i in pointCells {
                    let cell = canvas.cells[i]
                    #expect(cell.char == "●" || cell.char == "○", "\(w)×\(h) \(mode): cell \(i) shows '\(cell.char)'")
                    if let f = cell.foreground, let b = cell.background { #expect(f.contrast(with: b) >= MapPainter.pointContrast) }
                }
                #expect(!canvas.cells.contains { $0.char == "█" })
                // the other cells are half blocks of the map
                #expect(canvas.cells.enumerated().allSatisfy { pointCells.contains($0.offset) || $0.element.char == "▀" })
            }
        }
    }

    /// The palette colour nearest by plain RGB distance (what 256-colour mode used to send).
    static func rgbNearest(_ c: RGB) -> Int {
        (16..<256).min { TerminalPalette.color(ofIndex: $0).distance(to: c) < TerminalPalette.color(ofIndex: $1).distance(to: c) } ?? 16
    }

    /// Hue difference in degrees (OKLab), or nil when either colour is grey.
    static func hueDifference(_ a: RGB, _ b: RGB) -> Double? {
        let x = TerminalPalette.lab(a), y = TerminalPalette.lab(b)
        guard x.chroma >= TerminalPalette.greyChroma, y.chroma >= TerminalPalette.greyChroma else { return nil }
        var d = abs(x.hue - y.hue)
        if d > Double.pi { d = 2 * Double.pi - d }
        return d * 180 / Double.pi
    }

    /// Several points in one cell: the last one drawn stands out against the map under it, not
    /// against the glyph of the point drawn there before (that gave grey blocks on pale regions).
    @Test(arguments: [false, true]) func aCellsLastPointStandsOutAgainstTheMapNotAnEarlierPoint(regression: Bool) throws {
        let xs = [1.2, 1.25, 1.3], ys = [1.4, 1.45, 1.5]   // one cell of a 24×12 map
        let data = regression
            ? try Dataset(xs: xs, ys: ys, values: [0.01, -0.9, 0.02], testFraction: 0, seed: 1, frame: .standard, origin: "three")
            : try Dataset(xs: xs, ys: ys, labels: [0, 1, 0], classCount: 2, testFraction: 0, seed: 1, frame: .standard, origin: "three")
        let region = RGB(250, 250, 250)
        var canvas = TextCanvas(width: 24, height: 12)
        for y in 0..<12 { for x in 0..<24 { canvas[x, y] = TextCell("▀", foreground: region, background: region) } }
        MapPainter.drawPoints(&canvas, data: data, frame: .standard, .all, colored: true)
        let cell = try #require(Grid(frame: .standard, columns: 24, rows: 12).cell(x: 1.25, y: 1.45))
        let last = PointColoring(data).pointColor(data, try #require(data.trainIndices.last))
        #expect(canvas[cell.0, cell.1] == MapPainter.pointCell(color: last, isTest: false, under: region))
    }

    /// The 256-colour choice is remembered (a live frame asks for the same colours again and again):
    /// the remembered answers are the search's, also past the memo's limit and from several threads.
    @Test func rememberedPaletteChoicesAreTheSearchesOwn() {
        // distinct colours in a scrambled order (k·40503 mod 2²⁴ visits each 24-bit value once)
        let colors = (0..<(NearestCache.limit + 5000)).map { k -> RGB in
            let v = (k &* 40503) & 0xFF_FFFF
            return RGB(UInt8(v >> 16), UInt8((v >> 8) & 255), UInt8(v & 255))
        }
        let sample = Array(colors.prefix(3000))
        let expected = sample.map(TerminalPalette.search)
        for c in colors { _ = TerminalPalette.nearest(c) }   // fills the memo past its limit
        final class Answers: @unchecked Sendable { var lists = [[Int]](repeating: [], count: 4) }
        let answers = Answers()
        DispatchQueue.concurrentPerform(iterations: 4) { t in
            let mine = sample.map(TerminalPalette.nearest)
            withAnswersLock { answers.lists[t] = mine }
        }
        #expect(answers.lists.allSatisfy { $0 == expected })
        #expect(sample.map(TerminalPalette.nearest) == expected)
    }

    @Test func twoHundredFiftySixColoursKeepEveryHueOfTheScales() {
        // every colour of the maps: grey towards each class colour (the output) and towards orange
        // and blue (neuron scales)
        var worst = 0.0, worstBefore = 0.0
        for color in Self.regionColors {
            if let d = Self.hueDifference(color, TerminalPalette.color(ofIndex: color.xterm256)) { worst = max(worst, d) }
            if let d = Self.hueDifference(color, TerminalPalette.color(ofIndex: Self.rgbNearest(color))) { worstBefore = max(worstBefore, d) }
        }
        // measured: 12° at most now; the RGB-nearest colours were up to 40°+ off (pale blue shown teal)
        #expect(worst <= 12.001, "hue off by \(worst)°")
        #expect(worstBefore > 30, "RGB-nearest hue error \(worstBefore)°")
        // the palette's own colours are sent as themselves
        for index in [16, 21, 46, 196, 231, 232, 244, 255] { #expect(TerminalPalette.color(ofIndex: index).xterm256 == index) }
    }

    @Test func twoHundredFiftySixColoursFollowEachScaleInOrder() {
        // grey to full blue and to full orange in 128 steps: the palette colours sent get darker
        // step by step, but for near-ties (a colour that turned back much lighter would draw a stripe)
        let scale = ColorScale(center: 0, halfRange: 1)
        for sign in [1.0, -1.0] {
            func largestTurn(_ indices: [Int]) -> Double {
                let lightness = indices.map { TerminalPalette.lab(TerminalPalette.color(ofIndex: $0)).l }
                return zip(lightness, lightness.dropFirst()).map { $1 - $0 }.max() ?? 0
            }
            let colors = (0..<128).map { scale.color(sign * Double($0) / 127) }
            let now = largestTurn(colors.map(\.xterm256)), before = largestTurn(colors.map(Self.rgbNearest))
            // measured: 0.056 (blue: two palette blues of nearly one hue tie and alternate; RGB-nearest
            // 0, but teal), 0.015 (orange; RGB-nearest 0.034 with salmon)
            #expect(now <= 0.06, "scale \(sign): a step turns lighter by \(now) (RGB-nearest: \(before))")
            #expect(Set(colors.map(\.xterm256)).count >= 6)
        }
        // 24-bit colour is sent as it is
        var image = Image(width: 16, height: 2)
        for x in 0..<16 { image[x, 0] = scale.color(Double(x) / 15); image[x, 1] = scale.color(-Double(x) / 15) }
        let exact = Self.cells(TextCanvas.halfBlocks(image).render(.trueColor))
        #expect((0..<16).allSatisfy { exact[0][$0].1 == image[$0, 0] && exact[0][$0].2 == image[$0, 1] })
    }

    @Test func theHiddenSpaceMeshIsThinnedToWhatTheCellsShow() throws {
        #expect(HiddenSpace.lineCount(columns: 28, rows: 14, halfBlocks: false) == 8)
        #expect(HiddenSpace.lineCount(columns: 96, rows: 48, halfBlocks: true) == 20)
        #expect(HiddenSpace.lineCount(columns: 60, rows: 30, halfBlocks: true) == 13)
        #expect(HiddenSpace.lineCount(columns: 4, rows: 2, halfBlocks: false) == 3)
        // an identity layer: the mesh is a square grid of - and | lines crossing at +
        var net = try Network(features: [.x, .y], hidden: [(2, .linear)], classes: 2)
        net.parameters = [1, 0, 0, 1, 0, 0, 1, 1, 0]
        let space = HiddenSpace(network: net, layer: 1, neurons: (0, 1), frame: .standard, data: nil,
                                lineCount: HiddenSpace.lineCount(columns: 31, rows: 16, halfBlocks: false))
        let canvas = space.characters(width: 31, height: 16)
        let used = Set(canvas.cells.map(\.char))
        #expect(used.isSubset(of: ["-", "|", "+", " "]), "\(used)")
        #expect(canvas.cells.contains { $0.char == "+" } && canvas.cells.contains { $0.char == "-" } && canvas.cells.contains { $0.char == "|" })
        // one grid line every 3 columns or more: a row through the middle crosses at most 11 lines
        let middle = (0..<31).map { canvas[$0, 7].char }
        #expect(middle.filter { $0 == "|" || $0 == "+" }.count <= 11)
    }

    static func deepNet(_ widths: [Int]) throws -> Playground {
        let net = try Network(features: [.x, .y], hidden: widths.map { ($0, Activation.tanh) }, classes: 2)
        return try Playground(dataset: try Dataset.generate(.xor, count: 50, seed: 3), network: net, settings: TrainingSettings())
    }

    @Test func plotNetFitsTheWindowShrinkingTilesAndCuttingColumns() throws {
        for widths in [[4, 2], [8, 8], [8, 8, 8], [3, 24, 5], [6, 6, 6, 6, 6]] {
            let p = try Self.deepNet(widths)
            var tiles: [Int] = []
            for (w, h) in [(80, 24), (80, 50), (60, 30), (120, 40), (40, 20), (200, 60)] {
                for mode in [ColorMode.plain, .trueColor] {
                    let canvas = TerminalPictures.network(p, tile: nil, maxWidth: w - 1, maxHeight: h - 1, mode)
                    #expect(canvas.height <= h - 1 && canvas.width <= w - 1, "\(widths) in \(w)×\(h): \(canvas.width)×\(canvas.height)")
                    if mode == .plain {
                        let layout = TerminalPictures.NetworkLayout.fitting(widths: [2] + widths + [1], requested: nil, maxWidth: w - 1, maxHeight: h - 1)
                        tiles.append(layout.tile)
                    }
                }
            }
            // a taller window gets larger tiles (80×24 then 80×50)
            #expect(tiles[1] >= tiles[0])
        }
        // 8-8 in a 50-row window: every neuron shown, in one band
        let layout = TerminalPictures.NetworkLayout.fitting(widths: [2, 8, 8, 1], requested: nil, maxWidth: 79, maxHeight: 49)
        #expect(layout.shown == 8 && layout.perBand >= 4)
        // a window too small for a column of 24 cuts it and says how many more there are
        let tall = try Self.deepNet([24])
        let text = TerminalPictures.network(tall, tile: nil, maxWidth: 79, maxHeight: 23, .plain).render(.plain)
        #expect(text.contains("more"))
    }

    @Test func plotNetDrawsEachWeightAsALinkBySignAndLeavesOutTinyOnes() throws {
        // 1.1 = tanh(x − y); out = sigmoid(0.05 · 1.1): the output's weight is under 10 % of the largest
        var net = try Network(features: [.x, .y], hidden: [(1, .tanh)], classes: 2)
        net.parameters = [1, -1, 0, 0.05, 0]
        let p = try Playground(dataset: try Dataset.generate(.xor, count: 40, seed: 3), network: net, settings: TrainingSettings(), initialize: false)
        let layout = TerminalPictures.NetworkLayout.fitting(widths: [2, 1, 1], requested: 8, maxWidth: 79, maxHeight: .max)
        let colour = TerminalPictures.network(p, tile: 8, maxWidth: 79, .trueColor)
        let firstGap = layout.tile..<(layout.columnWidth + layout.gap)
        let secondGap = (layout.columnWidth + layout.gap + layout.tile)..<(2 * (layout.columnWidth + layout.gap))
        func isBraille(_ c: Character) -> Bool { c.unicodeScalars.first.map { (0x2801...0x28FF).contains($0.value) } ?? false }
        var blue = 0, orange = 0, inSecond = 0
        for y in 0..<colour.height {
            for x in 0..<colour.width where isBraille(colour[x, y].char) {
                if firstGap.contains(x) {
                    if colour[x, y].foreground == Palette.positive { blue += 1 }
                    if colour[x, y].foreground == Palette.negative { orange += 1 }
                }
                if secondGap.contains(x) { inSecond += 1 }
            }
        }
        // both links have the largest |w|: full blue from x, full orange from y
        #expect(blue > 0 && orange > 0)
        #expect(inSecond == 0)
        // plain characters: the positive link solid, the negative dotted (fewer dots on its cells)
        let plain = TerminalPictures.network(p, tile: 8, maxWidth: 79, .plain)
        #expect(plain.render(.plain).contains("solid +, dotted −; largest |w| 1"))
    }
}

/// The lock the palette test's threads take to write their answers.
private let answersLock = NSLock()
private func withAnswersLock(_ body: () -> Void) { answersLock.lock(); body(); answersLock.unlock() }
