import Foundation
import NNPlayEngine
import Testing
@testable import NNPlayShell

/// Issue 10 ("Hardening, round 2") through the entry point the REPL uses.
@Suite struct ShellHardeningTests {
    @Test func aPictureBeyondTheMemoryBudgetIsRefusedNamingTheSizeThatFits() throws {
        // issue 10, item 2: `add 1024; plot layer 3 size=1000` grew to 24 GB
        let (s, out) = makeSession(quiet: true)
        try s.run("add 1024")
        let before = s.snapshot
        out.clear()
        for line in ["plot layer 3 size=1000", "plot neuron 3.1 size=1000x1000"] {
            let message = try #require(s.error(line), "\(line) was drawn")
            #expect(message.contains("would need") && message.contains("more than nnplay's budget"), "\(message)")
            let fits = try #require(message.firstMatch(of: /`(plot [^`]+ size=\d+)` fits/).map { String($0.1) }, "\(message)")
            let command = line.components(separatedBy: " size=")[0]
            #expect(fits.hasPrefix(command + " size="), "\(fits) for \(line)")
            #expect(out.standard.isEmpty)
        }
        let unchanged = s.snapshot == before
        #expect(unchanged)
        // the size it names fits (checked without drawing it: that is the budget's business)
        try MemoryBudget.$scopedLimit.withValue(8 << 20) {
            let message = try #require(s.error("plot layer 3 size=100"))
            let fits = try #require(message.firstMatch(of: /size=(\d+)` fits/).flatMap { Int($0.1) })
            try s.run("plot layer 3 size=\(fits)")
            #expect(s.error("plot layer 3 size=\(fits + 1)") != nil)
        }
    }

    @Test func anExportIsPlannedWholeBeforeItsFirstFileAndWideLayersFit() throws {
        // issue 10, item 18: export DIR failed for layers of ~200+ neurons, after output.ppm was written
        let dir = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let (s, _) = makeSession(quiet: true)
        try s.run("add 300")
        let said = try s.run("export \(dir)/wide size=32")
        #expect(said.contains("wrote 320 pictures"), "\(said)")
        let poster = try PPMReader.size(of: dir + "/wide/net.ppm")
        #expect(poster.width <= PPM.maxSide && poster.height <= PPM.maxSide)
        // refused up front: nothing written, not even the directory
        try MemoryBudget.$scopedLimit.withValue(16 << 20) {
            let message = try #require(s.error("export \(dir)/refused size=400"))
            #expect(message.contains("export \(dir)/refused size=400 would need") && message.contains("` fits"), "\(message)")
            #expect(!FileManager.default.fileExists(atPath: dir + "/refused"))
            let single = try #require(s.error("export neuron 3.1 \(dir)/n.ppm size=4096"))
            #expect(single.contains("`export neuron 3.1 \(dir)/n.ppm size="), "\(single)")
            #expect(!FileManager.default.fileExists(atPath: dir + "/n.ppm"))
        }
    }

    @Test func aSessionWhosePathsHoldBothQuoteKindsReplays() throws {
        // issue 10, item 8
        let dir = try makeTemporaryDirectory() + "/it's \"q\" dir"
        try FileAccess.makeDirectory(dir)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        #expect(Tokenizer.quoted("it's \"q\".csv") == "\"it's \"'\"q\".csv'")
        let (s, _) = makeSession(quiet: true)
        try s.run("data spiral n=80; data save \(Tokenizer.quoted(dir + "/it's \"q\".csv"))")
        try s.run("data load \(Tokenizer.quoted(dir + "/it's \"q\".csv")); train 3")
        try s.run("save session \(Tokenizer.quoted(dir + "/s.nn"))")
        let (replayed, _) = makeSession(quiet: true)
        try replayed.run("source \(Tokenizer.quoted(dir + "/s.nn"))")
        #expect(replayed.playground == s.playground)
        for word in ["a b", "'", "\"", "x;y", "#", "'\"'\"", "\"'", ""] {
            let line = "eval 1 " + Tokenizer.quoted(word)
            #expect(try Tokenizer.commands(in: line).first?.words.last == word, "\(word.debugDescription) → \(Tokenizer.quoted(word))")
        }
    }

    @Test func aSessionRefusesToReplayAFileThatChangedSinceItWasLoaded() throws {
        // issue 10, item 13: load model m; train; save model m; save session s → other weights on replay
        let dir = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let (s, _) = makeSession(quiet: true)
        try s.run("save model \(dir)/m.json; data save \(dir)/d.csv")
        try s.run("load model \(dir)/m.json; data load \(dir)/d.csv; train 10; save session \(dir)/s.nn")
        // unchanged files replay to the same state
        let (same, _) = makeSession(quiet: true)
        try same.run("source \(dir)/s.nn")
        #expect(same.playground == s.playground)
        // a changed model file is named, and the replay stops there
        try s.run("save model \(dir)/m.json")
        let (replayed, _) = makeSession(quiet: true)
        let message = try #require(replayed.error("source \(dir)/s.nn"))
        #expect(message.contains("\(dir)/m.json has changed since the session that loads it was saved"), "\(message)")
        #expect(replayed.playground.progress.epoch == 0)
    }

    @Test func noNumberShownIsNaN() throws {
        // issue 10, item 14: "numeric nan" in gradcheck, "sigmoid(z) = nan" in eval
        let dir = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let (s, out) = makeSession(quiet: true)
        try s.run("act 1 linear")
        var net = s.playground.network
        let first = net.layers[0]
        for i in first.weightOffset..<first.biasOffset { net.parameters[i] = i % 2 == 0 ? 1e308 : -1e308 }
        try FileAccess.writeAtomically(ModelFile(network: net, settings: s.playground.settings).encoded(), to: dir + "/huge.json")
        var shown = ""
        for line in ["load model \(dir)/huge.json", "stats", "gradcheck", "eval 1 2", "plot space 1 ascii", "plot ascii",
                     "features x y x2 y2", "eval 1e200 1e200", "confusion"] {
            out.clear()
            let error = s.error(line) ?? ""
            shown += error + out.standard + out.errors
        }
        #expect(!shown.lowercased().contains("nan"), "\(shown)")
        #expect(shown.contains("no class: the output is undefined"))
        #expect(shown.contains("train-loss=inf"))
        #expect(shown.contains("gradcheck: nothing to compare"))
        // weights set by hand are not the learning rate's fault; a point inside the frame is not "far outside"
        #expect(shown.contains("`reset` draws new weights") && !shown.contains("smaller learning rate"))
        #expect(shown.contains("the weights are too large for this point"), "\(shown)")
        #expect(formatMetric(.nan) == "undefined" && formatMetric(-.infinity) == "-inf")
    }

    @Test func divergenceFromWeightsSetByHandBlamesTheWeightsNotTheLearningRate() throws {
        // issue 10: "a divergence warning that blames lr for hand-set weights"
        let dir = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let (s, out) = makeSession(quiet: true)
        var net = s.playground.network
        for r in net.weightRanges { for i in r { net.parameters[i] = i % 2 == 0 ? 1e300 : -1e300 } }
        try FileAccess.writeAtomically(ModelFile(network: net, settings: s.playground.settings).encoded(), to: dir + "/big.json")
        try s.run("load model \(dir)/big.json")
        out.clear()
        try s.run("train 1")
        #expect(out.errors.contains("before training, so the weights (loaded or set by hand, the largest 1e+300) are too large"), "\(out.errors)")
        #expect(!out.errors.contains("smaller learning rate"), "\(out.errors)")
        // a rate that is too large is still named as the cause
        let (t, tout) = makeSession(quiet: true)
        try t.run("set lr 1e6")
        tout.clear()
        try t.run("train 3")
        #expect(tout.errors.contains("`set lr 100000`"), "\(tout.errors)")
    }

    @Test func ctrlCDuringALongDataLoadLoadsNothing() throws {
        // issue 10, item 19: Ctrl-C was ignored during a 27 s load, which was then applied anyway
        let dir = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let big = try Dataset.generate(.spiral, count: 300_000, noise: 0.1, seed: 3)
        try FileAccess.writeAtomically(CSVFormat.serialize(big), to: dir + "/big.csv")
        let (s, _) = makeSession(quiet: true)
        let before = s.snapshot
        let interrupt = s.interrupt
        let raiser = Thread { Thread.sleep(forTimeInterval: 0.05); interrupt.raise() }
        raiser.start()
        let started = Date()
        let message = try #require(s.error("data load \(dir)/big.csv"), "the load was not stopped")
        #expect(message.contains("interrupted; nothing was loaded"), "\(message)")
        #expect(Date().timeIntervalSince(started) < 5)
        let unchanged = s.snapshot == before
        #expect(unchanged)
        s.acknowledgeInterrupt()
        try s.run("data load \(dir)/big.csv")   // uninterrupted, it loads
        #expect(s.playground.dataset.count == 300_000)
    }

    @Test func tabCompletionOffersPathsAsTheCommandsReadThem() throws {
        // issue 10, item 20: `~` expanded by completion only; names with spaces inserted unquoted
        let dir = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try FileAccess.makeDirectory(dir + "/my dir")
        try writeFiles(["my dir/points one.csv": "1,1,0\n2,2,1\n", "plain.csv": "1,1,0\n2,2,1\n"], in: dir)
        let (s, _) = makeSession(quiet: true)
        let completer = Completer(session: s)
        #expect(completer.complete("data load \(dir)/my").candidates == ["\"\(dir)/my dir/"])
        #expect(completer.complete("data load \"\(dir)/my dir/po").candidates == ["\"\(dir)/my dir/points one.csv\""])
        #expect(completer.complete("data load \(dir)/pl").candidates == ["\(dir)/plain.csv"])
        // what completion inserts is what the command reads
        let inserted = try #require(completer.complete("data load \"\(dir)/my dir/po").candidates.first)
        try s.run("data load \(inserted)")
        #expect(s.playground.dataset.count == 2)
        // `~` means the home directory to the commands too
        #expect(Values.path("~/x.csv") == NSHomeDirectory() + "/x.csv" || Values.path("~/x.csv").hasSuffix("/x.csv"))
        #expect(Values.path("~") != "~" && Values.path("a~b") == "a~b" && Values.path("~user/x") == "~user/x")
    }

    @Test func aSettingGivenTwiceIsRefusedInEveryForm() throws {
        // issue 10, item 23: `set lr 0.1 lr=0.2` was accepted silently, `set lr=0.1 lr=0.2` refused
        let (s, _) = makeSession(quiet: true)
        for line in ["set lr 0.1 lr=0.2", "set lr=0.1 lr=0.2", "set lr 0.1 learning-rate=0.2"] {
            #expect(s.error(line)?.contains("given twice") == true, "\(line)")
        }
        #expect(s.playground.settings.learningRate == 0.03)
        try s.run("set lr 0.1 batch=32")
        #expect(s.playground.settings.learningRate == 0.1 && s.playground.settings.batchSize == 32)
    }
}

/// The size of a PPM file (from its header).
enum PPMReader {
    static func size(of path: String) throws -> (width: Int, height: Int) {
        let bytes = try FileAccess.read(path, limit: 1 << 30)
        let header = String(decoding: bytes.prefix(40), as: UTF8.self).split(whereSeparator: { $0 == " " || $0 == "\n" })
        guard header.count >= 3, header[0] == "P6", let w = Int(header[1]), let h = Int(header[2]) else {
            throw NNPlayError("\(path) is not a P6 PPM")
        }
        return (w, h)
    }
}
