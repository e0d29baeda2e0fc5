/// An RGB raster, row after row from the top, with the few drawing operations pictures need.
public struct Image: Equatable, Sendable {
    public let width: Int
    public let height: Int
    /// `3 · width · height` bytes: r, g, b of each pixel.
    public var bytes: [UInt8]

    public init(width: Int, height: Int, fill: RGB = Palette.background) {
        self.width = Swift.max(0, width)
        self.height = Swift.max(0, height)
        bytes = [UInt8](repeating: 0, count: 3 * self.width * self.height)
        if fill != .black { self.fill(fill) }
    }

    public subscript(x: Int, y: Int) -> RGB {
        get {
            let i = 3 * (y * width + x)
            return RGB(bytes[i], bytes[i + 1], bytes[i + 2])
        }
        set {
            guard x >= 0, y >= 0, x < width, y < height else { return }
            let i = 3 * (y * width + x)
            bytes[i] = newValue.r; bytes[i + 1] = newValue.g; bytes[i + 2] = newValue.b
        }
    }

    public mutating func fill(_ color: RGB) {
        for i in stride(from: 0, to: bytes.count, by: 3) {
            bytes[i] = color.r; bytes[i + 1] = color.g; bytes[i + 2] = color.b
        }
    }

    /// Fills the rectangle [x, x+w) × [y, y+h), clipped to the image.
    public mutating func fillRect(x: Int, y: Int, width w: Int, height h: Int, _ color: RGB) {
        let x0 = Swift.max(0, x), x1 = Swift.min(width, x + w), y0 = Swift.max(0, y), y1 = Swift.min(height, y + h)
        guard x0 < x1, y0 < y1 else { return }
        for yy in y0..<y1 {
            for xx in x0..<x1 { self[xx, yy] = color }
        }
    }

    /// A one-pixel rectangle outline.
    public mutating func strokeRect(x: Int, y: Int, width w: Int, height h: Int, _ color: RGB) {
        fillRect(x: x, y: y, width: w, height: 1, color)
        fillRect(x: x, y: y + h - 1, width: w, height: 1, color)
        fillRect(x: x, y: y, width: 1, height: h, color)
        fillRect(x: x + w - 1, y: y, width: 1, height: h, color)
    }

    /// A filled disc.
    public mutating func fillDisc(cx: Double, cy: Double, radius: Double, _ color: RGB) {
        // far outside any picture (or not a number): nothing to draw, and no integer overflow
        guard abs(cx) < 1e7, abs(cy) < 1e7, radius >= 0, radius < 1e4 else { return }
        let r2 = radius * radius
        for y in Int((cy - radius).rounded(.down))...Int((cy + radius).rounded(.up)) {
            for x in Int((cx - radius).rounded(.down))...Int((cx + radius).rounded(.up)) {
                let dx = Double(x) + 0.5 - cx, dy = Double(y) + 0.5 - cy
                if dx * dx + dy * dy <= r2 { self[x, y] = color }
            }
        }
    }

    /// A line of the given thickness (round ends), from (x0, y0) to (x1, y1).
    public mutating func drawLine(x0: Double, y0: Double, x1: Double, y1: Double, thickness: Double = 1, _ color: RGB) {
        let pad = thickness + 1
        guard thickness.isFinite, thickness < 1e4,
              let (x0, y0, x1, y1) = clipSegment(x0, y0, x1, y1, xMin: -pad, xMax: Double(width) + pad,
                                                 yMin: -pad, yMax: Double(height) + pad) else { return }
        let length = ((x1 - x0) * (x1 - x0) + (y1 - y0) * (y1 - y0)).squareRoot()
        let steps = Swift.max(1, Int(length.rounded(.up)) * 2)
        let radius = Swift.max(0.5, thickness / 2)
        for s in 0...steps {
            let t = Double(s) / Double(steps)
            let x = x0 + (x1 - x0) * t, y = y0 + (y1 - y0) * t
            if radius <= 0.5 {
                self[Int(x.rounded(.down)), Int(y.rounded(.down))] = color
            } else {
                fillDisc(cx: x, cy: y, radius: radius, color)
            }
        }
    }

    /// Copies another image in with its top-left corner at (x, y), clipped.
    public mutating func draw(_ other: Image, x: Int, y: Int) {
        for yy in 0..<other.height where y + yy >= 0 && y + yy < height {
            for xx in 0..<other.width where x + xx >= 0 && x + xx < width {
                self[x + xx, y + yy] = other[xx, yy]
            }
        }
    }

    /// Text in the built-in 5×7 font, `scale` pixels per font pixel, top-left at (x, y).
    public mutating func drawText(_ text: String, x: Int, y: Int, scale: Int = 1, _ color: RGB = Palette.ink) {
        var cx = x
        for ch in text {
            let rows = BitmapFont.glyph(ch)
            for (row, bits) in rows.enumerated() {
                for col in 0..<5 where bits & (0x10 >> col) != 0 {
                    fillRect(x: cx + col * scale, y: y + row * scale, width: scale, height: scale, color)
                }
            }
            cx += BitmapFont.advance * scale
        }
    }

    /// Width in pixels of `text` in the built-in font.
    public static func textWidth(_ text: String, scale: Int = 1) -> Int {
        Swift.max(0, text.count * BitmapFont.advance * scale - scale)
    }
}

/// Binary PPM (P6, maxval 255), the picture format of SPEC.md.
public enum PPM {
    public static func encode(_ image: Image) -> [UInt8] {
        Array("P6\n\(image.width) \(image.height)\n255\n".utf8) + image.bytes
    }

    /// Largest side of a picture written (pixels).
    public static let maxSide = 4096
}
