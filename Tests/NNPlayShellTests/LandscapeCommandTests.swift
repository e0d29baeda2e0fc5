import Foundation
import NNPlayEngine
import Testing
@testable import NNPlayShell

/// `plot landscape` and `export landscape` through the session.
@Suite struct LandscapeCommandTests {
    /// 17 training points, hidden layers of 3 and 5.
    static func awkwardSession() throws -> Session {
        let (s, _) = makeSession()
        try s.run("data xor n=34 test=0.5; resize 1 3; resize 2 5")
        return s
    }

    static func json(_ s: Session, _ line: String) throws -> JSON {
        let text = try s.run(line)
        #expect(text.split(separator: "\n").count == 1)
        return try JSON.parse(text)
    }

    static func numbers(_ j: JSON?) -> [Double?] {
        guard case .array(let items)? = j else { return [] }
        return items.map { if case .number(let x) = $0 { x } else { nil } }
    }

    @Test func jsonHasOddSidesTheCentreAndThePath() throws {
        let s = try Self.awkwardSession()
        try s.run("train 5")
        let stats = try s.run("stats")
        let j = try Self.json(s, "plot landscape 1.1:2,out.1:b size=9x5 json")
        #expect(Self.numbers(j["size"]) == [9, 5])
        #expect(j["span"] == .number(2))
        #expect(j["axes"] == .array([.string("1.1:2"), .string("out.1:b")]))
        guard case .array(let rows)? = j["loss"] else { Issue.record("no loss rows"); return }
        #expect(rows.count == 5)
        #expect(rows.allSatisfy { Self.numbers($0).count == 9 })
        let centre = try #require(Self.numbers(rows[2])[4])
        let train = try #require(s.playground.trainMetrics).loss
        #expect(centre == train)
        #expect(stats.contains("train-loss=\(formatMetric(train))"))
        guard case .array(let path)? = j["path"] else { Issue.record("no path"); return }
        #expect(path.count == 6)
        #expect(Self.numbers(path.last) == [0, 0])
        // the default json grid
        #expect(Self.numbers(try Self.json(s, "plot landscape json")["size"]) == [33, 33])
    }

    @Test func thePathRestartsAfterResetAndInit() throws {
        let s = try Self.awkwardSession()
        #expect(try Self.json(s, "plot landscape size=3 json")["path"] == .array([]))
        try s.run("train 5")
        #expect(Self.numbers(try Self.json(s, "plot landscape size=3 json")["path"]).isEmpty == false)
        try s.run("reset")
        #expect(try Self.json(s, "plot landscape size=3 json")["path"] == .array([]))
        try s.run("train 2; init he")
        #expect(try Self.json(s, "plot landscape size=3 json")["path"] == .array([]))
    }

    @Test func sameCommandsGiveTheSameJSON() throws {
        let a = try Self.awkwardSession(), b = try Self.awkwardSession()
        try a.run("train 3")
        try b.run("train 3")
        let line = "plot landscape random span=0.5 size=7x11 json"
        #expect(try a.run(line) == b.run(line))
        #expect(try a.run("plot landscape size=5 json") != a.run("plot landscape span=0.3 size=5 json"))
    }

    @Test func thePictureFitsTheTerminalAndSaysWhatItShows() throws {
        let (s, out) = makeSession()
        try s.run("train 5")
        let text = try s.run("plot landscape")
        let lines = text.components(separatedBy: "\n")
        #expect(lines.allSatisfy { $0.count <= out.width })
        #expect(!text.contains("\u{1B}"))
        #expect(text.contains("X") && text.contains("S start"))
        #expect(text.contains("+1") && text.contains("-1"))
        #expect(text.replacingOccurrences(of: "\n", with: " ").contains("mean training loss around the current weights (centre, loss="))
        #expect(text.replacingOccurrences(of: "\n", with: " ").contains("path: 5 epochs since the start"))
        #expect(text.contains("lowest cell: "))
        #expect(!text.lowercased().contains("nan"))
        let narrow = CapturedOutput(width: 40)
        let t = Session(output: narrow, options: SessionOptions(seed: 1))
        try t.runLine("plot landscape 1.1:1,1.2:2 ascii")
        #expect(narrow.standard.components(separatedBy: "\n").allSatisfy { $0.count <= 40 })
        #expect(narrow.standard.contains("across 1.1:1, up 1.2:2"))
    }

    @Test func colourPicturesUseHalfBlocks() throws {
        let out = CapturedOutput(width: 80)
        var options = SessionOptions(seed: 1)
        options.colorMode = .trueColor
        let s = Session(output: out, options: options)
        try s.runLine("train 2; plot landscape size=21")
        #expect(out.standard.contains("▀"))
        #expect(out.standard.contains("\u{1B}[38;2;"))
    }

    @Test func badRequestsAreClearErrors() throws {
        let s = try Self.awkwardSession()
        let cases: [(String, String)] = [
            ("plot landscape 7.1:1,1.1:2", "layer 7 does not exist"),
            ("plot landscape 1.4:1,1.1:2", "layer 1 has neurons 1…3"),
            ("plot landscape 1.1:4,1.1:2", "neuron 1.1 has inputs 1…2"),
            ("plot landscape 2.1:9,1.1:2", "neuron 2.1 has inputs 1…3"),
            ("plot landscape in.1:1,1.1:2", "inputs have no incoming weights"),
            ("plot landscape 1.1:2,1.1:2", "same parameter"),
            ("plot landscape 1.1:2", "two axes, 1 given"),
            ("plot landscape 1.1,1.1:2", "not an axis"),
            ("plot landscape 1.1:1,1.1:2 random", "not both"),
            ("plot landscape span=0", "span=0 is out of range"),
            ("plot landscape span=-1", "out of range"),
            ("plot landscape span=nan", "span"),
            ("plot landscape span=1e9", "out of range"),
            ("plot landscape size=64", "even"),
            ("plot landscape size=9x4", "even"),
            ("plot landscape size=1", "out of range"),
            ("plot landscape points=all", "unknown option"),
            ("plot landscape banana", "'banana' is not an axis"),
            ("export landscape", "missing FILE"),
            ("export landscape /tmp/x.ppm json", "json does not apply"),
        ]
        for (line, expected) in cases {
            let message = try #require(s.error(line), "\(line) should fail")
            #expect(message.contains(expected), "\(line): \(message)")
            #expect(!message.contains("\n"))
        }
        try s.run("data split test=1")
        #expect(s.error("plot landscape")?.contains("no training points") == true)
    }

    @Test func tooBigForTheMemoryBudgetOrTheWorkLimit() throws {
        let (s, _) = makeSession()
        try MemoryBudget.$scopedLimit.withValue(1 << 20) {
            let message = try #require(s.error("plot landscape size=201 json"))
            #expect(message.contains("budget") && message.contains("fits"), "\(message)")
        }
        try s.run("data circle n=100000")
        let message = try #require(s.error("plot landscape size=1001"))
        #expect(message.contains("multiply-adds") && message.contains("fits"), "\(message)")
    }

    @Test func exportWritesAPPM() throws {
        let dir = try makeTemporaryDirectory()
        let (s, _) = makeSession()
        let said = try s.run("train 3; export landscape \(dir)/l.ppm 1.1:1,1.1:2 size=31x21 span=1.5")
        #expect(said.contains("wrote \(dir)/l.ppm"))
        let bytes = try #require(FileManager.default.contents(atPath: "\(dir)/l.ppm"))
        #expect(bytes.starts(with: Array("P6\n".utf8)))
    }

    @Test func helpAndCompletionKnowLandscape() throws {
        let (s, _) = makeSession()
        #expect(try s.run("help plot").contains("plot landscape [LAYER.J:I,LAYER.J:I | random]"))
        #expect(try s.run("help export").contains("export landscape FILE ["))
        #expect(PlotCommand.completion(forPositional: 1, after: ["landscape"]) == .words(["random", "ascii", "json"]))
        #expect(PlotCommand.optionKeys(after: ["landscape"]) == ["size", "span"])
        #expect(ExportCommand.completion(forPositional: 1, after: ["landscape"]) == .path)
    }
}
