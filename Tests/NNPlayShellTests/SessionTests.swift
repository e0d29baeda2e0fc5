import Foundation
import NNPlayEngine
import Testing
@testable import NNPlayShell

/// Scripts, `source`, saved sessions and Ctrl-C, through `Session`.
@Suite struct SessionTests {
    @Test func aScriptErrorNamesTheScriptAndLineAndStopsThere() throws {
        let (s, _) = makeSession()
        let script = "data xor n=100\n# comment\n\ntrain 2; stats\nset lr -1\ntrain 5\n"
        do {
            try s.runScript(script, name: "lesson.nn")
            Issue.record("the script ran through")
        } catch let e as LocatedError {
            #expect(e.description == "lesson.nn:5: error: lr=-1 is out of range: lr is a number > 0 (at most 1e6)")
        }
        #expect(s.playground.progress.epoch == 2)
    }

    @Test func sourceRunsAScriptAndErrorsKeepTheInnerLocation() throws {
        let dir = try makeTemporaryDirectory()
        try writeFiles(["good.nn": "data gauss n=80\ntrain 2\n", "bad.nn": "train 1\nadd 0\n", "outer.nn": "source \(dir)/bad.nn\n"],
                       in: dir)
        let (s, _) = makeSession()
        try s.run("source \(dir)/good.nn")
        #expect(s.playground.dataset.count == 80 && s.playground.progress.epoch == 2)
        #expect(s.error("source \(dir)/outer.nn") == "\(dir)/bad.nn:2: error: N=0 is out of range: N is 1…1024")
        // as when the script runs by itself: its lines before the failing one ran and are kept
        #expect(s.playground.progress.epoch == 3 && s.playground.network.hiddenCount == 2)
    }

    @Test func aScriptThatSourcesItselfIsRefused() throws {
        let dir = try makeTemporaryDirectory()
        try writeFiles(["loop.nn": "stats\nsource \(dir)/loop.nn\n", "a.nn": "source \(dir)/b.nn\n", "b.nn": "source \(dir)/a.nn\n"],
                       in: dir)
        let (s, _) = makeSession()
        #expect(s.error("source \(dir)/loop.nn")?.contains("loop.nn:2: error: \(dir)/loop.nn sources itself") == true)
        #expect(s.error("source \(dir)/a.nn")?.contains("sources itself") == true)
    }

    @Test func aSavedSessionReplaysToTheSameWeightsBitForBit() throws {
        let dir = try makeTemporaryDirectory()
        let (s, _) = makeSession(seed: 7)
        try FileAccess.writeAtomically("set batch 16; train 3 steps\n", to: "\(dir)/part.nn")
        try s.run("data spiral n=200 noise=0.1 classes=3; add 6 relu at=1; act 2 elu; features x y sinx")
        try s.run("set optimizer momentum; set lr 0.05; reg l2 0.001; train 7; step; source \(dir)/part.nn")
        try s.run("stats; net; eval 1 1; gradcheck; data; weights")   // read-only commands are not recorded
        try s.run("init he; train 2 steps; data split test=0.3 seed=3; train 4")
        try s.run("save session \(dir)/s.nn")
        let script = try #require(String(validating: try FileAccess.read("\(dir)/s.nn", limit: 1 << 20), as: UTF8.self))
        #expect(script.hasPrefix("# nnplay session"))
        let lines = script.split(separator: "\n")
        #expect(lines.contains("new seed=7") && lines.contains("set batch 16") && lines.contains("train 3 steps"))
        #expect(!lines.contains { $0.hasPrefix("stats") || $0.hasPrefix("source") || $0.hasPrefix("net") || $0.hasPrefix("eval") })
        let (replay, _) = makeSession(seed: 1)
        try replay.runScript(script, name: "s.nn")
        let same = replay.playground == s.playground
        #expect(same)
        #expect(replay.playground.network.parameters.map(\.bitPattern) == s.playground.network.parameters.map(\.bitPattern))
        #expect(try replay.run("stats") == s.run("stats"))
    }

    @Test func anInterruptedTrainingKeepsItsWeightsAndIsSavedAsTheStepsItTook() throws {
        let (s, _) = makeSession()
        let dir = try makeTemporaryDirectory()
        try s.run("train 2 steps")
        // Ctrl-C from another thread while a long training runs (the loop polls the flag after each step)
        let interrupt = s.interrupt
        Thread.detachNewThread {
            Thread.sleep(forTimeInterval: 0.2)
            interrupt.raise()
        }
        let out = try s.run("train 1000000")
        let done = s.playground.progress.steps - 2
        #expect(done > 0 && s.playground.progress.epoch < 1_000_000)
        #expect(out.contains("interrupted after \(done) steps"))
        #expect(s.wasInterrupted)
        #expect(s.replayLog.last == "train \(done) steps")
        #expect(s.playground.network.isFinite)
        try s.run("save session \(dir)/i.nn")
        s.acknowledgeInterrupt()
        try s.run("train 1")   // the session goes on
        let (replay, _) = makeSession()
        try replay.run("source \(dir)/i.nn")
        #expect(replay.playground.progress.steps == done + 2)
        try replay.run("train 1")
        let same = replay.playground == s.playground
        #expect(same)
    }
}
