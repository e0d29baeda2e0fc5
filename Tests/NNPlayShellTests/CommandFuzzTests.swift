import Foundation
import NNPlayEngine
import Testing
@testable import NNPlayShell

/// Thousands of generated and mutated command lines through the entry point the REPL uses: no
/// crash, no hang, every rejected line gets exactly one error, and a rejected line changes nothing.
///
/// Seeded: `NNPLAY_FUZZ_SEED` picks the seed (default 1), `NNPLAY_FUZZ_CASES` the number of lines
/// (default 20 000). A failure names the seed and the case, so it can be replayed.
@Suite struct CommandFuzzTests {
    static var seed: UInt64 { ProcessInfo.processInfo.environment["NNPLAY_FUZZ_SEED"].flatMap(UInt64.init) ?? 1 }
    static var cases: Int { ProcessInfo.processInfo.environment["NNPLAY_FUZZ_CASES"].flatMap(Int.init) ?? 20_000 }

    /// Words the generator draws from: the language's own names, near misses, and hostile values.
    static let commandNames = CommandTable.allNames.filter { !["save", "export", "source", "load"].contains($0) }
        + ["trian", "dat", "", "ploT", "STATS", "exitt", "h", "?"]
    static let words = ["circle", "xor", "gauss", "spiral", "moons", "split", "tanh", "relu", "sigmoid", "softmax",
                        "linear", "leaky-relu", "swish", "mish", "elu", "selu", "softplus", "out", "in", "all", "0", "1",
                        "2", "3", "9", "1.1", "2.2", "out.1", "in.2", "0.1", "9.9", "-1", "1e3", "1_000", "3e-2", "1e999",
                        "nan", "inf", "-inf", "0x10", "1__0", "0.5", "2.5", "steps", "epochs", "live", "ascii",
                        "discrete", "layer", "neuron", "net", "loss", "space", "lr", "batch", "optimizer", "adam",
                        "momentum", "sgd", "bce", "ce", "mse", "l1", "l2", "none", "he", "xavier", "uniform",
                        "x", "y", "x2", "y2", "xy", "sinx", "siny", "x,y", "train", "test", "<", ">=", "==",
                        "test-accuracy", "epoch", "gradcheck", "seed", "\"a b\"", "'q'", "\"unclosed", "#", ";", "é", "😀"]
    static let keys = ["n", "noise", "test", "classes", "seed", "at", "size", "points", "lr", "batch", "nosie", "x", "a-b"]
    static let values = ["1", "0", "2", "10", "50", "0.3", "1.5", "-1", "nan", "1e400", "99999999999999999999", "abc",
                         "40x20", "8x", "x8", "all", "train", "none", "", "=", "1_0"]

    /// A line from the command grammar, kept cheap to run (small counts, few epochs).
    static func grammarLine(_ g: inout SeededGenerator) -> String {
        var parts: [String] = []
        let commands = 1 + g.nextIndex(below: 2)
        for _ in 0..<commands {
            var words = [commandNames[g.nextIndex(below: commandNames.count)]]
            for _ in 0..<g.nextIndex(below: 4) { words.append(Self.words[g.nextIndex(below: Self.words.count)]) }
            for _ in 0..<g.nextIndex(below: 3) {
                words.append(keys[g.nextIndex(below: keys.count)] + "=" + values[g.nextIndex(below: values.count)])
            }
            parts.append(words.joined(separator: g.nextIndex(below: 10) == 0 ? "\t" : " "))
        }
        return parts.joined(separator: "; ")
    }

    /// A well-formed line with random values, so that the state wanders (other lines are then
    /// rejected in many different states).
    static func validLine(_ g: inout SeededGenerator) -> String {
        func pick(_ list: [String]) -> String { list[g.nextIndex(below: list.count)] }
        let n = String(2 + g.nextIndex(below: 200)), small = String(1 + g.nextIndex(below: 6))
        let templates = [
            "data \(pick(["circle", "xor", "gauss", "spiral", "moons"])) n=\(n) noise=0.\(g.nextIndex(below: 10))",
            "data \(pick(["gauss", "spiral", "circle"])) classes=\(2 + g.nextIndex(below: 4)) n=\(n)",
            "add \(small) \(pick(Activation.allCases.map(\.rawValue)))", "remove 1", "resize 1 \(small)",
            "act \(pick(Activation.allCases.map(\.rawValue)))", "act out \(pick(OutputActivation.allCases.map(\.rawValue)))",
            "features \(pick(["x y", "x y x2", "sinx siny", "xy", "x2 y2 xy"]))", "reg \(pick(["l1", "l2", "none"]))",
            "set lr 0.\(1 + g.nextIndex(below: 9))", "set batch \(small)", "set optimizer \(pick(["sgd", "momentum", "adam"]))",
            "set loss \(pick(["bce", "ce", "mse"]))", "train \(small) steps", "train 1", "step", "reset", "init he",
            "stats", "net", "eval 1 2", "weights", "confusion", "gradcheck points=2", "plot ascii size=\(8 + g.nextIndex(below: 30))",
            "plot net ascii size=6", "plot loss ascii", "plot space 1 ascii size=12", "data split test=0.\(g.nextIndex(below: 10))",
            "set lr 1000", "new seed=\(small)", "history", "help \(pick(CommandTable.allNames))",
        ]
        return pick(templates)
    }

    /// A grammar line with a few bytes changed, inserted or removed, including control characters
    /// and bytes that are not UTF-8 (decoded the way the prompt decodes them).
    static func mutatedLine(_ g: inout SeededGenerator) -> String {
        var bytes = Array(grammarLine(&g).utf8)
        for _ in 0..<(1 + g.nextIndex(below: 4)) {
            let position = bytes.isEmpty ? 0 : g.nextIndex(below: bytes.count + 1)
            switch g.nextIndex(below: 4) {
            case 0: bytes.insert(UInt8(truncatingIfNeeded: g.next()), at: position)
            case 1: if position < bytes.count { bytes.remove(at: position) }
            case 2: if position < bytes.count { bytes[position] = UInt8(truncatingIfNeeded: g.next()) }
            default: bytes.insert([0, 7, 8, 27, 127, 0xC3, 0xFF, 0x80][g.nextIndex(below: 8)], at: position)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Random bytes.
    static func randomLine(_ g: inout SeededGenerator) -> String {
        let bytes = (0..<g.nextIndex(below: 40)).map { _ in UInt8(truncatingIfNeeded: g.next()) }
        return String(decoding: bytes, as: UTF8.self)
    }

    @Test func generatedMutatedAndRandomLinesNeverCrashHangOrChangeStateWhenRejected() throws {
        var g = SeededGenerator(seed: Self.seed, streamNumber: 99)
        let out = CapturedOutput()
        var session = Session(output: out, options: SessionOptions(quiet: true))
        var accepted = 0, rejected = 0, slowest = 0.0, slowestLine = ""
        // a long but legal command (train 1000000) is stopped after a moment, as Ctrl-C would
        let watchdogDone = SharedFlag(false)
        for index in 0..<Self.cases {
            let line: String
            switch index % 4 {
            case 0: line = Self.grammarLine(&g)
            case 1: line = Self.mutatedLine(&g)
            case 2: line = Self.validLine(&g)
            default: line = Self.randomLine(&g)
            }
            if session.quitRequested {
                session = Session(output: out, options: SessionOptions(quiet: true))
            }
            let lowered = line.lowercased()
            // nothing that writes or reads files of the machine (the grammar leaves them out; a mutation
            // could bring them back)
            if ["save", "export", "source", "load"].contains(where: { lowered.contains($0) }) { continue }
            let before = session.snapshot
            out.clear()
            let interrupt = session.interrupt
            watchdogDone.store(false)
            let started = Date()
            Thread.detachNewThread {
                let deadline = Date().addingTimeInterval(0.3)
                while Date() < deadline { if watchdogDone.load() { return }; Thread.sleep(forTimeInterval: 0.01) }
                interrupt.raise()
            }
            let result = session.result(of: line)
            watchdogDone.store(true)
            let seconds = Date().timeIntervalSince(started)
            if seconds > slowest { slowest = seconds; slowestLine = line }
            #expect(seconds < 20, "seed \(Self.seed) case \(index): \(line.debugDescription) took \(seconds) s")
            session.acknowledgeInterrupt()
            switch result {
            case .accepted:
                accepted += 1
            case .foreign(let error):
                Issue.record("seed \(Self.seed) case \(index): \(line.debugDescription) threw a foreign error \(error)")
            case .rejected(let message):
                rejected += 1
                #expect(!message.isEmpty && !message.contains("\n"),
                        "seed \(Self.seed) case \(index): \(line.debugDescription) gave \(message.debugDescription)")
                // the failing command changed nothing; the commands before it on the line (as many as
                // the error says) ran and are kept: the state is what running just them gives
                let ran = Self.commandsThatRan(message)
                if ran == 0 {
                    let unchanged = session.snapshot == before
                    #expect(unchanged, "seed \(Self.seed) case \(index): rejected \(line.debugDescription) changed the state")
                } else {
                    let twin = Session(output: CapturedOutput(), options: SessionOptions(quiet: true))
                    twin.playground = before.playground
                    twin.replayLog = before.log
                    let prefix = (try? Tokenizer.commands(in: line).prefix(ran).map { $0.words.map(Tokenizer.quoted).joined(separator: " ") }) ?? []
                    _ = twin.error(prefix.joined(separator: "; "))
                    let same = twin.snapshot == session.snapshot
                    #expect(same, "seed \(Self.seed) case \(index): rejected \(line.debugDescription) left another state than its first \(ran) command(s)")
                }
                // the only other thing on standard error: warnings of commands that ran before the failing one
                let others = out.errors.split(separator: "\n").filter { !(ran > 0 && $0.hasPrefix("warning: ")) }
                #expect(others.isEmpty, "seed \(Self.seed) case \(index): \(line.debugDescription) also wrote \(out.errors)")
            }
        }
        print("command fuzz: \(Self.cases) lines (seed \(Self.seed)): \(accepted) accepted, \(rejected) rejected, slowest \(fixed(slowest, decimals: 3)) s (\(slowestLine.debugDescription))")
        #expect(accepted > Self.cases / 10 && rejected > Self.cases / 3)
    }

    /// How many commands an error says ran before the failing one on its line.
    static func commandsThatRan(_ message: String) -> Int {
        if message.contains("(the command before it ran and is kept: ") { return 1 }
        guard let range = message.range(of: #"\(the (\d+) commands before it ran and are kept: "#, options: .regularExpression) else { return 0 }
        return Int(message[range].split(separator: " ")[1]) ?? 0
    }

    /// Lines that once broke something, kept as regressions.
    @Test(arguments: [
        "save model M",                 // a one-letter file name crashed Foundation's path splitting
        "train 2; add 3; bogus",        // a line half done used to keep its first half
        "plot size=40x",                // a size with an empty height
        "expect epoch==0",              // read as an option `epoch=` with the value `=0`
        "add 1000; add 1000; gradcheck points=2", // checked 5000 parameters × 1M-weight forward passes: 9 s
        "<a command name of 1 000 000 x>", // "did you mean": a 1 MB × name table per command, 22 s, and a 1 MB message
        "train 3; data bogus",          // ran the training, then failed without saying what became of it
    ])
    func linesThatOnceBrokeSomething(line: String) throws {
        let dir = try makeTemporaryDirectory()
        let previous = FileManager.default.currentDirectoryPath
        _ = FileManager.default.changeCurrentDirectoryPath(dir)
        defer { _ = FileManager.default.changeCurrentDirectoryPath(previous) }
        let (s, _) = makeSession()
        let before = s.snapshot
        let line = line.hasPrefix("<a command name") ? String(repeating: "x", count: 1_000_000) : line
        if let message = s.error(line) {
            #expect(!message.contains("\n") && message.count <= NNPlayError.maxLength + 30, "\(message.prefix(100))")
            if line.hasPrefix("train 3;") {
                #expect(message.hasSuffix("(the command before it ran and is kept: train 3)"))
                #expect(s.playground.progress.epoch == 3)
            } else {
                let unchanged = s.snapshot == before
                #expect(unchanged)
            }
        }
    }
}

import Synchronization

/// A Bool shared with the watchdog thread.
final class SharedFlag: Sendable {
    private let value: Atomic<Bool>
    init(_ initial: Bool) { value = Atomic(initial) }
    func store(_ v: Bool) { value.store(v, ordering: .relaxed) }
    func load() -> Bool { value.load(ordering: .relaxed) }
}
