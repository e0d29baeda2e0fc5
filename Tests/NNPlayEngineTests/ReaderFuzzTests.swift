import Foundation
import Testing
@testable import NNPlayEngine

/// Seeded fuzzing of the file readers (issue 6): valid CSV datasets and model files, mutated
/// thousands of times (bytes flipped, inserted, deleted; control and non-UTF-8 bytes; truncation;
/// lines and JSON tokens duplicated or removed; numbers swapped for nan, 1e999, -0, huge values;
/// layer sizes changed so that they no longer match their weights), plus explicit hostile files
/// (empty, header only, BOM, UTF-16, NUL, 100 000-deep JSON, a 10 MB string, several-MB lines,
/// files over the size limits).
///
/// Properties: the reader never crashes or hangs; it either returns something whose invariants hold
/// (every number finite, sizes consistent, parameter count that of the architecture, labels in range)
/// or throws an `NNPlayError` whose message is one short, non-empty line.
///
/// `NNPLAY_FUZZ_SEED` picks the seed (default 1), `NNPLAY_FUZZ_READER_CASES` the mutations per
/// format (default 5000). Every case draws from its own generator (stream 1000 + case for CSV,
/// 1 000 000 + case for models), so a failure message's seed and case number replay exactly that
/// input. Failures are grouped by kind; the first three of each kind are recorded in full.
@Suite struct ReaderFuzzTests {
    static var seed: UInt64 { ProcessInfo.processInfo.environment["NNPLAY_FUZZ_SEED"].flatMap(UInt64.init) ?? 1 }
    static var cases: Int { ProcessInfo.processInfo.environment["NNPLAY_FUZZ_READER_CASES"].flatMap(Int.init) ?? 5000 }

    /// The longest error message still "clear": a line or two of a terminal, not the file echoed back.
    static let maxMessageLength = 400

    /// What is wrong with an error message, or nil when it is one clear line.
    static func messageProblem(_ message: String) -> String? {
        if message.trimmingCharacters(in: .whitespaces).isEmpty { return "the message is empty" }
        if message.contains("\n") || message.contains("\r") { return "the message has several lines: \(message.prefix(200).debugDescription)" }
        if message.count > maxMessageLength {
            return "the message is \(message.count) characters long: \(message.prefix(120).debugDescription)…"
        }
        return nil
    }

    // MARK: Valid files to mutate

    /// Three valid CSV files: numbered labels, quoted names (and CRLF, comments), and -1/1 labels.
    static func validCSVs() throws -> [[UInt8]] {
        // small files: the parser takes about 10 µs a line, and thousands of cases must stay quick
        let spiral = try Dataset.generate(.spiral, count: 24, noise: 0.2, classes: 3, seed: 5)
        let xor = try Dataset.generate(.xor, count: 16, noise: 0.1, classes: 2, seed: 6)
        let named = try Dataset(xs: xor.xs, ys: xor.ys, labels: xor.labels, classCount: 2, classNames: ["cat", "dog, big"],
                                testFraction: 0.5, seed: 1, origin: "named")
        var plusMinus = "# a comment\r\nx , y , class\r\n\r\n"
        for i in 0..<16 {
            plusMinus += "\(JSON.numberText(Double(i) * 0.37 - 5)),\(JSON.numberText(Double(i % 7) * -1.25)),\(i % 3 == 0 ? "-1" : "1")\r\n"
        }
        return [Array(CSVFormat.serialize(spiral).utf8), Array(CSVFormat.serialize(named).utf8), Array(plusMinus.utf8)]
    }

    /// Three valid model files: a trained 3-class softmax model with class names and settings, the
    /// trained default model, and a model without hidden layers or settings.
    static func validModels() throws -> [[UInt8]] {
        let p = try trainedSpiralPlayground(points: 90, epochs: 5)
        var d = Playground.makeDefault()
        try d.train(.epochs(3))
        let bare = try Network(features: [.xy, .y2], hidden: [], classes: 2, output: .tanh)
        return [
            Array(ModelFile(network: p.network, settings: p.settings, classNames: ["a", "b", "c"]).encoded().utf8),
            Array(ModelFile(network: d.network, settings: d.settings).encoded().utf8),
            Array(ModelFile(network: bare, settings: nil).encoded().utf8),
        ]
    }

    // MARK: Invariants of what the readers accept

    /// Problems of an accepted CSV, and of the dataset made from it (empty when all is well).
    static func csvProblems(_ c: CSVFormat.Contents) -> [String] {
        var problems: [String] = []
        let n = c.xs.count
        if n == 0 { problems.append("no points") }
        if c.problem == .regression { return regressionProblems(c) }
        if c.ys.count != n || c.labels.count != n { problems.append("counts differ: \(n) x, \(c.ys.count) y, \(c.labels.count) labels") }
        if n > Dataset.maxPoints { problems.append("\(n) points, over the limit") }
        if let i = c.xs.firstIndex(where: { !$0.isFinite }) { problems.append("x of point \(i + 1) is \(c.xs[i])") }
        if let i = c.ys.firstIndex(where: { !$0.isFinite }) { problems.append("y of point \(i + 1) is \(c.ys[i])") }
        if !(2...Dataset.maxClasses).contains(c.classCount) { problems.append("\(c.classCount) classes") }
        if let i = c.labels.firstIndex(where: { !(0..<c.classCount).contains($0) }) {
            problems.append("label \(c.labels[i]) of point \(i + 1) is not in 0..<\(c.classCount)")
        }
        let used = Set(c.labels)
        if used.count != c.classCount { problems.append("\(c.classCount) classes but \(used.count) of them used") }
        if let names = c.classNames {
            if names.count != c.classCount { problems.append("\(names.count) names for \(c.classCount) classes") }
            if Set(names).count != names.count { problems.append("class names repeat: \(names)") }
        }
        if !problems.isEmpty { return problems }
        // what data load does with the contents next
        do {
            let d = try Dataset(xs: c.xs, ys: c.ys, labels: c.labels, classCount: c.classCount, classNames: c.classNames,
                                testFraction: 0.5, seed: 7, origin: "fuzz")
            if (d.trainIndices + d.testIndices).sorted() != Array(0..<n) { problems.append("the split is not a partition") }
            let f = d.frame
            if ![f.xMin, f.xMax, f.yMin, f.yMax].allSatisfy(\.isFinite) || !f.width.isFinite || !f.height.isFinite {
                problems.append("the dataset's frame is not finite: x \(f.xMin)…\(f.xMax), y \(f.yMin)…\(f.yMax) (plot then traps)")
            } else if !(f.width > 0 && f.height > 0) {
                problems.append("the dataset's frame is empty: \(f)")
            }
        } catch {
            problems.append("parse accepted it but Dataset refused it: \(error)")
        }
        return problems
    }

    /// Problems of accepted regression data (real targets), and of the dataset made from it.
    static func regressionProblems(_ c: CSVFormat.Contents) -> [String] {
        var problems: [String] = []
        let n = c.xs.count
        if c.ys.count != n || c.values.count != n { problems.append("counts differ: \(n) x, \(c.ys.count) y, \(c.values.count) targets") }
        if let i = c.xs.firstIndex(where: { !$0.isFinite }) { problems.append("x of point \(i + 1) is \(c.xs[i])") }
        if let i = c.ys.firstIndex(where: { !$0.isFinite }) { problems.append("y of point \(i + 1) is \(c.ys[i])") }
        if let i = c.values.firstIndex(where: { !$0.isFinite }) { problems.append("target of point \(i + 1) is \(c.values[i])") }
        if c.classCount != 1 || c.classNames != nil { problems.append("regression data with \(c.classCount) classes") }
        if !problems.isEmpty { return problems }
        do {
            let d = try Dataset(xs: c.xs, ys: c.ys, values: c.values, testFraction: 0.5, seed: 7, origin: "fuzz")
            if (d.trainIndices + d.testIndices).sorted() != Array(0..<n) { problems.append("the split is not a partition") }
            let f = d.frame
            if ![f.xMin, f.xMax, f.yMin, f.yMax, f.width, f.height].allSatisfy(\.isFinite) || !(f.width > 0 && f.height > 0) {
                problems.append("the dataset's frame is not finite or empty: \(f)")
            }
        } catch {
            problems.append("parse accepted it but Dataset refused it: \(error)")
        }
        return problems
    }

    /// Problems of an accepted model file (empty when all is well).
    static func modelProblems(_ m: ModelFile) -> [String] {
        var problems: [String] = []
        let net = m.network
        if net.features.isEmpty || Set(net.features).count != net.features.count { problems.append("features \(net.features)") }
        if net.problem == .classification && !(2...Dataset.maxClasses).contains(net.classCount) { problems.append("\(net.classCount) classes") }
        if net.hiddenSizes.count > Network.maxHiddenLayers { problems.append("\(net.hiddenSizes.count) hidden layers") }
        if net.hiddenActivations.count != net.hiddenSizes.count { problems.append("activations and hidden sizes differ in count") }
        if net.layers.count != net.hiddenSizes.count + 1 { problems.append("\(net.layers.count) layers for \(net.hiddenSizes.count) hidden") }
        // the parameter vector, computed from the architecture alone
        var inputs = net.features.count, expected = 0
        let sizes = net.hiddenSizes + [net.outputActivation.outputCount(classes: net.classCount)]
        for (k, size) in sizes.enumerated() {
            if !(1...Network.maxWidth).contains(size) { problems.append("layer \(k + 1) has \(size) neurons") }
            if k < net.layers.count {
                let shape = net.layers[k]
                if shape.size != size || shape.inputs != inputs || shape.weightOffset != expected {
                    problems.append("layer \(k + 1) is \(shape), expected \(size) neurons of \(inputs) inputs at \(expected)")
                }
            }
            expected += (inputs + 1) * size
            inputs = size
        }
        if net.parameters.count != expected { problems.append("\(net.parameters.count) parameters, the architecture has \(expected)") }
        if expected > Network.maxParameters { problems.append("\(expected) parameters, over the limit") }
        if let i = net.parameters.firstIndex(where: { !$0.isFinite }) { problems.append("parameter \(i) is \(net.parameters[i])") }
        if let names = m.classNames, names.count != net.classCount { problems.append("\(names.count) class names for \(net.classCount) classes") }
        if let s = m.settings {
            do { try s.validate() } catch { problems.append("settings do not validate: \(error)") }
            if let p = s.loss.incompatibility(with: net.outputActivation, outputCount: net.outputCount) {
                problems.append("settings' loss does not suit the output: \(p)")
            }
        }
        if !problems.isEmpty { return problems }
        // what load model does next, and a save/load round trip
        if net.predict(x: 0.5, y: -0.25).count != net.outputCount { problems.append("a prediction has the wrong size") }
        do {
            let again = try ModelFile.decode(m.encoded())
            if again != m || again.network.parameters.map(\.bitPattern) != net.parameters.map(\.bitPattern) {
                problems.append("saving and reading it again gives another model")
            }
        } catch {
            problems.append("its own encoding is refused: \(error)")
        }
        return problems
    }

    // MARK: Checking one input

    enum Outcome { case accepted, rejected }

    /// Reads CSV bytes; the problems found (empty when the reader behaved) and whether it accepted.
    static func checkCSV(_ bytes: [UInt8]) -> (Outcome, [String]) {
        do {
            let c = try CSVFormat.parse(bytes)
            return (.accepted, csvProblems(c))
        } catch let e as NNPlayError {
            return (.rejected, messageProblem(e.message).map { [$0] } ?? [])
        } catch {
            return (.rejected, ["a foreign error \(type(of: error)): \(error)"])
        }
    }

    /// Reads model bytes as `load model` does: text that is not UTF-8 is refused before decoding; the
    /// decoder must still survive the repaired text (U+FFFD in place of the bad bytes).
    static func checkModel(_ bytes: [UInt8]) -> (Outcome, [String]) {
        let valid = String(validating: bytes, as: UTF8.self)
        let text = valid ?? String(decoding: bytes, as: UTF8.self)
        do {
            let m = try ModelFile.decode(text)
            return (valid == nil ? .rejected : .accepted, modelProblems(m))
        } catch let e as NNPlayError {
            return (.rejected, messageProblem(e.message).map { [$0] } ?? [])
        } catch {
            return (.rejected, ["a foreign error \(type(of: error)): \(error)"])
        }
    }

    // MARK: The fuzz runs

    /// Failures of one fuzz run, grouped by the kind of problem so that one frequent bug does not
    /// hide the others: the first three of each kind are recorded as issues.
    struct Failures {
        let format: String
        var byKind: [String: Int] = [:]
        var total = 0

        /// A problem's kind: its text up to the first colon, without numbers.
        static func kind(_ problem: String) -> String {
            String(problem.prefix { $0 != ":" }.filter { !$0.isNumber })
        }

        mutating func add(_ problems: [String], index: Int, steps: [String], input: [UInt8]) {
            guard !problems.isEmpty else { return }
            total += 1
            let k = Self.kind(problems[0])
            byKind[k, default: 0] += 1
            if byKind[k, default: 0] <= 3 {
                Issue.record("seed \(ReaderFuzzTests.seed) \(format) case \(index) [\(steps.joined(separator: "; "))]: \(problems.joined(separator: "; ")) — input \(ReaderMutator.excerpt(input))")
            }
        }

        var summary: String {
            byKind.sorted { $0.value > $1.value }.map { "\($0.value) × \($0.key)" }.joined(separator: "; ")
        }
    }

    /// One fuzz run: the valid `bases` must be accepted; then `cases` mutations of them (case `index`
    /// draws from stream `firstStream + index`) are read by `check`, failures recorded and a summary
    /// printed. Returns how many mutations were accepted and rejected.
    private static func fuzz(_ format: String, bases: [[UInt8]], kind: ReaderMutator.Kind, firstStream: UInt64,
                             check: ([UInt8]) -> (Outcome, [String])) -> (accepted: Int, rejected: Int) {
        for base in bases {
            let (outcome, problems) = check(base)
            #expect(outcome == .accepted && problems.isEmpty, "a valid \(format) file: \(outcome), \(problems)")
        }
        var accepted = 0, rejected = 0, notUTF8 = 0, failures = Failures(format: format)
        let started = Date()
        for index in 0..<cases {
            var g = SeededGenerator(seed: seed, streamNumber: firstStream + UInt64(index))
            let (bytes, steps) = ReaderMutator.mutate(bases[g.nextIndex(below: bases.count)], kind: kind, &g)
            if String(validating: bytes, as: UTF8.self) == nil { notUTF8 += 1 }
            let (outcome, problems) = check(bytes)
            if outcome == .accepted { accepted += 1 } else { rejected += 1 }
            failures.add(problems, index: index, steps: steps, input: bytes)
        }
        let seconds = Date().timeIntervalSince(started)
        print("reader fuzz \(format) (seed \(seed)): \(cases) cases, \(accepted) accepted, \(rejected) rejected (\(notUTF8) not UTF-8), \(failures.total) failed, \(fixed(seconds, decimals: 2)) s")
        #expect(failures.total == 0, "seed \(seed): \(failures.total) of \(cases) mutated \(format) files broke a property: \(failures.summary)")
        return (accepted, rejected)
    }

    @Test func mutatedCSVFilesAreReadOrRejectedCleanly() throws {
        let (accepted, rejected) = Self.fuzz("CSV", bases: try Self.validCSVs(), kind: .csv, firstStream: 1000, check: Self.checkCSV)
        // the mutations must exercise both paths, or the test proves little
        #expect(accepted > Self.cases / 20 && rejected > Self.cases / 3, "CSV: \(accepted) accepted, \(rejected) rejected")
    }

    @Test func mutatedModelFilesAreReadOrRejectedCleanly() throws {
        let (accepted, rejected) = Self.fuzz("model", bases: try Self.validModels(), kind: .model, firstStream: 1_000_000,
                                             check: Self.checkModel)
        #expect(accepted > Self.cases / 50 && rejected > Self.cases / 2, "model: \(accepted) accepted, \(rejected) rejected")
    }

    @Test func everyTruncationOfAModelFileIsRejected() throws {
        let base = try #require(Self.validModels().last)
        let end = base.lastIndex { ![0x20, 0x0A, 0x0D, 0x09].contains($0) } ?? 0
        for cut in 0...end {
            let (outcome, problems) = Self.checkModel(Array(base[..<cut]))
            #expect(outcome == .rejected && problems.isEmpty, "the model cut after \(cut) of \(base.count) bytes: \(outcome), \(problems)")
        }
    }

    @Test func everyTruncationOfACSVFileIsReadOrRejectedCleanly() throws {
        let base = try #require(Self.validCSVs().dropFirst().first)
        for cut in 0...base.count {
            let (_, problems) = Self.checkCSV(Array(base[..<cut]))
            #expect(problems.isEmpty, "the CSV cut after \(cut) of \(base.count) bytes: \(problems)")
        }
    }

    // MARK: Hostile CSV files

    /// `s` in UTF-16, little- or big-endian, with or without its byte order mark.
    static func utf16(_ s: String, bigEndian: Bool = false, bom: Bool) -> [UInt8] {
        var out: [UInt8] = bom ? (bigEndian ? [0xFE, 0xFF] : [0xFF, 0xFE]) : []
        for unit in s.utf16 {
            let hi = UInt8(unit >> 8), lo = UInt8(unit & 0xFF)
            out += bigEndian ? [hi, lo] : [lo, hi]
        }
        return out
    }

    /// Files that must be rejected, and a part of the message that names their problem.
    static let hostileCSVs: [(name: String, bytes: [UInt8], message: String)] = {
        let valid = Array("x,y,label\n1,2,0\n3,4,1\n".utf8)
        let bom: [UInt8] = [0xEF, 0xBB, 0xBF]
        let megabytes = 4 * 1_048_576
        // fields that an error message quotes: long enough to show whether the message echoes them
        // (the readers take about 0.25 s per MB to do so, hence not megabytes here)
        let long = 256 * 1024
        return [
            ("empty", [], "empty"),
            ("only spaces and blank lines", Array("  \n\n\t\n".utf8), "empty"),
            ("only a header", Array("x,y,label\n".utf8), "header but no data"),
            ("a BOM and only a header", bom + Array("x,y,label".utf8), "header but no data"),
            ("only comments", Array("# x,y,label\n# 1,2,0\n".utf8), "empty"),
            ("UTF-16LE with a BOM", utf16("x,y,label\n1,2,0\n3,4,1\n", bom: true), "binary"),
            ("UTF-16BE without a BOM", utf16("x,y,label\n1,2,0\n3,4,1\n", bigEndian: true, bom: false), "binary"),
            ("a NUL byte", valid + [0] + Array("5,6,1\n".utf8), "binary"),
            ("Latin-1 on line 3", Array("x,y,label\n1,2,a\n3,4,".utf8) + [0xE9] + Array("t\n".utf8), "line 3: the text is not UTF-8"),
            ("a lone surrogate in UTF-8", Array("1,2,a\n3,4,".utf8) + [0xED, 0xA0, 0x80] + [0x0A], "line 2: the text is not UTF-8"),
            ("an overlong encoding", Array("1,2,".utf8) + [0xC0, 0xAF] + Array("\n3,4,b\n".utf8), "line 1: the text is not UTF-8"),
            ("only CR line ends", Array("x,y,label\r1,2,0\r3,4,1\r".utf8), "expected 3"),
            ("x is 1e999", Array("1,2,0\n1e999,4,1\n".utf8), "line 2: x is 1e999: coordinates must be finite"),
            ("y is nan", Array("1,2,0\n3,nan,1\n".utf8), "line 2: y is nan"),
            ("y with underscores", Array("1,2,0\n3,1_0,1\n".utf8), "line 2: y is not a number"),
            ("x in hex", Array("1,2,0\n0x10,4,1\n".utf8), "line 2: x is not a number"),
            ("a 17th class name", Array((0..<17).map { "\($0),\($0),c\($0)\n" }.joined().utf8), "at most 16 classes"),
            ("label 16", Array((0...16).map { "\($0),\($0),\($0)\n" }.joined().utf8), "out of range"),
            ("every label -1", Array("1,2,-1\n3,4,-1\n5,6,-1\n".utf8), "at least 2 classes"),
            ("every label 1", Array("1,2,1\n3,4,1\n".utf8), "label 1 is out of range"),
            ("a label 1e10", Array("1,2,0\n3,4,1e10\n".utf8), "not a whole number"),
            ("a header in the middle", valid + Array("x,y,label\n".utf8), "line 4: a header line"),
            ("an unclosed quote", Array("1,2,\"a\n3,4,b\n".utf8), "line 1: a quote is not closed"),
            // several-MB lines: the file is under the size limit, the line must not come back in the message
            ("a 4 MB line of letters", Array("1,2,0\n".utf8) + [UInt8](repeating: UInt8(ascii: "a"), count: megabytes) + Array(",4,1\n".utf8), "line 2: x is not a number"),
            ("a 2 MB line of commas", Array("1,2,0\n".utf8) + [UInt8](repeating: UInt8(ascii: ","), count: megabytes / 2), "line 2: \(megabytes / 2 + 1) fields"),
            ("a 2 MB unclosed quote", Array("1,2,0\n3,4,\"".utf8) + [UInt8](repeating: UInt8(ascii: "q"), count: megabytes / 2), "line 2: a quote is not closed"),
            ("a 256 kB x of digits", Array("1,2,0\n".utf8) + [UInt8](repeating: UInt8(ascii: "9"), count: long) + Array(",4,1\n".utf8), "line 2: x is"),
            ("a 256 kB y of digits", Array("1,2,0\n3,-".utf8) + [UInt8](repeating: UInt8(ascii: "9"), count: long) + Array(",1\n".utf8), "line 2: y is"),
            ("a 256 kB fractional label among names", Array("1,2,a\n3,4,0.".utf8) + [UInt8](repeating: UInt8(ascii: "5"), count: long) + [0x0A], "line 2: label"),
            ("a 256 kB target that is not a number", Array("1,2,0.5\n3,4,0.5".utf8) + [UInt8](repeating: UInt8(ascii: "x"), count: long) + [0x0A], "line 2: label"),
            ("a 256 kB negative label", Array("1,2,0\n3,4,-2.".utf8) + [UInt8](repeating: UInt8(ascii: "0"), count: long) + [0x0A], "line 2: label"),
            ("a 256 kB label among -1/1", Array("1,2,-1\n3,4,3.".utf8) + [UInt8](repeating: UInt8(ascii: "0"), count: long) + [0x0A], "line 2: label"),
            ("a 256 kB number label after names", Array("1,2,a\n3,4,1.".utf8) + [UInt8](repeating: UInt8(ascii: "0"), count: long) + [0x0A], "line 2: label"),
            ("a 256 kB header line in the middle", valid + Array("a,b,".utf8) + [UInt8](repeating: UInt8(ascii: "c"), count: long) + [0x0A], "line 4: a header line"),
            ("a 256 kB name after numbers", valid + Array("5,6,".utf8) + [UInt8](repeating: UInt8(ascii: "n"), count: long) + [0x0A], "line 4: label"),
        ]
    }()

    /// Expects `read` to throw an NNPlayError whose message says `expected` in one clear line; when it
    /// reads something instead, `accepted` describes what.
    static func expectRefused<T>(_ name: String, saying expected: String, _ read: () throws -> T, accepted: (T) -> String,
                                 sourceLocation: SourceLocation = #_sourceLocation) {
        do {
            let value = try read()
            Issue.record("\(name): accepted (\(accepted(value))), expected an error with \(expected.debugDescription)",
                         sourceLocation: sourceLocation)
        } catch let e as NNPlayError {
            #expect(e.message.contains(expected), "\(name): \(e.message.prefix(300).debugDescription) does not say \(expected.debugDescription)",
                    sourceLocation: sourceLocation)
            if let problem = messageProblem(e.message) { Issue.record("\(name): \(problem)", sourceLocation: sourceLocation) }
        } catch {
            Issue.record("\(name): a foreign error \(error)", sourceLocation: sourceLocation)
        }
    }

    @Test func hostileCSVFilesAreRejectedWithAClearMessage() {
        for (name, bytes, expected) in Self.hostileCSVs {
            Self.expectRefused(name, saying: expected, { try CSVFormat.parse(bytes) },
                               accepted: { "\($0.xs.count) points, \($0.classCount) classes" })
        }
    }

    @Test func csvFilesThatAreOddButValidAreRead() throws {
        let bom: [UInt8] = [0xEF, 0xBB, 0xBF]
        let withBOM = try CSVFormat.parse(bom + Array("x,y,label\r\n1,2,0\r\n3,4,1\r\n".utf8))
        #expect(withBOM.xs == [1, 3] && withBOM.labels == [0, 1])
        let negativeZero = try CSVFormat.parse(Array("-0,-0.0,0\n1e-999,4.9e-324,1\n".utf8))
        #expect(negativeZero.xs.allSatisfy(\.isFinite) && negativeZero.xs[0].sign == .minus && negativeZero.xs[1] == 0)
        // a name of 1 MB is a legal label; reading it must still be quick and give a valid dataset
        let longName = String(repeating: "n", count: 1_048_576)
        let named = try CSVFormat.parse(Array("1,2,a\n3,4,\(longName)\n".utf8))
        #expect(Self.csvProblems(named).isEmpty && named.classNames?.last?.count == longName.count)
    }

    /// The most extreme finite coordinates: the reader accepts them, so the dataset made of them must
    /// still have a finite frame (`plot` converts frame positions to Int, and traps on inf/nan).
    @Test(arguments: ["1.7976931348623157e308,3,1", "-1.7976931348623157e308,3,1", "1,1e308,1", "1e300,-1e300,1"])
    func extremeButFiniteCoordinatesGiveAFiniteFrameOrAreRejected(line: String) {
        let bytes = Array("x,y,label\n1,2,0\n\(line)\n-1,0,0\n2,2,1\n".utf8)
        let (outcome, problems) = Self.checkCSV(bytes)
        #expect(problems.isEmpty, "\(line.debugDescription) was \(outcome): \(problems)")
    }

    @Test func theCSVSizeLimitIsEnforcedWithAMessageNamingIt() throws {
        // the parser's own limit (for bytes that did not come through FileAccess)
        let tooBig = [UInt8](repeating: UInt8(ascii: "\n"), count: CSVFormat.maxBytes + 1)
        do {
            _ = try CSVFormat.parse(tooBig)
            Issue.record("bytes over the limit were read")
        } catch let e as NNPlayError {
            #expect(e.message.contains("limit of 256 MB"), "\(e.message)")
            #expect(Self.messageProblem(e.message) == nil)
            // "the file is 256 MB, more than the limit of 256 MB" reads as a contradiction
            #expect(!e.message.contains("is 256 MB"), "the size is rounded down to the limit: \(e.message)")
        } catch {
            Issue.record("a foreign error \(error)")
        }
    }

    /// 1 000 001 points (the shortest lines: 6 MB, about 3 s to read in a debug build).
    @Test func theCSVPointLimitIsEnforcedWithAMessageNamingIt() {
        let lines = Array(String(repeating: "0,0,0\n1,1,1\n", count: Dataset.maxPoints / 2 + 1).utf8)
        #expect(throws: NNPlayError("line \(Dataset.maxPoints + 1): more than the limit of \(Dataset.maxPoints) points")) {
            try CSVFormat.parse(lines)
        }
    }

    /// A sparse file one byte over the reader's limit, and an endless device: both refused by
    /// `FileAccess.read(limit:)`, quickly and with the limit in the message.
    @Test func fileAccessRefusesFilesOverItsLimit() throws {
        let dir = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/big.csv"
        #expect(FileManager.default.createFile(atPath: path, contents: Data("x,y,label\n".utf8)))
        #expect(truncate(path, off_t(CSVFormat.maxBytes + 1)) == 0)
        do {
            _ = try FileAccess.read(path, limit: CSVFormat.maxBytes)
            Issue.record("a file over the limit was read")
        } catch let e as NNPlayError {
            #expect(e.message.contains("limit of 256 MB"), "\(e.message)")
            #expect(Self.messageProblem(e.message) == nil)
            // "it is 256 MB, more than the limit of 256 MB" reads as a contradiction
            #expect(!e.message.contains("it is 256 MB"), "the size is rounded down to the limit: \(e.message)")
        }
        do {
            _ = try FileAccess.read("/dev/zero", limit: 1_048_576)
            Issue.record("an endless device was read")
        } catch let e as NNPlayError {
            #expect(e.message.contains("limit of 1 MB"), "\(e.message)")
        }
    }

    // MARK: Hostile model files

    /// The untrained default model (biases 0).
    static let good = ModelFileTests.good

    /// The default model with the first occurrence of a text replaced; a text it lacks gives a file
    /// that cannot be a model, so that the case fails visibly.
    static func goodWith(_ old: String, _ new: String) -> String {
        guard let range = good.range(of: old) else { return "the default model has no \(old)" }
        return good.replacingCharacters(in: range, with: new)
    }

    /// A model with the given hidden sizes (tanh, no weights: the architecture is refused before them).
    static func modelWithHidden(_ sizes: [Int]) -> String {
        let layers = sizes.map { "{\"size\": \($0), \"activation\": \"tanh\", \"weights\": [], \"biases\": []}" }
            + ["{\"size\": 1, \"activation\": \"sigmoid\", \"weights\": [], \"biases\": []}"]
        return "{\"format\": \"nnplay-model\", \"version\": 1, \"features\": [\"x\", \"y\"], \"classes\": 2, \"layers\": [\(layers.joined(separator: ", "))]}"
    }

    static let tenMB = String(repeating: "a", count: 10 * 1_048_576)
    /// A string that error messages may quote: long enough to show whether they echo it whole (the
    /// readers take about 0.25 s per MB to do so, hence not 10 MB in every case).
    static let long = String(repeating: "a", count: 256 * 1024)

    static let hostileModels: [(name: String, text: String, message: String)] = [
        ("empty", "", "the file is empty"),
        ("spaces", " \n\t\r\n", "the file is empty"),
        ("null", "null", "not a JSON object"),
        ("an empty object", "{}", "\"format\""),
        ("a list", "[1, 2]", "not a JSON object"),
        ("a NUL byte before a value", goodWith("\"version\": 1", "\"version\": \u{0}1"), "unexpected character byte 0x0"),
        ("a NUL byte in a string", goodWith("nnplay-model", "nnplay-\u{0}model"), "a control character inside a string"),
        ("UTF-16LE read as UTF-8", String(decoding: utf16("{\"format\": 1}", bom: false), as: UTF8.self), "not valid JSON"),
        ("a lone surrogate escape", goodWith("\"tanh\"", "\"\\ud800\""), "invalid"),
        ("a surrogate pair with a bad low half", goodWith("\"tanh\"", "\"\\ud800\\u0041\""), "invalid surrogate pair"),
        ("100 000 [", String(repeating: "[", count: 100_000), "nesting deeper than 64 levels"),
        ("100 000 balanced []", String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000), "nesting deeper than 64 levels"),
        ("100 000 nested objects", String(repeating: "{\"a\":", count: 100_000) + "1" + String(repeating: "}", count: 100_000), "nesting deeper than 64 levels"),
        ("65 deep in an unknown key", goodWith("\"version\": 1,", "\"version\": 1, \"x\": \(String(repeating: "[", count: 65))\(String(repeating: "]", count: 65)),"), "nesting deeper than 64 levels"),
        ("trailing text", good + "x", "unexpected text after the end"),
        ("two documents", good + good, "unexpected text after the end"),
        ("a 10 MB document string", "\"" + tenMB + "\"", "not a JSON object"),
        ("a 256 kB format", goodWith("\"nnplay-model\"", "\"\(long)\""), "\"format\" must be"),
        ("a 256 kB activation", goodWith("\"tanh\"", "\"\(long)\""), "layer 1: activation"),
        ("a 256 kB output activation", goodWith("\"sigmoid\"", "\"\(long)\""), "layer 3 (output): activation"),
        ("a 256 kB feature", goodWith("[\"x\", \"y\"]", "[\"x\", \"\(long)\"]"), "\"features\" has"),
        ("a 256 kB optimizer", goodWith("\"sgd\"", "\"\(long)\""), "settings: \"optimizer\""),
        ("a 256 kB string for a weight", goodWith("\"biases\": [0, 0, 0, 0]", "\"biases\": [0, 0, 0, \"\(long)\"]"), "layer 1: \"biases\" holds"),
        ("a 256 kB key instead of format", goodWith("\"format\"", "\"\(long)\""), "\"format\" must be"),
        ("a 256 kB number", goodWith("\"version\": 1", "\"version\": 1\(String(repeating: "0", count: 256 * 1024))"), "out of range"),
        ("a 256 kB key", goodWith("\"format\": \"nnplay-model\",", "\"format\": \"nnplay-model\", \"\(long)\" \"x\","), "expected ':' after the key"),
        ("a 256 kB name in the class names", goodWith("\"classes\": 2,", "\"classes\": 2, \"classNames\": [\"\(long)\", 3],"), "\"classNames\" must hold strings"),
        ("hidden size 5 for 4 rows", goodWith("\"size\": 4", "\"size\": 5"), "layer 1: \"weights\" has 4 rows but \"size\" is 5"),
        ("hidden size 3 for 4 rows", goodWith("\"size\": 4", "\"size\": 3"), "layer 1: \"weights\" has 4 rows but \"size\" is 3"),
        ("output size 2", goodWith("\"size\": 1", "\"size\": 2"), "layer 3 (output): size 2 does not fit 2 classes"),
        ("size 0", goodWith("\"size\": 4", "\"size\": 0"), "layer 1: \"size\" is 0: it must be a whole number in 1…1024"),
        ("size -4", goodWith("\"size\": 4", "\"size\": -4"), "layer 1: \"size\" is -4"),
        ("size -0", goodWith("\"size\": 4", "\"size\": -0"), "layer 1: \"size\" is"),
        ("size 1025", goodWith("\"size\": 4", "\"size\": 1025"), "layer 1: \"size\" is 1025"),
        ("size 2.5", goodWith("\"size\": 4", "\"size\": 2.5"), "layer 1: \"size\" is 2.5"),
        ("size 1e999", goodWith("\"size\": 4", "\"size\": 1e999"), "the number 1e999 is out of range"),
        ("size as a string", goodWith("\"size\": 4", "\"size\": \"4\""), "layer 1: \"size\" is missing or not a number"),
        ("size nan", goodWith("\"size\": 4", "\"size\": nan"), "not valid JSON"),
        ("classes -2", goodWith("\"classes\": 2", "\"classes\": -2"), "\"classes\" is -2"),
        ("classes 17", goodWith("\"classes\": 2", "\"classes\": 17"), "\"classes\" is 17"),
        ("version -1", goodWith("\"version\": 1", "\"version\": -1"), "model version -1 is not supported"),
        ("batch -10", goodWith("\"batch\": 10", "\"batch\": -10"), "settings: \"batch\" is -10"),
        ("seed -1", goodWith("\"seed\": 1", "\"seed\": -1"), "settings: \"seed\" is -1"),
        ("seed 2^63", goodWith("\"seed\": 1", "\"seed\": 9223372036854775808"), "settings: \"seed\" is"),
        ("lr 0", goodWith("\"lr\": 0.03", "\"lr\": 0"), "settings: lr=0 is out of range"),
        ("momentum 1", goodWith("\"momentum\": 0.9", "\"momentum\": 1"), "settings: momentum=1 is out of range"),
        ("an unknown activation", goodWith("\"tanh\"", "\"tanhh\""), "layer 1: activation \"tanhh\" is not one of"),
        ("softmax in a hidden layer", goodWith("\"tanh\"", "\"softmax\""), "layer 1: activation \"softmax\" is not one of"),
        ("an unknown output activation", goodWith("\"sigmoid\"", "\"relu\""), "layer 3 (output): activation \"relu\" is not one of"),
        ("an unknown optimizer", goodWith("\"sgd\"", "\"adamw\""), "settings: \"optimizer\" is \"adamw\""),
        ("a row one weight short", goodWith("\"features\": [\"x\", \"y\"]", "\"features\": [\"x\", \"y\", \"x2\"]"), "layer 1: weights row 1 has 2 values but the layer has 3 inputs"),
        ("a repeated feature", goodWith("\"features\": [\"x\", \"y\"]", "\"features\": [\"x\", \"x\"]"), "a feature is listed twice"),
        ("no features", goodWith("\"features\": [\"x\", \"y\"]", "\"features\": []"), "\"features\" must be a non-empty list"),
        ("a bias too many", goodWith("\"biases\": [0, 0, 0, 0]", "\"biases\": [0, 0, 0, 0, 0]"), "layer 1: \"biases\" has 5 values but \"size\" is 4"),
        ("no weights", goodWith("\"weights\"", "\"wieghts\""), "layer 1: \"weights\" is missing"),
        ("weights not a list", goodWith("\"weights\": [", "\"weights\": 3, \"x\": ["), "layer 1: \"weights\" is missing"),
        ("a weight nan", goodWith("\"biases\": [0, 0, 0, 0]", "\"biases\": [0, 0, 0, NaN]"), "not valid JSON"),
        ("a weight 1e999", goodWith("\"biases\": [0, 0, 0, 0]", "\"biases\": [0, 0, 0, -1e999]"), "the number -1e999 is out of range"),
        ("a weight Infinity", goodWith("\"biases\": [0, 0, 0, 0]", "\"biases\": [0, 0, 0, Infinity]"), "not valid JSON"),
        ("a weight in hex", goodWith("\"biases\": [0, 0, 0, 0]", "\"biases\": [0, 0, 0, 0x1]"), "not valid JSON"),
        ("class names for 3 classes", goodWith("\"classes\": 2,", "\"classes\": 2, \"classNames\": [\"a\", \"b\", \"c\"],"), "\"classNames\" must list 2 names"),
        ("33 hidden layers", modelWithHidden([Int](repeating: 2, count: 33)), "33 hidden layers is more than the limit of 32"),
        ("over 4 000 000 parameters", modelWithHidden([1024, 1024, 1024, 1024, 1024]), "parameters is more than the limit of 4000000"),
        ("a huge layer count", modelWithHidden([]).replacingOccurrences(of: "\"layers\": [", with: "\"layers\": [" + String(repeating: "{}, ", count: 100_000)), "hidden layers is more than the limit of 32"),
    ]

    @Test func hostileModelFilesAreRejectedWithAClearMessage() {
        let (outcome, problems) = Self.checkModel(Array(Self.good.utf8))
        #expect(outcome == .accepted && problems.isEmpty, "the default model: \(outcome), \(problems)")
        for (name, text, expected) in Self.hostileModels {
            Self.expectRefused(name, saying: expected, { try ModelFile.decode(text) }, accepted: { $0.network.architecture })
        }
    }

    /// 6 000 001 tiny values (12 MB, about 1 s to read in a debug build).
    @Test func theJSONValueLimitIsEnforcedWithAMessageNamingIt() {
        let text = "[" + String(repeating: "0,", count: JSON.maxValues) + "0]"
        do {
            _ = try ModelFile.decode(text)
            Issue.record("\(JSON.maxValues + 1) values were read")
        } catch let e as NNPlayError {
            #expect(e.message.hasPrefix("not valid JSON: line 1, column ") && e.message.hasSuffix(": more than 6000000 values"), "\(e.message)")
        } catch {
            Issue.record("a foreign error \(error)")
        }
    }

    @Test func modelTextThatIsNotUTF8IsRefusedBeforeDecoding() {
        // what load model checks first: UTF-16 (with a BOM) and Latin-1 bytes are not UTF-8
        let latin1: [UInt8] = Array(Self.good.utf8).map { $0 == UInt8(ascii: "x") ? 0xE9 : $0 }
        for bytes in [Self.utf16(Self.good, bom: true), latin1] {
            #expect(String(validating: bytes, as: UTF8.self) == nil)
            #expect(Self.checkModel(bytes).1.isEmpty)
        }
        // a BOM is allowed
        let (outcome, problems) = Self.checkModel([0xEF, 0xBB, 0xBF] + Array(Self.good.utf8))
        #expect(outcome == .accepted && problems.isEmpty, "the default model after a BOM: \(outcome), \(problems)")
    }

    @Test func oddButValidModelFilesAreRead() throws {
        // -0 stays -0, tiny numbers underflow to 0, unknown keys and a 10 MB string in them are ignored
        let m = try ModelFile.decode(Self.goodWith("\"biases\": [0, 0, 0, 0]", "\"biases\": [-0, 1e-400, 0, 0], \"note\": \"\(Self.tenMB)\""))
        #expect(Self.modelProblems(m).isEmpty)
        let shape = m.network.layers[0]
        #expect(m.network.parameters[shape.biasOffset].sign == .minus && m.network.parameters[shape.biasOffset + 1] == 0)
        // the largest finite weight is a finite number: the reader accepts it (what it does to the
        // outputs is the shell's concern; see FileFuzzTests)
        let big = try ModelFile.decode(Self.goodWith("\"biases\": [0, 0, 0, 0]", "\"biases\": [1.7976931348623157e308, 0, 0, 0]"))
        #expect(Self.modelProblems(big).isEmpty)
    }
}

/// The mutations, drawn from a seeded generator. Each returns a short description of what it did,
/// for failure messages.
private enum ReaderMutator {
    enum Kind { case csv, model }

    /// Bytes that readers must survive: controls, bytes that are never UTF-8, truncated and overlong
    /// sequences, a surrogate, a BOM in the middle, line and paragraph separators, a combining accent.
    static let oddBytes: [[UInt8]] = [
        [0x00], [0x07], [0x08], [0x09], [0x0B], [0x0C], [0x0D], [0x1B], [0x7F], [0x80], [0xBF], [0xC0, 0x80], [0xC3],
        [0xE2, 0x82], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xF8], [0xFE], [0xFF], [0xFF, 0xFE],
        [0xEF, 0xBB, 0xBF], [0xE2, 0x80, 0xA8], [0xC2, 0x85], [0xCC, 0x81], [0x0D, 0x0A], [0x0A], [0x22], [0x5C],
    ]

    /// Replacements for a number: non-finite, signed zero, extremes, near misses of the grammar, other types.
    static let numbers = [
        "nan", "NaN", "inf", "-inf", "Infinity", "1e999", "-1e999", "1e-999", "-0", "-0.0", "0", "1.7976931348623157e308",
        "-1.7976931348623157e308", "4.9e-324", "1e308", "-1e300", "99999999999999999999", "0x10", "1_0", "+1", ".5", "5.",
        "01", "1e", "-", "", "2.5", "-1", "1", "2", "3", "15", "16", "17", "1024", "1025", "4000000", "9007199254740993",
        "\"3\"", "null", "true", "[]", "{}", "1e5", "-4",
    ]

    /// Replacements for a string (model) or a label (CSV).
    static let names = [
        "tanh", "relu", "softmax", "sigmoid", "linear", "leaky-relu", "tanhh", "", "TANH", "x", "x2", "q", "adam", "ce",
        "mse", "bce", "l1", "none", "he", "nnplay-model", "format", "size", "weights", "biases", "layers", "\\u0000",
        "\\ud800", "é", "a\\nb", "cat", "dog", "-1", "1", "0",
    ]

    static func mutate(_ base: [UInt8], kind: Kind, _ g: inout SeededGenerator) -> ([UInt8], [String]) {
        var bytes = base
        var steps: [String] = []
        // now and then, bytes from nowhere
        if g.nextIndex(below: 40) == 0 {
            let count = g.nextIndex(below: 3000)
            return ((0..<count).map { _ in UInt8(truncatingIfNeeded: g.next()) }, ["\(count) random bytes"])
        }
        let rounds = g.nextIndex(below: 8) == 0 ? 4 + g.nextIndex(below: 8) : 1 + g.nextIndex(below: 3)
        for _ in 0..<rounds { steps.append(mutateOnce(&bytes, kind: kind, &g)) }
        return (bytes, steps)
    }

    static func mutateOnce(_ bytes: inout [UInt8], kind: Kind, _ g: inout SeededGenerator) -> String {
        func position(inclusive: Bool = false) -> Int { bytes.isEmpty ? 0 : g.nextIndex(below: bytes.count + (inclusive ? 1 : 0)) }
        func pick<T>(_ list: [T]) -> T { list[g.nextIndex(below: list.count)] }
        switch g.nextIndex(below: 16) {
        case 0:
            guard !bytes.isEmpty else { return "nothing to flip" }
            let p = position(), bit = UInt8(1) << UInt8(g.nextIndex(below: 8))
            bytes[p] ^= bit
            return "flip bit \(bit) at \(p)"
        case 1:
            guard !bytes.isEmpty else { return "nothing to replace" }
            let p = position(), b = UInt8(truncatingIfNeeded: g.next())
            bytes[p] = b
            return "byte \(b) at \(p)"
        case 2:
            let p = position(inclusive: true), n = 1 + g.nextIndex(below: 4)
            bytes.insert(contentsOf: (0..<n).map { _ in UInt8(truncatingIfNeeded: g.next()) }, at: p)
            return "insert \(n) random bytes at \(p)"
        case 3:
            let p = position(inclusive: true), odd = pick(oddBytes)
            bytes.insert(contentsOf: odd, at: p)
            return "insert \(odd) at \(p)"
        case 4:
            guard !bytes.isEmpty else { return "nothing to delete" }
            let p = position(), n = min(bytes.count - p, 1 + g.nextIndex(below: g.nextIndex(below: 4) == 0 ? 200 : 3))
            bytes.removeSubrange(p..<(p + n))
            return "delete \(n) bytes at \(p)"
        case 5:
            let p = position(inclusive: true)
            bytes.removeSubrange(p...)
            return "truncate at \(p)"
        case 6, 7:
            return lineMutation(&bytes, &g)
        case 8, 9, 10:
            return swapNumber(&bytes, &g)
        case 11:
            let p = position(inclusive: true), n = 100 + g.nextIndex(below: 5000)
            let b = pick([UInt8(ascii: "9"), UInt8(ascii: "a"), UInt8(ascii: ","), UInt8(ascii: "["), UInt8(ascii: " "), UInt8(ascii: "\"")])
            bytes.insert(contentsOf: [UInt8](repeating: b, count: n), at: p)
            return "insert \(n) × \(b) at \(p)"
        default:
            return kind == .model ? modelMutation(&bytes, &g) : csvMutation(&bytes, &g)
        }
    }

    /// Duplicates, removes or swaps whole lines.
    static func lineMutation(_ bytes: inout [UInt8], _ g: inout SeededGenerator) -> String {
        var lines = bytes.split(separator: 0x0A, omittingEmptySubsequences: false).map(Array.init)
        guard !lines.isEmpty else { return "no lines" }
        let i = g.nextIndex(below: lines.count), j = g.nextIndex(below: lines.count)
        let what: String
        switch g.nextIndex(below: 3) {
        case 0: lines.insert(lines[i], at: j); what = "duplicate line \(i + 1) at \(j + 1)"
        case 1: lines.remove(at: i); what = "remove line \(i + 1)"
        default: lines.swapAt(i, j); what = "swap lines \(i + 1) and \(j + 1)"
        }
        bytes = Array(lines.joined(separator: [0x0A]))
        return what
    }

    /// Byte ranges of the numbers in a text (a sign, digits, a fraction, an exponent).
    static func numberRanges(_ bytes: [UInt8]) -> [Range<Int>] {
        func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }
        func isWordByte(_ b: UInt8) -> Bool { isDigit(b) || (b | 0x20 >= 0x61 && b | 0x20 <= 0x7A) || b == 0x2E || b == 0x5F }
        var ranges: [Range<Int>] = [], i = 0
        while i < bytes.count {
            let starts = isDigit(bytes[i]) || (bytes[i] == UInt8(ascii: "-") && i + 1 < bytes.count && isDigit(bytes[i + 1]))
            if starts && (i == 0 || !isWordByte(bytes[i - 1])) {
                var j = i + 1
                while j < bytes.count, isDigit(bytes[j]) || [0x2E, 0x65, 0x45, 0x2B, 0x2D].contains(bytes[j]) { j += 1 }
                ranges.append(i..<j)
                i = j
            } else {
                i += 1
            }
        }
        return ranges
    }

    /// Replaces a number with a hostile one.
    static func swapNumber(_ bytes: inout [UInt8], _ g: inout SeededGenerator) -> String {
        let ranges = numberRanges(bytes)
        guard !ranges.isEmpty else { return "no numbers" }
        let r = ranges[g.nextIndex(below: ranges.count)], new = numbers[g.nextIndex(below: numbers.count)]
        let old = String(decoding: bytes[r], as: UTF8.self)
        bytes.replaceSubrange(r, with: Array(new.utf8))
        return "number \(old) at \(r.lowerBound) → \(new.debugDescription)"
    }

    /// JSON tokens: strings, the structural characters, and runs of anything else.
    static func jsonTokens(_ bytes: [UInt8]) -> [Range<Int>] {
        var tokens: [Range<Int>] = [], i = 0
        let structural: Set<UInt8> = [0x5B, 0x5D, 0x7B, 0x7D, 0x2C, 0x3A]
        let space: Set<UInt8> = [0x20, 0x0A, 0x0D, 0x09]
        while i < bytes.count {
            let b = bytes[i]
            if space.contains(b) { i += 1; continue }
            var j = i + 1
            if b == 0x22 {
                while j < bytes.count, bytes[j] != 0x22 { j += bytes[j] == 0x5C ? 2 : 1 }
                j = min(j + 1, bytes.count)
            } else if !structural.contains(b) {
                while j < bytes.count, !structural.contains(bytes[j]), !space.contains(bytes[j]), bytes[j] != 0x22 { j += 1 }
            }
            tokens.append(i..<j)
            i = j
        }
        return tokens
    }

    /// Model-specific: JSON tokens duplicated or removed, a string swapped for a (wrong) name, or a
    /// layer size, the class count or the feature list changed so that they no longer fit the weights.
    static func modelMutation(_ bytes: inout [UInt8], _ g: inout SeededGenerator) -> String {
        let tokens = jsonTokens(bytes)
        guard !tokens.isEmpty else { return "no tokens" }
        switch g.nextIndex(below: 5) {
        case 0:
            let t = tokens[g.nextIndex(below: tokens.count)]
            let text = Array(bytes[t])
            bytes.insert(contentsOf: text, at: t.upperBound)
            return "duplicate token \(String(decoding: text.prefix(20), as: UTF8.self).debugDescription) at \(t.lowerBound)"
        case 1:
            let t = tokens[g.nextIndex(below: tokens.count)]
            let text = String(decoding: bytes[t].prefix(20), as: UTF8.self)
            bytes.removeSubrange(t)
            return "remove token \(text.debugDescription) at \(t.lowerBound)"
        case 2:
            let strings = tokens.filter { bytes[$0.lowerBound] == 0x22 && $0.count >= 2 }
            guard !strings.isEmpty else { return "no strings" }
            let t = strings[g.nextIndex(below: strings.count)], new = names[g.nextIndex(below: names.count)]
            let old = String(decoding: bytes[t], as: UTF8.self)
            bytes.replaceSubrange(t, with: Array("\"\(new)\"".utf8))
            return "string \(old) → \"\(new)\""
        case 3:
            // a "size" or "classes" value that no longer fits its weights
            let key = g.nextIndex(below: 3) == 0 ? "\"classes\": " : "\"size\": "
            let occurrences = ranges(of: Array(key.utf8), in: bytes)
            guard !occurrences.isEmpty else { return "no \(key)" }
            let at = occurrences[g.nextIndex(below: occurrences.count)].upperBound
            guard let r = numberRanges(bytes).first(where: { $0.lowerBound == at }) else { return "no number after \(key)" }
            let old = Int(String(decoding: bytes[r], as: UTF8.self)) ?? 1
            let new = [old + 1, old - 1, old * 2, 0, -old, 1025, old + 1000].map(String.init)[g.nextIndex(below: 7)]
            bytes.replaceSubrange(r, with: Array(new.utf8))
            return "\(key)\(old) → \(new)"
        default:
            // one feature more or fewer: every first-layer weight row no longer fits
            let key = Array("\"features\": [".utf8)
            guard let r = ranges(of: key, in: bytes).first else { return "no features" }
            let extra = Array(["\"x2\", ", "\"sinx\", ", "\"y\", ", ""][g.nextIndex(below: 4)].utf8)
            if extra.isEmpty, let close = bytes[r.upperBound...].firstIndex(of: 0x5D), let comma = bytes[r.upperBound..<close].firstIndex(of: 0x2C) {
                bytes.removeSubrange(r.upperBound...comma)
                return "drop the first feature"
            }
            bytes.insert(contentsOf: extra, at: r.upperBound)
            return "add feature \(String(decoding: extra, as: UTF8.self))"
        }
    }

    /// CSV-specific: a field added or removed, a quote, a label swapped, a header moved into the data.
    static func csvMutation(_ bytes: inout [UInt8], _ g: inout SeededGenerator) -> String {
        let p = bytes.isEmpty ? 0 : g.nextIndex(below: bytes.count + 1)
        switch g.nextIndex(below: 5) {
        case 0:
            bytes.insert(UInt8(ascii: ","), at: p)
            return "insert ',' at \(p)"
        case 1:
            guard let comma = bytes[p...].firstIndex(of: UInt8(ascii: ",")) else { return "no comma" }
            bytes.remove(at: comma)
            return "remove ',' at \(comma)"
        case 2:
            bytes.insert(UInt8(ascii: "\""), at: p)
            return "insert '\"' at \(p)"
        case 3:
            // the label of some line
            guard let end = bytes[p...].firstIndex(of: 0x0A), let comma = bytes[..<end].lastIndex(of: UInt8(ascii: ",")) else { return "no label" }
            let new = names[g.nextIndex(below: names.count)]
            bytes.replaceSubrange((comma + 1)..<end, with: Array(new.utf8))
            return "label at \(comma + 1) → \(new.debugDescription)"
        default:
            let header = Array(["x,y,label\n", "a,b,c\n", "\"x\",\"y\",\"label\"\n", "x,y\n"][g.nextIndex(below: 4)].utf8)
            let lineStart = bytes[..<p].lastIndex(of: 0x0A).map { $0 + 1 } ?? 0
            bytes.insert(contentsOf: header, at: lineStart)
            return "insert a header line at \(lineStart)"
        }
    }

    static func ranges(of needle: [UInt8], in bytes: [UInt8]) -> [Range<Int>] {
        guard !needle.isEmpty, bytes.count >= needle.count else { return [] }
        var found: [Range<Int>] = []
        for i in 0...(bytes.count - needle.count) where bytes[i] == needle[0] && Array(bytes[i..<(i + needle.count)]) == needle {
            found.append(i..<(i + needle.count))
        }
        return found
    }

    /// The start of an input, for failure messages.
    static func excerpt(_ bytes: [UInt8]) -> String {
        "(\(bytes.count) bytes) " + String(decoding: bytes.prefix(160), as: UTF8.self).debugDescription
    }
}
