import Foundation
import NNPlayEngine
import Testing
@testable import NNPlayShell

/// `plot` and `export` through the session, with golden snapshots of a fixed network.
@Suite struct PictureTests {
    static let goldenDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden")

    /// A small network with hand-set weights: 2 tanh neurons, then a sigmoid output.
    static let fixedModel = """
        { "format": "nnplay-model", "version": 1, "features": ["x", "y"], "classes": 2,
          "layers": [ { "size": 2, "activation": "tanh", "weights": [[1, 0.5], [-0.5, 1]], "biases": [0.2, -0.3] },
                      { "size": 1, "activation": "sigmoid", "weights": [[2, -1.5]], "biases": [0.1] } ] }
        """

    static func fixedSession() throws -> Session {
        let (s, _) = makeSession()
        let dir = try makeTemporaryDirectory()
        try FileAccess.writeAtomically(fixedModel, to: "\(dir)/fixed.json")
        try s.run("data xor n=40 seed=3; load model \(dir)/fixed.json")
        return s
    }

    /// Compares with `Golden/NAME.txt`; `NNPLAY_RECORD_GOLDEN=1 swift test` writes the files anew.
    func checkGolden(_ name: String, _ text: String) throws {
        let url = Self.goldenDirectory.appendingPathComponent(name + ".txt")
        if ProcessInfo.processInfo.environment["NNPLAY_RECORD_GOLDEN"] == "1" {
            try text.write(to: url, atomically: true, encoding: .utf8)
            return
        }
        let expected = try String(contentsOf: url, encoding: .utf8)
        #expect(text == expected, "plot output differs from \(url.path):\n\(text)")
    }

    @Test func goldenSnapshotsOfAFixedNetwork() throws {
        let s = try Self.fixedSession()
        try checkGolden("plot-output", try s.run("plot ascii size=40"))
        try checkGolden("plot-output-train-points", try s.run("plot ascii size=24x8 points=train"))
        try checkGolden("plot-neuron", try s.run("plot neuron 1.2 ascii size=20"))
        try checkGolden("plot-layer", try s.run("plot layer 1 ascii size=12"))
        try checkGolden("plot-net", try s.run("plot net ascii size=8"))
        try checkGolden("plot-space", try s.run("plot space 1 ascii size=30"))
    }

    @Test func everyPlotKindDrawsInEveryColourMode() throws {
        let (s, _) = makeSession()
        try s.run("data spiral classes=3 n=90; add 3 relu; train 3")
        for mode in ColorMode.allCases {
            s.options.colorMode = mode
            for line in ["plot", "plot discrete points=test", "plot layer 0", "plot layer out", "plot neuron 2.1",
                         "plot neuron in.2", "plot net", "plot loss", "plot space 1 2 1", "plot space 3"] {
                let text = try s.run(line)
                #expect(text.split(separator: "\n").count > 3, "\(line) in \(mode)")
                #expect(text.contains("\u{1B}") == (mode != .plain), "\(line) in \(mode)")
                if mode == .trueColor { #expect((text.contains("▀") || line == "plot loss") && text.contains("38;2;")) }
                if mode == .palette256 { #expect(text.contains("38;5;") && !text.contains("38;2;")) }
            }
        }
        // ascii forces plain characters whatever the terminal
        s.options.colorMode = .trueColor
        #expect(!(try s.run("plot ascii")).contains("\u{1B}"))
    }

    @Test func plotFitsTheTerminalWidthByDefault() throws {
        for width in [30, 80, 200] {
            let out = CapturedOutput(isTerminal: true, width: width, height: 50)
            let s = Session(output: out)
            try s.runLine("add 2; add 3; add 4; add 5")
            for line in ["plot ascii", "plot net ascii", "plot layer 4 ascii", "train 2; plot loss ascii"] {
                out.clear()
                try s.runLine(line)
                // (training's own progress and summary lines are not pictures)
                let lines = out.standard.split(separator: "\n").filter { !$0.hasPrefix("epoch") && !$0.contains("\u{1B}[K") }
                let widest = lines.map(\.count).max() ?? 0
                #expect(widest <= max(width, 40), "\(line) at \(width) columns is \(widest) wide: \(lines.first { $0.count == widest } ?? "")")
            }
        }
    }

    @Test func plotNetWrapsLayersThatDoNotFit() throws {
        let out = CapturedOutput(isTerminal: true, width: 40, height: 50)
        let s = Session(output: out)
        try s.runLine("add 3; add 3; add 3; add 3; add 3")
        out.clear()
        try s.runLine("plot net ascii")
        let text = out.standard
        #expect(text.contains("in ") && text.contains("out"))
        #expect(text.split(separator: "\n").allSatisfy { $0.count <= 40 })
        // the header row of the second band starts at the left edge with the next layer
        #expect(text.split(separator: "\n").filter { $0.hasPrefix("4 tanh") || $0.hasPrefix("3 tanh") || $0.hasPrefix("5 tanh") }.count >= 1)
    }

    @Test func badPlotsAreClearErrors() throws {
        let (s, _) = makeSession()
        #expect(s.error("plot loss") == "there is no loss curve yet: train first, e.g. `train 10`")
        #expect(s.error("plot neuron 3.1")?.contains("layer 3 does not exist") == true)
        #expect(s.error("plot neuron 1.9") == "neuron 1.9 does not exist: layer 1 has neurons 1…4")
        #expect(s.error("plot neuron 1") == "'1' is not a neuron: a neuron is LAYER.INDEX, e.g. 1.2 or out.1")
        #expect(s.error("plot space out") == "layer out has 1 neuron: its space needs 2 (resize it, or pick another layer)")
        #expect(s.error("plot space 1 2") == "give both neurons, I and J, e.g. `plot space 1 1 2`")
        #expect(s.error("plot space 1 2 2") == "I and J must be two different neurons of layer 1")
        #expect(s.error("plot space 1 1 7") == "J=7 is out of range: J is 1…4")
        #expect(s.error("plot size=2") == "size=2 is out of range: size is 4…1000")
        #expect(s.error("plot size=40x") == "size (height)= is not a number: size (height) is a whole number 2…1000")
        #expect(s.error("plot size=5000") == "size=5000 is out of range: size is 4…1000")
        #expect(s.error("plot points=some") == "unknown point selection 'some' (point selections: train test all none)")
        #expect(s.error("plot graph") == "cannot plot 'graph'; did you mean 'grads'?: plot out, layer K, neuron K.J, net, loss, loss steps, grads, space K or landscape")
        #expect(s.error("plot lyer 1")?.hasPrefix("cannot plot 'lyer'; did you mean 'layer'?") == true)
        #expect(s.error("plot out extra") == "unexpected 'extra': usage: plot [out]")
        #expect(s.error("export") == "missing argument: usage: export DIR, or export out FILE.png (help export)")
        #expect(s.error("export out") == "missing FILE: usage: export out FILE [size=256] [points=all] [discrete] [bare]")
        #expect(s.error("export out /no/such/dir/o.ppm") == "cannot write /no/such/dir/o.ppm: the directory /no/such/dir does not exist")
        #expect(s.error("export out /tmp/o.ppm size=5000") == "size=5000 is out of range: size is 8…4096")
        #expect(s.error("export out /tmp/o.ppm ascii") == "ascii does not apply to export (its pictures are in colour)")
    }

    @Test func exportOfAThreeHiddenLayerNetworkWritesEveryPicture() throws {
        let (s, _) = makeSession()
        let dir = NSTemporaryDirectory() + "nnplay-export-\(UUID().uuidString)"
        try s.run("data spiral classes=3 n=120; add 3 relu; resize 1 3; resize 2 4; train 5")
        #expect(s.playground.network.architecture == "x y → 3 tanh → 4 tanh → 3 relu → 3 softmax")
        let out = try s.run("export \(dir) size=32")
        try s.run("export \(dir)/bare size=32 bare")
        let files = Set(try FileManager.default.contentsOfDirectory(atPath: dir)).subtracting(["bare"])
        var expected: Set<String> = ["output.ppm", "net.ppm", "loss.ppm", "layer-in.ppm", "layer-1.ppm", "layer-2.ppm",
                                     "layer-3.ppm", "layer-out.ppm", "space-1.ppm", "space-2.ppm", "space-3.ppm"]
        for (layer, count) in [("in", 2), ("1", 3), ("2", 4), ("3", 3), ("out", 3)] {
            for j in 1...count { expected.insert("neuron-\(layer).\(j).ppm") }
        }
        #expect(files == expected)
        #expect(out.hasPrefix("wrote \(expected.count) pictures to \(dir)"))
        // every file is a P6 picture an independent reader accepts: bare, the maps of the size asked for;
        // with legends, the map of that size inside its figure
        let p = s.playground, net = p.network
        let sizes = try PPMChecker.read(files.sorted().map { "\(dir)/\($0)" })
        let bare = try PPMChecker.read(files.sorted().map { "\(dir)/bare/\($0)" })
        let layer = { (name: Substring) in name == "in" ? 0 : name == "out" ? net.hiddenCount + 1 : Int(name) ?? -1 }
        for (name, (size, bareSize)) in zip(files.sorted(), zip(sizes, bare)) {
            let stem = name.dropLast(4)
            var expected: (width: Int, height: Int)?
            if stem == "output" { expected = LegendedPictures.outputFigure(p, size: 32, points: .all, discrete: false).size }
            if stem.hasPrefix("neuron-"), let dot = stem.lastIndex(of: "."), let j = Int(stem[stem.index(after: dot)...]) {
                expected = LegendedPictures.neuronFigure(p, layer: layer(stem.dropFirst(7)[..<dot]), neuron: j - 1, size: 32).size
            }
            if stem.hasPrefix("space-"), let k = Int(stem.dropFirst(6)) {
                expected = LegendedPictures.spaceSize(p, layer: k, neurons: (0, 1), size: 32, points: .all)
            }
            if let expected {
                #expect(size == [expected.width, expected.height] && size[0] > 32 && size[1] > 32, "\(name): \(size)")
                #expect(bareSize == [32, 32], "bare \(name): \(bareSize)")
            }
        }
        // the poster's size is its layout's and its keys' under it; bare, its layout's
        let layout = try PosterLayout(network: net, tile: 16)
        let poster = try #require(zip(files.sorted(), sizes).first { $0.0 == "net.ppm" }?.1)
        let posterSize = try LegendedPictures.posterSize(p, tile: 16)
        #expect(poster == [posterSize.width, posterSize.height] && posterSize.width == layout.width && posterSize.height > layout.height)
        #expect(try #require(zip(files.sorted(), bare).first { $0.0 == "net.ppm" }?.1) == [layout.width, layout.height])
    }

    @Test func singleExportsWriteOneFileEach() throws {
        let (s, _) = makeSession()
        let dir = try makeTemporaryDirectory()
        try s.run("train 3")
        let p = s.playground
        let size = { (w: (width: Int, height: Int)) in [w.width, w.height] }
        for (line, size) in [("export out \(dir)/o.ppm size=50 points=test discrete", size(LegendedPictures.outputFigure(p, size: 50, points: .test, discrete: true).size)),
                             ("export neuron 1.2 \(dir)/n.ppm size=20", size(LegendedPictures.neuronFigure(p, layer: 1, neuron: 1, size: 20).size)),
                             ("export neuron in.1 \(dir)/i.ppm", size(LegendedPictures.neuronFigure(p, layer: 0, neuron: 0, size: 256).size)),
                             ("export loss \(dir)/l.ppm size=300x200", [300, 200]),
                             ("export space 1 \(dir)/s.ppm size=40", size(LegendedPictures.spaceSize(p, layer: 1, neurons: (0, 1), size: 40, points: .all))),
                             ("export space 1 3 4 \(dir)/s2.ppm size=40", size(LegendedPictures.spaceSize(p, layer: 1, neurons: (2, 3), size: 40, points: .all))),
                             ("export out \(dir)/ob.ppm size=50 points=test discrete bare", [50, 50]),
                             ("export neuron 1.2 \(dir)/nb.ppm size=20 bare", [20, 20]),
                             ("export space 1 3 4 \(dir)/sb.ppm size=40 bare", [40, 40])] {
            let out = try s.run(line)
            let file = try #require(line.split(separator: " ").first { $0.hasSuffix(".ppm") }.map(String.init))
            #expect(out == "wrote \(file) (\(size[0])×\(size[1]))\n")
            #expect(try PPMChecker.read([file]) == [size])
        }
        try s.run("export layer 1 \(dir)/layer.ppm size=20; export net \(dir)/net.ppm size=20")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).count == 11)
    }
}

/// Reads PPM headers with Python, an implementation independent of nnplay's writer.
enum PPMChecker {
    static let script = """
        import sys
        for path in sys.argv[1:]:
            data = open(path, 'rb').read()
            fields, i = [], 0
            while len(fields) < 4:
                while data[i:i+1].isspace(): i += 1
                j = i
                while not data[j:j+1].isspace(): j += 1
                fields.append(data[i:j]); i = j
            i += 1
            assert fields[0] == b'P6', (path, fields[0])
            w, h, maxval = int(fields[1]), int(fields[2]), int(fields[3])
            assert maxval == 255, (path, maxval)
            assert len(data) - i == 3 * w * h, (path, len(data) - i, w, h)
            print(w, h)
        """

    /// Width and height of each file; throws when Python rejects one.
    static func read(_ paths: [String]) throws -> [[Int]] {
        let (status, data, problems) = try runPython(script, paths)
        guard status == 0 else { throw NNPlayError("python3 rejected a PPM file: \(problems)") }
        return String(decoding: data, as: UTF8.self).split(separator: "\n").map { $0.split(separator: " ").compactMap { Int($0) } }
    }
}
