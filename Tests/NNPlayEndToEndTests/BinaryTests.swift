import Foundation
import Testing

// End-to-end tests of the built `nnplay` binary, run as a separate process: scripts, `-c`, piped
// standard input, exit codes, files written, and a closed output pipe. The helpers (`run`, `RunResult`,
// `TemporaryDirectory`, …) are in Support.swift.

/// The `stats` keys SPEC.md promises.
let statsKeys = ["epoch=", "train-loss=", "test-loss=", "train-accuracy=", "test-accuracy="]

// MARK: - Tests

@Suite("nnplay binary")
struct BinaryTests {
    @Test func theBinaryIsBuiltNextToTheTestBundle() {
        #expect(FileManager.default.isExecutableFile(atPath: nnplayBinary.path),
                "no nnplay binary at \(nnplayBinary.path); build it with swift build")
    }

    // MARK: -c and stats

    @Test func statsOnTheDefaultPlaygroundPrintsOneLineOfMetrics() {
        let r = run(["-c", "stats"])
        #expect(r.status == 0, "\(r)")
        #expect(r.stderr.isEmpty, "\(r)")
        #expect(r.stdoutLines.count == 1, "\(r)")
        let line = r.stdoutLines.first ?? ""
        #expect(line.hasPrefix("epoch=0 train-loss="), "\(r)")
        for key in statsKeys { #expect(line.contains(key), "\(key) missing: \(r)") }
    }

    @Test func anUnknownCommandInDashCStopsWithItsPlaceAndExitsOne() {
        let r = run(["-c", "stats; bogus"])
        #expect(r.status == 1, "\(r)")
        #expect(r.stderr.hasPrefix("-c:1: error: unknown command 'bogus'"), "\(r)")
        // a line is all or nothing, and an unknown name is found before anything on it runs
        #expect(r.stdout.isEmpty, "a command before the unknown one ran: \(r)")
        let two = run(["-c", "stats\nbogus"])   // on separate lines, the first line runs
        #expect(two.status == 1 && two.stdoutLines.count == 1 && two.stdout.hasPrefix("epoch=0 ")
                && two.stderr.hasPrefix("-c:2: error: unknown command 'bogus'"), "\(two)")
    }

    @Test func quietPrintsOnlyTheStatsLineAfterTraining() {
        let r = run(["-q", "-c", "train 20; stats"])
        #expect(r.status == 0, "\(r)")
        #expect(r.stderr.isEmpty, "\(r)")
        #expect(r.stdoutLines.count == 1, "\(r)")
        #expect(r.stdout.hasPrefix("epoch=20 train-loss="), "\(r)")
    }

    @Test func outputToAPipeHasNoColourOrEscapeCharacters() {
        let r = run(["-c", "data spiral classes=3; train 20; stats"])
        #expect(r.status == 0, "\(r)")
        #expect(!r.stdout.contains("\u{1B}"), "\(r)")
        #expect(!r.stderr.contains("\u{1B}"), "\(r)")
        #expect(r.stdoutLines.last?.hasPrefix("epoch=20 ") == true, "\(r)")
    }

    @Test func graphicsNamesHowPicturesReachTheTerminalEvenThroughAPipe() {
        // auto through a pipe: plain characters (nothing is asked of a terminal that is not there)
        let plain = run(["-c", "plot size=20"], env: ["TERM": "xterm-kitty"])
        #expect(plain.status == 0 && !plain.stdout.contains("\u{1B}"), "\(plain)")
        let kitty = run(["--graphics", "kitty", "-c", "plot size=20"])
        #expect(kitty.status == 0 && kitty.stdout.hasPrefix("\u{1B}_Ga=T,f=100,q=2,m="), "\(kitty.stdout.prefix(40).debugDescription)")
        let sixel = run(["--graphics=sixel", "-c", "plot net"])
        #expect(sixel.status == 0 && sixel.stdout.hasPrefix("\u{1B}P"), "\(sixel.stdout.prefix(40).debugDescription)")
        let blocks = run(["--graphics", "blocks", "-c", "plot size=20; set graphics"])
        #expect(blocks.stdout.contains("\u{1B}[38;5;") && blocks.stdoutLines.last == "graphics=blocks", "\(blocks)")
        let bad = run(["--graphics", "png", "-c", "plot"])
        #expect(bad.status == 2 && bad.stderr == "nnplay: --graphics png: not a graphics mode: use auto, kitty, iterm, sixel, blocks, ascii\n", "\(bad)")
        let missing = run(["--graphics"])
        #expect(missing.status == 2 && missing.stderr.contains("--graphics needs a mode"), "\(missing)")
    }

    @Test(arguments: 1...10) func everyLessonRunsGreenThroughTheBinary(n: Int) throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanUp() }
        let r = run(["--lesson", String(n)], in: dir.url)
        #expect(r.status == 0, "nnplay --lesson \(n): \(r)")
        #expect(r.stdout.hasSuffix("lesson \(n): every check holds; its pictures are in nnplay-lesson-\(n)/\n"), "\(r.stdout.suffix(200))")
        #expect(!r.stdout.contains("\u{1B}"), "a lesson to a pipe has no escape codes")
        let pictures = (try? FileManager.default.contentsOfDirectory(atPath: dir.path("nnplay-lesson-\(n)"))) ?? []
        #expect([6, 7].contains(n) || !pictures.isEmpty, "lesson \(n) wrote no pictures")   // 6 and 7: plot loss steps, backprop tables
    }

    @Test func aLessonRunsWithoutAPromptAndFailsWhereItsClaimDoes() throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanUp() }
        let ok = run(["--lesson", "3", "--pictures", dir.path("pictures"), "--lang", "zh"])
        #expect(ok.status == 0, "\(ok)")
        #expect(ok.stdout.contains("更好的输入：x² 和 y²") && ok.stdout.contains("ok: test-accuracy"), "\(ok.stdout.prefix(400))")
        let pictures = try FileManager.default.contentsOfDirectory(atPath: dir.path("pictures")).sorted()
        #expect(pictures == ["step-1-3.png", "step-2-6.png", "step-3-1.png"], "\(pictures)")
        // the same lesson with a claim made false: exit 1 at the check's line
        let text = try #require(String(data: try Data(contentsOf: packageRoot.appendingPathComponent("Examples/lessons/03-layers-compose.nn")), encoding: .utf8))
        let file = try dir.write("false.nn", text.replacingOccurrences(of: "features x2 y2\ntrain 100", with: "train 100"))
        let failed = run(["--lesson", file, "--pictures", dir.path("p2")], in: dir.url)
        #expect(failed.status == 1 && failed.stderr.hasPrefix("\(file):") && failed.stderr.contains(": error: expect failed: test-accuracy is"), "\(failed)")
        let missing = run(["--lesson", "99"])
        #expect(missing.status == 1 && missing.stderr == "nnplay: there is no lesson 99: the lessons are 1…10 (`lesson` lists them)\n", "\(missing)")
        let alone = run(["--lang", "zh", "-c", "stats"])
        #expect(alone.status == 2 && alone.stderr.contains("--lang and --pictures go with --lesson N"), "\(alone)")
        // a lesson file is also a plain script
        let script = run([packageRoot.appendingPathComponent("Examples/lessons/02-weights-and-biases.nn").path])
        #expect(script.status == 0 && script.stdout.contains("ok: neuron out.1 at (0.5, 0)"), "\(script)")
    }

    // MARK: Scripts

    @Test func aScriptWithCommentsAndBlankLinesRunsEveryCommandAndExitsZero() throws {
        let (_, r) = try runScript("data xor n=200\n# a comment line\n\n   \ntrain 5; stats   # trailing comment\n", named: "ok.nn")
        #expect(r.status == 0, "\(r)")
        #expect(r.stderr.isEmpty, "\(r)")
        let last = r.stdoutLines.last ?? ""
        #expect(last.hasPrefix("epoch=5 "), "\(r)")
        for key in statsKeys { #expect(last.contains(key), "\(key) missing: \(r)") }
    }

    @Test func aScriptErrorNamesFileAndLineAndExitsOne() throws {
        let (script, r) = try runScript("data xor n=200\n# a comment\ntrian 5\n\nstats\n", named: "bad.nn")
        #expect(r.status == 1, "\(r)")
        #expect(r.stderr == "\(script):3: error: unknown command 'trian'; did you mean 'train'? (`help` lists the commands)\n",
                "\(r)")
        #expect(r.stderrLines.count == 1, "\(r)")
        #expect(!r.stdout.contains("epoch="), "the stats after the error ran: \(r)")
    }

    @Test func aScriptStopsAtTheFirstErrorAndRunsNoLaterScript() throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanUp() }
        let first = try dir.write("first.nn", "bogus\n")
        let second = try dir.write("second.nn", "stats\n")
        let r = run([first, second])
        #expect(r.status == 1, "\(r)")
        #expect(r.stderr.hasPrefix("\(first):1: error: "), "\(r)")
        #expect(!r.stdout.contains("epoch="), "\(r)")
    }

    /// A script stopped by an error in a known command (an option value out of range names the option;
    /// a failed `expect`) exits 1 naming file, line and problem: (file name, text, the error's line, part
    /// of its message, what standard output would show had the stats after the error run).
    @Test(arguments: [
        ("noise.nn", "data circle noise=2\nstats\n", 1, "noise=2 is out of range", "epoch="),
        ("expect.nn", "train 2\nexpect test-accuracy > 2\nstats\n", 2, "expect failed", "epoch=2 "),
    ])
    func aScriptErrorExitsOneNamingFileLineAndProblem(name: String, text: String, line: Int, problem: String,
                                                     laterStats: String) throws {
        let (script, r) = try runScript(text, named: name)
        #expect(r.status == 1, "\(r)")
        #expect(r.stderr.hasPrefix("\(script):\(line): error: "), "\(r)")
        #expect(r.stderr.contains(problem), "\(r)")
        #expect(!r.stdout.contains(laterStats), "the stats after the error ran: \(r)")
    }

    @Test func aTrueExpectationLetsTheScriptGoOn() {
        let r = run(["-c", "expect test-accuracy >= 0; expect epoch == 0; stats"])
        #expect(r.status == 0, "\(r)")
        #expect(r.stdout.contains("epoch=0 "), "\(r)")
    }

    @Test func aMissingScriptFileExitsOneNamingTheFile() throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanUp() }
        let missing = dir.path("no-such-script.nn")
        let r = run([missing])
        #expect(r.status == 1, "\(r)")
        #expect(r.stderr.contains(missing), "\(r)")
        #expect(r.stdout.isEmpty, "\(r)")
    }

    // MARK: Piped standard input

    @Test func pipedCommandsRunWithoutPromptOrEscapeCharacters() {
        let r = run([], stdin: "data gauss\ntrain 3\nstats\n")
        #expect(r.status == 0, "\(r)")
        #expect(r.stderr.isEmpty, "\(r)")
        #expect(!r.stdout.contains("nnplay>"), "\(r)")
        #expect(!r.stdout.contains("\u{1B}"), "\(r)")
        #expect(r.stdoutLines.last?.hasPrefix("epoch=3 ") == true, "\(r)")
    }

    @Test func anErrorOnPipedLineTwoNamesStdinAndExitsOne() {
        let r = run([], stdin: "data gauss\nbogus 3\nstats\n")
        #expect(r.status == 1, "\(r)")
        #expect(r.stderr.hasPrefix("<stdin>:2: error: "), "\(r)")
        #expect(!r.stdout.contains("epoch="), "the stats after the error ran: \(r)")
    }

    @Test func emptyStandardInputExitsZeroQuietly() {
        let r = run([], stdin: nil)
        #expect(r.status == 0, "\(r)")
        #expect(r.stderr.isEmpty, "\(r)")
        #expect(!r.stdout.contains("nnplay>"), "\(r)")
    }

    // MARK: Command-line usage

    @Test(arguments: [["--bogus"], ["--seed", "abc"], ["-c"]])
    func badCommandLineUsageExitsTwo(args: [String]) {
        let r = run(args)
        #expect(r.status == 2, "\(args): \(r)")
        #expect(!r.stderr.isEmpty, "\(args): \(r)")
        #expect(!r.killedBySignal, "\(args): \(r)")
    }

    @Test func helpPrintsUsageToStdoutAndExitsZero() {
        let r = run(["--help"])
        #expect(r.status == 0, "\(r)")
        #expect(r.stderr.isEmpty, "\(r)")
        #expect(r.stdout.contains("usage"), "\(r)")
        #expect(r.stdout.contains("--seed"), "\(r)")
    }

    @Test func versionPrintsTheVersionAndExitsZero() {
        let r = run(["--version"])
        #expect(r.status == 0, "\(r)")
        #expect(r.stderr.isEmpty, "\(r)")
        #expect(r.stdout == "nnplay 0.1.0\n", "\(r)")
    }

    // MARK: Determinism and files

    static let deterministicScript = "data spiral n=200 noise=0.1; add 6 relu; set optimizer adam; train 20"

    @Test func twoRunsOfOneScriptWriteByteIdenticalModelsAndAnotherSeedDiffers() throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanUp() }
        var runs: [RunResult] = []
        for (name, extra) in [("A.json", [String]()), ("B.json", []), ("C.json", ["--seed", "2"])] {
            runs.append(run(extra + ["-c", "\(Self.deterministicScript); save model \(dir.path(name))"]))
        }
        for r in runs { #expect(r.status == 0, "\(r)") }
        let a = try dir.read("A.json"), b = try dir.read("B.json"), c = try dir.read("C.json")
        #expect(!a.isEmpty)
        #expect(a == b, "two runs with one seed wrote different models")
        #expect(a != c, "--seed 2 wrote the same model as seed 1")
    }

    @Test func aSavedModelIsTheDocumentedJSON() throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanUp() }
        let r = run(["-c", "train 2; save model \(dir.path("model.json"))"])
        #expect(r.status == 0, "\(r)")
        let object = try JSONSerialization.jsonObject(with: try dir.read("model.json")) as? [String: Any]
        #expect(object?["format"] as? String == "nnplay-model")
        #expect(object?["version"] as? Int == 1)
        #expect(object?["features"] as? [String] == ["x", "y"])
        #expect(object?["classes"] as? Int == 2)
        let layers = object?["layers"] as? [[String: Any]]
        #expect(layers?.map { $0["size"] as? Int } == [4, 2, 1])
        #expect((object?["settings"] as? [String: Any])?["lr"] as? Double == 0.03)
    }

    /// A bare one-letter name such as `M` is a valid relative path (the brief's `save model M`).
    @Test(arguments: ["M", "S"])
    func aOneLetterRelativeFileNameCanBeSaved(name: String) throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanUp() }
        let r = run(["-c", "save model \(name); save session \(name)x"], in: dir.url)
        try #require(!r.killedBySignal,
                     "nnplay crashed (signal \(r.status)) on 'save model \(name)':\n\(r.stderr.prefix(1500))")
        #expect(r.status == 0, "\(r)")
        #expect(FileManager.default.fileExists(atPath: dir.path(name)), "\(r)")
    }

    @Test func aSavedSessionReplaysToTheSameStatsAndModel() throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanUp() }
        let session = dir.path("session.nn"), m1 = dir.path("M1.json"), m2 = dir.path("M2.json")
        let first = run(["-c", "data moons n=300; add 5 tanh; set lr 0.1; train 15; step; step; "
                                        + "train 30 steps; save session \(session); save model \(m1); stats"])
        #expect(first.status == 0, "\(first)")
        let replay = run([session, "-c", "save model \(m2); stats"])
        #expect(replay.status == 0, "\(replay)")

        let stats1 = first.stdoutLines.last ?? "", stats2 = replay.stdoutLines.last ?? ""
        #expect(stats1.hasPrefix("epoch="), "\(first)")
        #expect(stats1 == stats2, "\(first)\n\(replay)")
        #expect(try dir.read("M1.json") == dir.read("M2.json"), "the replayed model differs")

        let text = String(decoding: try dir.read("session.nn"), as: UTF8.self)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines.first?.hasPrefix("#") == true, "\(text)")
        let firstCommand = lines.first { !$0.hasPrefix("#") && !$0.trimmingCharacters(in: .whitespaces).isEmpty }
        #expect(firstCommand == "new seed=1", "\(text)")
        #expect(text.contains("data moons"), "\(text)")
        #expect(!text.contains("\u{1B}"), "\(text)")
    }

    // MARK: source

    @Test func anErrorInASourcedScriptNamesTheInnerFileAndLine() throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanUp() }
        let inner = try dir.write("inner.nn", "data xor\ntrian 3\nstats\n")
        let outer = try dir.write("outer.nn", "# calls inner\nsource \(inner)\nstats\n")
        let r = run([outer])
        #expect(r.status == 1, "\(r)")
        #expect(r.stderr.contains("inner.nn:2: error: "), "\(r)")
        #expect(!r.stdout.contains("epoch="), "\(r)")
    }

    @Test func aScriptThatSourcesItselfIsAnError() throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanUp() }
        let path = dir.path("self.nn")
        try dir.write("self.nn", "stats\nsource \(path)\n")
        let r = run([path], timeout: 30)
        #expect(!r.timedOut, "\(r)")
        #expect(r.status == 1, "\(r)")
        #expect(r.stderr.contains("sources itself"), "\(r)")
    }

    // MARK: Datasets

    @Test func theBundledIrisPetalsDatasetLoads() {
        let csv = packageRoot.appendingPathComponent("Datasets/iris-petals.csv").path
        let r = run(["-c", "data load \(csv); data"])
        #expect(r.status == 0, "\(r)")
        #expect(r.stderr.isEmpty, "\(r)")
        #expect(r.stdout.contains("3 classes"), "\(r)")
        for name in ["setosa", "versicolor", "virginica"] { #expect(r.stdout.contains(name), "\(name): \(r)") }
    }

    @Test func dataSaveWritesOnePointPerLineThatLoadsBack() throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanUp() }
        let csv = dir.path("moons.csv")
        let r = run(["-q", "-c", "data moons n=120 noise=0.1; data save \(csv); data load \(csv); data"])
        #expect(r.status == 0, "\(r)")
        let lines = String(decoding: try dir.read("moons.csv"), as: UTF8.self).split(separator: "\n")
        #expect(lines.count >= 120 && lines.count <= 121, "a point per line (and an optional header)")
        #expect(r.stdout.contains("120"), "the loaded data has 120 points: \(r)")
    }

    // MARK: Closed output

    @Test func aClosedOutputPipeEndsTheRunQuietly() throws {
        // Through the shell, as a user would write it.
        let quoted = "'" + nnplayBinary.path.replacingOccurrences(of: "'", with: "'\\''") + "'"
        let shell = run(["-c", "\(quoted) -c 'help; help; help; help' | head -1"],
                                   executable: URL(fileURLWithPath: "/bin/sh"))
        #expect(shell.status == 0, "\(shell)")
        #expect(shell.stderr.isEmpty, "\(shell)")
        #expect(shell.stdoutLines.count == 1, "\(shell)")
    }

    @Test func closingStdoutAfterTheFirstLineEndsWith141AndNoErrorOutput() throws {
        // Far more output than a pipe buffer holds, so that writing surely meets the closed pipe.
        let process = Process()
        process.executableURL = nnplayBinary
        process.arguments = ["-c", Array(repeating: "help", count: 200).joined(separator: "; ")]
        let input = Pipe(), output = Pipe(), errors = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = errors
        let finished = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in finished.signal() }
        try process.run()
        try input.fileHandleForWriting.close()
        let err = ByteCollector(), readers = DispatchGroup()
        drain(errors, into: err, group: readers)

        let reader = output.fileHandleForReading
        var firstChunk = Data()
        while !firstChunk.contains(UInt8(ascii: "\n")) {
            let more = reader.availableData
            if more.isEmpty { break }
            firstChunk.append(more)
        }
        try reader.close()

        let timedOut = finished.wait(timeout: .now() + 60) == .timedOut
        if timedOut { kill(process.processIdentifier, SIGKILL); finished.wait() }
        _ = readers.wait(timeout: .now() + 10)
        #expect(!timedOut, "nnplay did not end after its output was closed")
        #expect(String(decoding: firstChunk, as: UTF8.self).hasPrefix("nnplay"))
        #expect(process.terminationReason == .exit, "ended by signal \(process.terminationStatus)")
        #expect(process.terminationStatus == 141, "stderr: \(err.text)")   // 128 + SIGPIPE, as Unix tools end
        #expect(err.text.isEmpty, "stderr: \(err.text)")
    }
}
