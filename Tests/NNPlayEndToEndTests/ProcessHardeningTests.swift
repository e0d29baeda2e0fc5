import Foundation
import Testing

/// Issue 10 ("Hardening, round 2") at the level of the process: signals, exit statuses, output that
/// cannot be written, `quit`, `-` and absurd window sizes.
@Suite("Hardening: the process", .serialized)
struct ProcessHardeningTests {
    @Test(.timeLimit(.minutes(2)))
    func sighupDuringSavesEndsCleanlyWithStatus129() throws {
        // issue 10, item 10: SIGHUP was unhandled (a `.nnplay-tmp-*` file could be left)
        let dir = try TemporaryDirectory()
        defer { dir.cleanUp() }
        try dir.write("saves.nn", String(repeating: "save model m.json; save data d.csv\n", count: 100_000))
        let p = try RunningNNPlay(["saves.nn"], in: dir.url)
        p.waitForOutput("saved the model", else: "the first save never came", thenWait: 0.3)
        let r = p.stop(by: SIGHUP)
        #expect(!r.killedBySignal && r.status == 129, "\(r.status) \(r.stderr)")
        #expect(r.stderr == "nnplay: terminated\n", "\(r.stderr)")
        #expect(dir.listing == ["d.csv", "m.json", "saves.nn"], "files: \(dir.listing)")
        // and during a long training from -c
        let q = try RunningNNPlay(["-c", "stats; \(endlessTraining); save model after.json"], in: dir.url)
        q.waitForOutput("epoch=0 ", else: "the stats before the training never came", thenWait: 1)
        let t = q.stop(by: SIGHUP)
        #expect(!t.killedBySignal && t.status == 129 && !t.stdout.contains("saved"), "\(t)")
    }

    @Test func aClosedOutputPipeEndsWith141AndTheRestIsNotRun() throws {
        // issue 10, item 16: a closed pipe exited 0, as if the script had run to its end
        let dir = try TemporaryDirectory()
        defer { dir.cleanUp() }
        let script = try dir.write("long.nn", String(repeating: "help\n", count: 300) + "save model after.json\n")
        let shell = run(["-c", "'\(nnplayBinary.path)' '\(script)' | head -c 10 > /dev/null; echo \"status ${PIPESTATUS[0]}\""],
                        in: dir.url, executable: URL(fileURLWithPath: "/bin/bash"))
        #expect(shell.stdout.contains("status 141"), "\(shell)")
        #expect(shell.stderr.isEmpty, "\(shell)")
        #expect(!FileManager.default.fileExists(atPath: dir.path("after.json")), "the rest of the script ran")
    }

    @Test func anOutputThatCannotBeWrittenIsAnErrorWithStatus1() {
        // issue 10, item 16: `nnplay -c stats > /dev/full` exited 0
        let shell = run(["-c", "'\(nnplayBinary.path)' -c stats > /dev/full; echo \"status $?\""],
                        executable: URL(fileURLWithPath: "/bin/bash"))
        #expect(shell.stdout == "status 1\n", "\(shell)")
        #expect(shell.stderr == "nnplay: cannot write to standard output: no space left on the device\n", "\(shell)")
    }

    @Test func quitEndsTheWholeRun() throws {
        // issue 10, item 15: `quit` ended only its own script
        let dir = try TemporaryDirectory()
        defer { dir.cleanUp() }
        try dir.write("a.nn", "stats\nquit\nsave model a.json\n")
        try dir.write("b.nn", "save model b.json\n")
        let scripts = run(["-q", "a.nn", "b.nn", "-c", "save model c.json"], in: dir.url)
        #expect(scripts.status == 0 && scripts.stdoutLines.count == 1, "\(scripts)")
        let commands = run(["-q", "-c", "exit", "-c", "save model m.json"], in: dir.url)
        #expect(commands.status == 0, "\(commands)")
        let piped = run(["-q", "a.nn"], stdin: "save model piped.json\n", in: dir.url)
        #expect(piped.status == 0, "\(piped)")
        #expect(dir.listing == ["a.nn", "b.nn"], "written after quit: \(dir.listing)")
    }

    @Test func aDashAmongTheScriptsIsStandardInput() throws {
        // issue 10: `nnplay -` read a file named "-"
        let dir = try TemporaryDirectory()
        defer { dir.cleanUp() }
        try dir.write("a.nn", "set lr 0.5\n")
        try dir.write("b.nn", "stats\n")
        let r = run(["a.nn", "-", "b.nn"], stdin: "set batch 7\nbogus\n", in: dir.url)
        #expect(r.status == 1 && r.stderr.hasPrefix("<stdin>:2: error: unknown command 'bogus'"), "\(r)")
        let ok = run(["-q", "a.nn", "-", "b.nn"], stdin: "train 2 steps\n", in: dir.url)
        #expect(ok.status == 0 && ok.stdout.contains("steps=2"), "\(ok)")
    }

    @Test func anAbsurdWindowSizeIsClampedNotAnOverflow() {
        // issue 10, item 4: COLUMNS=9223372036854775807 overflowed an Int (exit 132)
        for columns in ["9223372036854775807", "-5", "0", "abc", "100000"] {
            let r = run(["-q", "-c", "train 1; plot net; plot; plot layer 1; plot loss"], env: ["COLUMNS": columns, "LINES": columns])
            #expect(r.status == 0 && !r.killedBySignal, "COLUMNS=\(columns): \(r)")
            #expect(r.stdoutLines.allSatisfy { $0.count <= 1000 }, "COLUMNS=\(columns): a line wider than 1000 columns")
        }
    }

    @Test(.timeLimit(.minutes(1)))
    func sigtermWhileWaitingToOpenAFIFOEndsWith143() throws {
        // issue 10, item 17: "interrupted system call" and status 1
        let dir = try TemporaryDirectory()
        defer { dir.cleanUp() }
        #expect(mkfifo(dir.path("fifo"), 0o600) == 0)
        for command in ["data load fifo", "load model fifo", "source fifo", "save model fifo"] {
            let p = try RunningNNPlay(["-c", command], in: dir.url)
            Thread.sleep(forTimeInterval: 0.5)   // blocked in open(2), waiting for the other end
            let r = p.stop(by: SIGTERM)
            expectEnded(r, by: SIGTERM, " in \(command)")
            #expect(!r.stderr.contains("interrupted system call"), "\(command): \(r)")
        }
        // and Ctrl-C: status 130, the load not applied
        let p = try RunningNNPlay(["-c", "data load fifo; stats"], in: dir.url)
        Thread.sleep(forTimeInterval: 0.5)
        let r = p.stop(by: SIGINT)
        #expect(r.status == 130 && !r.stdout.contains("epoch="), "\(r)")
    }
}
