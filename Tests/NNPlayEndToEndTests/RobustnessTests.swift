import Foundation
import Testing

// Robustness of the built `nnplay` binary as a process (issue 6): SIGTERM and SIGINT while it works or
// waits, lines over the 1 MB limit, binary and empty scripts, input that ends without a newline, and
// pictures without a usable terminal (TERM unset, TERM=dumb, NO_COLOR). The helpers `run`, `RunResult`,
// `TemporaryDirectory` and `nnplayBinary` are in BinaryTests.swift; the pseudo-terminal side of these
// checks (TERM=dumb, tiny and huge windows at a real terminal) is in Tests/pty/repl_test.py.

// MARK: - A running nnplay that a test can signal

/// Collects bytes as they arrive (not only at the end), so that a test can wait for a line.
final class StreamCollector: @unchecked Sendable {
    private let lock = NSLock()
    private var data = Data()
    func append(_ more: Data) { lock.lock(); data.append(more); lock.unlock() }
    var text: String { lock.lock(); defer { lock.unlock() }; return String(decoding: data, as: UTF8.self) }
    func contains(_ needle: String) -> Bool {
        lock.lock(); defer { lock.unlock() }
        return data.range(of: Data(needle.utf8)) != nil
    }
}

/// One `nnplay` process started by a test, which reads its output as it comes, can send it a signal
/// and waits for its end with a time limit (then kills it, so that a hang fails the test, not the run).
final class RunningNNPlay: @unchecked Sendable {
    let process = Process()
    let out = StreamCollector(), err = StreamCollector()
    private let readers = DispatchGroup()
    private let finished = DispatchSemaphore(value: 0)
    private let input = Pipe()

    /// Starts `nnplay ARGS`. The environment is the test's own, minus `unsetting`, plus `env`. With
    /// `keepStdinOpen`, standard input is a pipe that stays open after `stdin` (no EOF).
    ///
    /// A child inherits the signal mask of the thread that starts it, and Swift Testing's threads block
    /// signals, SIGTERM among them. A shell starts its commands with no signal blocked; so does this,
    /// unless the test asks for `blocking` signals (to see what nnplay does when a parent blocks them).
    init(_ args: [String], stdin: String? = nil, keepStdinOpen: Bool = false, env: [String: String] = [:],
         unsetting: [String] = [], in directory: URL? = nil, blocking: [Int32] = [],
         executable: URL = nnplayBinary) throws {
        process.executableURL = executable
        process.arguments = args
        var environment = ProcessInfo.processInfo.environment
        for key in unsetting { environment.removeValue(forKey: key) }
        for (key, value) in env { environment[key] = value }
        process.environment = environment
        if let directory { process.currentDirectoryURL = directory }
        let output = Pipe(), errors = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = errors
        process.terminationHandler = { [finished] _ in finished.signal() }
        var mask = sigset_t(), saved = sigset_t()
        sigemptyset(&mask)
        for number in blocking { sigaddset(&mask, number) }
        pthread_sigmask(SIG_SETMASK, &mask, &saved)
        defer { pthread_sigmask(SIG_SETMASK, &saved, nil) }
        try process.run()
        Self.stream(output, into: out, group: readers)
        Self.stream(errors, into: err, group: readers)
        if let stdin { send(stdin) }
        if !keepStdinOpen { closeInput() }
    }

    private static func stream(_ pipe: Pipe, into collector: StreamCollector, group: DispatchGroup) {
        let handle = pipe.fileHandleForReading
        group.enter()
        DispatchQueue.global().async {
            while true {
                let chunk = handle.availableData
                if chunk.isEmpty { break }
                collector.append(chunk)
            }
            group.leave()
        }
    }

    /// Writes to standard input (on a background thread: a large input must not block the test).
    func send(_ text: String) {
        let writer = input.fileHandleForWriting, bytes = Data(text.utf8)
        let written = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            try? writer.write(contentsOf: bytes)
            written.signal()
        }
        _ = written.wait(timeout: .now() + 30)
    }

    func closeInput() { try? input.fileHandleForWriting.close() }

    var pid: pid_t { process.processIdentifier }

    /// Waits until standard output contains `text`; false when it never came (or nnplay ended first).
    func waitForOutput(_ text: String, timeout: TimeInterval = 60) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if out.contains(text) { return true }
            if !process.isRunning { return out.contains(text) }
            Thread.sleep(forTimeInterval: 0.02)
        }
        return false
    }

    /// Waits until `path` exists.
    func waitForFile(_ path: String, timeout: TimeInterval = 60) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if FileManager.default.fileExists(atPath: path) { return true }
            if !process.isRunning { return FileManager.default.fileExists(atPath: path) }
            Thread.sleep(forTimeInterval: 0.02)
        }
        return false
    }

    func signal(_ number: Int32) { kill(process.processIdentifier, number) }

    /// Whether the process blocks signal `number` (Linux: the SigBlk line of /proc/PID/status).
    func blocks(_ number: Int32) -> Bool? {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("SigBlk:") }),
              let bits = UInt64(line.dropFirst("SigBlk:".count).trimmingCharacters(in: .whitespaces), radix: 16)
        else { return nil }
        return bits & (1 << UInt64(number - 1)) != 0
    }

    /// Waits for the end (at most `timeout` s, then SIGKILL and `timedOut`), and what it wrote.
    func finish(timeout: TimeInterval) -> RunResult {
        var timedOut = false
        if finished.wait(timeout: .now() + timeout) == .timedOut {
            timedOut = true
            kill(process.processIdentifier, SIGKILL)
            finished.wait()
        }
        closeInput()
        _ = readers.wait(timeout: .now() + 10)
        return RunResult(status: process.terminationStatus, stdout: out.text, stderr: err.text, timedOut: timedOut,
                         killedBySignal: process.terminationReason == .uncaughtSignal)
    }
}

/// Runs nnplay to its end with some environment variables removed (`run` can only add or change them).
func run(_ args: [String], unsetting: [String], env: [String: String] = [:], timeout: TimeInterval = 60) -> RunResult {
    do {
        return try RunningNNPlay(args, env: env, unsetting: unsetting).finish(timeout: timeout)
    } catch {
        return RunResult(status: -1, stdout: "", stderr: "could not start \(nnplayBinary.path): \(error)")
    }
}

/// Everything in a directory, hidden files included (a writer's temporary file is `.nnplay-tmp-…`).
func directoryListing(_ dir: TemporaryDirectory) -> [String] {
    ((try? FileManager.default.contentsOfDirectory(atPath: dir.url.path)) ?? []).sorted()
}

/// Reproducible pseudo-random bytes (SplitMix64), so that a failing binary input can be rebuilt.
func pseudoRandomBytes(count: Int, seed: UInt64) -> [UInt8] {
    var state = seed
    var bytes: [UInt8] = []
    bytes.reserveCapacity(count)
    while bytes.count < count {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        z ^= z >> 31
        for k in 0..<8 where bytes.count < count { bytes.append(UInt8(truncatingIfNeeded: z >> (8 * UInt64(k)))) }
    }
    return bytes
}

/// Whether standard error ends with `message` as its one line, apart from `note: …` lines (such as the
/// time a long training will take).
func endsWithOneMessage(_ r: RunResult, _ message: String) -> Bool {
    r.stderr.hasSuffix(message + "\n") && r.stderrLines.filter { !$0.hasPrefix("note: ") } == [message]
}

/// A training long enough never to end during a test (25 million steps on the default playground).
let endlessTraining = "train 1000000"
/// How long a signalled nnplay may take to stop before the test calls it a hang.
let signalGrace: TimeInterval = 10

// MARK: - Signals

@Suite("Robustness: signals", .serialized)
struct RobustnessSignalTests {
    /// SIGTERM during a long `train` in a script file: status 143, one line `nnplay: terminated`, no
    /// later command or script runs, and nothing (not even a writer's temporary file) is left behind.
    @Test(.timeLimit(.minutes(2)))
    func sigtermDuringTrainingInAScriptExits143AndLeavesNoFiles() throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanUp() }
        try dir.write("long.nn", "stats\n\(endlessTraining)\nsave model after.json\nsave session after.nn\n")
        try dir.write("second.nn", "save model second.json\n")
        let p = try RunningNNPlay(["long.nn", "second.nn", "-c", "save model third.json"], in: dir.url)
        #expect(p.waitForOutput("epoch=0 "), "the stats line before the training never came")
        Thread.sleep(forTimeInterval: 1)   // well into the training
        #expect(p.blocks(SIGTERM) != true, "the test started nnplay with SIGTERM blocked")
        let stillRunning = p.process.isRunning
        p.signal(SIGTERM)
        let r = p.finish(timeout: signalGrace)
        #expect(stillRunning, "train 1000000 had ended before SIGTERM: \(r)")
        #expect(!r.timedOut, "nnplay did not stop within \(Int(signalGrace)) s of SIGTERM: \(r)")
        #expect(!r.killedBySignal, "nnplay died of a signal instead of exiting: \(r)")
        #expect(r.status == 143, "\(r)")
        #expect(endsWithOneMessage(r, "nnplay: terminated"), "\(r)")
        #expect(r.stdout.contains("interrupted after"), "the training did not report where it stopped: \(r)")
        #expect(!r.stdout.contains("saved"), "a command after the training ran: \(r)")
        #expect(directoryListing(dir) == ["long.nn", "second.nn"], "files left behind: \(directoryListing(dir))")
    }

    /// SIGTERM during `-c` text: the same, and the rest of the line is not run.
    @Test(.timeLimit(.minutes(2)))
    func sigtermDuringTrainingInDashCExits143() throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanUp() }
        let p = try RunningNNPlay(["-c", "stats; \(endlessTraining); save model m.json; stats"], in: dir.url)
        #expect(p.waitForOutput("epoch=0 "), "the stats line before the training never came")
        Thread.sleep(forTimeInterval: 1)
        p.signal(SIGTERM)
        let r = p.finish(timeout: signalGrace)
        #expect(!r.timedOut, "nnplay did not stop within \(Int(signalGrace)) s of SIGTERM: \(r)")
        #expect(!r.killedBySignal, "\(r)")
        #expect(r.status == 143, "\(r)")
        #expect(endsWithOneMessage(r, "nnplay: terminated"), "\(r)")
        #expect(r.stdoutLines.filter { $0.hasPrefix("epoch=") }.count == 1, "the stats after the training ran: \(r)")
        #expect(directoryListing(dir).isEmpty, "files left behind: \(directoryListing(dir))")
    }

    /// SIGTERM while a script saves a model over and over: every save is whole (the file is the
    /// documented JSON) and no temporary file is left, whichever moment the signal hits.
    @Test(.timeLimit(.minutes(2)))
    func sigtermDuringRepeatedSavesLeavesOneWholeFileAndNoTemporaryFile() throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanUp() }
        try dir.write("saves.nn", String(repeating: "save model m.json; save data d.csv\n", count: 100_000))
        let p = try RunningNNPlay(["saves.nn"], in: dir.url)
        #expect(p.waitForOutput("saved the model"), "the first save never came")
        Thread.sleep(forTimeInterval: 0.3)
        p.signal(SIGTERM)
        let r = p.finish(timeout: signalGrace)
        #expect(!r.timedOut, "nnplay did not stop within \(Int(signalGrace)) s of SIGTERM: \(r.stderr)")
        #expect(!r.killedBySignal, "\(r.stderr)")
        #expect(r.status == 143, "status \(r.status), stderr: \(r.stderr)")
        #expect(endsWithOneMessage(r, "nnplay: terminated"), "\(r.stderr)")
        #expect(directoryListing(dir) == ["d.csv", "m.json", "saves.nn"], "files: \(directoryListing(dir))")
        let model = try JSONSerialization.jsonObject(with: try dir.read("m.json")) as? [String: Any]
        #expect(model?["format"] as? String == "nnplay-model", "m.json is not a whole model")
        let csv = String(decoding: try dir.read("d.csv"), as: UTF8.self)
        #expect(csv.hasSuffix("\n") && csv.split(separator: "\n").count >= 500, "d.csv is cut short")
    }

    /// SIGTERM while nnplay waits for the next command on a pipe that stays open (no EOF).
    @Test(.timeLimit(.minutes(1)))
    func sigtermWhileWaitingOnAnOpenPipeExits143() throws {
        let p = try RunningNNPlay([], stdin: "stats\n", keepStdinOpen: true)
        #expect(p.waitForOutput("epoch=0 "), "the piped stats never ran")
        Thread.sleep(forTimeInterval: 0.5)   // blocked reading the pipe by now
        p.signal(SIGTERM)
        let r = p.finish(timeout: signalGrace)
        #expect(!r.timedOut, "nnplay did not stop within \(Int(signalGrace)) s of SIGTERM while reading a pipe: \(r)")
        #expect(!r.killedBySignal, "\(r)")
        #expect(r.status == 143, "SIGTERM while waiting on a pipe: \(r)")
        #expect(endsWithOneMessage(r, "nnplay: terminated"), "\(r)")
    }

    /// SIGTERM during a long `train` read from a pipe that stays open.
    @Test(.timeLimit(.minutes(1)))
    func sigtermDuringTrainingFromAnOpenPipeExits143() throws {
        let p = try RunningNNPlay([], stdin: "stats\n\(endlessTraining)\nstats\n", keepStdinOpen: true)
        #expect(p.waitForOutput("epoch=0 "), "the piped stats never ran")
        Thread.sleep(forTimeInterval: 1)
        p.signal(SIGTERM)
        let r = p.finish(timeout: signalGrace)
        #expect(!r.timedOut, "\(r)")
        #expect(!r.killedBySignal, "\(r)")
        #expect(r.status == 143, "\(r)")
        #expect(endsWithOneMessage(r, "nnplay: terminated"), "\(r)")
        #expect(r.stdoutLines.filter { $0.hasPrefix("epoch=") }.count == 1, "the stats after the training ran: \(r)")
    }

    /// Ctrl-C (SIGINT) in a script that is not at a terminal: the training stops, keeps its weights and
    /// says so, the script ends there, `nnplay: interrupted`, status 130 (README: exit status).
    @Test(.timeLimit(.minutes(2)))
    func sigintDuringTrainingInAScriptStopsItWithStatus130() throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanUp() }
        try dir.write("long.nn", "stats\n\(endlessTraining)\nstats\nsave model after.json\n")
        let p = try RunningNNPlay(["long.nn"], in: dir.url)
        #expect(p.waitForOutput("epoch=0 "), "the stats line before the training never came")
        Thread.sleep(forTimeInterval: 1)
        p.signal(SIGINT)
        let r = p.finish(timeout: signalGrace)
        #expect(!r.timedOut, "nnplay did not stop within \(Int(signalGrace)) s of SIGINT: \(r)")
        #expect(!r.killedBySignal, "Ctrl-C killed nnplay instead of stopping the training: \(r)")
        #expect(r.status == 130, "\(r)")
        #expect(endsWithOneMessage(r, "nnplay: interrupted"), "\(r)")
        #expect(r.stdout.contains("interrupted after") && r.stdout.contains("the weights reached are kept"), "\(r)")
        #expect(r.stdoutLines.filter { $0.hasPrefix("epoch=") }.count == 1, "the stats after the training ran: \(r)")
        #expect(directoryListing(dir) == ["long.nn"], "files: \(directoryListing(dir))")
    }

    /// nnplay unblocks SIGINT at start, as a parent may have started it with SIGINT blocked (Signals.swift:
    /// "test harnesses do"); SIGTERM and SIGINT must both work then, or the signal is never seen.
    @Test(.timeLimit(.minutes(1)), arguments: [SIGTERM, SIGINT])
    func aSignalWorksEvenWhenTheParentStartedNNPlayWithItBlocked(number: Int32) throws {
        let p = try RunningNNPlay(["-c", "stats; \(endlessTraining)"], blocking: [SIGINT, SIGTERM])
        #expect(p.waitForOutput("epoch=0 "), "the stats line before the training never came")
        Thread.sleep(forTimeInterval: 1)
        let blocked = p.blocks(number)
        p.signal(number)
        let r = p.finish(timeout: signalGrace)
        let name = number == SIGTERM ? "SIGTERM" : "SIGINT"
        #expect(!r.timedOut, "\(name) had no effect within \(Int(signalGrace)) s (blocked in nnplay: \(blocked.map(String.init) ?? "?")): \(r)")
        #expect(!r.killedBySignal, "\(name): \(r)")
        #expect(r.status == (number == SIGTERM ? 143 : 130), "\(name): \(r)")
    }

    /// Ctrl-C while nnplay waits on a pipe that stays open (`slow-producer | nnplay`): the commands
    /// are a script, so it stops the way a script stops — status 130, not 0 (which would let
    /// `… | nnplay && next` go on as if every command had run).
    @Test(.timeLimit(.minutes(1)))
    func sigintWhileWaitingOnAnOpenPipeExits130() throws {
        let p = try RunningNNPlay([], stdin: "stats\n", keepStdinOpen: true)
        #expect(p.waitForOutput("epoch=0 "), "the piped stats never ran")
        Thread.sleep(forTimeInterval: 0.5)
        p.signal(SIGINT)
        let r = p.finish(timeout: signalGrace)
        #expect(!r.timedOut, "nnplay did not stop within \(Int(signalGrace)) s of SIGINT while reading a pipe: \(r)")
        #expect(!r.killedBySignal, "\(r)")
        #expect(r.status == 130, "Ctrl-C while waiting on a pipe: \(r)")
        #expect(endsWithOneMessage(r, "nnplay: interrupted"), "\(r)")
    }
}

// MARK: - Input limits and odd input

@Suite("Robustness: input")
struct RobustnessInputTests {
    static let twoMegabytes = String(repeating: "a", count: 2 << 20)

    /// The error names the 1 MB limit (however it is written) and does not echo the line.
    static func namesTheLimit(_ stderr: String) -> Bool {
        ["1024 kB", "1 MB", "1048576", "1 MiB", "1024 KiB"].contains { stderr.contains($0) }
    }

    @Test(.timeLimit(.minutes(1)), arguments: ["\n", ""])
    func aTwoMegabyteLineOnStandardInputIsOneErrorOnItsLine(ending: String) {
        let r = run([], stdin: Self.twoMegabytes + ending + (ending.isEmpty ? "" : "stats\n"), timeout: 60)
        #expect(!r.timedOut && !r.killedBySignal, "\(r.status) \(r.stderr.prefix(300))")
        #expect(r.status == 1, "status \(r.status), stderr \(r.stderr.prefix(300))")
        #expect(r.stderr.hasPrefix("<stdin>:1: error: "), "\(r.stderr.prefix(300))")
        #expect(r.stderrLines.count == 1, "\(r.stderr.prefix(300))")
        #expect(Self.namesTheLimit(r.stderr), "the error does not name the 1 MB limit: \(r.stderr.prefix(300))")
        #expect(r.stderr.utf8.count < 500, "the error echoes the long line (\(r.stderr.utf8.count) bytes)")
        #expect(!r.stdout.contains("epoch="), "the stats after the long line ran")
    }

    @Test(.timeLimit(.minutes(1)), arguments: [1, 3])
    func aTwoMegabyteLineInAScriptIsAnErrorNamingFileAndLine(lineNumber: Int) throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanUp() }
        let before = ["data xor n=100", "# a comment"].prefix(lineNumber - 1)
        let script = try dir.write("long.nn", (before + [Self.twoMegabytes, "stats"]).joined(separator: "\n") + "\n")
        let r = run([script], timeout: 60)
        #expect(!r.timedOut && !r.killedBySignal, "\(r.status) \(r.stderr.prefix(300))")
        #expect(r.status == 1, "status \(r.status), stderr \(r.stderr.prefix(300))")
        #expect(r.stderr.hasPrefix("\(script):\(lineNumber): error: "), "\(r.stderr.prefix(300))")
        #expect(r.stderrLines.count == 1, "\(r.stderr.prefix(300))")
        #expect(Self.namesTheLimit(r.stderr), "the error does not name the 1 MB limit: \(r.stderr.prefix(300))")
        #expect(r.stderr.utf8.count < 500 + script.utf8.count, "the error echoes the long line")
        #expect(!r.stdout.contains("epoch="), "the stats after the long line ran")
    }

    /// Binary scripts: random bytes with NULs and invalid UTF-8; a valid first line, then a NUL; a
    /// valid script with one invalid UTF-8 byte on line 3.
    static let binaryScripts: [(name: String, bytes: [UInt8])] = [
        ("random.bin", pseudoRandomBytes(count: 64 << 10, seed: 6) + [0, 0xFF, 0xC0, 0x0A]),
        ("nul.nn", Array("stats\n".utf8) + [0, 0x0A] + Array("stats\n".utf8)),
        ("latin1.nn", Array("stats\n# comment\n".utf8) + [0x64, 0x61, 0x74, 0x61, 0x20, 0xE9, 0x0A] + Array("stats\n".utf8)),
    ]

    /// No crash, status 1, exactly one line on stderr naming the file, no command after the fault ran.
    @Test(.timeLimit(.minutes(1)), arguments: 0..<3)
    func aBinaryScriptIsOneClearErrorAndNoCrash(index: Int) throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanUp() }
        let (name, bytes) = Self.binaryScripts[index]
        let path = dir.path(name)
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let r = run([path], timeout: 60)
        #expect(!r.timedOut && !r.killedBySignal, "\(name): \(r)")
        #expect(r.status == 1, "\(name): \(r)")
        #expect(r.stderrLines.count == 1, "\(name): \(r)")
        #expect(r.stderr.contains(path), "\(name): the error does not name the file: \(r)")
        #expect(r.stderr.utf8.count < 500 + path.utf8.count, "\(name): the error is long: \(r.stderr.prefix(600))")
        #expect(r.stdoutLines.filter { $0.hasPrefix("epoch=") }.count <= 1, "\(name): \(r)")
    }

    /// SPEC.md: a script's first error prints `FILE:LINE: error: …` — also when the fault is in its
    /// bytes (so that editors and tools that jump to FILE:LINE find it).
    @Test(.timeLimit(.minutes(1)), arguments: 0..<3)
    func aBinaryScriptsErrorHasTheFileLineForm(index: Int) throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanUp() }
        let (name, bytes) = Self.binaryScripts[index]
        let path = dir.path(name)
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let r = run([path], timeout: 60)
        #expect(r.status == 1, "\(name): \(r)")
        let located = r.stderr.hasPrefix(path + ":") && r.stderr.contains(": error: ")
            && Int(r.stderr.dropFirst(path.count + 1).prefix { $0 != ":" }) != nil
        #expect(located, "\(name): the error is not 'FILE:LINE: error: …': \(r.stderr)")
    }

    @Test(arguments: ["", "\n\n", "# only a comment\n   \n\t\n", "# no newline at the end", "\r\n# crlf\r\n\r\n"])
    func aScriptWithNoCommandsExitsZeroSilently(text: String) throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanUp() }
        let script = try dir.write("empty.nn", text)
        let r = run([script])
        #expect(r.status == 0, "\(text.debugDescription): \(r)")
        #expect(r.stdout.isEmpty && r.stderr.isEmpty, "\(text.debugDescription): \(r)")
    }

    @Test(arguments: ["", "   ", ";;", "# nothing"])
    func dashCWithNoCommandsExitsZeroSilently(text: String) {
        let r = run(["-c", text])
        #expect(r.status == 0, "\(text.debugDescription): \(r)")
        #expect(r.stdout.isEmpty && r.stderr.isEmpty, "\(text.debugDescription): \(r)")
    }

    /// Standard input that ends in the middle of a line: the last command still runs.
    @Test(arguments: [("data xor n=100; stats", "epoch=0 "), ("stats\ntrain 2", "epoch 2:"),
                      ("train 2\r\nstats", "epoch=2 "), ("stats\n\n# last line is a comment", "epoch=0 ")])
    func inputEndingWithoutANewlineRunsTheLastCommand(input: String, expected: String) {
        let r = run([], stdin: input)
        #expect(r.status == 0, "\(input.debugDescription): \(r)")
        #expect(r.stderr.isEmpty, "\(input.debugDescription): \(r)")
        #expect(r.stdoutLines.last?.hasPrefix(expected) == true, "\(input.debugDescription): \(r)")
    }

    /// A script file that ends without a newline, the same.
    @Test func aScriptEndingWithoutANewlineRunsItsLastCommand() throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanUp() }
        let script = try dir.write("last.nn", "train 2\nstats")
        let r = run([script])
        #expect(r.status == 0, "\(r)")
        #expect(r.stdoutLines.last?.hasPrefix("epoch=2 ") == true, "\(r)")
    }
}

// MARK: - Pictures without a colour terminal

@Suite("Robustness: pictures without a colour terminal")
struct RobustnessTerminalTests {
    /// Ways to say "no colour" with standard output a pipe: (label, variables to remove, to set).
    static let environments: [(label: String, unset: [String], set: [String: String])] = [
        ("TERM unset", ["TERM", "NO_COLOR", "COLORTERM"], [:]),
        ("TERM=dumb", ["NO_COLOR"], ["TERM": "dumb", "COLORTERM": "truecolor"]),
        ("TERM=xterm-256color NO_COLOR=1", [], ["TERM": "xterm-256color", "NO_COLOR": "1", "COLORTERM": "truecolor"]),
        ("TERM=xterm-256color, output a pipe", ["NO_COLOR"], ["TERM": "xterm-256color", "COLORTERM": "truecolor"]),
    ]

    static let pictures = ["plot", "plot net", "plot layer 1", "plot loss", "plot neuron 1.1", "plot space 1",
                           "train 5 live", "confusion", "help plot"]

    @Test(arguments: 0..<environments.count, pictures)
    func picturesToAPipeHaveNoEscapeCharacters(environment: Int, command: String) {
        let e = Self.environments[environment]
        let r = run(["-c", "data spiral n=200; train 3; \(command)"], unsetting: e.unset, env: e.set)
        #expect(!r.killedBySignal && !r.timedOut, "\(e.label), \(command): \(r)")
        #expect(r.status == 0, "\(e.label), \(command): \(r)")
        #expect(r.stderr.isEmpty, "\(e.label), \(command): \(r)")
        #expect(!r.stdout.contains("\u{1B}"), "\(e.label), \(command): escape characters in \(r.stdout.debugDescription)")
        #expect(r.stdoutLines.count > 2, "\(e.label), \(command): no picture: \(r)")
    }

    /// The errors of a failed command are plain too.
    @Test(arguments: 0..<environments.count)
    func errorsToAPipeHaveNoEscapeCharacters(environment: Int) {
        let e = Self.environments[environment]
        let r = run(["-c", "plot layer 9"], unsetting: e.unset, env: e.set)
        #expect(r.status == 1, "\(e.label): \(r)")
        #expect(r.stderr.hasPrefix("-c:1: error: ") && r.stderrLines.count == 1, "\(e.label): \(r)")
        #expect(!r.stderr.contains("\u{1B}"), "\(e.label): \(r)")
    }
}
