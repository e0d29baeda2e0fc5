/// How a terminal shows colour.
public enum ColorMode: String, Sendable, CaseIterable {
    /// 24-bit colour (`COLORTERM=truecolor`), two pixels per character with the upper-half block.
    case trueColor
    /// The xterm 256-colour palette, half blocks too.
    case palette256
    /// Plain characters: no colour, no escape codes.
    case plain
}

/// One character cell: a character and, in colour modes, its foreground and background.
public struct TextCell: Equatable, Sendable {
    public var char: Character
    public var foreground: RGB?
    public var background: RGB?

    public init(_ char: Character, foreground: RGB? = nil, background: RGB? = nil) {
        self.char = char
        self.foreground = foreground
        self.background = background
    }

    public static let blank = TextCell(" ")
}

/// A rectangle of character cells that pictures are composed on, then turned into text for a
/// terminal (with escape codes) or a file (plain).
public struct TextCanvas: Equatable, Sendable {
    /// Memory a cell takes while a picture is composed and rendered: the cell itself, and up to
    /// about 40 bytes of 24-bit colour escape codes in the text it becomes.
    public static let bytesPerCell = MemoryLayout<TextCell>.stride + 48

    public let width: Int
    public private(set) var height: Int
    public private(set) var cells: [TextCell]

    public init(width: Int, height: Int) {
        self.width = Swift.max(0, width)
        self.height = Swift.max(0, height)
        cells = [TextCell](repeating: .blank, count: self.width * self.height)
    }

    public subscript(x: Int, y: Int) -> TextCell {
        get { cells[y * width + x] }
        set {
            guard x >= 0, y >= 0, x < width, y < height else { return }
            cells[y * width + x] = newValue
        }
    }

    /// Writes text starting at (x, y), clipped at the right edge.
    public mutating func put(_ text: String, x: Int, y: Int, foreground: RGB? = nil, background: RGB? = nil) {
        var cx = x
        for ch in text {
            self[cx, y] = TextCell(ch, foreground: foreground, background: background)
            cx += 1
        }
    }

    /// Copies another canvas in with its top-left corner at (x, y), clipped.
    public mutating func draw(_ other: TextCanvas, x: Int, y: Int) {
        for yy in 0..<other.height {
            for xx in 0..<other.width { self[x + xx, y + yy] = other[xx, yy] }
        }
    }

    /// Adds empty rows at the bottom.
    public mutating func grow(by rows: Int) {
        cells += [TextCell](repeating: .blank, count: rows * width)
        height += rows
    }

    /// An image as half blocks: each cell shows two pixels, the upper one as the foreground of `▀`
    /// and the lower one as its background. An odd last row is padded with the background colour.
    public static func halfBlocks(_ image: Image) -> TextCanvas {
        var canvas = TextCanvas(width: image.width, height: (image.height + 1) / 2)
        for row in 0..<canvas.height {
            for x in 0..<image.width {
                let top = image[x, 2 * row]
                let bottom = 2 * row + 1 < image.height ? image[x, 2 * row + 1] : Palette.background
                canvas[x, row] = TextCell("▀", foreground: top, background: bottom)
            }
        }
        return canvas
    }

    /// The canvas as lines of text; colour modes use SGR escape codes, reset at each line's end.
    /// In 256-colour mode each colour takes its nearest palette colour of the same hue
    /// (`TerminalPalette`). Trailing blanks are trimmed in plain mode.
    public func render(_ mode: ColorMode) -> String {
        var out = ""
        // palette choices made in this picture (a map repeats its colours)
        var chosen: [RGB: Int] = [:]
        func colorKey(_ color: RGB?) -> Int? {
            guard let c = color else { return nil }
            if mode == .trueColor { return Int(c.r) << 16 | Int(c.g) << 8 | Int(c.b) }
            if let index = chosen[c] { return index }
            let index = c.xterm256
            chosen[c] = index
            return index
        }
        for y in 0..<height {
            var line = ""
            var current: (Int?, Int?) = (nil, nil)
            for x in 0..<width {
                let cell = self[x, y]
                if mode != .plain {
                    let keys = (colorKey(cell.foreground), colorKey(cell.background))
                    if keys.0 != current.0 || keys.1 != current.1 {
                        line += "\u{1B}[0m"
                        if let f = keys.0 { line += TextCanvas.escape(f, layer: 38, mode) }
                        if let b = keys.1 { line += TextCanvas.escape(b, layer: 48, mode) }
                        current = keys
                    }
                }
                line.append(cell.char)
            }
            if mode != .plain && (current.0 != nil || current.1 != nil) { line += "\u{1B}[0m" }
            if mode == .plain { while line.last == " " { line.removeLast() } }
            out += line + "\n"
        }
        return out
    }

    static func escape(_ key: Int, layer: Int, _ mode: ColorMode) -> String {
        mode == .trueColor ? "\u{1B}[\(layer);2;\(key >> 16);\((key >> 8) & 0xFF);\(key & 0xFF)m" : "\u{1B}[\(layer);5;\(key)m"
    }
}
