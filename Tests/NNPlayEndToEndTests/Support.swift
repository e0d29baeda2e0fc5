import Foundation
import Testing

// The helpers of the end-to-end tests: where the built binaries are, `nnplay` run as a separate process
// with Foundation's `Process` (`run` to its end, or `RunningNNPlay` to signal it while it works), and
// temporary directories. Standard input is never a terminal here (an empty pipe unless a test gives
// text); the interactive prompt is tested in a pseudo-terminal by PseudoTerminalTests.

// MARK: - Locating things

/// The package root: this file is `Tests/NNPlayEndToEndTests/Support.swift`.
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

/// Collects bytes from several threads as they arrive (not only at the end), so that a test can wait for a line.
final class ByteCollector: @unchecked Sendable {
    private let lock = NSLock()
    private var data = Data()
    func append(_ more: Data) { lock.lock(); data.append(more); lock.unlock() }
    var text: String { lock.lock(); defer { lock.unlock() }; return String(decoding: data, as: UTF8.self) }
    func contains(_ needle: String) -> Bool {
        lock.lock(); defer { lock.unlock() }
        return data.range(of: Data(needle.utf8)) != nil
    }
}

/// Reads a pipe to its end on a background thread, each chunk as it comes.
func drain(_ pipe: Pipe, into collector: ByteCollector, group: DispatchGroup) {
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

/// One `nnplay` process started by a test, which reads its output as it comes, can send it a signal
/// and waits for its end with a time limit (then kills it, so that a hang fails the test, not the run).
final class RunningNNPlay: @unchecked Sendable {
    let process = Process()
    let out = ByteCollector(), err = ByteCollector()
    private let readers = DispatchGroup()
    private let finished = DispatchSemaphore(value: 0)
    private let input = Pipe()

    /// Starts `executable ARGS` (default `nnplay`) in `directory` (default: the current one). The environment
    /// is the test's own, minus `unsetting`, plus `env`. Standard input is a pipe given `stdin`, then closed
    /// (so never a terminal), unless `keepStdinOpen` (no EOF).
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
        drain(output, into: out, group: readers)
        drain(errors, into: err, group: readers)
        if let stdin { send(stdin) }
        if !keepStdinOpen { closeInput() }
    }

    /// Writes to standard input (on a background thread: a large input must not block the test).
    /// A child that ends before reading all of it (`quit` in a script) makes the write raise SIGPIPE,
    /// which would end the whole test run (CI saw signal 13): the writing thread blocks it and takes
    /// the pending signal afterwards; the write then just fails with EPIPE. (Ignoring SIGPIPE in the
    /// test process instead would be inherited by every child it starts.)
    func send(_ text: String) {
        let writer = input.fileHandleForWriting, bytes = Data(text.utf8)
        let written = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            var pipeSignal = sigset_t(), saved = sigset_t()
            sigemptyset(&pipeSignal)
            sigaddset(&pipeSignal, SIGPIPE)
            pthread_sigmask(SIG_BLOCK, &pipeSignal, &saved)
            try? writer.write(contentsOf: bytes)
            var now = timespec(tv_sec: 0, tv_nsec: 0)
            while sigtimedwait(&pipeSignal, nil, &now) == SIGPIPE {}
            pthread_sigmask(SIG_SETMASK, &saved, nil)
            written.signal()
        }
        _ = written.wait(timeout: .now() + 30)
    }

    func closeInput() { try? input.fileHandleForWriting.close() }

    var pid: pid_t { process.processIdentifier }

    func signal(_ number: Int32) { kill(process.processIdentifier, number) }

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

/// Runs `nnplay ARGS` (or `executable ARGS`) to its end, as `RunningNNPlay` starts it, and kills it after
/// `timeout` s.
func run(_ args: [String], stdin: String? = nil, env: [String: String] = [:], unsetting: [String] = [],
         in directory: URL? = nil, timeout: TimeInterval = 60, executable: URL = nnplayBinary) -> RunResult {
    do {
        return try RunningNNPlay(args, stdin: stdin, env: env, unsetting: unsetting, in: directory, executable: executable)
            .finish(timeout: timeout)
    } catch {
        return RunResult(status: -1, stdout: "", stderr: "could not start \(executable.path): \(error)")
    }
}

// MARK: - Files

/// A fresh temporary directory, removed by `cleanUp()`.
struct TemporaryDirectory {
    let url: URL
    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("nnplay-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }
    func path(_ name: String) -> String { url.appendingPathComponent(name).path }
    @discardableResult
    func write(_ name: String, _ bytes: [UInt8]) throws -> String {
        let p = path(name)
        try Data(bytes).write(to: URL(fileURLWithPath: p))
        return p
    }
    @discardableResult
    func write(_ name: String, _ text: String) throws -> String { try write(name, Array(text.utf8)) }
    func read(_ name: String) throws -> Data { try Data(contentsOf: URL(fileURLWithPath: path(name))) }
    /// Everything in the directory, hidden files included (a writer's temporary file is `.nnplay-tmp-…`).
    var listing: [String] { ((try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? []).sorted() }
    func cleanUp() { try? FileManager.default.removeItem(at: url) }
}

/// Runs `nnplay SCRIPT` on a script file `name` holding `bytes`, in a temporary directory removed
/// afterwards: the script's path (which errors name) and the run.
func runScript(_ bytes: [UInt8], named name: String) throws -> (path: String, result: RunResult) {
    let dir = try TemporaryDirectory()
    defer { dir.cleanUp() }
    let path = try dir.write(name, bytes)
    return (path, run([path]))
}

/// `runScript` of a text.
func runScript(_ text: String, named name: String) throws -> (path: String, result: RunResult) {
    try runScript(Array(text.utf8), named: name)
}
