/// Thin lines on a character canvas in Braille dots: each cell holds 2 × 4 dots, so a line between
/// two tiles of `plot net` is drawn at four times the rows' resolution. A cell shows the colour of
/// the last line drawn through it (draw the weakest first). `dotted` lines set every other dot.
public struct BrailleLines: Sendable {
    public let width: Int, height: Int
    private var bits: [UInt8]
    private var colors: [RGB?]

    public init(width: Int, height: Int) {
        self.width = Swift.max(0, width)
        self.height = Swift.max(0, height)
        bits = [UInt8](repeating: 0, count: self.width * self.height)
        colors = [RGB?](repeating: nil, count: self.width * self.height)
    }

    /// The bit of dot (column 0…1, row 0…3) in a Braille character (U+2800 + bits).
    static func bit(column: Int, row: Int) -> UInt8 {
        row == 3 ? (column == 0 ? 0x40 : 0x80) : UInt8(1) << UInt8(row + 3 * column)
    }

    /// A line between two points in dot coordinates (x 0…2·width, y 0…4·height), clipped.
    public mutating func line(x0: Double, y0: Double, x1: Double, y1: Double, color: RGB?, dotted: Bool = false) {
        guard let (ax, ay, bx, by) = clipSegment(x0, y0, x1, y1, xMin: 0, xMax: Double(2 * width) - 0.001,
                                                 yMin: 0, yMax: Double(4 * height) - 0.001) else { return }
        let steps = Swift.max(1, Int(Swift.max(abs(bx - ax), abs(by - ay)).rounded(.up)))
        for t in 0...steps where !dotted || t % 2 == 0 {
            let f = Double(t) / Double(steps)
            let x = Int(ax + (bx - ax) * f), y = Int(ay + (by - ay) * f)
            let i = (y / 4) * width + x / 2
            bits[i] |= BrailleLines.bit(column: x % 2, row: y % 4)
            colors[i] = color
        }
    }

    /// Copies the cells that have dots onto `canvas`, with their top-left corner at (x, y).
    public func draw(on canvas: inout TextCanvas, x: Int, y: Int) {
        for r in 0..<height {
            for c in 0..<width where bits[r * width + c] != 0 {
                guard let scalar = Unicode.Scalar(0x2800 + UInt32(bits[r * width + c])) else { continue }
                canvas[x + c, y + r] = TextCell(Character(scalar), foreground: colors[r * width + c])
            }
        }
    }
}
