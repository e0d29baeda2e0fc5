import Foundation
import NNPlayEngine
@testable import NNPlayShell

/// A session writing into strings, as the REPL's entry point sees it.
func makeSession(seed: UInt64 = 1, quiet: Bool = false) -> (Session, CapturedOutput) {
    let out = CapturedOutput()
    return (Session(output: out, options: SessionOptions(seed: seed, quiet: quiet)), out)
}

extension Session {
    /// Runs a line and returns what it printed; rethrows its error.
    @discardableResult
    func run(_ line: String) throws -> String {
        guard let out = output as? CapturedOutput else { return "" }
        out.clear()
        try runLine(line)
        return out.standard
    }

    /// How a line ended: accepted, rejected with the message of the language's error (an `NNPlayError`,
    /// or a `LocatedError` from a script), or with a foreign error, which the language never throws.
    enum LineResult {
        case accepted
        case rejected(String)
        case foreign(any Error)
    }

    /// Runs a line, and how it ended.
    func result(of line: String) -> LineResult {
        do {
            try runLine(line)
            return .accepted
        } catch let e as NNPlayError {
            return .rejected(e.message)
        } catch let e as LocatedError {
            return .rejected(e.description)
        } catch {
            return .foreign(error)
        }
    }

    /// The message of the error a line raises, or nil when it succeeds.
    func error(_ line: String) -> String? {
        switch result(of: line) {
        case .accepted: nil
        case .rejected(let message): message
        case .foreign(let error): "\(error)"
        }
    }

    /// Everything that a command may change, to compare before and after.
    var snapshot: Snapshot { Snapshot(playground: playground, log: replayLog) }
}

struct Snapshot: Equatable {
    var playground: Playground
    var log: [String]
}

/// A new, empty temporary directory.
func makeTemporaryDirectory() throws -> String {
    let dir = NSTemporaryDirectory() + "nnplay-shell-\(UUID().uuidString)"
    try FileAccess.makeDirectory(dir)
    return dir
}

/// Writes each text of `files` to its file name in `dir`.
func writeFiles(_ files: [String: String], in dir: String) throws {
    for (name, text) in files { try FileAccess.writeAtomically(text, to: "\(dir)/\(name)") }
}

/// Runs `python3 -c script arguments…` (the independent readers of the picture tests): its exit
/// status, standard output and standard error.
func runPython(_ script: String, _ arguments: [String] = []) throws -> (status: Int32, output: Data, errors: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3", "-c", script] + arguments
    let pipe = Pipe(), errors = Pipe()
    process.standardOutput = pipe
    process.standardError = errors
    try process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    let problems = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    return (process.terminationStatus, data, problems)
}

extension Metrics {
    /// The accuracy of classification metrics (NaN for regression, which has none), for checks.
    var accuracyValue: Double { accuracy ?? .nan }
}
