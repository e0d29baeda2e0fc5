import Foundation
import NNPlayEngine
import NNPlayShell

/// Runs a session in one of the ways SPEC.md lists: script files, `-c` text, piped standard input,
/// or the interactive prompt. Scripts stop at the first error (`FILE:LINE: error: …`, status 1) or
/// at Ctrl-C (status 130); the prompt prints the error and goes on.
struct Runner {
    let session: Session

    /// Exit status after a script file (`-`: standard input).
    func runFile(_ path: String) -> Int32 {
        if path == "-" { return runStandardInput() }
        let bytes: [UInt8]
        do { bytes = try FileAccess.read(path, limit: SourceCommand.maxBytes, shouldStop: { processInterrupt.isRaised }) } catch let e as NNPlayError {
            return failed("nnplay: \(e.message)")
        } catch { return failed("nnplay: cannot read \(path)") }
        do {
            return runText(try ScriptText.decode(bytes, name: path), name: path)
        } catch {
            return failed("\(error)")
        }
    }

    /// Exit status after script text.
    func runText(_ text: String, name: String) -> Int32 {
        do {
            try session.runScript(text, name: name)
        } catch let e as LocatedError {
            return failed("\(e)")
        } catch {
            return failed("\(name): error: \(error)")
        }
        return afterScript()
    }

    /// Commands from a pipe, line by line as they arrive.
    func runStandardInput() -> Int32 {
        var lineNumber = 0
        var reader = LineReader(fd: STDIN_FILENO, limit: Session.maxLineLength,
                                shouldStop: { processTerminate.isRaised || processInterrupt.isRaised })
        while let next = reader.next() {
            lineNumber += 1
            do {
                try session.runScriptLine(next.map { Substring($0) }, number: lineNumber, name: "<stdin>")
            } catch let e as LocatedError {
                return failed("\(e)")
            } catch {
                return failed("<stdin>:\(lineNumber): error: \(error)")
            }
            let status = afterScript()
            if status != 0 || session.quitRequested { return status }
        }
        // the end of input, or SIGTERM / Ctrl-C while waiting for it
        return afterScript()
    }

    /// 143 after SIGTERM (129 after SIGHUP), 130 when Ctrl-C stopped the script, else 0.
    private func afterScript() -> Int32 {
        if processTerminate.isRaised {
            session.output.writeError("nnplay: terminated\n")
            return terminationStatus
        }
        if session.wasInterrupted || processInterrupt.isRaised {
            session.output.writeError("nnplay: interrupted\n")
            return 130
        }
        return 0
    }

    /// The status of a script that stopped at an error. A signal that came meanwhile decides it:
    /// a command that a signal cut short (a read of a FIFO that waited for a writer, a long load)
    /// fails, but the run was terminated (143, 129) or interrupted (130), not wrong.
    private func failed(_ message: String) -> Int32 {
        if processTerminate.isRaised { return afterScript() }
        session.output.writeError(message + "\n")
        return processInterrupt.isRaised ? afterScript() : 1
    }

    /// The prompt: line editing, history, completion (NNPlayShell's ReadLoop on libedit).
    func runInteractive(banner: String) -> Int32 {
        let historyPath = ProcessInfo.processInfo.environment["NNPLAY_HISTORY"]
            ?? NSHomeDirectory() + "/.nnplay_history"
        let completer = Completer(session: session)
        let editor = LineEditor(historyPath: historyPath, interrupted: { processInterrupt.consume() },
                                complete: { let c = completer.complete($0); return (c.word, c.candidates) })
        return ReadLoop.run(session, lines: editor, banner: banner,
                            terminated: { processTerminate.isRaised ? terminationStatus : nil })
    }
}

/// Reads lines from a file descriptor as they arrive, refusing lines longer than a limit (a 2 GB
/// line must not fill the memory). Bytes that are not UTF-8 become U+FFFD.
struct LineReader {
    let fd: Int32
    let limit: Int
    /// Polled while waiting for input (a signal that lands just before `read` would otherwise go
    /// unseen until the next line arrives).
    let shouldStop: () -> Bool
    private var buffer: [UInt8] = []
    private var start = 0
    private var finished = false

    init(fd: Int32, limit: Int, shouldStop: @escaping () -> Bool = { false }) {
        self.fd = fd
        self.limit = limit
        self.shouldStop = shouldStop
    }

    /// The next line (without its newline); `.some(nil)` for a line over the limit (skipped to its
    /// end); nil at the end of input, on a read error, or when `shouldStop` says so.
    mutating func next() -> String?? {
        var tooLong = false
        while true {
            if let newline = buffer[start...].firstIndex(of: UInt8(ascii: "\n")) {
                let line = buffer[start..<newline]
                start = newline + 1
                if start > 1 << 16 { buffer.removeFirst(start); start = 0 }
                if tooLong || line.count > limit { return .some(nil) }
                var bytes = Array(line)
                if bytes.last == UInt8(ascii: "\r") { bytes.removeLast() }
                return .some(String(decoding: bytes, as: UTF8.self))
            }
            if buffer.count - start > limit {
                // keep reading to the end of this line without keeping it
                tooLong = true
                buffer.removeAll(keepingCapacity: true)
                start = 0
            }
            if finished {
                guard start < buffer.count || tooLong else { return nil }
                let rest = Array(buffer[start...])
                buffer.removeAll()
                start = 0
                return tooLong ? .some(nil) : .some(String(decoding: rest, as: UTF8.self))
            }
            // wait for input a tenth of a second at a time, looking at the signal flags in between
            var waiting = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            while true {
                let ready = poll(&waiting, 1, 100)
                if ready > 0 || (ready < 0 && errno != EINTR) { break }   // input, end, or an error read() reports
                if shouldStop() { return nil }
            }
            if shouldStop() { return nil }
            var chunk = [UInt8](repeating: 0, count: 1 << 16)
            let n = chunk.withUnsafeMutableBytes { Foundation.read(fd, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 {
                // end of input, or an error: no more lines
                finished = true
                if n < 0 { return nil }
                continue
            }
            buffer.append(contentsOf: chunk[0..<n])
        }
    }
}
