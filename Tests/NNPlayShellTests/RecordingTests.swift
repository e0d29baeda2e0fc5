import CGif
import Foundation
@testable import NNPlayEngine
import Testing
@testable import NNPlayShell

/// `train N record=FILE.gif`: the GIF decoded with giflib and compared with the exported pictures.
@Suite struct RecordingTests {
    /// What a decoder finds in a GIF.
    struct Decoded {
        var width = 0, height = 0
        var frames: [[UInt8]] = []   // palette indices, row by row
        var delays: [Int] = []
        var loops = false
        var colors: [RGB] = []

        /// Frame `i` as RGB pixels.
        func image(_ i: Int) -> Image {
            var image = Image(width: width, height: height)
            for (k, index) in frames[i].enumerated() {
                let c = colors[Int(index)]
                image.bytes[3 * k] = c.r; image.bytes[3 * k + 1] = c.g; image.bytes[3 * k + 2] = c.b
            }
            return image
        }
    }

    static func decode(_ path: String) throws -> Decoded {
        var error: Int32 = 0
        let gif = try #require(DGifOpenFileName(path, &error), "giflib cannot open \(path): \(error)")
        defer { _ = DGifCloseFile(gif, &error) }
        try #require(DGifSlurp(gif) == GIF_OK, "giflib cannot read \(path): \(gif.pointee.Error)")
        var d = Decoded(width: Int(gif.pointee.SWidth), height: Int(gif.pointee.SHeight))
        let map = try #require(gif.pointee.SColorMap, "no global colour map")
        d.colors = (0..<Int(map.pointee.ColorCount)).map { i in
            let c = map.pointee.Colors[i]
            return RGB(c.Red, c.Green, c.Blue)
        }
        for i in 0..<Int(gif.pointee.ImageCount) {
            let saved = gif.pointee.SavedImages[i]
            #expect(saved.ImageDesc.Width == gif.pointee.SWidth && saved.ImageDesc.Height == gif.pointee.SHeight && saved.ImageDesc.ColorMap == nil)
            let n = Int(saved.ImageDesc.Width) * Int(saved.ImageDesc.Height)
            d.frames.append(Array(UnsafeBufferPointer(start: saved.RasterBits, count: n)))
            var control = GraphicsControlBlock()
            if DGifSavedExtensionToGCB(gif, Int32(i), &control) == GIF_OK { d.delays.append(Int(control.DelayTime)) }
            for e in 0..<Int(saved.ExtensionBlockCount) {
                let block = saved.ExtensionBlocks[e]
                if block.Function == APPLICATION_EXT_FUNC_CODE, block.ByteCount == 11,
                   String(decoding: UnsafeBufferPointer(start: block.Bytes, count: 11), as: UTF8.self) == "NETSCAPE2.0",
                   e + 1 < Int(saved.ExtensionBlockCount) {
                    let sub = saved.ExtensionBlocks[e + 1]
                    let bytes = Array(UnsafeBufferPointer(start: sub.Bytes, count: Int(sub.ByteCount)))
                    d.loops = bytes == [1, 0, 0]
                }
            }
        }
        return d
    }

    static func listing(_ dir: String) -> [String] { (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? [] }

    @Test func aRecordedGIFHasTheFramesAskedForAndTheExportedPictures() throws {
        let dir = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let (s, _) = makeSession(quiet: false)
        let text = try s.run("train 20 record=\(dir)/run.gif every=5")
        // a frame is the output with its legend (the map 256 pixels inside it), at least 294 wide for the caption
        let figure = LegendedPictures.outputFigure(s.playground, size: 256, points: .all, discrete: false)
        let (w, h) = (Swift.max(294, figure.width), figure.height + TrainRecording.captionHeight)
        #expect(text.contains("wrote \(dir)/run.gif (5 frames of \(w)×\(h), view out, every 5"), "\(text)")
        let d = try Self.decode("\(dir)/run.gif")
        // the start, epochs 5, 10, 15 and 20
        #expect(d.frames.count == 5)
        #expect(d.width == w && d.height == h)
        #expect(d.delays == [Int](repeating: TrainRecording.delay, count: 5))
        #expect(d.loops)
        #expect(d.colors.count == 256)
        #expect(Self.listing(dir) == ["run.gif"])
        // the last frame is the output as export draws it now, under the caption, through the palette
        let picture = LegendedPictures.output(s.playground, size: 256, points: .all, discrete: false)
        let last = d.image(4)
        var largest = 0, total = 0, exact = true
        var cache: [RGB: RGB] = [:]
        for y in 0..<picture.height {
            for x in 0..<picture.width {
                // the picture sits centred under the caption
                let want = picture[x, y], got = last[x + (d.width - picture.width) / 2, y + TrainRecording.captionHeight]
                let nearest = cache[want] ?? d.colors.enumerated().min { $0.element.distance(to: want) < $1.element.distance(to: want) }?.element
                cache[want] = nearest
                if nearest != got { exact = false }
                let e = Swift.max(abs(Int(want.r) - Int(got.r)), abs(Int(want.g) - Int(got.g)), abs(Int(want.b) - Int(got.b)))
                largest = Swift.max(largest, e)
                total += e
            }
        }
        #expect(exact, "a pixel is not its nearest palette colour")
        #expect(largest <= 8, "largest colour error \(largest)")
        let pixels = Double(picture.width * picture.height)
        #expect(Double(total) / pixels < 1.5, "mean colour error \(Double(total) / pixels)")
        // the caption is ink on white above the picture
        #expect((0..<last.width).contains { last[$0, 6] == Palette.ink })
        // the first frame is the picture before training: it differs from the last
        #expect(d.frames[0] != d.frames[4])
    }

    @Test func recordingDoesNotChangeTheWeights() throws {
        let dir = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let (a, _) = makeSession(seed: 7, quiet: true)
        let (b, _) = makeSession(seed: 7, quiet: true)
        try a.run("data spiral classes=3 n=150; add 3 tanh; set batch 7; train 25")
        try b.run("data spiral classes=3 n=150; add 3 tanh; set batch 7; train 25 record=\(dir)/r.gif every=3 view=net")
        #expect(a.playground.network.parameters.map(\.bitPattern) == b.playground.network.parameters.map(\.bitPattern))
        #expect(a.playground.progress.history == b.playground.progress.history)
        try a.run("train 40 steps")
        try b.run("train 40 steps record=\(dir)/s.gif view=layer 1")
        #expect(a.playground.network.parameters.map(\.bitPattern) == b.playground.network.parameters.map(\.bitPattern))
        // 40 steps spread to at most 100 frames: every step, and the start
        #expect(try Self.decode("\(dir)/s.gif").frames.count == 41)
        #expect(try Self.decode("\(dir)/r.gif").frames.count == 10)   // 0, 3, …, 24, 25
    }

    @Test func trainUntilRecordsTheRunItStopsAndThePutBackWeights() throws {
        let dir = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let (a, _) = makeSession(seed: 3, quiet: true)
        let (b, _) = makeSession(seed: 3, quiet: false)
        let setup = "data spiral n=300 noise=0.3; set validation 0.2; set batch 7; set lr 0.1"
        try a.run("\(setup); train until patience=4 max=400")
        let text = try b.run("\(setup); train until patience=4 max=400 record=\(dir)/u.gif every=7")
        // the same run, bit for bit, with or without the recording
        #expect(a.playground.network.parameters.map(\.bitPattern) == b.playground.network.parameters.map(\.bitPattern))
        let ran = b.playground.progress.history.count
        #expect(text.contains("put back the weights of epoch"), "\(text)")
        let d = try Self.decode("\(dir)/u.gif")
        // the start, every 7th epoch of the run, then the weights put back
        #expect(d.frames.count == 1 + ran / 7 + 1, "\(d.frames.count) frames after \(ran) epochs")
        #expect(d.frames[d.frames.count - 1] != d.frames[d.frames.count - 2])
        // a condition that holds: the last frame is the epoch it held at, drawn once
        try b.run("train until train-loss < 10 record=\(dir)/v.gif")
        #expect(try Self.decode("\(dir)/v.gif").frames.count == 2)
        // every= and view= belong to record=
        #expect(throws: ShellError.self) { try b.run("train until train-loss < 0.1 every=3") }
        #expect(throws: ShellError.self) { try b.run("train until train-loss < 0.1 record=\(dir)/w.gif view=sideways") }
        #expect(Self.listing(dir).sorted() == ["u.gif", "v.gif"])
    }

    @Test func theViewsDrawTheirExportPictures() throws {
        let dir = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let (s, _) = makeSession(quiet: true)
        try s.run("train 3 record=\(dir)/net.gif view=net")
        let poster = try LegendedPictures.poster(s.playground, tile: 64)
        let net = try Self.decode("\(dir)/net.gif")
        #expect(net.frames.count == 4 && net.width == Swift.max(poster.width, 294) && net.height == poster.height + TrainRecording.captionHeight)
        try s.run("train 2 record=\(dir)/layer.gif view=layer:out")
        let tile = LegendedPictures.layer(s.playground, layer: s.playground.network.hiddenCount + 1, size: 128)
        let layer = try Self.decode("\(dir)/layer.gif")
        #expect(layer.frames.count == 3 && layer.height == tile.height + TrainRecording.captionHeight)
        let start = ContinuousClock.now
        try s.run("train 2 record=\(dir)/land.gif view=landscape")
        let seconds = Double((ContinuousClock.now - start).components.seconds)
        let land = try Self.decode("\(dir)/land.gif")
        let size = LandscapePictures.imageSize(columns: TrainRecording.landscapeSide, rows: TrainRecording.landscapeSide)
        #expect(land.frames.count == 3 && land.width == size.width && land.height == size.height + TrainRecording.captionHeight)
        #expect(seconds < 20)
    }

    @Test func badOptionsAreOneLineErrorsSayingWhatIsAccepted() throws {
        let dir = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let (s, _) = makeSession()
        let cases: [(String, String)] = [
            ("train 5 record=\(dir)/a.png", "a recording is an animated GIF, a file name ending in .gif"),
            ("train 5 record=\(dir)/a.gif view=pie", "view= takes out, net, layer K or landscape"),
            ("train 5 record=\(dir)/a.gif every=0", "every is 1…5"),
            ("train 5 record=\(dir)/a.gif view=layer", "view=layer needs N and a layer after it"),
            ("train 5 record=\(dir)/a.gif view=layer 9", "layer 9 does not exist"),
            ("train 5 record=\(dir)/a.gif size=3", "train takes no option size= with record="),
            ("train 5 record=\(dir)/nowhere/a.gif", "cannot write \(dir)/nowhere/a.gif: the directory \(dir)/nowhere does not exist"),
            ("train 5 record=\(dir)", "a file name ending in .gif"),
        ]
        let before = s.playground.network.parameters
        for (line, words) in cases {
            let message = s.error(line)
            #expect(message?.contains(words) == true, "\(line): \(message ?? "accepted")")
            #expect(message?.contains("\n") == false)
        }
        #expect(s.playground.network.parameters == before, "a refused recording trained")
        // a landscape of many frames over a large network is refused, naming the every= that fits
        try s.run("data spiral n=5000; add 32; add 32")
        let slow = s.error("train 100 record=\(dir)/l.gif view=landscape")
        #expect(slow?.hasPrefix("view=landscape would be slow: 102 frames, each the loss at 33×33 weights over 2500 training points; at most 13 frames fit: every=8 or more") == true, "\(slow ?? "accepted")")
        #expect(Self.listing(dir).isEmpty, "\(Self.listing(dir))")
    }

    @Test func anErrorMidwayOrCtrlCLeavesNoFile() throws {
        let dir = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let (s, _) = makeSession()
        let target = "\(dir)/run.gif"
        FileAccess.injectedFault = .init(path: target, errno: ENOSPC, afterBytes: 100_000)
        let message = s.error("train 100 record=\(target) every=1")
        FileAccess.injectedFault = nil
        #expect(message?.hasPrefix("cannot write \(target): no space left on the device") == true, "\(message ?? "accepted")")
        #expect(message?.contains("no GIF written") == true)
        #expect(s.playground.progress.epoch > 0 && s.playground.progress.epoch < 100, "training stopped at the error")
        #expect(Self.listing(dir).isEmpty, "\(Self.listing(dir))")
        // an old file stays as it was
        try FileAccess.writeAtomically("old\n", to: target)
        FileAccess.injectedFault = .init(path: target, errno: EACCES, afterBytes: nil)
        #expect(s.error("train 3 record=\(target)") == "cannot write \(target): cannot create a file in \(dir): permission denied")
        FileAccess.injectedFault = nil
        s.interrupt.raise()
        try s.run("train 50 record=\(target)")
        s.acknowledgeInterrupt()
        #expect(String(decoding: try FileAccess.read(target, limit: 100), as: UTF8.self) == "old\n")
        #expect(Self.listing(dir) == ["run.gif"], "\(Self.listing(dir))")
    }
}

@Suite struct RecordingCompletionTests {
    @Test func recordViewAndEveryComplete() throws {
        let dir = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try FileAccess.writeAtomically("x", to: "\(dir)/old.gif")
        let complete = { (text: String) in Completer(session: makeSession().0).complete(text).candidates }
        #expect(complete("train 100 re") == ["record="])
        #expect(complete("train 100 record=x.gif vi") == ["view="])
        #expect(complete("train 100 record=x.gif view=") == ["view=landscape", "view=layer", "view=net", "view=out"])
        #expect(complete("train 100 record=x.gif every=").contains("every=5"))
        #expect(complete("train 100 record=\(dir)/o") == ["record=\(dir)/old.gif"])
    }
}

/// A second decoder, where Python has Pillow: frames, size, loop and delay as Pillow reads them, and the
/// last frame's pixels the same as giflib's.
@Suite struct RecordingPillowTests {
    static let script = """
        import sys
        from PIL import Image
        im = Image.open(sys.argv[1])
        frames = im.n_frames
        im.seek(frames - 1)
        last = im.convert('RGB')
        sys.stdout.buffer.write(b'%d %d %d %d %d\\n' % (frames, im.size[0], im.size[1], im.info.get('loop', -1), im.info.get('duration', -1)))
        sys.stdout.buffer.write(last.tobytes())
        """

    static var hasPillow: Bool { (try? runPython("import PIL"))?.status == 0 }

    @Test(.enabled(if: hasPillow)) func pillowReadsTheSameFrames() throws {
        let dir = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let (s, _) = makeSession(quiet: true)
        try s.run("train 12 record=\(dir)/r.gif every=4")
        let run = try runPython(Self.script, ["\(dir)/r.gif"])
        let data = [UInt8](run.output)
        try #require(run.status == 0, "\(run.errors)")
        let newline = try #require(data.firstIndex(of: 10))
        let header = String(decoding: data[..<newline], as: UTF8.self).split(separator: " ").compactMap { Int($0) }
        let figure = LegendedPictures.outputFigure(s.playground, size: 256, points: .all, discrete: false)
        #expect(header == [4, Swift.max(294, figure.width), figure.height + TrainRecording.captionHeight, 0, TrainRecording.delay * 10])
        let giflib = try RecordingTests.decode("\(dir)/r.gif")
        #expect(Array(data[(newline + 1)...]) == giflib.image(3).bytes)
    }
}
