import Foundation
import Testing

/// Issue 10 ("Hardening, round 2") with the built binary: what once crashed it, blew its memory, or
/// wrote over a device.
@Suite("Hardening: resources and files")
struct ResourceHardeningTests {
    /// A model whose first layer is linear with weights ±1e308 (its sums overflow on the data).
    static let enormousModel: String = {
        let row = "[1e308, -1e308]"
        return """
            { "format": "nnplay-model", "version": 1, "features": ["x", "y"], "classes": 2,
              "layers": [
                { "size": 4, "activation": "linear", "weights": [\(row), \(row), \(row), \(row)], "biases": [0, 0, 0, 0] },
                { "size": 2, "activation": "tanh", "weights": [[1, 1, 1, 1], [1, -1, 1, -1]], "biases": [0, 0] },
                { "size": 1, "activation": "sigmoid", "weights": [[1, 1]], "biases": [0] } ] }
            """
    }()

    @Test func theSpaceOfALayerOfEnormousValuesIsDrawnNotACrash() throws {
        // issue 10, item 1: `plot space 1` trapped in a Double → Int conversion (exit 132)
        let dir = try TemporaryDirectory()
        defer { dir.cleanUp() }
        let model = try dir.write("huge.json", Self.enormousModel)
        for variant in ["plot space 1 ascii", "plot space 1", "export space 1 \(dir.path("space.ppm"))", "plot ascii", "plot net ascii"] {
            let r = run(["-q", "-c", "load model \(model); \(variant)"], env: ["TERM": "xterm-256color", "COLUMNS": "80"])
            #expect(r.status == 0 && !r.killedBySignal, "\(variant): \(r)")
            #expect(!r.stdout.lowercased().contains("nan") && !r.stderr.lowercased().contains("nan"), "\(variant): \(r)")
        }
    }

    @Test func aPictureThatWouldNeedGigabytesIsRefusedAtOnce() {
        // issue 10, item 2: `add 1024; plot layer 3 size=1000` grew to 24 GB and was killed
        let started = Date()
        let r = run(["-c", "add 1024; plot layer 3 size=1000"], timeout: 60)
        #expect(r.status == 1 && !r.killedBySignal, "\(r)")
        #expect(r.stderr.contains("-c:1: error: plot layer 3 size=1000 would need") && r.stderr.contains("` fits"), "\(r)")
        #expect(Date().timeIntervalSince(started) < 20)
    }

    @Test func trainingThatWouldNeedGigabytesIsRefusedAtOnce() {
        // issue 10, item 3: batch 100 000 through three layers of 1024 reached 10 GB ("failed to allocate", exit 134)
        let r = run(["-c", "data circle n=200000 test=0.2; add 1024; add 1024; add 1024; set batch 100000; train 1 steps"], timeout: 60)
        #expect(r.status == 1 && !r.killedBySignal, "\(r)")
        #expect(r.stderr.contains("training with batches of 100000 points") && r.stderr.contains("`set batch "), "\(r)")
    }

    @Test func savingToADeviceWritesIntoItAndAFullDeviceFails() throws {
        // issue 10, item 6: the temporary-file-and-rename replaced devices (as root, /dev/null) and
        // reported success on a full device
        let toStdout = run(["-q", "-c", "save model /dev/stdout"])
        #expect(toStdout.status == 0 && toStdout.stdout.contains("\"format\": \"nnplay-model\""), "\(toStdout)")
        let full = run(["-q", "-c", "save model /dev/full"])
        #expect(full.status == 1 && full.stderr.contains("cannot write /dev/full: no space left on the device"), "\(full)")
        var info = stat()
        #expect(stat("/dev/full", &info) == 0 && (info.st_mode & S_IFMT) == S_IFCHR)
        #expect(stat("/dev/null", &info) == 0 && (info.st_mode & S_IFMT) == S_IFCHR)
    }

    @Test func ctrlCDuringALongDataLoadStopsItAndLoadsNothing() throws {
        // issue 10, item 19: Ctrl-C was ignored for the 27 s of a 240 MB load, which then applied
        let dir = try TemporaryDirectory()
        defer { dir.cleanUp() }
        var text = "x,y,label\n"
        text.reserveCapacity(40_000_000)
        for i in 0..<900_000 { text += "\(Double(i % 1000) / 100 - 5),\(Double(i / 1000) / 100 - 4.5),\(i % 2)\n" }
        let path = try dir.write("big.csv", text)
        let nnplay = try RunningNNPlay(["-c", "data load \(path); stats"])
        Thread.sleep(forTimeInterval: 0.4)
        nnplay.signal(SIGINT)
        let r = nnplay.finish(timeout: 30)
        #expect(r.status == 130, "\(r)")
        #expect(r.stderr.contains("interrupted; nothing was loaded") || r.stderr.contains("nnplay: interrupted"), "\(r)")
        #expect(!r.stdout.contains("epoch="), "the script went on after Ctrl-C: \(r)")
    }
}
