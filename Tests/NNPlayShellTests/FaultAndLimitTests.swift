import Foundation
@testable import NNPlayEngine
import Testing
@testable import NNPlayShell

/// Learning rates far too large, per optimiser: training stops or warns, the weights stay finite, and
/// nothing downstream (stats, weights, pictures, saved models) shows a NaN.
@Suite struct DivergenceTests {
    static let setups = [
        // a sigmoid output with cross-entropy saturates: the loss grows but stays finite
        "data spiral noise=0.2; add 8 relu; act relu",
        // a linear output with squared error overflows
        "data spiral noise=0.2; add 8 relu; act relu; act out linear; set loss mse",
        "data gauss classes=3 noise=0.3; add 6 elu; act out linear; set loss mse",
    ]

    @Test(arguments: Optimizer.allCases, ["10", "1000", "1e6"])
    func aHugeLearningRateEndsWithFiniteWeightsAndAClearMessage(optimizer: Optimizer, rate: String) throws {
        for setup in Self.setups {
            let (s, out) = makeSession(quiet: false)
            try s.run(setup)
            try s.run("set optimizer \(optimizer.rawValue); set lr \(rate)")
            let lossBefore = try #require(s.playground.trainMetrics?.loss)
            try s.run("train 200")
            let context = "\(setup); optimizer \(optimizer.rawValue), lr \(rate)"
            let finite = s.playground.network.parameters.allSatisfy { $0.isFinite }
            #expect(finite, "\(context): a weight is not finite")
            let train = try #require(s.playground.trainMetrics), test = try #require(s.playground.testMetrics)
            #expect(train.loss.isFinite && test.loss.isFinite && train.accuracyValue.isFinite, "\(context): \(train) \(test)")
            let warning = out.errors
            if warning.contains("diverged") {
                #expect(warning.contains("epoch") && warning.contains("restored to the last finite values")
                        && warning.contains("set lr"), "\(context): \(warning)")
                #expect(warning.split(separator: "\n").count == 1, "\(context): \(warning)")
            } else if train.loss > 10 * lossBefore && train.loss > 1 {
                #expect(warning.contains("the training loss rose") && warning.contains("lr="), "\(context): no warning for \(lossBefore) → \(train.loss)")
            }
            // nothing downstream shows a NaN
            for line in ["stats", "weights", "plot ascii size=16", "plot net ascii size=5", "plot loss ascii", "eval 0.5 0.5"] {
                if line.hasPrefix("plot loss") && s.playground.progress.history.isEmpty {
                    // diverged in the first epoch: no epoch's curve, so the steps' losses are drawn
                    let text = try s.run(line)
                    #expect(text.contains("mini-batch loss") && !text.lowercased().contains("nan"), "\(context): \(text)")
                    continue
                }
                let text = try s.run(line)
                #expect(!text.lowercased().contains("nan"), "\(context): \(line) shows \(text)")
            }
            let model = ModelFile(network: s.playground.network, settings: s.playground.settings).encoded()
            #expect(!model.lowercased().contains("nan") && !model.contains("inf"), "\(context): the model file has a non-number")
            // and the session goes on: a sensible rate learns again from here
            try s.run("set lr 0.01; set optimizer adam; train 5")
            let stillFinite = s.playground.network.parameters.allSatisfy { $0.isFinite }
            #expect(stillFinite)
        }
    }

    @Test func aDivergenceNamesTheEpochAndTheLayer() throws {
        let (s, out) = makeSession()
        try s.run("data spiral noise=0.2; add 8 relu; act relu; act out linear; set loss mse; set optimizer sgd; set lr 1000")
        let lastFinite = s.playground.network.parameters
        try s.run("train 200")
        #expect(out.errors.hasPrefix("warning: training diverged at epoch "), "\(out.errors)")
        #expect(out.errors.contains("(first seen in layer "), "\(out.errors)")
        #expect(s.playground.network.parameters != lastFinite && s.playground.progress.epoch < 200)
    }
}

/// Every writer under fault: a path that is a directory, a missing parent, a parent that is a file,
/// a directory that refuses new files, a disk that fills up mid-write. Each gives one clear error,
/// leaves no partial or temporary file, and leaves an existing file as it was.
@Suite(.serialized) struct WriterFaultTests {
    /// The writing commands, each with a file name in `dir` (pictures with an extension: .png or .ppm).
    static func writers(_ dir: String, _ name: String) -> [String] {
        ["save model \(dir)/\(name)", "save session \(dir)/\(name)", "save data \(dir)/\(name)",
         "data save \(dir)/\(name)", "export out \(dir)/\(name).png size=32", "export layer 1 \(dir)/\(name).ppm size=32",
         "export landscape \(dir)/\(name).png size=9", "sweep lr 0.1 train=1 file=\(dir)/\(name).png"]
    }

    /// The file a writing command of `writers` writes.
    static func target(_ line: String, _ dir: String) -> String {
        line.split(separator: " ").map { $0.hasPrefix("file=") ? $0.dropFirst(5) : $0 }.first { $0.hasPrefix(dir) }.map(String.init) ?? ""
    }

    static func listing(_ dir: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []).sorted()
    }

    @Test func aPathThatIsADirectoryMissingOrAFileIsAClearError() throws {
        let dir = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        for name in ["sub", "sub.png", "sub.ppm"] { try FileAccess.makeDirectory(dir + "/" + name) }
        try FileAccess.writeAtomically("x", to: dir + "/plain")
        let (s, _) = makeSession()
        try s.run("train 2")
        let before = s.snapshot
        for line in Self.writers(dir, "sub") {
            #expect(s.error(line)?.hasSuffix("\(Self.target(line, dir)): it is a directory") == true, "\(line): \(s.error(line) ?? "accepted")")
        }
        for line in Self.writers(dir, "missing/f") {
            #expect(s.error(line)?.contains("the directory \(dir)/missing does not exist") == true, "\(line)")
        }
        for line in Self.writers(dir, "plain/f") {
            #expect(s.error(line)?.contains("\(dir)/plain is not a directory") == true, "\(line)")
        }
        #expect(s.error("export \(dir)/plain")?.contains("a file of that name exists") == true)
        #expect(Self.listing(dir) == ["plain", "sub", "sub.png", "sub.ppm"] && Self.listing(dir + "/sub").isEmpty)
        let unchanged = s.snapshot == before
        #expect(unchanged)
    }

    @Test(arguments: [(ENOSPC, "no space left on the device"), (EIO, "input/output error"), (EDQUOT, "the disk quota is exceeded")])
    func aWriteThatFailsMidwayLeavesTheOldFileAndNoTemporaryFile(code: Int32, words: String) throws {
        let dir = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let (s, _) = makeSession()
        try s.run("train 2")
        for (k, line) in Self.writers(dir, "f\(Self.writers("", "").count)").enumerated() {
            let target = Self.target(line, dir)
            let old = "the file as it was \(k)\n"
            try FileAccess.writeAtomically(old, to: target)
            FileAccess.injectedFault = .init(path: target, errno: code, afterBytes: 100)
            defer { FileAccess.injectedFault = nil }
            let message = s.error(line)
            #expect(message == "cannot write \(target): \(words)", "\(line): \(message ?? "accepted")")
            let now = String(decoding: try FileAccess.read(target, limit: 1 << 20), as: UTF8.self)
            #expect(now == old, "\(line) changed the file")
            #expect(!Self.listing(dir).contains { $0.hasPrefix(".nnplay-tmp") }, "\(line) left \(Self.listing(dir))")
        }
    }

    @Test func aDirectoryThatRefusesNewFilesIsAClearErrorAndNothingIsWritten() throws {
        let dir = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let (s, _) = makeSession()
        for line in Self.writers(dir, "f") {
            let target = Self.target(line, dir)
            FileAccess.injectedFault = .init(path: target, errno: EACCES, afterBytes: nil)
            defer { FileAccess.injectedFault = nil }
            #expect(s.error(line) == "cannot write \(target): cannot create a file in \(dir): permission denied", "\(line)")
            #expect(Self.listing(dir).isEmpty, "\(line) left \(Self.listing(dir))")
        }
        // a real one where the machine has it (root may write anywhere else): /proc takes no new files
        if access("/proc", W_OK) != 0 || !FileManager.default.isWritableFile(atPath: "/proc/nnplay-test") {
            let message = s.error("save model /proc/nnplay-test.nn")
            #expect(message?.hasPrefix("cannot write /proc/nnplay-test.nn: cannot create a file in /proc: ") == true, "\(message ?? "accepted")")
            #expect(!FileManager.default.fileExists(atPath: "/proc/nnplay-test.nn"))
        }
    }

    @Test func exportToADirectorySaysWhichPicturesWereWrittenBeforeAFault() throws {
        let dir = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let (s, _) = makeSession()
        FileAccess.injectedFault = .init(path: "\(dir)/pics/loss.ppm", errno: ENOSPC, afterBytes: 1000)
        defer { FileAccess.injectedFault = nil }
        let message = s.error("export \(dir)/pics size=32")
        #expect(message == "cannot write \(dir)/pics/loss.ppm: no space left on the device; 2 pictures were written before it (output.ppm…net.ppm)",
                "\(message ?? "accepted")")
        #expect(Self.listing(dir + "/pics") == ["net.ppm", "output.ppm"])
    }
}

/// Columns a line takes on the screen: its characters without the colour escape sequences.
func visibleWidth(_ line: Substring) -> Int {
    var count = 0, inEscape = false
    for c in line.unicodeScalars {
        if inEscape { if c == "m" { inEscape = false }; continue }
        if c == "\u{1B}" { inEscape = true; continue }
        count += 1
    }
    return count
}

/// Pictures in terminals from 1 to 1000 columns, in every colour mode: no crash, no line wider than
/// the terminal from 20 columns on, and plain characters when colour is off.
@Suite struct TerminalSizeTests {
    static let pictures = ["plot", "plot net", "plot layer 1", "plot neuron 1.1", "plot loss", "plot space 1", "train 3 live", "stats", "help"]

    @Test(arguments: [1, 2, 5, 12, 20, 1000])
    func everyPictureFitsAnyTerminalWidth(width: Int) throws {
        for mode in [ColorMode.plain, .palette256, .trueColor] {
            let out = CapturedOutput(isTerminal: true, width: width, height: width == 1000 ? 300 : 8)
            var options = SessionOptions(color: mode != .plain)
            options.colorMode = mode
            let s = Session(output: out, options: options)
            try s.run("train 2")
            for line in Self.pictures {
                let text = try s.run(line)
                #expect(!text.isEmpty, "\(line) at width \(width) drew nothing")
                if mode == .plain {
                    #expect(!text.contains("\u{1B}[38") && !text.contains("\u{1B}[48"), "\(line) at width \(width) used colour")
                }
                if line.hasPrefix("plot") && width >= 20 {
                    let widest = text.split(separator: "\n").map { visibleWidth($0) }.max() ?? 0
                    #expect(widest <= width, "\(line) drew a line of \(widest) columns in a terminal of \(width)")
                }
            }
        }
    }

    @Test func withoutColourPicturesArePlainAsciiOrBlockCharactersOnly() throws {
        let out = CapturedOutput(isTerminal: false, width: 80, height: 24)
        let s = Session(output: out, options: SessionOptions())
        try s.run("train 2")
        for line in Self.pictures {
            let text = try s.run(line)
            #expect(!text.contains("\u{1B}"), "\(line) wrote an escape character without a terminal")
        }
    }
}

/// Work that would take hours is refused up front, naming the most that fits; big but reasonable
/// work is sampled or bounded.
@Suite struct WorkLimitTests {
    @Test func aTrainingRunOfManyHoursIsRefusedNamingTheMostEpochsThatFit() throws {
        let (s, _) = makeSession()
        // 25 parameters, 500 000 training points: 3.75e7 multiply-adds an epoch
        try s.run("data circle n=1000000")
        let before = s.snapshot
        let message = try #require(s.error("train 10000000"))
        #expect(message == "train 10000000 epochs is about 3.8e+14 multiply-adds, many hours: at most 2666666 epochs per train "
                + "with 25 parameters and 500000 training points (run it in parts; Ctrl-C stops any run)", "\(message)")
        let unchanged = s.snapshot == before
        #expect(unchanged)
        let steps = try #require(s.error("set batch 100000; train 1000000000 steps"))
        #expect(steps.contains("at most 13333333 steps per train with 25 parameters and batch 100000"), "\(steps)")
        #expect(s.playground.settings.batchSize == 100000)   // the command before it ran and is kept
        // the most that fits is accepted (and stopped at once here, as Ctrl-C would)
        s.interrupt.raise()
        try s.run("train 2666666")
        s.acknowledgeInterrupt()
        #expect(s.playground.progress.steps >= 1 && s.playground.progress.epoch < 2)
    }

    @Test func gradcheckOnAMillionParametersChecksASampleAndSaysSo() throws {
        let (s, _) = makeSession()
        try s.run("add 1000; add 1000")
        let text = try s.run("gradcheck points=2")
        #expect(text.contains("of 1005023 parameters (a seeded sample), 2 points: backpropagation agrees"), "\(text)")
    }
}
