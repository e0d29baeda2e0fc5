import Foundation
import NNPlayEngine
import Testing
@testable import NNPlayShell

/// `sweep`: each run equals the same change made and trained on its own, the playground stays.
@Suite struct SweepTests {
    static let setup = "data spiral n=83 noise=0.2 test=0.3 classes=3; resize 1 5; set optimizer adam; train 3"

    /// The table's rows as [value: [column: text]], the mark and the time left out.
    static func rows(_ text: String) -> [String: [String: String]] {
        let lines = text.split(separator: "\n").map(String.init)
        guard let header = lines.first?.split(separator: " ").map(String.init) else { return [:] }
        var result: [String: [String: String]] = [:]
        for line in lines.dropFirst() {
            let cells = line.split(separator: " ").map(String.init)
            guard cells.count == header.count + 2, cells[0].count == 1 else { break }   // a b c …, then the chart
            var row: [String: String] = [:]
            for (c, name) in header.enumerated().dropFirst() where name != "time" && cells[c + 1] != "n/a" { row[name] = cells[c + 1] }
            result[cells[1]] = row
        }
        return result
    }

    static func expectedRow(_ p: Playground) -> [String: String] {
        var row = ["train-loss": Metric.text(p.trainMetrics?.loss ?? .nan), "test-loss": Metric.text(p.testMetrics?.loss ?? .nan),
                   "train-accuracy": Metric.text(p.trainMetrics?.accuracyValue ?? .nan), "test-accuracy": Metric.text(p.testMetrics?.accuracyValue ?? .nan)]
        if let v = p.validationMetrics { row["val-loss"] = Metric.text(v.loss); row["val-accuracy"] = Metric.text(v.accuracyValue) }
        return row
    }

    @Test(arguments: [("lr", ["0.003", "0.05", "0.3"]), ("batch", ["1", "7", "100"]), ("optimizer", ["sgd", "momentum", "adam"]),
                      ("validation", ["0", "0.2"]), ("reg", ["none", "l2"])])
    func eachRowEqualsTheSameSettingTrainedAlone(key: String, values: [String]) throws {
        let (s, _) = makeSession(seed: 2)
        try s.run(Self.setup + "; reg l1 0.001")
        let before = s.snapshot
        let text = try s.run("sweep \(key) \(values.joined(separator: ",")) train=9 ascii")
        #expect(s.snapshot == before, "a sweep changes nothing")
        let rows = Self.rows(text)
        #expect(rows.count == values.count, "\(text)")
        for value in values {
            let (alone, _) = makeSession(seed: 2)
            try alone.run(Self.setup + "; reg l1 0.001; set \(key) \(value); train 9")
            #expect(rows[value] == Self.expectedRow(alone.playground), "\(key)=\(value)")
        }
    }

    @Test func actAndSeedRunsEqualTheirEngineCounterparts() throws {
        let (s, _) = makeSession(seed: 2)
        try s.run(Self.setup)
        let rows = Self.rows(try s.run("sweep act relu,elu train=6 ascii"))
        for name in ["relu", "elu"] {
            var p = s.playground
            let activation = try #require(Activation(name: name))
            _ = try p.replaceNetwork(p.network.withActivations(hidden: Array(repeating: activation, count: p.network.hiddenCount)), initialize: false)
            try p.train(.epochs(6))
            #expect(rows[name] == Self.expectedRow(p), "act \(name)")
        }
        let seeds = Self.rows(try s.run("sweep seed 5,6 train=4 ascii"))
        for seed in ["5", "6"] {
            let (alone, _) = makeSession(seed: 2)
            try alone.run(Self.setup + "; set seed \(seed); reset; train 4")
            #expect(seeds[seed] == Self.expectedRow(alone.playground), "seed \(seed)")
        }
        #expect(seeds["5"] != seeds["6"])
    }

    @Test func theSameSweepGivesTheSameNumbersAndPictures() throws {
        let (a, _) = makeSession(), (b, _) = makeSession()
        let line = "sweep lr 0.01,0.1 train=20 ascii"
        let ta = try a.run(line), tb = try b.run(line)
        #expect(Self.rows(ta) == Self.rows(tb))
        // everything after the table: the chart and the maps
        func pictures(_ t: String) -> [Substring] { t.split(separator: "\n").filter { !$0.hasPrefix("a ") && !$0.hasPrefix("b ") && !$0.hasPrefix("lr ") } }
        #expect(pictures(ta) == pictures(tb))
        #expect(ta.contains("train loss per epoch: a lr=0.01  b lr=0.1"))
        #expect(!ta.contains("\u{1B}"))
        #expect(ta.split(separator: "\n").allSatisfy { $0.count <= 80 })
    }

    @Test func fileWritesOnePicture() throws {
        let dir = try makeTemporaryDirectory()
        let (s, _) = makeSession()
        let text = try s.run("sweep lr 0.01,0.1,1 train=5 file=\(dir)/sweep.ppm ascii")
        #expect(text.contains("wrote \(dir)/sweep.ppm"))
        let bytes = try #require(FileManager.default.contents(atPath: "\(dir)/sweep.ppm"))
        #expect(bytes.starts(with: Array("P6\n".utf8)))
    }

    @Test func badSweepsAreClearErrorsAndChangeNothing() throws {
        let (s, _) = makeSession()
        let before = s.snapshot
        let cases: [(String, String)] = [
            ("sweep", "usage: sweep KEY"),
            ("sweep lr", "usage: sweep KEY"),
            ("sweep banana 1,2", "cannot sweep 'banana'"),
            ("sweep lr 0.1,0", "lr=0 is out of range"),
            ("sweep lr 0.1,,0.2", "empty value"),
            ("sweep lr 0.1,0.1", "given twice"),
            ("sweep act tanh,foo", "unknown activation 'foo'"),
            ("sweep optimizer sgd,adamw", "unknown optimizer 'adamw'"),
            ("sweep lr 0.1 train=0", "train=0 is out of range"),
            ("sweep lr 0.1 points=all", "unknown option"),
            ("sweep lr \((1...13).map(String.init).joined(separator: ","))", "13 values"),
        ]
        for (line, expected) in cases {
            let message = try #require(s.error(line), "\(line) should fail")
            #expect(message.contains(expected), "\(line): \(message)")
            #expect(!message.contains("\n"))
        }
        #expect(s.snapshot == before)
        #expect(try s.run("help sweep").contains("sweep KEY V1,V2,… [train=N]"))
        #expect(Completer(session: s).complete("sweep opt").candidates == ["optimizer"])
        #expect(Completer(session: s).complete("sweep optimizer ").candidates.contains("adam"))
    }
}
