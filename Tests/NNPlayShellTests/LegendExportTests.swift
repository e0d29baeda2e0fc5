import Foundation
@testable import NNPlayEngine
import Testing
@testable import NNPlayShell

/// `export` writes pictures with legends by default and the maps alone with `bare`: the same pixels
/// as before legends, for people who put pictures together themselves.
@Suite struct LegendExportTests {
    /// The pixels of a binary PPM file as nnplay writes it (P6, one space and newlines, maxval 255).
    static func readPPM(_ path: String) throws -> Image {
        let bytes = try FileAccess.read(path, limit: 1 << 26)
        var fields: [String] = [], i = 0
        while fields.count < 4 {
            var field = ""
            while i < bytes.count, bytes[i] != 10, bytes[i] != 32 { field.append(Character(UnicodeScalar(bytes[i]))); i += 1 }
            i += 1
            fields.append(field)
        }
        let w = try #require(Int(fields[1])), h = try #require(Int(fields[2]))
        var image = Image(width: w, height: h)
        image.bytes = Array(bytes[i...])
        try #require(image.bytes.count == 3 * w * h)
        return image
    }

    @Test func bareWritesTheMapAloneAsBeforeAndTheLegendedPictureHoldsItUnchanged() throws {
        let (s, _) = makeSession()
        let dir = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try s.run("data gauss classes=3 n=120; train 4")
        #expect(try s.run("export out \(dir)/bare.ppm size=64 bare") == "wrote \(dir)/bare.ppm (64×64)\n")
        let figure = LegendedPictures.outputFigure(s.playground, size: 64, points: .all, discrete: false)
        #expect(try s.run("export out \(dir)/out.ppm size=64") == "wrote \(dir)/out.ppm (\(figure.width)×\(figure.height))\n")
        // the bare map is MapPainter's, pixel for pixel
        let p = s.playground
        var map = MapPainter.outputImage(p.network.gridMaps(Grid(frame: p.dataset.frame, columns: 64, rows: 64), layers: []), discrete: false)
        MapPainter.drawPoints(&map, data: p.dataset, frame: p.dataset.frame, .all, radius: 1.5)
        let bare = try Self.readPPM("\(dir)/bare.ppm"), out = try Self.readPPM("\(dir)/out.ppm")
        #expect(bare == map)
        // and the legended picture has it inside its frame
        #expect((0..<64).allSatisfy { y in (0..<64).allSatisfy { x in out[figure.mapX + x, figure.mapY + y] == map[x, y] } })
        // the other maps bare: the neuron, the layer sheet and the poster as their painters draw them
        try s.run("export neuron 1.2 \(dir)/n.ppm size=40 bare; export layer 1 \(dir)/l.ppm size=20 bare; export net \(dir)/net.ppm size=16 bare")
        #expect(try Self.readPPM("\(dir)/n.ppm") == PosterPictures.neuron(p, layer: 1, neuron: 1, size: 40))
        #expect(try Self.readPPM("\(dir)/l.ppm") == PosterPictures.layerTile(p, layer: 1, size: 20))
        #expect(try Self.readPPM("\(dir)/net.ppm") == PosterPictures.poster(p, tile: 16))
        // with legends: the sheet and the poster sit on top of their keys
        try s.run("export layer 1 \(dir)/lk.ppm size=20; export net \(dir)/netk.ppm size=16")
        let sheet = PosterPictures.layerTile(p, layer: 1, size: 20), keyed = try Self.readPPM("\(dir)/lk.ppm")
        #expect(keyed.height > sheet.height && (0..<sheet.height).allSatisfy { y in (0..<sheet.width).allSatisfy { keyed[$0, y] == sheet[$0, y] } })
        let keyedSize = LegendedPictures.layerSize(p, layer: 1, size: 20)
        #expect(keyed.width == keyedSize.width && keyed.height == keyedSize.height)
    }

    @Test func bareIsForMapsOnly() throws {
        let (s, _) = makeSession()
        try s.run("train 2")
        #expect(s.error("export loss /tmp/nnplay-no-such-loss.png bare")?.hasPrefix("bare is for the maps") == true)
        #expect(s.error("plot bare") != nil)
        let help = try s.run("help export")
        #expect(help.contains("[bare]") && help.contains("bare writes the maps alone"))
    }

    @Test func aLegendNeverTakesAPicturePastTheLargestSide() throws {
        let (s, _) = makeSession(quiet: true)
        let message = try #require(s.error("export out /tmp/nnplay-never-written.png size=4096"))
        let fits = try #require(message.firstMatch(of: /size=(\d+)` fits/).flatMap { Int($0.1) })
        #expect(message.contains("more than \(PPM.maxSide) a side") && message.contains("bare"), "\(message)")
        let figure = LegendedPictures.outputFigure(s.playground, size: fits, points: .all, discrete: false)
        let bigger = LegendedPictures.outputFigure(s.playground, size: fits + 1, points: .all, discrete: false)
        #expect(Swift.max(figure.width, figure.height) <= PPM.maxSide && Swift.max(bigger.width, bigger.height) > PPM.maxSide)
        #expect(!FileManager.default.fileExists(atPath: "/tmp/nnplay-never-written.png"))
        // a tall poster and a wide layer's sheet keep room for their keys
        try s.run("add 300")
        let poster = try LegendedPictures.posterSize(s.playground, tile: 64), sheet = LegendedPictures.layerSize(s.playground, layer: 3, size: 512)
        #expect(poster.height <= PPM.maxSide && poster.width <= PPM.maxSide && sheet.height <= PPM.maxSide && sheet.width <= PPM.maxSide)
        #expect(try PosterLayout(network: s.playground.network, tile: 64).height > LegendedPictures.posterLayout(s.playground, tile: 64).height)
    }

    @Test func aSmallMapGetsALegendThatFitsInsideThePicture() throws {
        let (s, _) = makeSession()
        try s.run("data spiral classes=5 n=100; train 2")
        for size in [8, 16, 64] {
            let figure = LegendedPictures.outputFigure(s.playground, size: size, points: .all, discrete: false)
            #expect(figure.width >= Figure.minWidth && figure.legend.width <= figure.width - 2 * Figure.pad)
            for p in figure.legend.placed { #expect(p.x + p.width <= figure.legend.width, "size \(size): \(p.text)") }
            #expect(figure.title.allSatisfy { Image.textWidth($0) <= figure.width - 2 * Figure.pad })
        }
    }
}
