import Foundation
import Testing
@testable import NNPlayEngine

/// Issue 10 ("Hardening, round 2") at the engine's level: pictures of enormous values, one memory
/// budget, bounded history, file writes that respect what the path is, classes matched by name.
@Suite struct EngineHardeningTests {
    /// A 2-4-2-1 network whose first layer is linear with weights ±1e308: its sums reach ±inf and
    /// ∞ − ∞, as the hostile model of issue 10 did.
    static func enormousNetwork() throws -> Network {
        var net = try Network(features: [.x, .y], hidden: [(4, .linear), (2, .tanh)], classes: 2)
        net.initialize(.xavier, seed: 1)
        let first = net.layers[0]
        for i in first.weightOffset..<first.biasOffset { net.parameters[i] = i % 2 == 0 ? 1e308 : -1e308 }
        return net
    }

    @Test func theHiddenSpaceOfEnormousValuesDrawsWithoutTrapping() throws {
        // issue 10, item 1: a Double → Int conversion of 1e308 trapped (exit 132)
        let data = try Dataset.generate(.circle, count: 60, seed: 2)
        let space = HiddenSpace(network: try Self.enormousNetwork(), layer: 1, neurons: (0, 1), frame: .standard, data: data)
        let canvas = space.characters(width: 40, height: 20)
        #expect(canvas.cells.contains { $0.char != " " }, "nothing was drawn")
        let image = space.image(width: 64, height: 64, pointRadius: 2)
        #expect(image.width == 64)
        #expect(space.bounds.xMin.isFinite && space.bounds.xMax.isFinite)
    }

    @Test func segmentsAreClippedToTheRectangleWhateverTheirEnds() throws {
        let whole = try #require(clipSegment(1, 1, 5, 5, xMin: 0, xMax: 10, yMin: 0, yMax: 10))
        #expect(whole == (1, 1, 5, 5))
        let cut = try #require(clipSegment(-5, 5, 15, 5, xMin: 0, xMax: 10, yMin: 0, yMax: 10))
        #expect(abs(cut.x0) < 1e-12 && abs(cut.x1 - 10) < 1e-12 && cut.y0 == 5 && cut.y1 == 5)
        let far = try #require(clipSegment(-1.7e308, 5, 1.7e308, 5, xMin: 0, xMax: 10, yMin: 0, yMax: 10))
        #expect(far.x0 >= -1e-6 && far.x1 <= 10 + 1e-6 && far.x0.isFinite)
        #expect(clipSegment(20, 20, 30, 30, xMin: 0, xMax: 10, yMin: 0, yMax: 10) == nil)
        #expect(clipSegment(.nan, 0, 1, 1, xMin: 0, xMax: 10, yMin: 0, yMax: 10) == nil)
        #expect(clipSegment(.infinity, 0, 1, 1, xMin: 0, xMax: 10, yMin: 0, yMax: 10) == nil)
    }

    @Test func aTrainingWorkspaceBeyondTheMemoryBudgetIsRefusedNamingTheBatchThatFits() throws {
        // issue 10, item 3: batch 100 000 through layers of 1024 reached 10 GB and aborted
        let data = try Dataset.generate(.circle, count: 4000, testFraction: 0, seed: 1)
        let net = try Network(features: [.x, .y], hidden: [(256, .tanh), (256, .tanh)], classes: 2)
        var s = TrainingSettings()
        s.batchSize = 4000
        var p = try Playground(dataset: data, network: net, settings: s)
        let need = Workspace.bytesNeeded(network: p.network, capacity: 4000)
        #expect(need > 16 << 20 && need < 128 << 20)
        try MemoryBudget.$scopedLimit.withValue(16 << 20) {
            let before = p
            do {
                try p.train(.steps(1))
                Issue.record("a workspace of \(need) bytes was allowed in a budget of 16 MB")
            } catch let e as NNPlayError {
                #expect(e.message.contains("training with batches of 4000 points") && e.message.contains("fits"), "\(e.message)")
                let fits = try #require(e.message.firstMatch(of: /`set batch (\d+)` fits/).flatMap { Int($0.1) })
                #expect(Workspace.bytesNeeded(network: p.network, capacity: fits) <= 16 << 20)
                #expect(Workspace.bytesNeeded(network: p.network, capacity: fits + 8) > 16 << 20)
            }
            #expect(p == before)
        }
        // the machine's budget: a quarter of its memory, 256 MB…8 GB
        #expect(MemoryBudget.machineBytes >= 256 << 20 && MemoryBudget.machineBytes <= 8 << 30)
        #expect(MemoryBudget.product(1 << 40, 1 << 40) == .max && MemoryBudget.sum(.max, 1) == .max)
    }

    @Test func theHistoryStaysBoundedAndEvenlySpacedWithTheRecentEpochsExact() throws {
        // issue 10, item 5: a record per epoch, ~130 MB per million epochs
        let data = try Dataset.generate(.xor, count: 8, seed: 1)
        var s = TrainingSettings()
        s.batchSize = 8
        var p = try Playground(dataset: data, network: try Network(features: [.x, .y], hidden: [(2, .tanh)], classes: 2), settings: s)
        try p.train(.epochs(40_000))
        let h = p.progress.history
        #expect(h.count <= TrainingProgress.historyLimit, "\(h.count) records")
        #expect(h.first?.epoch == 1 && h.last?.epoch == 40_000)
        let recent = h.suffix(TrainingProgress.exactRecent).map(\.epoch)
        #expect(recent == Array((40_000 - TrainingProgress.exactRecent + 1)...40_000))
        // before them, every multiple of the spacing is there: no gap wider than it, in order
        let epochs = h.map(\.epoch)
        let stride = p.progress.historyStride
        let gaps = zip(epochs, epochs.dropFirst()).map { $1 - $0 }
        #expect(stride > 1 && gaps.allSatisfy { $0 >= 1 && $0 <= stride }, "stride \(stride), widest gap \(gaps.max() ?? 0)")
        #expect(h.count > 2000, "the curve keeps too few points: \(h.count)")
        // it is the same history whether trained at once or in pieces
        var q = try Playground(dataset: data, network: try Network(features: [.x, .y], hidden: [(2, .tanh)], classes: 2), settings: s)
        for _ in 0..<4 { try q.train(.epochs(10_000)) }
        #expect(q.progress.history == h)
    }

    @Test func namedClassesAreMatchedByNameBetweenDataAndWithAModel() throws {
        // issue 10, item 11: classes numbered by first appearance in each file
        let species = ["setosa", "versicolor", "virginica"]
        var rows: [(Double, Double, String)] = []
        for i in 0..<60 {
            let c = i % 3
            rows.append((Double(c) * 3 - 3 + Double(i) * 0.01, Double(c), species[c]))
        }
        func csv(_ r: [(Double, Double, String)]) -> [UInt8] {
            Array(("x,y,label\n" + r.map { "\($0.0),\($0.1),\($0.2)" }.joined(separator: "\n")).utf8)
        }
        let a = try Dataset.fromCSV(csv(rows), testFraction: 0, origin: "a")
        let b = try Dataset.fromCSV(csv(rows.reversed()), testFraction: 1, origin: "b")
        #expect(a.classNames == ["setosa", "versicolor", "virginica"] && b.classNames == ["virginica", "versicolor", "setosa"])
        var s = TrainingSettings()
        s.loss = .ce
        s.optimizer = .adam
        s.learningRate = 0.05
        var p = try Playground(dataset: a, network: try Network(features: [.x, .y], hidden: [(6, .tanh)], classes: 3), settings: s)
        try p.train(.epochs(150))
        let trained = try #require(p.trainMetrics)
        #expect(trained.accuracyValue > 0.95)
        // the same points in another order measure the same
        try p.replaceDataset(b)
        #expect(p.dataset.classNames == a.classNames)
        #expect(abs((p.testMetrics?.accuracyValue ?? 0) - trained.accuracyValue) < 1e-12)
        // a model matches data by its class names, the data taking the model's numbering
        var q = try Playground(dataset: b, network: try Network(features: [.x, .y], hidden: [(6, .tanh)], classes: 3), settings: s)
        try q.install(model: p.network, settings: Optional<TrainingSettings>.none, classNames: a.classNames)
        #expect(abs((q.testMetrics?.accuracyValue ?? 0) - trained.accuracyValue) < 1e-12)
        // a class the model does not know is a clear error
        let c = try Dataset.fromCSV(csv(rows.map { ($0.0, $0.1, $0.2 == "setosa" ? "rosa" : $0.2) }), origin: "c")
        #expect(throws: NNPlayError.self) { try p.replaceDataset(c) }
        #expect(throws: NNPlayError.self) { try q.install(model: p.network, settings: Optional<TrainingSettings>.none, classNames: ["rosa", "x", "y"]) }
        // data of a subset of the classes keeps the full numbering
        let two = try Dataset.fromCSV(csv(rows.filter { $0.2 != "setosa" }), testFraction: 1, origin: "two")
        try p.replaceDataset(two)
        #expect(p.dataset.classCount == 3 && p.network.classCount == 3)
    }
}

/// Writers respect what a path is (issue 10, items 6 and 7).
@Suite(.serialized) struct FileWriteTests {
    static func mode(_ path: String) -> mode_t {
        var info = stat()
        return stat(path, &info) == 0 ? info.st_mode : 0
    }

    @Test func aSymbolicLinkStaysALinkAndItsTargetIsReplaced() throws {
        let dir = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try FileAccess.writeAtomically("old", to: dir + "/target")
        #expect(symlink("target", dir + "/link") == 0)
        try FileAccess.writeAtomically("new", to: dir + "/link")
        var info = stat()
        #expect(lstat(dir + "/link", &info) == 0 && (info.st_mode & S_IFMT) == S_IFLNK)
        #expect(try String(contentsOfFile: dir + "/target", encoding: .utf8) == "new")
        // a dangling link names the file to create
        #expect(symlink("sub/made", dir + "/dangling") == 0)
        try FileAccess.makeDirectory(dir + "/sub")
        try FileAccess.writeAtomically("made", to: dir + "/dangling")
        #expect(try String(contentsOfFile: dir + "/sub/made", encoding: .utf8) == "made")
        #expect(lstat(dir + "/dangling", &info) == 0 && (info.st_mode & S_IFMT) == S_IFLNK)
    }

    /// A directory is made inside one that exists, never as a tree of missing ones (a mistyped
    /// `--pictures /nonexistent/x` made /nonexistent).
    @Test func aDirectoryIsMadeOnlyInsideOneThatExists() throws {
        let dir = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        #expect(throws: NNPlayError("cannot make the directory \(dir)/missing/x: the directory \(dir)/missing does not exist")) {
            try FileAccess.makeDirectory(dir + "/missing/x")
        }
        #expect(!FileManager.default.fileExists(atPath: dir + "/missing"))
        try FileAccess.writeAtomically("a file", to: dir + "/file")
        #expect(throws: NNPlayError("cannot make the directory \(dir)/file/x: \(dir)/file is not a directory")) {
            try FileAccess.makeDirectory(dir + "/file/x")
        }
        try FileAccess.makeDirectory(dir + "/made")
        try FileAccess.makeDirectory(dir + "/made")   // there already: nothing to do
        var isDirectory: ObjCBool = false
        #expect(FileManager.default.fileExists(atPath: dir + "/made", isDirectory: &isDirectory) && isDirectory.boolValue)
    }

    @Test func aFIFOIsWrittenInPlaceAndStaysAFIFO() throws {
        let dir = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let fifo = dir + "/pipe"
        #expect(mkfifo(fifo, 0o600) == 0)
        let received = ReceivedBytes()
        let reader = Thread {
            if let bytes = try? FileAccess.read(fifo, limit: 1 << 20) { received.set(bytes) }
        }
        reader.start()
        try FileAccess.writeAtomically("through the pipe", to: fifo)
        for _ in 0..<200 where received.get() == nil { Thread.sleep(forTimeInterval: 0.01) }
        #expect(received.get().map { String(decoding: $0, as: UTF8.self) } == "through the pipe")
        #expect(Self.mode(fifo) & S_IFMT == S_IFIFO)
        #expect(!(try FileManager.default.contentsOfDirectory(atPath: dir)).contains { $0.hasPrefix(".nnplay-tmp") })
    }

    @Test func devicesAreWrittenInPlaceAndAFullDeviceIsAnError() throws {
        // private device nodes (null: 1,3; full: 1,7 — dev_t 0x103, 0x107 on Linux), so that a
        // regression cannot replace /dev/null
        guard getuid() == 0 else { return }   // mknod needs root (CI runs as root)
        let dir = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        #expect(mknod(dir + "/null", S_IFCHR | 0o666, 0x103) == 0)
        #expect(mknod(dir + "/full", S_IFCHR | 0o666, 0x107) == 0)
        try FileAccess.writeAtomically("discarded", to: dir + "/null")
        #expect(Self.mode(dir + "/null") & S_IFMT == S_IFCHR)
        #expect(throws: NNPlayError("cannot write \(dir)/full: no space left on the device")) {
            try FileAccess.writeAtomically("too much", to: dir + "/full")
        }
        #expect(Self.mode(dir + "/full") & S_IFMT == S_IFCHR)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).sorted() == ["full", "null"])
    }

    @Test func aReplacedFileKeepsItsPermissionsAndANewOneFollowsTheUmask() throws {
        let dir = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        for bits: mode_t in [0o600, 0o755, 0o640] {
            let path = dir + "/kept-\(bits)"
            try FileAccess.writeAtomically("first", to: path)
            #expect(chmod(path, bits) == 0)
            try FileAccess.writeAtomically("second", to: path)
            #expect(Self.mode(path) & 0o7777 == bits, "\(String(bits, radix: 8)) became \(String(Self.mode(path) & 0o7777, radix: 8))")
        }
        let old = umask(0o027)
        defer { umask(old) }
        try FileAccess.writeAtomically("fresh", to: dir + "/fresh")
        #expect(Self.mode(dir + "/fresh") & 0o7777 == 0o640)
    }
}

/// Bytes handed from a reader thread.
final class ReceivedBytes: @unchecked Sendable {
    private let lock = NSLock()
    private var bytes: [UInt8]?
    func set(_ b: [UInt8]) { lock.lock(); bytes = b; lock.unlock() }
    func get() -> [UInt8]? { lock.lock(); defer { lock.unlock() }; return bytes }
}
