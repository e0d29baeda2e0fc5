import Foundation
import NNPlayEngine

/// Where a session writes: its results to standard output, errors and warnings to standard error.
/// Tests use `CapturedOutput`; the program uses `StandardOutput`.
public protocol Output: AnyObject {
    /// Writes to standard output.
    func write(_ text: String)
    /// Writes to standard error.
    func writeError(_ text: String)
    /// Whether standard output is a terminal (progress lines are redrawn in place only then).
    var isTerminal: Bool { get }
    /// Columns of the terminal (80 when unknown).
    var width: Int { get }
    /// Rows of the terminal (24 when unknown).
    var height: Int { get }
    /// A character cell's size in pixels, when the terminal reports it (for inline pictures).
    var cellPixels: (width: Int, height: Int)? { get }
}

extension Output {
    /// Writes a line to standard output.
    public func line(_ text: String = "") { write(text + "\n") }
}

/// Output kept in strings, for tests and for running commands without a terminal.
public final class CapturedOutput: Output {
    public private(set) var standard = ""
    public private(set) var errors = ""
    public var isTerminal: Bool
    public var width: Int
    public var height: Int
    public var cellPixels: (width: Int, height: Int)?

    public init(isTerminal: Bool = false, width: Int = 80, height: Int = 24) {
        self.isTerminal = isTerminal
        self.width = width
        self.height = height
    }

    public func write(_ text: String) { standard += text }
    public func writeError(_ text: String) { errors += text }

    /// Forgets what was written so far.
    public func clear() { standard = ""; errors = "" }
}

/// The process's standard output and error, written with `write(2)` so that a closed pipe is seen
/// (and answered by a quiet exit) rather than killing the process.
public final class StandardOutput: Output {
    public let isTerminal: Bool

    public init() {
        isTerminal = isatty(STDOUT_FILENO) == 1
    }

    public var width: Int { terminalSize().columns }
    public var height: Int { terminalSize().rows }

    /// From the window's size in pixels (TIOCGWINSZ), which xterm, kitty, WezTerm and foot report.
    public var cellPixels: (width: Int, height: Int)? {
        var size = winsize()
        guard isTerminal, ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0, size.ws_row > 0,
              size.ws_xpixel > 0, size.ws_ypixel > 0 else { return nil }
        let w = Int(size.ws_xpixel) / Int(size.ws_col), h = Int(size.ws_ypixel) / Int(size.ws_row)
        return (4...64).contains(w) && (8...128).contains(h) ? (w, h) : nil
    }

    /// Sizes pictures are fitted to, whatever a terminal or COLUMNS / LINES claim (a window of
    /// 9223372036854775807 columns overflowed the layout's arithmetic).
    public static let columnRange = 20...1000, rowRange = 5...1000

    private func terminalSize() -> (columns: Int, rows: Int) {
        var size = winsize()
        if isTerminal, ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 {
            return (Self.clamped(Int(size.ws_col), Self.columnRange), Self.clamped(Int(size.ws_row), Self.rowRange))
        }
        let environment = ProcessInfo.processInfo.environment
        let columns = environment["COLUMNS"].flatMap(Int.init).flatMap { $0 > 0 ? $0 : nil } ?? 80
        let rows = environment["LINES"].flatMap(Int.init).flatMap { $0 > 0 ? $0 : nil } ?? 24
        return (Self.clamped(columns, Self.columnRange), Self.clamped(rows, Self.rowRange))
    }

    static func clamped(_ n: Int, _ range: ClosedRange<Int>) -> Int { Swift.min(range.upperBound, Swift.max(range.lowerBound, n)) }

    public func write(_ text: String) { Self.writeAll(STDOUT_FILENO, text) }
    public func writeError(_ text: String) { Self.writeAll(STDERR_FILENO, text) }

    /// Writes all of `text`. When output cannot go on, nnplay ends as Unix tools do: quietly with
    /// status 141 (128 + SIGPIPE) when the reader went away (`nnplay script | head -1`), and with a
    /// one-line message and status 1 when the output failed (a full disk, `> /dev/full`). Nothing is
    /// half-written: files are written whole before results are printed.
    static func writeAll(_ fd: Int32, _ text: String) {
        var bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeMutableBytes { raw -> Int in
                guard let base = raw.baseAddress else { return 0 }
                return Foundation.write(fd, base + offset, raw.count - offset)
            }
            if n < 0 {
                if errno == EINTR { continue }
                if errno == EPIPE { exit(141) }
                if fd == STDOUT_FILENO {
                    writeAll(STDERR_FILENO, "nnplay: cannot write to standard output: \(FileAccess.describe(errno))\n")
                }
                exit(1)
            }
            if n == 0 { exit(1) }
            offset += n
        }
        bytes.removeAll()
    }
}
