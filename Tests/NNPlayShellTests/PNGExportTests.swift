import Foundation
@testable import NNPlayEngine
import Testing
@testable import NNPlayShell

/// PNG and PPM picture files through every writer: the extension picks the format, `export DIR
/// format=png`, the same pixels in both (read back by Pillow, which shares no code with nnplay), and
/// names that are no picture's refused before anything is drawn or trained.
@Suite struct PNGExportTests {
    @Test func exportDirInPNGHasThePixelsOfThePPMsEveryOne() throws {
        let (s, _) = makeSession()
        let dir = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try s.run("data spiral classes=3 n=90; add 3 relu; resize 1 3; train 5")
        let saidPPM = try s.run("export \(dir)/ppm size=33")
        let saidPNG = try s.run("export \(dir)/png size=33 format=png")
        #expect(try s.run("export \(dir)/ppm2 size=8 format=PPM").hasPrefix("wrote "))
        let ppms = try FileManager.default.contentsOfDirectory(atPath: "\(dir)/ppm").sorted()
        let pngs = try FileManager.default.contentsOfDirectory(atPath: "\(dir)/png").sorted()
        #expect(ppms.count == 24 && ppms.allSatisfy { $0.hasSuffix(".ppm") }, "\(ppms)")
        #expect(pngs == ppms.map { String($0.dropLast(4)) + ".png" })
        #expect(saidPPM.hasPrefix("wrote 24 pictures to \(dir)/ppm: output.ppm, net.ppm, loss.ppm, layer-in.ppm layer-1.ppm"))
        #expect(saidPPM.contains("neuron maps (neuron-L.J.ppm)"))
        #expect(saidPNG == saidPPM.replacingOccurrences(of: ".ppm", with: ".png").replacingOccurrences(of: "\(dir)/ppm", with: "\(dir)/png"))
        let pairs = zip(ppms, pngs).map { ("\(dir)/ppm/\($0)", "\(dir)/png/\($1)") }
        let sizes = try PillowChecker.samePixels(pairs)
        #expect(sizes.count == 24)
        // the maps are 33 pixels inside their legends
        let output = LegendedPictures.outputFigure(s.playground, size: 33, points: .all, discrete: false)
        let neuron = LegendedPictures.neuronFigure(s.playground, layer: 1, neuron: 0, size: 33)
        #expect(zip(ppms, sizes).allSatisfy { name, size in name != "output.ppm" || size == [output.width, output.height] })
        #expect(zip(ppms, sizes).allSatisfy { name, size in name != "neuron-1.1.ppm" || size == [neuron.width, neuron.height] })
    }

    @Test func everyWriterTakesPNGAndPPMWithTheSamePixels() throws {
        let (s, _) = makeSession()
        let dir = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try s.run("train 3")
        let writers = ["export out FILE size=31 points=test discrete", "export layer 1 FILE size=20", "export neuron 1.2 FILE size=17",
                       "export net FILE size=16", "export loss FILE size=257x5", "export space 1 2 3 FILE size=40",
                       "export landscape FILE 1.1:1,1.1:2 size=9", "sweep lr 0.01,0.1 train=3 file=FILE ascii"]
        var pairs: [(String, String)] = []
        for (k, line) in writers.enumerated() {
            for ext in ["ppm", "png", "PNG"] {
                let file = "\(dir)/w\(k).\(ext)"
                let said = try s.run(line.replacingOccurrences(of: "FILE", with: file))
                #expect(said.contains("wrote \(file)"), "\(line): \(said)")
            }
            pairs.append(("\(dir)/w\(k).ppm", "\(dir)/w\(k).png"))
            pairs.append(("\(dir)/w\(k).ppm", "\(dir)/w\(k).PNG"))
        }
        let sizes = try PillowChecker.samePixels(pairs)
        let output = LegendedPictures.outputFigure(s.playground, size: 31, points: .test, discrete: true)
        let neuron = LegendedPictures.neuronFigure(s.playground, layer: 1, neuron: 1, size: 17)
        #expect(sizes[8] == [257, 5] && sizes[0] == [output.width, output.height] && sizes[4] == [neuron.width, neuron.height])
        // a PNG file starts with its signature, a PPM with P6
        #expect(try FileAccess.read("\(dir)/w0.png", limit: 1 << 20).prefix(4) == [0x89, 0x50, 0x4E, 0x47])
        #expect(Array(try FileAccess.read("\(dir)/w0.ppm", limit: 1 << 20).prefix(3)) == Array("P6\n".utf8))
    }

    @Test func aNameThatIsNoPicturesIsRefusedBeforeAnythingIsDrawnOrTrained() throws {
        let (s, out) = makeSession()
        let dir = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try s.run("train 2")
        let before = s.snapshot
        out.clear()
        for name in ["pic.jpg", "pic", "pic.gif", "pic.png.txt"] {
            let file = "\(dir)/\(name)"
            let stem = name.contains(".") ? "\(dir)/" + name.split(separator: ".").dropLast().joined(separator: ".") : file
            for line in ["export out \(file)", "export layer 1 \(file)", "export neuron 1.1 \(file)", "export net \(file)",
                         "export loss \(file)", "export space 1 \(file)", "export landscape \(file)", "sweep lr 0.1,1 train=50 file=\(file)"] {
                let message = s.error(line)
                #expect(message == "\(file) is not named .png or .ppm: a picture file's extension picks its format (e.g. \(stem).png or \(stem).ppm)",
                        "\(line): \(message ?? "accepted")")
                // nothing trained or printed, and no file
                #expect(out.standard.isEmpty, "\(line) printed \(out.standard)")
            }
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).isEmpty)
        #expect(s.error("export \(dir)/d format=bmp") == "unknown picture format 'bmp' (picture formats: ppm png)")
        #expect(s.error("export \(dir)/d format=pn")?.hasPrefix("unknown picture format 'pn'; did you mean 'png'?") == true)
        #expect(s.error("export out \(dir)/o.png format=png") == "format= is for export DIR: one file's format is its extension (.png or .ppm)")
        #expect(s.error("export landscape \(dir)/o.png format=png")?.hasPrefix("unknown option 'format' for export landscape") == true)
        #expect(s.error("export \(dir)/out.png") == "\(dir)/out.png is named like a picture file, but export DIR makes a directory of pictures: "
                + "write one picture with e.g. `export out \(dir)/out.png` (or layer K, neuron K.J, net, loss, space K for out)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).isEmpty)
        // a directory that exists may be named so
        try FileAccess.makeDirectory("\(dir)/album.png")
        #expect(try s.run("export \(dir)/album.png size=8 format=png").hasPrefix("wrote 18 pictures to \(dir)/album.png: output.png"))
        #expect(s.snapshot == before)
    }

    @Test func aPNGExportUnderFaultsIsWholeOrAbsent() throws {
        let dir = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let (s, _) = makeSession()
        // a directory that refuses new files, and a disk that fills up midway through a PNG
        for (path, line, fault) in [("\(dir)/o.png", "export out \(dir)/o.png", FileAccess.InjectedFault(path: "\(dir)/o.png", errno: EACCES, afterBytes: nil)),
                                    ("\(dir)/l.png", "export landscape \(dir)/l.png size=9", .init(path: "\(dir)/l.png", errno: ENOSPC, afterBytes: 200))] {
            try FileAccess.writeAtomically("old\n", to: path)
            FileAccess.injectedFault = fault
            defer { FileAccess.injectedFault = nil }
            let message = s.error(line)
            #expect(message == "cannot write \(path): " + (fault.afterBytes == nil ? "cannot create a file in \(dir): permission denied" : "no space left on the device"),
                    "\(message ?? "accepted")")
            #expect(try FileAccess.read(path, limit: 100) == Array("old\n".utf8))
        }
        #expect(WriterFaultTests.listing(dir) == ["l.png", "o.png"])
        FileAccess.injectedFault = .init(path: "\(dir)/pics/loss.png", errno: ENOSPC, afterBytes: 300)
        defer { FileAccess.injectedFault = nil }
        let message = s.error("export \(dir)/pics size=32 format=png")
        #expect(message == "cannot write \(dir)/pics/loss.png: no space left on the device; 2 pictures were written before it (output.png…net.png)",
                "\(message ?? "accepted")")
        #expect(WriterFaultTests.listing(dir + "/pics") == ["net.png", "output.png"])
        // and an unwritable path for real: /proc takes no new files
        if access("/proc", W_OK) != 0 || !FileManager.default.isWritableFile(atPath: "/proc/nnplay-test") {
            #expect(s.error("export out /proc/nnplay-test.png")?.hasPrefix("cannot write /proc/nnplay-test.png: cannot create a file in /proc: ") == true)
        }
    }

    @Test func helpAndCompletionKnowTheFormats() throws {
        let (s, _) = makeSession()
        let help = try s.run("help export")
        #expect(help.contains("export DIR [size=256] [format=ppm|png]") && help.contains(".png (PNG, through libpng) or .ppm"))
        #expect(try s.run("help sweep").contains("file=FILE.png"))
        let complete = { (text: String) in Completer(session: s).complete(text).candidates }
        #expect(complete("export /tmp/pics format=") == ["format=png", "format=ppm"])
        #expect(complete("export /tmp/pics format=p") == ["format=png", "format=ppm"])
        #expect(complete("export /tmp/pics f") == ["format="])
        #expect(!complete("export out /tmp/o.png ").contains("format="))
        #expect(complete("export out /tmp/o.png ").contains("size="))
    }
}

/// Reads picture files with Python's Pillow (an implementation independent of nnplay's writers and
/// of libpng's reader as nnplay uses it) and compares them pixel by pixel.
enum PillowChecker {
    static let script = """
        import sys
        from PIL import Image
        args = sys.argv[1:]
        for a, b in zip(args[0::2], args[1::2]):
            pictures = []
            for path in (a, b):
                with Image.open(path) as im:
                    expected = 'PNG' if path.lower().endswith('.png') else 'PPM'
                    assert im.format == expected, (path, im.format)
                    assert im.mode == 'RGB', (path, im.mode)
                    pictures.append((im.size, im.tobytes()))
            assert pictures[0][0] == pictures[1][0], (a, b, pictures[0][0], pictures[1][0])
            w, h = pictures[0][0]
            assert len(pictures[0][1]) == 3 * w * h
            if pictures[0][1] != pictures[1][1]:
                first = next(i for i in range(3 * w * h) if pictures[0][1][i] != pictures[1][1][i]) // 3
                raise AssertionError(f'{a} and {b} differ first at pixel ({first % w}, {first // w})')
            print(w, h)
        """

    /// Width and height of each pair, whose two files have the same pixels; throws when Pillow is
    /// missing, cannot read one, or finds a pixel that differs.
    static func samePixels(_ pairs: [(String, String)]) throws -> [[Int]] {
        let (status, data, problems) = try runPython(script, pairs.flatMap { [$0.0, $0.1] })
        guard status == 0 else {
            throw NNPlayError(problems.contains("No module named 'PIL'")
                ? "the picture tests need Python's Pillow: run .ci/setup (or pip install Pillow)"
                : "Pillow rejected a picture: \(problems)")
        }
        let sizes = String(decoding: data, as: UTF8.self).split(separator: "\n").map { $0.split(separator: " ").compactMap { Int($0) } }
        guard sizes.count == pairs.count else { throw NNPlayError("Pillow compared \(sizes.count) of \(pairs.count) pairs") }
        return sizes
    }
}
