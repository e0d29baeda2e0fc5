/// The key under a picture file: swatches, point markers, colour bars, weight lines and notes, left
/// to right in rows that wrap at the picture's width (texts too long for a row are cut with …).
/// Its size depends only on the items' kinds and texts, never on the numbers a colour bar shows,
/// so that an export knows a picture's size before it draws the picture.
public struct Legend: Sendable {
    public enum Item: Sendable {
        /// A square of a colour (a class) and its name.
        case swatch(RGB, String)
        /// A data point as the maps draw it, ringed white (training) or black (test), and its name.
        case point(isTest: Bool, String)
        /// A colour bar of a value scale, low end to high end, with three numbers under it.
        case scale(ColorScale, low: String, center: String, high: String)
        /// A stretch of a connection line: its colour and thickness, and its text.
        case line(RGB, thickness: Double, String)
        /// A note.
        case text(String)
        /// The next item starts a new row.
        case newRow
    }

    public static let textHeight = 7
    public static let swatchSide = 9
    public static let pointBox = 11
    public static let barWidth = 120
    public static let barHeight = 8
    public static let lineLength = 24
    public static let itemGap = 12
    public static let rowGap = 5

    /// An item where it goes: its top-left corner, the width it was given, and its text as cut.
    struct Placed {
        var item: Item
        var x: Int, y: Int
        var width: Int
        var text: String
    }

    public let width: Int
    public let height: Int
    let placed: [Placed]

    /// Lays `items` out in rows at most `width` pixels wide.
    public init(_ items: [Item], width: Int) {
        let width = Swift.max(1, width)
        var placed: [Placed] = []
        var x = 0, y = 0, rowHeight = 0
        func newRow() {
            if rowHeight > 0 { y += rowHeight + Legend.rowGap }
            x = 0
            rowHeight = 0
        }
        func place(_ item: Item, text: String, width w: Int, height h: Int) {
            if x > 0 && x + w > width { newRow() }
            placed.append(Placed(item: item, x: x, y: y, width: w, text: text))
            x += w + Legend.itemGap
            rowHeight = Swift.max(rowHeight, h)
        }
        for item in items {
            switch item {
            case .newRow:
                newRow()
            case .text(let text):
                // a long note wraps at its spaces, each part on a row of its own if need be
                for line in Legend.wrap(BitmapFont.printable(text), width: width) {
                    place(item, text: line, width: Image.textWidth(line), height: Legend.textHeight)
                }
            case .scale:
                let w = Swift.min(Legend.barWidth, width)
                place(item, text: "", width: w, height: Legend.barHeight + 2 + Legend.textHeight)
            default:
                let (lead, h) = Legend.lead(item)
                let text = Legend.cut(BitmapFont.printable(Legend.name(item)), width - lead)
                place(item, text: text, width: lead + Image.textWidth(text), height: h)
            }
        }
        self.width = width
        self.height = y + rowHeight
        self.placed = placed
    }

    /// The pixels before an item's text (its swatch, marker or line and a gap), and its height.
    static func lead(_ item: Item) -> (Int, Int) {
        switch item {
        case .swatch: return (swatchSide + 4, swatchSide)
        case .point: return (pointBox + 4, pointBox)
        case .line: return (lineLength + 4, 7)
        default: return (0, textHeight)
        }
    }

    static func name(_ item: Item) -> String {
        switch item {
        case .swatch(_, let s), .point(_, let s), .line(_, _, let s), .text(let s): return s
        case .scale, .newRow: return ""
        }
    }

    /// The width its items take (at most `width`).
    public var usedWidth: Int { placed.map { $0.x + $0.width }.max() ?? 0 }

    /// Every text the legend draws (for the check that the font has all their characters).
    public var texts: [String] {
        placed.flatMap { p -> [String] in
            if case let .scale(_, low, center, high) = p.item { return [low, center, high] }
            return [p.text]
        }
    }

    /// Draws the legend with its top-left corner at (x, y).
    public func draw(into image: inout Image, x x0: Int, y y0: Int) {
        for p in placed {
            let x = x0 + p.x, y = y0 + p.y
            let (lead, h) = Legend.lead(p.item)
            let textY = y + (h - Legend.textHeight + 1) / 2
            switch p.item {
            case .swatch(let color, _):
                image.fillRect(x: x, y: y, width: Legend.swatchSide, height: Legend.swatchSide, color)
            case .point(let isTest, _):
                // a grey square, so that both the white and the black ring show
                image.fillRect(x: x, y: y, width: Legend.pointBox, height: Legend.pointBox, Legend.pointGround)
                let c = Double(Legend.pointBox) / 2
                MapPainter.drawPoint(&image, cx: Double(x) + c, cy: Double(y) + c, radius: 2.5, label: Legend.pointClass, isTest: isTest)
            case .line(let color, let thickness, _):
                image.drawLine(x0: Double(x) + 2, y0: Double(y) + 3.5, x1: Double(x + Legend.lineLength) - 2, y1: Double(y) + 3.5,
                               thickness: thickness, color)
            case .scale(let scale, let low, let center, let high):
                drawBar(scale, low: low, center: center, high: high, into: &image, x: x, y: y, width: p.width)
            case .text, .newRow:
                break
            }
            if !p.text.isEmpty { image.drawText(p.text, x: x + lead, y: textY) }
        }
    }

    /// The grey behind the point markers (class 9's, so that GIF palettes hold it) and the class whose
    /// dark shade the markers take: both rings show on it.
    static let pointClass = 9
    static var pointGround: RGB { Palette.classColor(pointClass) }

    /// A colour bar: column i has the scale's colour at its place between the low and the high end;
    /// the numbers go under its ends and its middle (the middle one left out where they would touch).
    func drawBar(_ scale: ColorScale, low: String, center: String, high: String, into image: inout Image, x: Int, y: Int, width w: Int) {
        for i in 0..<w {
            let t = w > 1 ? Double(i) / Double(w - 1) : 0.5
            image.fillRect(x: x + i, y: y, width: 1, height: Legend.barHeight, scale.color(scale.center + (2 * t - 1) * scale.halfRange))
        }
        let ny = y + Legend.barHeight + 2
        let low = Legend.cut(BitmapFont.printable(low), w / 2 - 3), high = Legend.cut(BitmapFont.printable(high), w / 2 - 3)
        image.drawText(low, x: x, y: ny)
        let highWidth = Image.textWidth(high)
        image.drawText(high, x: x + w - highWidth, y: ny)
        let mid = BitmapFont.printable(center), midWidth = Image.textWidth(mid)
        let midX = x + (w - midWidth) / 2
        if midX >= x + Image.textWidth(low) + 6 && midX + midWidth + 6 <= x + w - highWidth {
            image.drawText(mid, x: midX, y: ny)
        }
    }

    /// Text cut to `pixels` of the font, ending in … when cut.
    public static func cut(_ text: String, _ pixels: Int) -> String {
        guard Image.textWidth(text) > pixels else { return text }
        let n = (pixels + 1) / BitmapFont.advance
        return n <= 0 ? "" : String(text.prefix(n - 1)) + "…"
    }

    /// A space that `wrap` breaks at only where the words it joins do not fit one line.
    public static let joiner: Character = "\u{A0}"

    /// An architecture (`x y → 4 tanh → 1 sigmoid`) whose lines break before its arrows, each layer kept whole.
    static func keepingLayersTogether(_ architecture: String) -> String {
        architecture.replacingOccurrences(of: " ", with: String(joiner)).replacingOccurrences(of: "\(joiner)→\(joiner)", with: " →\(joiner)")
    }

    /// Text broken at its spaces into lines at most `pixels` wide (at `joiner`s too where a group of
    /// words is wider than that); a word wider than a line is cut.
    public static func wrap(_ text: String, width pixels: Int) -> [String] {
        var lines: [String] = [], line = ""
        let groups = text.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        let words = groups.flatMap { g in Image.textWidth(g) > pixels ? g.split(separator: joiner).map(String.init) : [g] }
        for word in words {
            let candidate = line.isEmpty ? word : line + " " + word
            if Image.textWidth(candidate) <= pixels || line.isEmpty {
                line = candidate
            } else {
                lines.append(line)
                line = word
            }
        }
        if !line.isEmpty || lines.isEmpty { lines.append(line) }
        return lines.map { cut($0, pixels) }
    }
}
