/// A map picture made readable: title lines above, the map in a thin frame, its axis ranges at the
/// edges (x under it, y at its left), the axis names, and a legend below. Laid out from the texts
/// alone, so that an export knows the picture's size before it computes the map.
public struct Figure: Sendable {
    /// Room around everything.
    public static let pad = 6
    /// The narrowest figure: a small map gets room for a legend that can be read.
    public static let minWidth = 132
    static let lineStep = Legend.textHeight + 3

    public let width: Int
    public let height: Int
    /// Top-left corner of the map (inside its frame).
    public let mapX: Int
    public let mapY: Int
    public let mapWidth: Int
    public let mapHeight: Int
    public let title: [String]
    /// The axis numbers: x min, x max (under the map), y max, y min (at its left).
    public let xMin: String, xMax: String, yMax: String, yMin: String
    let xTitle: String, yTitle: String
    /// Whether the y name goes above the map (too wide for the left of it), and the x name on a
    /// row of its own (too wide for the room between the x numbers).
    let yTitleAbove: Bool, xTitleBelow: Bool
    public let legend: Legend
    public let legendY: Int

    /// `title` lines are wrapped at their spaces to the figure's width; `frame` gives the numbers
    /// at the map's edges.
    public init(title: [String], mapWidth: Int, mapHeight: Int, frame: Frame, xTitle: String, yTitle: String, legend items: [Legend.Item]) {
        let p = Figure.pad
        let number = { (v: Double) in BitmapFont.printable(formatMetric(v, digits: 3)) }
        xMin = number(frame.xMin); xMax = number(frame.xMax); yMax = number(frame.yMax); yMin = number(frame.yMin)
        let yName = BitmapFont.printable(yTitle), xName = BitmapFont.printable(xTitle)
        let gutter = Swift.max(Image.textWidth(yMax), Image.textWidth(yMin))
        yTitleAbove = Image.textWidth(yName) > gutter || mapHeight < 3 * Figure.lineStep
        width = Swift.max(Figure.minWidth, p + gutter + 4 + mapWidth + 2 + p)
        let inner = width - 2 * p
        self.title = title.flatMap { Legend.wrap(BitmapFont.printable($0), width: inner) }
        self.mapWidth = mapWidth
        self.mapHeight = mapHeight
        // the map at the right of its y numbers, centred when the figure is wider than it needs
        mapX = Swift.max(p + gutter + 4 + 1, (width - mapWidth) / 2)
        mapY = p + self.title.count * Figure.lineStep + 2 + (yTitleAbove && !yName.isEmpty ? Figure.lineStep : 0) + 1
        let between = mapWidth - Image.textWidth(xMin) - Image.textWidth(xMax) - 12
        xTitleBelow = Image.textWidth(xName) > between
        self.xTitle = xTitleBelow ? Legend.cut(xName, inner) : xName
        self.yTitle = yTitleAbove ? Legend.cut(yName, width - mapX - p) : yName
        legend = Legend(items, width: inner)
        legendY = mapY + mapHeight + 1 + 3 + Legend.textHeight + (xTitleBelow && !xName.isEmpty ? Figure.lineStep : 0) + 8
        height = legendY + legend.height + p
    }

    public var size: (width: Int, height: Int) { (width, height) }

    /// Every text the figure draws.
    public var texts: [String] { title + [xMin, xMax, yMax, yMin, xTitle, yTitle] + legend.texts }

    /// The figure around `map` (which must be `mapWidth × mapHeight`).
    public func draw(map: Image) -> Image {
        var image = Image(width: width, height: height)
        for (i, line) in title.enumerated() { image.drawText(line, x: Figure.pad, y: Figure.pad + i * Figure.lineStep) }
        image.strokeRect(x: mapX - 1, y: mapY - 1, width: mapWidth + 2, height: mapHeight + 2, Palette.ink)
        image.draw(map, x: mapX, y: mapY)
        // y numbers right-aligned at the left of the frame, at its top and bottom
        image.drawText(yMax, x: mapX - 4 - Image.textWidth(yMax), y: mapY)
        image.drawText(yMin, x: mapX - 4 - Image.textWidth(yMin), y: mapY + mapHeight - Legend.textHeight)
        if yTitleAbove {
            image.drawText(yTitle, x: mapX, y: mapY - 1 - Figure.lineStep)
        } else {
            image.drawText(yTitle, x: mapX - 4 - Image.textWidth(yTitle), y: mapY + (mapHeight - Legend.textHeight) / 2)
        }
        let rangeY = mapY + mapHeight + 1 + 3
        image.drawText(xMin, x: mapX, y: rangeY)
        image.drawText(xMax, x: mapX + mapWidth - Image.textWidth(xMax), y: rangeY)
        let xTitleY = xTitleBelow ? rangeY + Figure.lineStep : rangeY
        let centred = mapX + (mapWidth - Image.textWidth(xTitle)) / 2
        image.drawText(xTitle, x: Swift.max(Figure.pad, Swift.min(centred, width - Figure.pad - Image.textWidth(xTitle))), y: xTitleY)
        legend.draw(into: &image, x: Figure.pad, y: legendY)
        return image
    }
}

extension Image {
    /// The legend of a strip under a picture `width` pixels wide (the layer sheet, the poster).
    static func stripLegend(_ items: [Legend.Item], pictureWidth width: Int) -> Legend {
        Legend(items, width: Swift.max(width, Figure.minWidth) - 2 * Figure.pad)
    }

    /// This picture with `legend` (from `stripLegend`) in a strip under it, widened for the legend
    /// if it is narrow.
    func withLegend(_ legend: Legend) -> Image {
        var image = Image(width: Swift.max(width, legend.width + 2 * Figure.pad), height: height + legend.height + Figure.pad)
        image.draw(self, x: 0, y: 0)
        legend.draw(into: &image, x: Figure.pad, y: height)
        return image
    }
}
