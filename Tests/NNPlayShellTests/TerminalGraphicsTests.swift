import Foundation
@testable import NNPlayEngine
import Testing
@testable import NNPlayShell

/// `--graphics` / `set graphics`: kitty and iTerm2 carry the PNG `export` writes (decoded here and
/// read by Pillow), sixel the same picture in a 256-colour palette (decoded by Tests/graphics/
/// pictures.py, which shares no code with libchafa); pictures fit the window; the other kinds and
/// `ascii` fall back to characters; the setting is the terminal's, not the playground's.
@Suite struct TerminalGraphicsTests {
    static let picturesScript = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("graphics/pictures.py").path

    func session(_ mode: GraphicsMode, cell: (width: Int, height: Int)? = nil, width: Int = 80, height: Int = 24) -> (Session, CapturedOutput) {
        let out = CapturedOutput(isTerminal: true, width: width, height: height)
        out.cellPixels = cell
        var options = SessionOptions(seed: 1, quiet: true, color: true)
        options.colorMode = .trueColor
        options.graphics = mode
        return (Session(output: out, options: options), out)
    }

    /// The PNG a kitty picture carries, and its chunks' control data and payload sizes.
    static func kittyPNG(_ text: String) throws -> (png: Data, chunks: [(control: String, size: Int)]) {
        var chunks: [(String, Int)] = [], payload = ""
        var rest = text[...]
        while let start = rest.range(of: "\u{1B}_G") {
            guard let end = rest[start.upperBound...].range(of: "\u{1B}\\"), let semicolon = rest[start.upperBound..<end.lowerBound].firstIndex(of: ";") else {
                throw NNPlayError("an unterminated kitty chunk")
            }
            let body = rest[semicolon..<end.lowerBound].dropFirst()
            chunks.append((String(rest[start.upperBound..<semicolon]), body.count))
            payload += body
            rest = rest[end.upperBound...]
        }
        guard let png = Data(base64Encoded: payload) else { throw NNPlayError("the kitty payload is not base64") }
        return (png, chunks)
    }

    /// Width and height from a PNG's IHDR chunk.
    static func pngSize(_ png: Data) -> (Int, Int) {
        let b = [UInt8](png)
        func be(_ i: Int) -> Int { b[i..<(i + 4)].reduce(0) { $0 << 8 | Int($1) } }
        return b.count >= 24 ? (be(16), be(20)) : (0, 0)
    }

    @Test(.enabled(if: RecordingPillowTests.hasPillow)) func kittyShowsTheExportedPicturesPixels() throws {
        let dir = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let (s, _) = session(.kitty, cell: (10, 20))
        try s.run("data xor n=77; train 3")
        // a plot's size counts cells: 10 pixels a column here
        let pairs = [("plot size=30", "export out F size=300"), ("plot neuron 1.2 size=13", "export neuron 1.2 F size=130"),
                     ("plot layer 1 size=7", "export layer 1 F size=70"), ("plot net size=5", "export net F size=50"),
                     ("plot space 1 size=21", "export space 1 F size=210"), ("plot loss size=37x11", "export loss F size=370x220"),
                     ("plot points=test discrete size=19", "export out F points=test discrete size=190")]
        var files: [(String, String)] = []
        for (i, (plot, export)) in pairs.enumerated() {
            let shown = try Self.kittyPNG(try s.run(plot))
            #expect(shown.chunks.count >= 1)
            #expect(shown.chunks.first?.control.hasPrefix("a=T,f=100") == true, "\(plot): \(shown.chunks.first?.control ?? "")")
            // every chunk at most 4096 base64 bytes, m=1 on all but the last
            #expect(shown.chunks.allSatisfy { $0.size <= 4096 && $0.size % 4 == 0 })
            #expect(shown.chunks.dropLast().allSatisfy { $0.control.hasSuffix("m=1") } && shown.chunks.last?.control.hasSuffix("m=0") == true)
            let sent = "\(dir)/shown-\(i).png", file = "\(dir)/file-\(i).png"
            try shown.png.write(to: URL(fileURLWithPath: sent))
            _ = try s.run(export.replacingOccurrences(of: " F ", with: " \(file) "))
            files.append((sent, file))
        }
        #expect(try PillowChecker.samePixels(files).count == pairs.count)
    }

    @Test(.enabled(if: RecordingPillowTests.hasPillow)) func itermShowsTheExportedPicturesPixels() throws {
        let dir = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let (s, _) = session(.iterm, cell: (9, 18))
        let text = try s.run("plot size=23")
        let prefix = "\u{1B}]1337;File=inline=1;size="
        #expect(text.hasPrefix(prefix) && text.hasSuffix("\u{07}\n"))
        let header = text.dropFirst(prefix.count).prefix { $0 != ":" }
        let payload = text.drop { $0 != ":" }.dropFirst().dropLast(2)
        let png = try #require(Data(base64Encoded: String(payload)))
        #expect(header.hasPrefix("\(png.count);"), "the size= field names the file's bytes: \(header)")
        try png.write(to: URL(fileURLWithPath: "\(dir)/shown.png"))
        _ = try s.run("export out \(dir)/file.png size=\(23 * 9)")
        #expect(try PillowChecker.samePixels([("\(dir)/shown.png", "\(dir)/file.png")]) == [[Self.pngSize(png).0, Self.pngSize(png).1]])
    }

    /// pictures.py's comparison: width, height, mean difference per channel, share of pixels off by more than 16.
    static func compare(_ kind: String, _ shown: String, _ png: String) throws -> (Int, Int, Double, Double) {
        let script = "import runpy, sys; sys.argv = ['pictures.py'] + sys.argv[1:]; runpy.run_path(\(String(reflecting: picturesScript)), run_name='__main__')"
        let (status, data, problems) = try runPython(script, [kind, shown, png])
        guard status == 0 else { throw NNPlayError("pictures.py \(kind): \(problems)") }
        let f = String(decoding: data, as: UTF8.self).split(separator: " ").map { String($0).trimmingCharacters(in: .whitespacesAndNewlines) }
        guard f.count == 4, let w = Int(f[0]), let h = Int(f[1]), let mean = Double(f[2]), let off = Double(f[3]) else {
            throw NNPlayError("pictures.py printed \(f)")
        }
        return (w, h, mean, off)
    }

    @Test(.enabled(if: RecordingPillowTests.hasPillow)) func sixelShowsTheExportedPictureInItsPalette() throws {
        let dir = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let (s, _) = session(.sixel, cell: (7, 15))
        try s.run("data spiral classes=3 n=101; train 2")
        for (plot, export) in [("plot size=29", "export out F size=203"), ("plot net size=9", "export net F size=63")] {
            let text = try s.run(plot)
            #expect(text.hasPrefix("\u{1B}P") && text.hasSuffix("\u{1B}\\\n"), "\(plot): \(text.prefix(20).debugDescription)")
            try text.write(toFile: "\(dir)/shown.six", atomically: true, encoding: .utf8)
            _ = try s.run(export.replacingOccurrences(of: " F ", with: " \(dir)/file.png "))
            let (_, _, mean, off) = try Self.compare("sixel", "\(dir)/shown.six", "\(dir)/file.png")
            // a 256-colour palette: close on average, a few edge pixels off
            #expect(mean < 2.5 && off < 0.02, "\(plot): mean difference \(mean), \(off) of the pixels off by more than 16")
        }
    }

    @Test func picturesFitTheWindow() throws {
        for (cell, columns, rows) in [((8, 16), 80, 24), ((10, 20), 132, 43), ((6, 13), 61, 17)] {
            let (s, _) = session(.kitty, cell: cell, width: columns, height: rows)
            try s.run("train 2")
            let box = (columns * cell.0, (rows - 2) * cell.1)
            for plot in ["plot", "plot net", "plot neuron 1.1", "plot layer 1", "plot space 1", "plot loss"] {
                let text = try s.run(plot)
                // a window too small for the smallest picture gets the character picture, which fits
                if !text.contains("\u{1B}_G") {
                    #expect(rows < 20 && text.split(separator: "\n").count < rows, "\(plot) in \(columns)×\(rows): \(text.prefix(80))")
                    continue
                }
                let (w, h) = Self.pngSize(try Self.kittyPNG(text).png)
                #expect(w <= box.0 && h <= box.1, "\(plot) in \(columns)×\(rows) cells of \(cell): \(w)×\(h) pixels, the window \(box)")
                // and it uses the window: no picture shrinks to a stamp
                #expect(w >= box.0 / 4 || h >= box.1 / 4, "\(plot): \(w)×\(h) in \(box)")
            }
        }
    }

    @Test func otherKindsAndAsciiAreDrawnInCharacters() throws {
        let (s, _) = session(.kitty)
        try s.run("train 3")
        for plot in ["plot grads", "plot loss steps", "plot ascii", "plot net ascii"] {
            let text = try s.run(plot)
            #expect(!text.contains("\u{1B}_G") && !text.isEmpty, "\(plot)")
        }
        #expect(!(try s.run("plot ascii")).contains("\u{1B}"))
        #expect((try s.run("plot landscape size=9x9")).contains("\u{1B}_Ga=T,f=100"))
    }

    @Test func modesChooseHowPicturesReachTheTerminal() throws {
        let (s, _) = session(.auto)
        #expect((try s.run("plot size=20")).contains("\u{1B}[38;2;"), "auto without an inline protocol: coloured blocks")
        #expect(try s.run("set graphics ascii") == "graphics=ascii\n")
        #expect(!(try s.run("plot size=20")).contains("\u{1B}"))
        try s.run("set graphics blocks")
        #expect((try s.run("plot size=20")).contains("\u{1B}[38;5;"), "blocks: the terminal's colours (256 unless COLORTERM says 24-bit)")
        try s.run("set graphics=sixel")
        #expect((try s.run("plot size=20")).hasPrefix("\u{1B}P"))
        #expect(try s.run("set graphics") == "graphics=sixel\n")
        // auto asks the terminal once, and again after `set graphics auto`
        final class Asked: @unchecked Sendable { var count = 0 }
        let asked = Asked()
        s.options.detectInlineImages = { asked.count += 1; return .kitty }
        try s.run("set graphics auto")
        #expect(try s.run("set graphics") == "graphics=auto (kitty)\n")
        #expect((try s.run("plot size=20")).hasPrefix("\u{1B}_G"))
        _ = try s.run("plot net")
        #expect(asked.count == 1)
        try s.run("set graphics auto; plot size=20")
        #expect(asked.count == 2)
    }

    @Test func theSettingIsNotThePlaygrounds() throws {
        let (s, _) = session(.auto)
        let before = s.replayLog
        try s.run("set graphics kitty; set graphics=blocks")
        #expect(s.replayLog == before, "sessions do not replay set graphics")
        #expect((try s.run("set")).contains("graphics   blocks"))
        #expect(throws: ShellError.self) { try s.run("set graphics kitten") }
        do { try s.run("set graphics kitten") } catch {
            #expect("\(error)".contains("'kitten'") && "\(error)".contains("auto kitty iterm sixel blocks ascii"), "\(error)")
        }
        #expect(throws: ShellError.self) { try s.run("set graphics kitty sixel") }
        #expect(s.options.graphics == .blocks)
    }

    @Test func detectionReadsTheEnvironmentAndTheTerminalsAnswer() {
        #expect(GraphicsDetection.fromEnvironment(["TERM": "xterm-kitty"]) == .kitty)
        #expect(GraphicsDetection.fromEnvironment(["TERM": "xterm-256color", "KITTY_WINDOW_ID": "1"]) == .kitty)
        #expect(GraphicsDetection.fromEnvironment(["TERM": "xterm-256color", "TERM_PROGRAM": "iTerm.app"]) == .iterm)
        #expect(GraphicsDetection.fromEnvironment(["TERM": "xterm-256color", "TERM_PROGRAM": "WezTerm"]) == .iterm)
        #expect(GraphicsDetection.fromEnvironment(["TERM": "foot"]) == .sixel)
        #expect(GraphicsDetection.fromEnvironment(["TERM": "xterm-256color"]) == nil)
        #expect(GraphicsDetection.fromEnvironment(["TERM": "screen-256color", "KITTY_WINDOW_ID": "1"]) == nil, "not through tmux or screen")
        #expect(GraphicsDetection.mayQuery(["TERM": "xterm"]) && !GraphicsDetection.mayQuery(["TERM": "dumb"]) && !GraphicsDetection.mayQuery([:]))
        #expect(!GraphicsDetection.mayQuery(["TERM": "tmux-256color"]))
        // xterm -ti vt340 answers with attribute 4 (sixel); plain xterm does not
        #expect(GraphicsDetection.sixelInAttributes("\u{1B}[?63;1;2;4;6;9;15;16;22;28c"))
        #expect(!GraphicsDetection.sixelInAttributes("\u{1B}[?64;1;2;6;9;15;16;17;18;21;22;28c"))
        #expect(!GraphicsDetection.sixelInAttributes("\u{1B}[?1;2c") && !GraphicsDetection.sixelInAttributes(""))
        #expect(!GraphicsDetection.sixelInAttributes("\u{1B}[?64;14;1c"), "14 is not 4")
    }
}
