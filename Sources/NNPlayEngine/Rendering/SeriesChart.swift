import Foundation

/// Curves of values over a count (steps, epochs) in characters, with a labelled scale: the chart
/// of `plot loss steps` and `plot grads`. Each series has its own mark; where two fall in one
/// cell, `@`. A log scale shows values that span orders of magnitude (gradient norms).
public struct SeriesChart: Sendable {
    public struct Series: Sendable {
        public var name: String
        public var mark: Character
        public var color: RGB?
        /// (x, value) pairs in x order; non-finite values leave gaps.
        public var points: [(x: Double, value: Double)]

        public init(name: String, mark: Character, color: RGB? = nil, points: [(x: Double, value: Double)]) {
            self.name = name
            self.mark = mark
            self.color = color
            self.points = points
        }
    }

    public var title: String
    public var xLabel: String
    public var series: [Series]
    public var logScale: Bool
    /// The legend after the title; nil: each series' mark and name.
    public var legend: String?

    public init(title: String, xLabel: String, series: [Series], logScale: Bool = false, legend: String? = nil) {
        self.legend = legend
        self.title = title
        self.xLabel = xLabel
        self.series = series
        self.logScale = logScale
    }

    /// The value range: 0 up to the largest value (linear), or the decades around the values (log).
    var valueRange: (Double, Double) {
        let values = series.flatMap { $0.points.map(\.value) }.filter { $0.isFinite && (!logScale || $0 > 0) }
        guard let top = values.max(), let bottom = values.min() else { return logScale ? (1e-3, 1) : (0, 1) }
        if logScale {
            let lo = Foundation.pow(10, Foundation.floor(Foundation.log10(bottom)))
            let hi = Foundation.pow(10, Foundation.ceil(Foundation.log10(top)))
            return (lo, hi > lo ? hi : lo * 10)
        }
        return (0, top > 0 ? top * 1.05 : 1)
    }

    var xRange: (Double, Double) {
        let xs = series.flatMap { $0.points.map(\.x) }
        let lo = xs.min() ?? 0, hi = xs.max() ?? 1
        return (lo, hi > lo ? hi : lo + 1)
    }

    /// The fraction of the way up the scale a value sits (0 bottom, 1 top).
    func height(_ v: Double) -> Double {
        let (lo, hi) = valueRange
        if logScale { return (Foundation.log10(v) - Foundation.log10(lo)) / (Foundation.log10(hi) - Foundation.log10(lo)) }
        return (v - lo) / (hi - lo)
    }

    public func characters(width: Int, height rows: Int, colored: Bool) -> TextCanvas {
        let (lo, hi) = valueRange, (x0, x1) = xRange
        let topLabel = formatMetric(hi, digits: 3), bottomLabel = formatMetric(lo, digits: 3)
        let gutter = Swift.max(topLabel.count, bottomLabel.count) + 1
        let plotW = Swift.max(4, width - gutter - 1), plotH = Swift.max(3, rows - 3)
        var canvas = TextCanvas(width: gutter + 1 + plotW, height: plotH + 3)
        let legend = self.legend ?? series.map { "\($0.mark) \($0.name)" }.joined(separator: "  ")
        canvas.put("\(title)\(logScale ? " (log scale)" : ""): \(legend)", x: gutter + 1, y: 0)
        canvas.put(topLabel, x: gutter - topLabel.count, y: 1)
        canvas.put(bottomLabel, x: gutter - bottomLabel.count, y: plotH)
        for r in 1...plotH { canvas.put("|", x: gutter, y: r) }
        canvas.put("+" + String(repeating: "-", count: plotW), x: gutter, y: plotH + 1)
        let endLabel = formatNumber(x1.rounded())
        canvas.put("\(xLabel) \(formatNumber(x0.rounded()))", x: gutter + 1, y: plotH + 2)
        canvas.put(endLabel, x: gutter + 1 + plotW - endLabel.count, y: plotH + 2)
        var cells: [Int: (Character, RGB?)] = [:]
        for s in series {
            for point in s.points where point.value.isFinite && (!logScale || point.value > 0) {
                let column = Int(((point.x - x0) / (x1 - x0) * Double(plotW - 1)).rounded())
                let up = Swift.min(1, Swift.max(0, height(point.value)))
                let row = 1 + Int(((1 - up) * Double(plotH - 1)).rounded())
                let key = row * canvas.width + gutter + 1 + column
                if let existing = cells[key], existing.0 != s.mark { cells[key] = ("@", Palette.positive) } else { cells[key] = (s.mark, s.color) }
            }
        }
        for (key, cell) in cells {
            canvas[key % canvas.width, key / canvas.width] = TextCell(cell.0, foreground: colored ? cell.1 : nil)
        }
        return canvas
    }

    /// The chart as an image: axes with their ranges, each series a line in its colour (or the class
    /// hues in order), and a legend of marks and names under the title.
    public func image(width: Int, height imageHeight: Int) -> Image {
        var image = Image(width: width, height: imageHeight)
        let left = 52, right = 12, top = 24 + 12 * ((series.count + 3) / 4), bottom = 28
        let plotW = Swift.max(1, width - left - right), plotH = Swift.max(1, imageHeight - top - bottom)
        image.drawText((title + (logScale ? " (LOG SCALE)" : "")).uppercased(), x: left, y: 6)
        func color(_ i: Int) -> RGB { series[i].color ?? Palette.classColor(i) }
        for (i, s) in series.enumerated() {
            let x = left + (i % 4) * Swift.max(60, plotW / 4), y = 18 + 12 * (i / 4)
            image.fillRect(x: x, y: y + 2, width: 10, height: 3, color(i))
            image.drawText("\(s.mark) \(s.name)".uppercased(), x: x + 14, y: y)
        }
        let (lo, hi) = valueRange, (x0, x1) = xRange
        image.drawChartAxes(left: left, top: top, width: plotW, height: plotH, low: formatMetric(lo, digits: 3),
                            high: formatMetric(hi, digits: 3), start: "\(xLabel.uppercased()) \(formatNumber(x0.rounded()))",
                            end: formatNumber(x1.rounded()))
        for (i, s) in series.enumerated() {
            var previous: (Double, Double)?
            for point in s.points {
                guard point.value.isFinite, !logScale || point.value > 0 else { previous = nil; continue }
                let up = Swift.min(1, Swift.max(0, height(point.value)))
                let here = (Double(left) + (point.x - x0) / (x1 - x0) * Double(plotW - 1), Double(top) + (1 - up) * Double(plotH - 1))
                if let p = previous { image.drawLine(x0: p.0, y0: p.1, x1: here.0, y1: here.1, thickness: 2, color(i)) }
                else { image.fillDisc(cx: here.0, cy: here.1, radius: 1, color(i)) }
                previous = here
            }
        }
        return image
    }
}
