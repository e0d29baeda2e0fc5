import Foundation
import Testing

/// nnplay's pictures in a real terminal: xterm in VT340 mode (sixel graphics, 256 colour registers)
/// on a virtual X display. nnplay runs there with `--graphics` left at auto, so it must find sixel by
/// asking the terminal (ESC [ c); a screenshot of `plot` is compared with the PNG `export` writes.
/// Runs where xterm, Xvfb, xwd and xwdtopnm are installed (`.ci/setup` installs them).
@Suite(.serialized) struct XtermScreenshotTests {
    static let tools = ["/usr/bin/xterm", "/usr/bin/Xvfb", "/usr/bin/xwd", "/usr/bin/xwdtopnm"]
    static var available: Bool {
        tools.allSatisfy { FileManager.default.isExecutableFile(atPath: $0) } && run(["-c", "quit"]).status == 0
            && (try? Process.run(URL(fileURLWithPath: "/usr/bin/env"), arguments: ["python3", "-c", "import PIL"]))
            .map { $0.waitUntilExit(); return $0.terminationStatus == 0 } == true
    }

    /// Waits up to `seconds` for `condition`.
    static func wait(_ seconds: Double, for condition: () -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while !condition() {
            if Date() > deadline { return false }
            usleep(50_000)
        }
        return true
    }

    /// A free X display number and the Xvfb serving it.
    static func startDisplay() throws -> (display: String, server: RunningNNPlay) {
        for n in stride(from: 90 + Int(getpid() % 200), to: 600, by: 7) where !FileManager.default.fileExists(atPath: "/tmp/.X\(n)-lock") {
            let server = try RunningNNPlay([":\(n)", "-screen", "0", "900x760x24", "-nolisten", "tcp"], keepStdinOpen: true,
                                           executable: URL(fileURLWithPath: "/usr/bin/Xvfb"))
            if wait(10, for: { FileManager.default.fileExists(atPath: "/tmp/.X11-unix/X\(n)") }) { return (":\(n)", server) }
            server.signal(SIGTERM)
            _ = server.finish(timeout: 5)
        }
        throw TestFailure("no X display could be started")
    }

    struct TestFailure: Error, CustomStringConvertible { var description: String; init(_ d: String) { description = d } }

    @Test(.enabled(if: available), .timeLimit(.minutes(2))) func sixelPlotInXtermMatchesTheExportedPNG() throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanUp() }
        let (display, server) = try Self.startDisplay()
        defer { server.signal(SIGTERM); _ = server.finish(timeout: 5) }
        let columns = 40
        let script = try dir.write("run.sh", """
            #!/bin/sh
            python3 -c 'import fcntl, termios, struct; print(*struct.unpack("HHHH", fcntl.ioctl(0, termios.TIOCGWINSZ, b"\\0" * 8)))' > '\(dir.path("winsize"))'
            '\(nnplayBinary.path)' -c 'plot size=\(columns)'
            echo $? > '\(dir.path("status"))'
            sleep 60
            """)
        let terminal = try RunningNNPlay(["-ti", "vt340", "-xrm", "XTerm*numColorRegisters: 256", "-geometry", "100x50+0+0", "-e", "sh", script],
                                         keepStdinOpen: true, env: ["DISPLAY": display], unsetting: ["NO_COLOR", "COLORTERM", "TERM_PROGRAM"],
                                         executable: URL(fileURLWithPath: "/usr/bin/xterm"))
        defer { terminal.signal(SIGTERM); _ = terminal.finish(timeout: 5) }
        #expect(Self.wait(30) { FileManager.default.fileExists(atPath: dir.path("status")) }, "nnplay did not finish in xterm")
        usleep(700_000)   // let xterm paint
        let status = String(decoding: (try? dir.read("status")) ?? Data(), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(status == "0", "nnplay in xterm exited with \(status)")
        // rows, columns, width and height in pixels: the cell's width turns size=40 into pixels
        let size = String(decoding: try dir.read("winsize"), as: UTF8.self).split(separator: " ").compactMap { Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
        let cellWidth = try #require(size.count == 4 && size[1] > 0 ? size[2] / size[1] : nil)
        #expect((4...32).contains(cellWidth), "xterm reported \(size)")

        let shot = Process()
        shot.executableURL = URL(fileURLWithPath: "/bin/sh")
        shot.arguments = ["-c", "xwd -root -silent -display \(display) | xwdtopnm > '\(dir.path("shot.ppm"))' 2>/dev/null"]
        try shot.run()
        shot.waitUntilExit()
        #expect(shot.terminationStatus == 0)
        let reference = run(["-c", "export out \(dir.path("ref.png")) size=\(columns * cellWidth)"])
        #expect(reference.status == 0, "\(reference)")

        let compare = Process()
        let pipe = Pipe(), errors = Pipe()
        compare.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        compare.arguments = ["python3", packageRoot.appendingPathComponent("Tests/graphics/pictures.py").path, "screenshot", dir.path("shot.ppm"), dir.path("ref.png")]
        compare.standardOutput = pipe
        compare.standardError = errors
        try compare.run()
        let said = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let problems = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        compare.waitUntilExit()
        #expect(compare.terminationStatus == 0, "pictures.py: \(problems)")
        let f = said.split(separator: " ").map { String($0).trimmingCharacters(in: .whitespacesAndNewlines) }
        let mean = try #require(f.count == 4 ? Double(f[2]) : nil), off = try #require(f.count == 4 ? Double(f[3]) : nil)
        // the picture on the screen is the file's, up to sixel's 256-colour palette
        #expect(mean < 3 && off < 0.03, "screenshot vs export: \(said) (mean difference, share of pixels off by more than 16)")
    }
}
