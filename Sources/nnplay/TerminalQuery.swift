import Foundation
import NNPlayEngine
import NNPlayShell

/// Asks the terminal (on /dev/tty, so it works while standard input is a pipe) which pictures it
/// shows: its primary device attributes, `ESC [ c`, list 4 when it speaks sixel. The answer is read
/// with a short timeout, so a terminal that does not answer costs a fifth of a second, never a hang.
enum TerminalQuery {
    static let timeoutMilliseconds: Int32 = 200

    static func inlineImages() -> InlineImageProtocol? {
        let fd = open("/dev/tty", O_RDWR | O_NOCTTY)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        // a job in the background that changed the terminal's mode would be stopped (SIGTTOU): ask
        // only from the foreground
        guard tcgetpgrp(fd) == getpgrp() else { return nil }
        var saved = termios()
        guard tcgetattr(fd, &saved) == 0 else { return nil }
        var raw = saved
        raw.c_lflag &= ~tcflag_t(ICANON | ECHO)
        guard tcsetattr(fd, TCSANOW, &raw) == 0 else { return nil }
        defer { _ = tcsetattr(fd, TCSANOW, &saved) }
        let query = Array(GraphicsDetection.deviceAttributesQuery.utf8)
        guard write(fd, query, query.count) == query.count else { return nil }
        var answer: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 64)
        let deadline = Date().addingTimeInterval(Double(timeoutMilliseconds) / 1000)
        // read until the answer's final `c`, or the time is up
        while answer.count < 256, !answer.contains(UInt8(ascii: "c")) {
            let left = Int32(deadline.timeIntervalSinceNow * 1000)
            guard left > 0 else { break }
            var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            guard poll(&poller, 1, left) > 0 else { break }
            let n = read(fd, &buffer, buffer.count)
            guard n > 0 else { break }
            answer += buffer[0..<n]
        }
        return GraphicsDetection.sixelInAttributes(String(decoding: answer, as: UTF8.self)) ? .sixel : nil
    }
}
