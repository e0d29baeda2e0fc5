import Foundation
import Testing

// Robustness of the built `nnplay` binary as a process (issue 6): SIGTERM and SIGINT while it works or
// waits, lines over the 1 MB limit, binary and empty scripts, input that ends without a newline, and
// pictures without a usable terminal (TERM unset, TERM=dumb, NO_COLOR). The helpers `run`, `RunningNNPlay`,
// `RunResult` and `TemporaryDirectory` are in Support.swift; the pseudo-terminal side of these checks
// (TERM=dumb, tiny and huge windows at a real terminal) is in Tests/pty/repl_test.py.

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

/// A training long enough never to end during a test (25 million steps on the default playground).
let endlessTraining = "train 1000000"
/// How long a signalled nnplay may take to stop before the test calls it a hang.
let signalGrace: TimeInterval = 10

extension RunningNNPlay {
    /// Waits until standard output contains `text`, then `settle` s more (so that nnplay is well into
    /// what comes next); an issue says `missing` when the text never came (within 60 s, or before the end).
    func waitForOutput(_ text: String, else missing: Comment, thenWait settle: TimeInterval,
                       sourceLocation: SourceLocation = #_sourceLocation) {
        let deadline = Date().addingTimeInterval(60)
        var came = false
        while Date() < deadline {
            if out.contains(text) { came = true; break }
            if !process.isRunning { came = out.contains(text); break }
            Thread.sleep(forTimeInterval: 0.02)
        }
        #expect(came, missing, sourceLocation: sourceLocation)
        Thread.sleep(forTimeInterval: settle)
    }

    /// Whether the process blocks signal `number` (Linux: the SigBlk line of /proc/PID/status).
    func blocks(_ number: Int32) -> Bool? {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("SigBlk:") }),
              let bits = UInt64(line.dropFirst("SigBlk:".count).trimmingCharacters(in: .whitespaces), radix: 16)
        else { return nil }
        return bits & (1 << UInt64(number - 1)) != 0
    }

    /// Sends signal `number` and waits for the end (at most `signalGrace` s).
    func stop(by number: Int32) -> RunResult {
        signal(number)
        return finish(timeout: signalGrace)
    }
}

/// Expects `r` to be nnplay ended by signal `number` (SIGTERM or SIGINT) as the README says: within
/// `signalGrace` s, by exiting (not killed by the signal) with status 143 or 130, and (when `saysSo`)
/// with `nnplay: terminated` or `nnplay: interrupted` as the one line on standard error, apart from
/// `note: …` lines (such as the time a long training will take). Failure messages name `context`
/// (where nnplay was) and show `shown` (default: the whole run).
func expectEnded(_ r: RunResult, by number: Int32, _ context: String = "", saysSo: Bool = true, showing shown: String? = nil,
                 sourceLocation: SourceLocation = #_sourceLocation) {
    let (name, status, message) = number == SIGTERM ? ("SIGTERM", Int32(143), "nnplay: terminated")
                                                    : ("SIGINT", Int32(130), "nnplay: interrupted")
    let shown = shown ?? "\(r)"
    #expect(!r.timedOut, "nnplay did not stop within \(Int(signalGrace)) s of \(name)\(context): \(shown)",
            sourceLocation: sourceLocation)
    #expect(!r.killedBySignal, "nnplay died of \(name)\(context) instead of exiting: \(shown)", sourceLocation: sourceLocation)
    #expect(r.status == status, "status \(r.status) after \(name)\(context): \(shown)", sourceLocation: sourceLocation)
    if saysSo {
        let endsWithTheMessage = r.stderr.hasSuffix(message + "\n") && r.stderrLines.filter { !$0.hasPrefix("note: ") } == [message]
        #expect(endsWithTheMessage, "\(name)\(context): not the one line \(message.debugDescription): \(shown)",
                sourceLocation: sourceLocation)
    }
}

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
        p.waitForOutput("epoch=0 ", else: "the stats line before the training never came", thenWait: 1)   // well into the training
        #expect(p.blocks(SIGTERM) != true, "the test started nnplay with SIGTERM blocked")
        let stillRunning = p.process.isRunning
        let r = p.stop(by: SIGTERM)
        #expect(stillRunning, "train 1000000 had ended before SIGTERM: \(r)")
        expectEnded(r, by: SIGTERM)
        #expect(r.stdout.contains("interrupted after"), "the training did not report where it stopped: \(r)")
        #expect(!r.stdout.contains("saved"), "a command after the training ran: \(r)")
        #expect(dir.listing == ["long.nn", "second.nn"], "files left behind: \(dir.listing)")
    }

    /// SIGTERM during `-c` text: the same, and the rest of the line is not run.
    @Test(.timeLimit(.minutes(2)))
    func sigtermDuringTrainingInDashCExits143() throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanUp() }
        let p = try RunningNNPlay(["-c", "stats; \(endlessTraining); save model m.json; stats"], in: dir.url)
        p.waitForOutput("epoch=0 ", else: "the stats line before the training never came", thenWait: 1)
        let r = p.stop(by: SIGTERM)
        expectEnded(r, by: SIGTERM)
        #expect(r.stdoutLines.filter { $0.hasPrefix("epoch=") }.count == 1, "the stats after the training ran: \(r)")
        #expect(dir.listing.isEmpty, "files left behind: \(dir.listing)")
    }

    /// SIGTERM while a script saves a model over and over: every save is whole (the file is the
    /// documented JSON) and no temporary file is left, whichever moment the signal hits.
    @Test(.timeLimit(.minutes(2)))
    func sigtermDuringRepeatedSavesLeavesOneWholeFileAndNoTemporaryFile() throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanUp() }
        try dir.write("saves.nn", String(repeating: "save model m.json; save data d.csv\n", count: 100_000))
        let p = try RunningNNPlay(["saves.nn"], in: dir.url)
        p.waitForOutput("saved the model", else: "the first save never came", thenWait: 0.3)
        let r = p.stop(by: SIGTERM)
        expectEnded(r, by: SIGTERM, showing: "stderr: \(r.stderr)")   // standard output is thousands of saves
        #expect(dir.listing == ["d.csv", "m.json", "saves.nn"], "files: \(dir.listing)")
        let model = try JSONSerialization.jsonObject(with: try dir.read("m.json")) as? [String: Any]
        #expect(model?["format"] as? String == "nnplay-model", "m.json is not a whole model")
        let csv = String(decoding: try dir.read("d.csv"), as: UTF8.self)
        #expect(csv.hasSuffix("\n") && csv.split(separator: "\n").count >= 500, "d.csv is cut short")
    }

    /// A signal while nnplay waits for the next command on a pipe that stays open (no EOF). For Ctrl-C
    /// (SIGINT: `slow-producer | nnplay`), the commands are a script, so it stops the way a script
    /// stops — status 130, not 0 (which would let `… | nnplay && next` go on as if every command had run).
    @Test(.timeLimit(.minutes(1)), arguments: [SIGTERM, SIGINT])
    func aSignalWhileWaitingOnAnOpenPipeEndsNNPlay(number: Int32) throws {
        let p = try RunningNNPlay([], stdin: "stats\n", keepStdinOpen: true)
        p.waitForOutput("epoch=0 ", else: "the piped stats never ran", thenWait: 0.5)   // blocked reading the pipe by now
        expectEnded(p.stop(by: number), by: number, " while waiting on a pipe")
    }

    /// SIGTERM during a long `train` read from a pipe that stays open.
    @Test(.timeLimit(.minutes(1)))
    func sigtermDuringTrainingFromAnOpenPipeExits143() throws {
        let p = try RunningNNPlay([], stdin: "stats\n\(endlessTraining)\nstats\n", keepStdinOpen: true)
        p.waitForOutput("epoch=0 ", else: "the piped stats never ran", thenWait: 1)
        let r = p.stop(by: SIGTERM)
        expectEnded(r, by: SIGTERM)
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
        p.waitForOutput("epoch=0 ", else: "the stats line before the training never came", thenWait: 1)
        let r = p.stop(by: SIGINT)
        expectEnded(r, by: SIGINT, " (Ctrl-C must stop the training, not nnplay)")
        #expect(r.stdout.contains("interrupted after") && r.stdout.contains("the weights reached are kept"), "\(r)")
        #expect(r.stdoutLines.filter { $0.hasPrefix("epoch=") }.count == 1, "the stats after the training ran: \(r)")
        #expect(dir.listing == ["long.nn"], "files: \(dir.listing)")
    }

    /// nnplay unblocks SIGINT at start, as a parent may have started it with SIGINT blocked (Signals.swift:
    /// "test harnesses do"); SIGTERM and SIGINT must both work then, or the signal is never seen.
    @Test(.timeLimit(.minutes(1)), arguments: [SIGTERM, SIGINT])
    func aSignalWorksEvenWhenTheParentStartedNNPlayWithItBlocked(number: Int32) throws {
        let p = try RunningNNPlay(["-c", "stats; \(endlessTraining)"], blocking: [SIGINT, SIGTERM])
        p.waitForOutput("epoch=0 ", else: "the stats line before the training never came", thenWait: 1)
        let blocked = p.blocks(number)
        let r = p.stop(by: number)
        expectEnded(r, by: number, " (blocked in nnplay: \(blocked.map(String.init) ?? "?"))", saysSo: false)
    }
}

// MARK: - Input limits and odd input

@Suite("Robustness: input")
struct RobustnessInputTests {
    static let twoMegabytes = String(repeating: "a", count: 2 << 20)

    /// Expects the error of a 2 MB line on line `line` of `file` (nil: standard input): no crash or
    /// hang, status 1, one line `FILE:LINE: error: …` that names the 1 MB limit (however it is written)
    /// and does not echo the line, and the stats after it not run.
    static func expectOneErrorForTheLongLine(_ r: RunResult, file: String?, line: Int,
                                             sourceLocation: SourceLocation = #_sourceLocation) {
        let stderr = r.stderr.prefix(300)
        let namesTheLimit = ["1024 kB", "1 MB", "1048576", "1 MiB", "1024 KiB"].contains { r.stderr.contains($0) }
        #expect(!r.timedOut && !r.killedBySignal, "\(r.status) \(stderr)", sourceLocation: sourceLocation)
        #expect(r.status == 1, "status \(r.status), stderr \(stderr)", sourceLocation: sourceLocation)
        #expect(r.stderr.hasPrefix("\(file ?? "<stdin>"):\(line): error: "), "\(stderr)", sourceLocation: sourceLocation)
        #expect(r.stderrLines.count == 1, "\(stderr)", sourceLocation: sourceLocation)
        #expect(namesTheLimit, "the error does not name the 1 MB limit: \(stderr)", sourceLocation: sourceLocation)
        #expect(r.stderr.utf8.count < 500 + (file?.utf8.count ?? 0),
                "the error echoes the long line (\(r.stderr.utf8.count) bytes)", sourceLocation: sourceLocation)
        #expect(!r.stdout.contains("epoch="), "the stats after the long line ran", sourceLocation: sourceLocation)
    }

    @Test(.timeLimit(.minutes(1)), arguments: ["\n", ""])
    func aTwoMegabyteLineOnStandardInputIsOneErrorOnItsLine(ending: String) {
        let r = run([], stdin: Self.twoMegabytes + ending + (ending.isEmpty ? "" : "stats\n"))
        Self.expectOneErrorForTheLongLine(r, file: nil, line: 1)
    }

    @Test(.timeLimit(.minutes(1)), arguments: [1, 3])
    func aTwoMegabyteLineInAScriptIsAnErrorNamingFileAndLine(lineNumber: Int) throws {
        let before = ["data xor n=100", "# a comment"].prefix(lineNumber - 1)
        let (script, r) = try runScript((before + [Self.twoMegabytes, "stats"]).joined(separator: "\n") + "\n", named: "long.nn")
        Self.expectOneErrorForTheLongLine(r, file: script, line: lineNumber)
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
        let (name, bytes) = Self.binaryScripts[index]
        let (path, r) = try runScript(bytes, named: name)
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
        let (name, bytes) = Self.binaryScripts[index]
        let (path, r) = try runScript(bytes, named: name)
        #expect(r.status == 1, "\(name): \(r)")
        let located = r.stderr.hasPrefix(path + ":") && r.stderr.contains(": error: ")
            && Int(r.stderr.dropFirst(path.count + 1).prefix { $0 != ":" }) != nil
        #expect(located, "\(name): the error is not 'FILE:LINE: error: …': \(r.stderr)")
    }

    @Test(arguments: ["", "\n\n", "# only a comment\n   \n\t\n", "# no newline at the end", "\r\n# crlf\r\n\r\n"])
    func aScriptWithNoCommandsExitsZeroSilently(text: String) throws {
        let (_, r) = try runScript(text, named: "empty.nn")
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
        let (_, r) = try runScript("train 2\nstats", named: "last.nn")
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
        let r = run(["-c", "data spiral n=200; train 3; \(command)"], env: e.set, unsetting: e.unset)
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
        let r = run(["-c", "plot layer 9"], env: e.set, unsetting: e.unset)
        #expect(r.status == 1, "\(e.label): \(r)")
        #expect(r.stderr.hasPrefix("-c:1: error: ") && r.stderrLines.count == 1, "\(e.label): \(r)")
        #expect(!r.stderr.contains("\u{1B}"), "\(e.label): \(r)")
    }
}
