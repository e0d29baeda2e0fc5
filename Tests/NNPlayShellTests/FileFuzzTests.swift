import Foundation
@testable import NNPlayEngine
import Testing
@testable import NNPlayShell

/// Mutated CSV, model and script files read through the entry point the REPL uses (`Session.runLine`
/// with `data load`, `load data`, `load model` and `source`), issue 6: a rejected file gives exactly
/// one error, one line long, and leaves the session exactly as it was; an accepted file leaves a
/// playground whose numbers (data, frame, weights, stats) are finite.
///
/// Seeded: `NNPLAY_FUZZ_SEED` picks the seed (default 1), `NNPLAY_FUZZ_FILE_CASES` the number of files
/// (default 600). Each case draws from its own generator (stream 2 000 000 + case), so the seed and
/// case number in a failure replay exactly that file.
@Suite struct FileFuzzTests {
    static var seed: UInt64 { ProcessInfo.processInfo.environment["NNPLAY_FUZZ_SEED"].flatMap(UInt64.init) ?? 1 }
    static var cases: Int { ProcessInfo.processInfo.environment["NNPLAY_FUZZ_FILE_CASES"].flatMap(Int.init) ?? 600 }

    /// The longest message still "clear" (beyond the paths it names).
    static let maxMessageLength = 400

    static func write(_ bytes: [UInt8], to path: String) throws {
        guard FileManager.default.createFile(atPath: path, contents: Data(bytes)) else {
            throw NNPlayError("test setup: cannot write \(path)")
        }
    }

    // MARK: Valid files to mutate

    static func validCSVs() throws -> [[UInt8]] {
        let circle = try Dataset.generate(.circle, count: 30, noise: 0.1, classes: 2, seed: 3)
        let gauss = try Dataset.generate(.gauss, count: 24, noise: 0.2, classes: 3, seed: 4)
        let named = try Dataset(xs: gauss.xs, ys: gauss.ys, labels: gauss.labels, classCount: 3,
                                classNames: ["setosa", "versi color", "\"virginica\""], testFraction: 0.5, seed: 1, origin: "named")
        return [Array(CSVFormat.serialize(circle).utf8), Array(CSVFormat.serialize(named).utf8)]
    }

    /// A trained 2-class model (fits the default data) and a trained 3-class one.
    static func validModels() throws -> [[UInt8]] {
        let (two, _) = makeSession(quiet: true)
        try two.run("add 3 relu; set optimizer adam; train 5")
        let (three, _) = makeSession(quiet: true)
        try three.run("data gauss classes=3 n=30; features x y xy; train 3")
        return [two, three].map {
            Array(ModelFile(network: $0.playground.network, settings: $0.playground.settings).encoded().utf8)
        }
    }

    static let validScript = """
        # a lesson
        data xor n=40 noise=0.1
        add 3 relu
        set lr 0.1; set batch 5
        train 3
        stats
        features x y xy
        expect epoch >= 0
        act out tanh; set loss mse
        train 2 steps

        """

    // MARK: Running a line that reads a file

    enum Outcome { case accepted, rejected }

    /// What is wrong with the numbers of an accepted state (empty when nothing is).
    static func stateProblems(_ p: Playground) -> [String] {
        var problems: [String] = []
        let d = p.dataset
        if !(d.xs + d.ys).allSatisfy(\.isFinite) { problems.append("a point is not finite") }
        let f = d.frame
        if ![f.xMin, f.xMax, f.yMin, f.yMax, f.width, f.height].allSatisfy(\.isFinite) {
            problems.append("the frame is not finite: x \(f.xMin)…\(f.xMax), y \(f.yMin)…\(f.yMax) (plot traps on it)")
        }
        if let i = p.network.parameters.firstIndex(where: { !$0.isFinite }) { problems.append("weight \(i) is \(p.network.parameters[i])") }
        if p.network.classCount != d.classCount { problems.append("\(p.network.classCount) network classes for \(d.classCount) data classes") }
        for (name, m) in [("train", p.trainMetrics), ("test", p.testMetrics)] {
            guard let m else { continue }
            if !m.loss.isFinite { problems.append("\(name)-loss is \(m.loss)") }
            if !(0...1).contains(m.accuracyValue) { problems.append("\(name)-accuracy is \(m.accuracyValue)") }
        }
        if !p.regularizationLoss.isFinite { problems.append("reg-loss is \(p.regularizationLoss)") }
        let stats = StatsCommand.line(p)
        if stats.contains("nan") || stats.contains("inf") { problems.append("stats shows \(stats)") }
        return problems
    }

    /// Runs `line` and checks the properties of issue 6. Returns whether it was accepted, the problems
    /// found, and the error message (nil when the line was accepted).
    static func run(_ line: String, in session: Session, _ out: CapturedOutput,
                    paths: [String] = []) -> (Outcome, [String], String?) {
        let before = session.snapshot
        out.clear()
        var problems: [String] = []
        let message: String
        switch session.result(of: line) {
        case .accepted:
            return (.accepted, stateProblems(session.playground), nil)
        case .rejected(let text):
            message = text
        case .foreign(let error):
            problems.append("a foreign error \(type(of: error)): \(error)")
            message = "\(error)"
        }
        if message.isEmpty { problems.append("an empty message") }
        if message.contains("\n") || message.contains("\r") { problems.append("a message of several lines: \(message.prefix(300).debugDescription)") }
        let pathLength = paths.map(\.count).reduce(0, +) * 2
        if message.count > maxMessageLength + pathLength {
            problems.append("a message of \(message.count) characters: \(message.prefix(200).debugDescription)…")
        }
        let sourced = line.hasPrefix("source ")
        if !out.errors.isEmpty && !sourced { problems.append("a second message on standard error: \(out.errors.prefix(300).debugDescription)") }
        if sourced {
            // a script's lines before the failing one ran and are kept (as when it runs by itself):
            // the state is what replaying the commands it recorded gives, and it is sound
            let twin = Session(output: CapturedOutput(), options: SessionOptions(quiet: true))
            twin.playground = before.playground
            twin.replayLog = before.log
            for recorded in session.replayLog.dropFirst(before.log.count) where twin.error(recorded) != nil {
                problems.append("the recorded \(recorded.prefix(80)) does not replay")
            }
            if twin.snapshot != session.snapshot { problems.append("the state is not what its recorded commands rebuild (\(message.prefix(200)))") }
            problems += stateProblems(session.playground)
        } else if session.snapshot != before {
            problems.append("the rejected line changed the state (\(message.prefix(200)))")
        }
        return (.rejected, problems, message)
    }

    // MARK: The fuzz run

    @Test func mutatedFilesLoadCleanlyOrChangeNothing() throws {
        let dir = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let csvs = try Self.validCSVs(), models = try Self.validModels(), script = Array(Self.validScript.utf8)
        let (session, out) = makeSession(quiet: true)
        // the valid files load
        for (i, csv) in csvs.enumerated() {
            let path = dir + "/valid-\(i).csv"
            try Self.write(csv, to: path)
            let (outcome, problems, _) = Self.run("data load \(Tokenizer.quoted(path))", in: session, out)
            #expect(outcome == .accepted && problems.isEmpty, "valid CSV \(i): \(outcome) \(problems) \(out.errors)")
        }
        for (i, model) in models.enumerated() {
            let path = dir + "/valid-\(i).json"
            try Self.write(model, to: path)
            try session.run(i == 0 ? "data circle" : "data gauss classes=3")
            let (outcome, problems, _) = Self.run("load model \(Tokenizer.quoted(path))", in: session, out)
            #expect(outcome == .accepted && problems.isEmpty, "valid model \(i): \(outcome) \(problems)")
        }
        try Self.write(script, to: dir + "/valid.nn")
        let (scriptOutcome, scriptProblems, _) = Self.run("source \(Tokenizer.quoted(dir + "/valid.nn"))", in: session, out)
        #expect(scriptOutcome == .accepted && scriptProblems.isEmpty, "the valid script: \(scriptOutcome) \(scriptProblems)")

        var counts: [String: (accepted: Int, rejected: Int)] = [:]
        var failures = 0
        let started = Date()
        for index in 0..<Self.cases {
            var g = SeededGenerator(seed: Self.seed, streamNumber: 2_000_000 + UInt64(index))
            let kind = ["csv", "model", "script"][index % 3]
            let base: [UInt8]
            switch kind {
            case "csv": base = csvs[g.nextIndex(below: csvs.count)]
            case "model": base = models[g.nextIndex(below: models.count)]
            default: base = script
            }
            let (bytes, steps) = FileMutator.mutate(base, script: kind == "script", &g)
            let path = dir + "/case-\(index).\(kind == "csv" ? "csv" : kind == "model" ? "json" : "nn")"
            try Self.write(bytes, to: path)
            let quoted = Tokenizer.quoted(path)
            let line: String
            switch kind {
            case "csv":
                line = [ "data load \(quoted)", "load data \(quoted)", "data load \(quoted) test=0.3 seed=\(index)",
                         "data load \(quoted) test=1"][g.nextIndex(below: 4)]
            case "model":
                // mostly first data of the model's class count, so that more models fit
                if g.nextIndex(below: 3) != 0 { try session.run(base == models[0] ? "data circle n=40" : "data gauss classes=3 n=40") }
                line = "load model \(quoted)"
            default:
                line = "source \(quoted)"
            }
            // a mutated script could write files or run for long: it must not be able to
            if kind == "script", let text = String(validating: bytes, as: UTF8.self)?.lowercased(),
               ["save", "export", "load", "source", "live"].contains(where: text.contains) {
                continue
            }
            let (outcome, problems, _) = Self.run(line, in: session, out, paths: [path])
            counts[kind, default: (0, 0)].accepted += outcome == .accepted ? 1 : 0
            counts[kind, default: (0, 0)].rejected += outcome == .rejected ? 1 : 0
            if !problems.isEmpty {
                failures += 1
                if failures <= 15 {
                    Issue.record("seed \(Self.seed) case \(index) (\(kind): \(steps.joined(separator: "; "))): \(line) → \(problems.joined(separator: "; ")) — file \(FileMutator.excerpt(bytes))")
                }
            }
            if session.quitRequested { break }
        }
        let seconds = Date().timeIntervalSince(started)
        let summary = ["csv", "model", "script"].map { k in
            "\(k) \(counts[k]?.accepted ?? 0) accepted / \(counts[k]?.rejected ?? 0) rejected"
        }.joined(separator: ", ")
        print("file fuzz (seed \(Self.seed)): \(Self.cases) cases: \(summary); \(failures) failed, \(fixed(seconds, decimals: 2)) s")
        #expect(failures == 0, "seed \(Self.seed): \(failures) of \(Self.cases) files broke a property (the first 15 are above)")
        for k in ["csv", "model", "script"] {
            let c = counts[k] ?? (0, 0)
            #expect(c.accepted > 0 && c.rejected > c.accepted / 4, "\(k): \(c.accepted) accepted, \(c.rejected) rejected: the mutations prove little")
        }
    }

    // MARK: Hostile files, one by one

    /// Files that must be refused: (name, file contents, command with PATH for the file's path, part of the message).
    static let hostileFiles: [(name: String, bytes: [UInt8], command: String, message: String)] = {
        /// UTF-16LE with its byte order mark.
        func utf16(_ s: String) -> [UInt8] { [0xFF, 0xFE] + s.utf16.flatMap { unit -> [UInt8] in [UInt8(unit & 0xFF), UInt8(unit >> 8)] } }
        let good = Array("x,y,label\n1,2,0\n3,4,1\n".utf8)
        let model = ModelFile(network: Playground.makeDefault().network, settings: TrainingSettings()).encoded()
        var g = SeededGenerator(seed: 6, streamNumber: 6)
        let garbage = (0..<4000).map { _ in UInt8(truncatingIfNeeded: g.next()) }
        return [
            ("an empty CSV", [], "data load PATH", "the file is empty"),
            ("a CSV header only", Array("x,y,label\n".utf8), "data load PATH", "header but no data"),
            ("a UTF-16 CSV", utf16("x,y,label\n1,2,0\n3,4,1\n"), "data load PATH", "binary"),
            ("a CSV with a NUL", good + [0], "load data PATH", "binary"),
            ("a Latin-1 CSV", Array("1,2,caf".utf8) + [0xE9] + Array("\n3,4,b\n".utf8), "data load PATH", "line 1: the text is not UTF-8"),
            ("a CSV line of 3 MB", good + [UInt8](repeating: UInt8(ascii: "z"), count: 3 * 1_048_576), "data load PATH", "line 4"),
            ("an empty model", [], "load model PATH", "the file is empty"),
            ("a UTF-16 model", utf16(model), "load model PATH", "not UTF-8"),
            ("a model of 100 000 [", Array(String(repeating: "[", count: 100_000).utf8), "load model PATH", "nesting deeper than 64 levels"),
            ("a model whose layer size does not match its weights", Array(model.replacingOccurrences(of: "\"size\": 4", with: "\"size\": 5").utf8), "load model PATH", "\"weights\" has 4 rows but \"size\" is 5"),
            ("a model of 3 classes for 2-class data", Array(ModelFile(network: (try? Network(features: [.x, .y], hidden: [(2, .tanh)], classes: 3)) ?? Playground.makeDefault().network, settings: nil).encoded().utf8), "load model PATH", "the model classifies 3 classes but the data has 2"),
            ("a model with an unknown activation", Array(model.replacingOccurrences(of: "\"tanh\"", with: "\"tahn\"").utf8), "load model PATH", "activation \"tahn\" is not one of"),
            ("binary garbage as a script", garbage, "source PATH", "binary"),
            ("a script with a NUL", Array("stats\n\u{0}\n".utf8), "source PATH", "binary"),
            ("a UTF-16 script", utf16("stats\n"), "source PATH", "binary"),
            ("a script line of 2 MB", Array("data xor\n".utf8) + [UInt8](repeating: UInt8(ascii: "#"), count: 2 * 1_048_576) + Array("\n".utf8), "source PATH", ":2: error: the line is longer than 1024 kB"),
            ("a script whose third line fails", Array("data xor n=30\nadd 2\nadd 0\n".utf8), "source PATH", ":3: error: "),
            ("a script that sources itself", Array("data xor n=30\nsource PATH\n".utf8), "source PATH", "sources itself"),
        ]
    }()

    @Test func hostileFilesAreRefusedWithOneClearErrorAndChangeNothing() throws {
        let dir = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        for (i, (name, bytes, command, expected)) in Self.hostileFiles.enumerated() {
            let path = dir + "/hostile-\(i)"
            let contents = String(validating: bytes, as: UTF8.self).map { Array($0.replacingOccurrences(of: "PATH", with: path).utf8) } ?? bytes
            try Self.write(contents, to: path)
            let (session, out) = makeSession(quiet: true)
            try session.run("train 2")
            let line = command.replacingOccurrences(of: "PATH", with: Tokenizer.quoted(path))
            let (outcome, problems, error) = Self.run(line, in: session, out, paths: [path])
            #expect(outcome == .rejected, "\(name): accepted")
            #expect(problems.isEmpty, "\(name): \(problems)")
            #expect(error?.contains(expected) == true, "\(name): \(error?.prefix(300).debugDescription ?? "no error") does not say \(expected.debugDescription)")
        }
    }

    @Test func scriptsThatSourceEachOtherOrNestTooDeepAreRefusedAndChangeNothing() throws {
        let dir = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let (session, out) = makeSession(quiet: true)
        // A → B → A
        try Self.write(Array("data xor n=30\nsource \(Tokenizer.quoted(dir + "/b.nn"))\n".utf8), to: dir + "/a.nn")
        try Self.write(Array("add 3\nsource \(Tokenizer.quoted(dir + "/a.nn"))\n".utf8), to: dir + "/b.nn")
        let (o1, p1, _) = Self.run("source \(Tokenizer.quoted(dir + "/a.nn"))", in: session, out, paths: [dir + "/a.nn", dir + "/b.nn"])
        #expect(o1 == .rejected && p1.isEmpty, "A sources B sources A: \(o1) \(p1)")
        #expect(session.error("source \(Tokenizer.quoted(dir + "/a.nn"))")?.contains("sources itself") == true)
        // 17 scripts, each sourcing the next: one more than the limit of 16
        let depth = Session.maxSourceDepth + 1
        for k in 0..<depth {
            let next = k + 1 < depth ? "source \(Tokenizer.quoted(dir + "/chain-\(k + 1).nn"))\n" : "stats\n"
            try Self.write(Array("set lr 0.0\(k + 1)\n\(next)".utf8), to: dir + "/chain-\(k).nn")
        }
        let chain = "source \(Tokenizer.quoted(dir + "/chain-0.nn"))"
        let (o2, p2, _) = Self.run(chain, in: session, out, paths: [dir + "/chain-16.nn"])
        #expect(o2 == .rejected && p2.isEmpty, "a chain of \(depth) scripts: \(o2) \(p2)")
        #expect(session.error(chain)?.contains("nested more than \(Session.maxSourceDepth) deep") == true, "\(session.error(chain) ?? "no error")")
        // 16 deep is allowed
        let (o3, p3, _) = Self.run("source \(Tokenizer.quoted(dir + "/chain-1.nn"))", in: session, out)
        #expect(o3 == .accepted && p3.isEmpty, "a chain of \(depth - 1) scripts: \(o3) \(p3)")
    }

    @Test func filesOverTheReadLimitsAreRefusedNamingTheLimit() throws {
        let dir = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let (session, out) = makeSession(quiet: true)
        // sparse files one byte over each limit: refused from their size, before reading
        let limits = [("big.nn", "source", SourceCommand.maxBytes), ("big.csv", "data load", CSVFormat.maxBytes),
                      ("big.json", "load model", ModelFile.maxBytes)]
        for (name, command, limit) in limits {
            let path = dir + "/" + name
            try Self.write(Array("stats\n".utf8), to: path)
            #expect(truncate(path, off_t(limit + 1)) == 0)
            let line = "\(command) \(Tokenizer.quoted(path))"
            let (outcome, problems, error) = Self.run(line, in: session, out, paths: [path])
            #expect(outcome == .rejected && problems.isEmpty, "\(line): \(outcome) \(problems)")
            let message = error ?? ""
            #expect(message.contains("limit of \(limit / 1_048_576) MB"), "\(line): \(message)")
        }
        // an endless device, a directory, a missing file
        for line in ["source /dev/zero", "load model \(Tokenizer.quoted(dir))", "data load \(Tokenizer.quoted(dir + "/missing.csv"))"] {
            let (outcome, problems, _) = Self.run(line, in: session, out, paths: [dir + "/missing.csv"])
            #expect(outcome == .rejected && problems.isEmpty, "\(line): \(outcome) \(problems)")
        }
        #expect(session.error("source /dev/zero")?.contains("limit of 16 MB") == true)
    }

    /// Files with numbers so large that the playground cannot use them: refused, or (a model that
    /// overflows on this data) accepted with a warning and no NaN anywhere.
    @Test(arguments: [
        ("a CSV point at the largest Double", "x,y,label\n1,2,0\n1.7976931348623157e308,3,1\n-1,0,0\n2,2,1\n", "data load PATH"),
        ("a model with the largest Double as weights", "MODEL", "load model PATH"),
    ])
    func acceptedFilesWithExtremeNumbersLeaveAFinitePlayground(name: String, text: String, command: String) throws {
        let dir = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let (session, out) = makeSession(quiet: true)
        var contents = text
        if text == "MODEL" {
            // finite weights whose sums overflow: Σ w·a reaches ±inf in the second layer and the output
            // (all of one sign, so the output's sum cannot cancel to 0 as alternating signs would)
            var net = session.playground.network
            for k in net.layers.indices.dropFirst() {
                let shape = net.layers[k]
                for i in shape.weightOffset..<shape.biasOffset { net.parameters[i] = 1.7e308 }
            }
            contents = ModelFile(network: net, settings: session.playground.settings).encoded()
        }
        let path = dir + "/extreme"
        try Self.write(Array(contents.utf8), to: path)
        let (outcome, problems, _) = Self.run(command.replacingOccurrences(of: "PATH", with: Tokenizer.quoted(path)), in: session, out, paths: [path])
        if text == "MODEL" {
            // a valid model that overflows on this data: loaded, its losses are the limit ∞ (never
            // NaN), and a warning says why
            #expect(outcome == .accepted, "\(name) was refused")
            let notInfinity = problems.filter { !$0.hasSuffix("-loss is inf") && !$0.hasPrefix("stats shows") }
            #expect(notInfinity.isEmpty, "\(name): \(problems)")
            #expect(!StatsCommand.line(session.playground).contains("nan"))
            #expect(out.errors.hasPrefix("warning: the train loss is inf: the network's sums overflow on some points"), "\(out.errors)")
        } else {
            #expect(problems.isEmpty, "\(name) was \(outcome): \(problems)")
        }
    }

    @Test func aScriptWithAByteOrderMarkRunsOrSaysWhy() throws {
        // editors on Windows save UTF-8 with a BOM; the CSV and JSON readers skip it, a script's first
        // command must not become "unknown command 'data'; did you mean 'data'?"
        let dir = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/bom.nn"
        try Self.write([0xEF, 0xBB, 0xBF] + Array("data xor n=30\nstats\n".utf8), to: path)
        let (session, out) = makeSession(quiet: true)
        let (outcome, problems, error) = Self.run("source \(Tokenizer.quoted(path))", in: session, out, paths: [path])
        #expect(problems.isEmpty, "\(problems)")
        if outcome == .rejected {
            let message = error ?? ""
            #expect(!message.contains("did you mean 'data'"), "a BOM gives a puzzling error: \(message.debugDescription)")
        }
    }
}

/// The mutations of files, drawn from a seeded generator (a smaller set than the engine's
/// ReaderFuzzTests: the shell's part is reading, checking and keeping the state).
private enum FileMutator {
    static let oddBytes: [[UInt8]] = [
        [0x00], [0x07], [0x0D], [0x1B], [0x7F], [0x80], [0xC3], [0xED, 0xA0, 0x80], [0xFF], [0xEF, 0xBB, 0xBF], [0x0A], [0x22], [0x3B], [0x23],
    ]
    static let numbers = ["nan", "1e999", "-1e999", "-0", "0", "1.7976931348623157e308", "-1", "2.5", "17", "1025", "99999999999999999999", "0x10", "", "3"]

    static func mutate(_ base: [UInt8], script: Bool, _ g: inout SeededGenerator) -> ([UInt8], [String]) {
        if g.nextIndex(below: 25) == 0 {
            let count = g.nextIndex(below: 2000)
            return ((0..<count).map { _ in UInt8(truncatingIfNeeded: g.next()) }, ["\(count) random bytes"])
        }
        var bytes = base, steps: [String] = []
        for _ in 0..<(1 + g.nextIndex(below: 3)) {
            let p = bytes.isEmpty ? 0 : g.nextIndex(below: bytes.count)
            switch g.nextIndex(below: 9) {
            case 0:
                if !bytes.isEmpty { bytes[p] ^= UInt8(1) << UInt8(g.nextIndex(below: 8)) }
                steps.append("flip a bit at \(p)")
            case 1:
                let odd = oddBytes[g.nextIndex(below: oddBytes.count)]
                bytes.insert(contentsOf: odd, at: p)
                steps.append("insert \(odd) at \(p)")
            case 2:
                let n = min(bytes.count - p, 1 + g.nextIndex(below: 20))
                if n > 0 { bytes.removeSubrange(p..<(p + n)) }
                steps.append("delete \(n) bytes at \(p)")
            case 3:
                bytes.removeSubrange(p...)
                steps.append("truncate at \(p)")
            case 4, 5:
                var lines = bytes.split(separator: 0x0A, omittingEmptySubsequences: false).map(Array.init)
                if lines.isEmpty { continue }
                let i = g.nextIndex(below: lines.count)
                if g.nextIndex(below: 2) == 0 { lines.insert(lines[i], at: g.nextIndex(below: lines.count)); steps.append("duplicate line \(i + 1)") } else { lines.remove(at: i); steps.append("remove line \(i + 1)") }
                bytes = Array(lines.joined(separator: [0x0A]))
            case 6, 7:
                // a number swapped for a hostile one (a script's numbers stay small: no n=1000000)
                let digits = bytes.indices.filter { bytes[$0] >= 0x30 && bytes[$0] <= 0x39 && ($0 == 0 || !(bytes[$0 - 1] >= 0x30 && bytes[$0 - 1] <= 0x39) && bytes[$0 - 1] != 0x2E) }
                guard let start = digits.isEmpty ? nil : digits[g.nextIndex(below: digits.count)] else { continue }
                var end = start
                while end < bytes.count, (bytes[end] >= 0x30 && bytes[end] <= 0x39) || [0x2E, 0x65, 0x2D, 0x2B].contains(bytes[end]) { end += 1 }
                let new = numbers[g.nextIndex(below: numbers.count)]
                if script && (new == "99999999999999999999" || new == "1025") { continue }
                bytes.replaceSubrange(start..<end, with: Array(new.utf8))
                steps.append("number at \(start) → \(new.debugDescription)")
            default:
                // a size that no longer fits its weights, a label out of range, a command's word changed
                let needle = Array((script ? " " : "\"size\": ").utf8)
                let hits = bytes.indices.filter { i in i + needle.count <= bytes.count && Array(bytes[i..<(i + needle.count)]) == needle }
                guard let at = hits.isEmpty ? nil : hits[g.nextIndex(below: hits.count)] + needle.count, at < bytes.count else { continue }
                let insert = Array((script ? ["x", "relu ", "-", "=", "\"", "'"] : ["1", "-", "0"])[g.nextIndex(below: script ? 6 : 3)].utf8)
                bytes.insert(contentsOf: insert, at: at)
                steps.append("insert \(String(decoding: insert, as: UTF8.self).debugDescription) at \(at)")
            }
        }
        return (bytes, steps)
    }

    static func excerpt(_ bytes: [UInt8]) -> String {
        "(\(bytes.count) bytes) " + String(decoding: bytes.prefix(120), as: UTF8.self).debugDescription
    }
}
