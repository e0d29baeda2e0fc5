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

    /// The message of the error a line raises, or nil when it succeeds.
    func error(_ line: String) -> String? {
        do {
            try runLine(line)
            return nil
        } catch let e as NNPlayError {
            return e.message
        } catch let e as LocatedError {
            return e.description
        } catch {
            return "\(error)"
        }
    }

    /// Everything that a command may change, to compare before and after.
    var snapshot: Snapshot { Snapshot(playground: playground, log: replayLog) }
}

struct Snapshot: Equatable {
    var playground: Playground
    var log: [String]
}
