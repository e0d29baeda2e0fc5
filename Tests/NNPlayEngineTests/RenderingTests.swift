import Foundation
import Testing
@testable import NNPlayEngine

/// Pictures of hand-built networks whose regions are known, in characters and in pixels.
@Suite struct RenderingTests {
    /// A playground around a given network, with its weights as set (not drawn).
    static func playground(_ net: Network, data: Dataset? = nil) throws -> Playground {
        let d = try data ?? Dataset.generate(.xor, count: 40, seed: 3)
        var s = TrainingSettings()
        s.loss = net.outputActivation == .softmax ? .ce : (net.outputActivation == .sigmoid ? .bce : .mse)
        return try Playground(dataset: d, network: net, settings: s, initialize: false)
    }

    /// One sigmoid output computing 10·x: class 1 exactly where x > 0.
    static func rightHalf() throws -> Network {
        var net = try Network(features: [.x], hidden: [], classes: 2)
        net.parameters = [10, 0]
        return net
    }

    /// One sigmoid output computing 9 − x² − y²: class 1 exactly inside the circle of radius 3.
    static func disc() throws -> Network {
        var net = try Network(features: [.x2, .y2], hidden: [], classes: 2)
        net.parameters = [-1, -1, 9]
        return net
    }

    @Test func aNeuronXAboveZeroSplitsThePictureIntoHalves_characters() throws {
        let p = try Self.playground(Self.rightHalf())
        let map = TerminalPictures.outputMap(p, columns: 8, rows: 4, .plain, points: .none, discrete: true)
        // columns 0…3 have x < 0 (class 0, '-'); column 3 borders class 1 on its right ('#')
        #expect(map.render(.plain) == String(repeating: "---#++++\n", count: 4))
        let input = TerminalPictures.neuronMap(p, layer: 0, neuron: 0, columns: 8, rows: 2, .plain)
        #expect(input.render(.plain) == String(repeating: "==-..+##\n", count: 2))
    }

    @Test func aNeuronXAboveZeroSplitsThePictureIntoHalves_pixels() throws {
        let p = try Self.playground(Self.rightHalf())
        let image = PosterPictures.output(p, size: 16, points: .none, discrete: true)
        let left = image[0, 0], right = image[15, 15]
        #expect(left != right)
        #expect(left.r > left.b && right.b > right.r)   // orange for class 0, blue for class 1
        for y in 0..<16 {
            for x in 0..<16 { #expect(image[x, y] == (x < 8 ? left : right), "pixel \(x),\(y)") }
        }
        let neuron = PosterPictures.neuron(p, layer: 1, neuron: 0, size: 16)
        #expect(neuron[0, 5] == Palette.negative && neuron[15, 5] == Palette.positive)   // σ saturates at the edges
    }

    @Test func aCircleNeuronPaintsTheDiscInsideItsRadius() throws {
        let p = try Self.playground(Self.disc())
        let w = 24, h = 12
        let grid = Grid(frame: .standard, columns: w, rows: h)
        let inside = { (c: Int, r: Int) in grid.x(c) * grid.x(c) + grid.y(r) * grid.y(r) < 9 }
        let text = TerminalPictures.outputMap(p, columns: w, rows: h, .plain, points: .none, discrete: true).render(.plain)
        var expected = ""
        for r in 0..<h {
            var line = ""
            for c in 0..<w {
                let here = inside(c, r)
                let edge = (c + 1 < w && inside(c + 1, r) != here) || (r + 1 < h && inside(c, r + 1) != here)
                line.append(edge ? "#" : (here ? "+" : "-"))
            }
            while line.last == " " { line.removeLast() }
            expected += line + "\n"
        }
        #expect(text == expected)
        #expect(text.contains("+"))
        let image = PosterPictures.output(p, size: 32, points: .none, discrete: true)
        let pixelGrid = Grid(frame: .standard, columns: 32, rows: 32)
        let class1 = image[16, 16], class0 = image[0, 0]
        for y in 0..<32 {
            for x in 0..<32 {
                let r2 = pixelGrid.x(x) * pixelGrid.x(x) + pixelGrid.y(y) * pixelGrid.y(y)
                #expect(image[x, y] == (r2 < 9 ? class1 : class0), "pixel \(x),\(y)")
            }
        }
    }

    @Test func dataPointsAreDrawnWithTrainAndTestDistinct() throws {
        let data = try Dataset(xs: [-3, 3], ys: [3, -3], labels: [0, 1], classCount: 2, testFraction: 0.5, seed: 1,
                               frame: .standard, origin: "two points")
        let p = try Self.playground(Self.rightHalf(), data: data)
        let text = TerminalPictures.outputMap(p, columns: 8, rows: 4, .plain, points: .all, discrete: true).render(.plain)
        let trainIndex = data.trainIndices[0], testIndex = data.testIndices[0]
        let trainMark = MapPainter.marker(forClass: data.labels[trainIndex], test: false)
        let testMark = MapPainter.marker(forClass: data.labels[testIndex], test: true)
        #expect(text.contains(trainMark) && text.contains(testMark) && trainMark.lowercased() == String(trainMark))
        // (-3, 3) lands in column (−3+6)/12·8 = 2, row (6−3)/12·4 = 1; (3, -3) in column 6, row 3
        let lines = text.split(separator: "\n").map(Array.init)
        #expect(lines[1][2] == MapPainter.marker(forClass: 0, test: data.testIndices.contains(0)))
        #expect(lines[3][6] == MapPainter.marker(forClass: 1, test: data.testIndices.contains(1)))
        let none = TerminalPictures.outputMap(p, columns: 8, rows: 4, .plain, points: .none, discrete: true).render(.plain)
        #expect(none == String(repeating: "---#++++\n", count: 4))
    }

    @Test func colourModesUseHalfBlocksAndTheirEscapeCodes() throws {
        let p = try Self.playground(Self.rightHalf())
        let canvas = TerminalPictures.outputMap(p, columns: 8, rows: 4, .trueColor, points: .none, discrete: true)
        #expect(canvas.height == 4 && canvas.width == 8)
        #expect(canvas.cells.allSatisfy { $0.char == "▀" })
        let text = canvas.render(.trueColor)
        let left = Palette.neutral.mixed(with: Palette.negative, 0.55)
        #expect(text.contains("\u{1B}[38;2;\(left.r);\(left.g);\(left.b)m"))
        #expect(canvas.render(.palette256).contains("\u{1B}[38;5;\(left.xterm256)m"))
        #expect(!canvas.render(.plain).contains("\u{1B}"))
    }

    @Test func theXterm256PaletteMapsCornersAndGreys() {
        #expect(RGB.black.xterm256 == 16)
        #expect(RGB.white.xterm256 == 231)
        #expect(RGB(255, 0, 0).xterm256 == 196)
        #expect(RGB(0, 0, 255).xterm256 == 21)
        #expect(RGB(128, 128, 128).xterm256 == 244)
    }

    @Test func ppmFilesAreBinaryP6WithMaxval255() throws {
        let image = PosterPictures.output(try Self.playground(Self.disc()), size: 20, points: .all, discrete: false)
        let bytes = PPM.encode(image)
        #expect(Array(bytes.prefix(13)) == Array("P6\n20 20\n255\n".utf8))
        #expect(bytes.count == 13 + 3 * 20 * 20)
    }
}

/// ConvNetJS's hidden-space view, checked on layers whose maps are known.
@Suite struct HiddenSpaceTests {
    static func linearLayer(_ w: [Double], _ b: [Double]) throws -> Network {
        var net = try Network(features: [.x, .y], hidden: [(2, .linear)], classes: 2)
        net.parameters = w + b + [1, 1, 0]
        return net
    }

    @Test func anIdentityLayerKeepsTheMeshASquareGrid() throws {
        let net = try Self.linearLayer([1, 0, 0, 1], [0, 0])
        let space = HiddenSpace(network: net, layer: 1, neurons: (0, 1), frame: .standard, data: nil, lineCount: 5, samples: 4)
        #expect(space.lines.count == 10)
        let steps = [-6.0, -3, 0, 3, 6]
        for (l, line) in space.lines.enumerated() {
            let fixed = steps[l % 5]
            for (s, point) in line.enumerated() {
                let along = -6 + 12 * Double(s) / 3
                let (x, y) = l < 5 ? (fixed, along) : (along, fixed)
                #expect(point.u == x && point.v == y, "line \(l) point \(s): (\(point.u), \(point.v)) not (\(x), \(y))")
            }
        }
        #expect(space.bounds == Frame.standard)
    }

    @Test func aKnownLinearLayerPutsThePointsWhereItsMatrixDoes() throws {
        // u = 2x + y + 0.5, v = −x + 3y − 1
        let net = try Self.linearLayer([2, 1, -1, 3], [0.5, -1])
        let data = try Dataset.generate(.gauss, count: 50, noise: 0.5, seed: 4)
        let space = HiddenSpace(network: net, layer: 1, neurons: (0, 1), frame: .standard, data: data, selection: .all)
        #expect(space.points.count == 50)
        let byPosition = Dictionary(uniqueKeysWithValues: (0..<data.count).map { ("\(data.xs[$0]),\(data.ys[$0])", $0) })
        var checked = 0
        for (k, i) in (data.trainIndices + data.testIndices).enumerated() {
            let p = space.points[k]
            #expect(abs(p.u - (2 * data.xs[i] + data.ys[i] + 0.5)) < 1e-12)
            #expect(abs(p.v - (-data.xs[i] + 3 * data.ys[i] - 1)) < 1e-12)
            #expect(p.label == data.labels[i] && p.isTest == (k >= data.trainIndices.count))
            checked += byPosition["\(data.xs[i]),\(data.ys[i])"] == nil ? 0 : 1
        }
        #expect(checked == 50)
        // the corners of the input frame land at the matrix's images of them
        let corner = space.lines[0][0]   // (−6, −6)
        let expectedU: Double = 2 * -6 + -6 + 0.5, expectedV: Double = 6 - 18 - 1
        #expect(corner.u == expectedU && corner.v == expectedV)
    }

    @Test func swappingTheNeuronsMirrorsThePicture() throws {
        let net = try Self.linearLayer([2, 1, -1, 3], [0.5, -1])
        let a = HiddenSpace(network: net, layer: 1, neurons: (0, 1), frame: .standard, data: nil)
        let b = HiddenSpace(network: net, layer: 1, neurons: (1, 0), frame: .standard, data: nil)
        let pointsA: [HiddenSpace.MeshPoint] = a.lines.flatMap { $0 }, pointsB: [HiddenSpace.MeshPoint] = b.lines.flatMap { $0 }
        let mirrored = zip(pointsA, pointsB).allSatisfy { pa, pb in pa.u == pb.v && pa.v == pb.u }
        #expect(mirrored)
    }
}

/// The poster puts one column per layer with one tile per neuron.
@Suite struct PosterLayoutTests {
    @Test func theLayoutFollowsTheLayerSizes() throws {
        let net = try Network(features: [.x, .y, .xy], hidden: [(5, .tanh), (2, .relu), (4, .tanh)], classes: 3)
        let layout = try PosterLayout(network: net, tile: 40)
        #expect(layout.tiles.map(\.count) == [3, 5, 2, 4, 3])
        #expect(layout.tile == 40)
        let xs = layout.tiles.map { $0[0].x }
        #expect(zip(xs, xs.dropFirst()).allSatisfy { $1 - $0 == 40 + layout.columnGap })
        for column in layout.tiles {
            #expect(Set(column.map(\.x)).count == 1)
            #expect(zip(column, column.dropFirst()).allSatisfy { $1.y - $0.y == 40 + layout.rowGap })
        }
        // the tallest column (5) fills the height; the others are centred on it
        #expect(layout.height == 2 * PosterLayout.margin + PosterLayout.header + 5 * 40 + 5 * layout.rowGap)
        #expect(layout.width == 2 * PosterLayout.margin + 5 * 40 + 4 * layout.columnGap)
        let middle = { (c: [(x: Int, y: Int)]) in (c[0].y + (c[c.count - 1].y + 40)) / 2 }
        #expect(layout.tiles.allSatisfy { abs(middle($0) - middle(layout.tiles[1])) <= 1 })
        var s = TrainingSettings()
        s.loss = .ce
        let p = try Playground(dataset: try Dataset.generate(.spiral, count: 60, classes: 3), network: net, settings: s)
        let poster = try PosterPictures.poster(p, tile: 40)
        #expect(poster.width == layout.width && poster.height == layout.height)
    }

    @Test func aLayerTooTallForOneColumnWrapsIntoSubColumns() throws {
        let smaller = try Network(features: [.x, .y], hidden: [(100, .tanh)], classes: 2)
        let shrunk = try PosterLayout(network: smaller, tile: 64)   // shrinks its tiles to fit one column
        #expect(shrunk.height <= PPM.maxSide && shrunk.tile < 64 && shrunk.tile >= 16)
        #expect(Set(shrunk.tiles[1].map(\.x)).count == 1)
        // issue 10: a layer of 1000 neurons made every export fail; it now wraps, and every tile is
        // inside the picture, none on top of another
        for width in [200, 1000, 1024] {
            let net = try Network(features: [.x, .y], hidden: [(width, .tanh), (3, .tanh)], classes: 2)
            let layout = try PosterLayout(network: net, tile: 64)
            #expect(layout.width <= PPM.maxSide && layout.height <= PPM.maxSide)
            let spots = layout.tiles.flatMap { $0 }
            #expect(spots.allSatisfy { $0.x >= 0 && $0.y >= 0 && $0.x + layout.tile <= layout.width && $0.y + layout.tile <= layout.height })
            #expect(Set(spots.map { [$0.x, $0.y] }).count == spots.count)
            #expect(Set(layout.tiles[1].map(\.x)).count == (width + layout.perColumn - 1) / layout.perColumn)
        }
    }
}
