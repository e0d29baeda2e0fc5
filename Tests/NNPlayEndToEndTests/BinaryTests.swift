import Foundation
import Testing

// End-to-end tests of the built `nnplay` binary, run as a separate process with Foundation's `Process`:
// scripts, `-c`, piped standard input, exit codes, files written, and a closed output pipe.
// Standard input is never a terminal here (an empty pipe unless a test gives text); the interactive
// prompt is tested in a pseudo-terminal by PseudoTerminalTests.

// MARK: - Locating things

/// The package root: this file is `Tests/NNPlayEndToEndTests/BinaryTests.swift`.
let packageRoot: URL = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// The `nnplay` binary next to the test bundle (`.build/debug/nnplayPackageTests.xctest` on Linux),
/// or, failing that, in the package's `.build/debug`.
let nnplayBinary: URL = {
    var candidates: [URL] = []
    if let executable = Bundle.main.executableURL {
        candidates.append(executable.resolvingSymlinksInPath().deletingLastPathComponent())
        candidates.append(executable.deletingLastPathComponent())
    }
    if let first = CommandLine.arguments.first {
        let url = URL(fileURLWithPath: first)
        candidates.append(url.resolvingSymlinksInPath().deletingLastPathComponent())
        candidates.append(url.deletingLastPathComponent())
    }
    // `xctest` bundles on Darwin sit one level deeper (`X.xctest/Contents/MacOS/X`).
    candidates += candidates.map { $0.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent() }
    candidates.append(packageRoot.appendingPathComponent(".build/debug"))
    for directory in candidates {
        let binary = directory.appendingPathComponent("nnplay")
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: binary.path, isDirectory: &isDirectory), !isDirectory.boolValue,
           FileManager.default.isExecutableFile(atPath: binary.path) {
            return binary
        }
    }
    return packageRoot.appendingPathComponent(".build/debug/nnplay")
}()

// MARK: - Running the binary

/// What one run of `nnplay` gave.
struct RunResult: CustomStringConvertible {
    var status: Int32
    var stdout: String
    var stderr: String
    var timedOut = false
    /// True when the process ended by a signal (a crash, or the timeout's kill), not by `exit`.
    var killedBySignal = false

    var stdoutLines: [String] { stdout.split(separator: "\n", omittingEmptySubsequences: true).map(String.init) }
    var stderrLines: [String] { stderr.split(separator: "\n", omittingEmptySubsequences: true).map(String.init) }

    var description: String {
        "status \(status)\(killedBySignal ? " (signal)" : "")\(timedOut ? " (timed out)" : "")\n"
            + "--- stdout ---\n\(stdout)\n--- stderr ---\n\(stderr)"
    }
}

/// Collects bytes from several threads.
final class ByteCollector: @unchecked Sendable {
    private let lock = NSLock()
    private var data = Data()
    func append(_ more: Data) { lock.lock(); data.append(more); lock.unlock() }
    var text: String { lock.lock(); defer { lock.unlock() }; return String(decoding: data, as: UTF8.self) }
}

/// Reads a pipe to its end on a background thread.
func drain(_ pipe: Pipe, into collector: ByteCollector, group: DispatchGroup) {
    let handle = pipe.fileHandleForReading
    group.enter()
    DispatchQueue.global().async {
        collector.append(handle.readDataToEndOfFile())
        group.leave()
    }
}

/// Runs `nnplay ARGS` with `stdin` as its standard input (an empty pipe when nil: never a terminal), the
/// current environment plus `env`, in `directory` (default: the current one). Kills it after `timeout` s.
func run(_ args: [String], stdin: String? = nil, env: [String: String] = [:], in directory: URL? = nil,
         timeout: TimeInterval = 60, executable: URL = nnplayBinary) -> RunResult {
    let process = Process()
    process.executableURL = executable
    process.arguments = args
    var environment = ProcessInfo.processInfo.environment
    for (key, value) in env { environment[key] = value }
    process.environment = environment
    if let directory { process.currentDirectoryURL = directory }

    let input = Pipe(), output = Pipe(), errors = Pipe()
    process.standardInput = input
    process.standardOutput = output
    process.standardError = errors

    let finished = DispatchSemaphore(value: 0)
    process.terminationHandler = { _ in finished.signal() }
    do {
        try process.run()
    } catch {
        return RunResult(status: -1, stdout: "", stderr: "could not start \(executable.path): \(error)")
    }

    let out = ByteCollector(), err = ByteCollector(), readers = DispatchGroup()
    drain(output, into: out, group: readers)
    drain(errors, into: err, group: readers)

    // Feed standard input on its own thread (a large input must not block us), then close it.
    let writer = input.fileHandleForWriting
    let bytes = Data((stdin ?? "").utf8)
    readers.enter()
    DispatchQueue.global().async {
        if !bytes.isEmpty { try? writer.write(contentsOf: bytes) }
        try? writer.close()
        readers.leave()
    }

    var timedOut = false
    if finished.wait(timeout: .now() + timeout) == .timedOut {
        timedOut = true
        kill(process.processIdentifier, SIGKILL)
        finished.wait()
    }
    _ = readers.wait(timeout: .now() + 10)
    return RunResult(status: process.terminationStatus, stdout: out.text, stderr: err.text, timedOut: timedOut,
                     killedBySignal: process.terminationReason == .uncaughtSignal)
}

/// A fresh temporary directory, removed by `cleanUp()`.
struct TemporaryDirectory {
    let url: URL
    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("nnplay-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }
    func path(_ name: String) -> String { url.appendingPathComponent(name).path }
    @discardableResult
    func write(_ name: String, _ text: String) throws -> String {
        let p = path(name)
        try Data(text.utf8).write(to: URL(fileURLWithPath: p))
        return p
    }
    func read(_ name: String) throws -> Data { try Data(contentsOf: URL(fileURLWithPath: path(name))) }
    func cleanUp() { try? FileManager.default.removeItem(at: url) }
}

/// The `stats` keys SPEC.md promises.
let statsKeys = ["epoch=", "train-loss=", "test-loss=", "train-accuracy=", "test-accuracy="]

/// The value of `key=` in a `stats` line, as a number.
func statValue(_ key: String, in line: String) -> Double? {
    for field in line.split(separator: " ") where field.hasPrefix(key + "=") {
        return Double(field.dropFirst(key.count + 1))
    }
    return nil
}

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

    // MARK: Scripts

    @Test func aScriptWithCommentsAndBlankLinesRunsEveryCommandAndExitsZero() throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanUp() }
        let script = try dir.write("ok.nn", "data xor n=200\n# a comment line\n\n   \ntrain 5; stats   # trailing comment\n")
        let r = run([script])
        #expect(r.status == 0, "\(r)")
        #expect(r.stderr.isEmpty, "\(r)")
        let last = r.stdoutLines.last ?? ""
        #expect(last.hasPrefix("epoch=5 "), "\(r)")
        for key in statsKeys { #expect(last.contains(key), "\(key) missing: \(r)") }
    }

    @Test func aScriptErrorNamesFileAndLineAndExitsOne() throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanUp() }
        let script = try dir.write("bad.nn", "data xor n=200\n# a comment\ntrian 5\n\nstats\n")
        let r = run([script])
        #expect(r.status == 1, "\(r)")
        #expect(r.stderr == "\(script):3: error: unknown command 'trian'; did you mean 'train'? (help lists the commands)\n",
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

    @Test func anOutOfRangeOptionValueIsAnErrorThatNamesTheOption() throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanUp() }
        let script = try dir.write("noise.nn", "data circle noise=2\nstats\n")
        let r = run([script])
        #expect(r.status == 1, "\(r)")
        #expect(r.stderr.hasPrefix("\(script):1: error: "), "\(r)")
        #expect(r.stderr.contains("noise=2 is out of range"), "\(r)")
        #expect(!r.stdout.contains("epoch="), "\(r)")
    }

    @Test func aFailedExpectationExitsOne() throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanUp() }
        let script = try dir.write("expect.nn", "train 2\nexpect test-accuracy > 2\nstats\n")
        let r = run([script])
        #expect(r.status == 1, "\(r)")
        #expect(r.stderr.hasPrefix("\(script):2: error: "), "\(r)")
        #expect(r.stderr.contains("expect failed"), "\(r)")
        #expect(!r.stdout.contains("epoch=2 "), "the stats after the failed expect ran: \(r)")
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

    @Test func closingStdoutAfterTheFirstLineGivesNoErrorOutput() throws {
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
        #expect(process.terminationStatus == 0, "stderr: \(err.text)")
        #expect(err.text.isEmpty, "stderr: \(err.text)")
    }
}
