/// Train and test loss over epochs, with axes and labels.
public struct LossChart: Sendable {
    public let history: [EpochRecord]

    public init(history: [EpochRecord]) { self.history = history }

    public static let trainColor = Palette.ink
    public static let testColor = Palette.negative

    /// The vertical range: 0 up to the largest loss (a little more, so the curve's top shows).
    var valueRange: (Double, Double) {
        let values = history.flatMap { [$0.train?.loss, $0.test?.loss].compactMap { $0 } }.filter(\.isFinite)
        let top = values.max() ?? 1
        return (0, top > 0 ? top * 1.05 : 1)
    }

    var epochRange: (Int, Int) { (history.first?.epoch ?? 0, Swift.max(history.last?.epoch ?? 1, (history.first?.epoch ?? 0) + 1)) }

    /// The chart as an image with a 5×7-font title, axis labels and a legend.
    public func image(width: Int, height: Int) -> Image {
        var image = Image(width: width, height: height)
        let left = 48, right = 12, top = 24, bottom = 28
        let plotW = Swift.max(1, width - left - right), plotH = Swift.max(1, height - top - bottom)
        image.drawText("LOSS", x: left, y: 6)
        drawKey(into: &image, from: left + Image.textWidth("LOSS") + Legend.itemGap, to: width - right)
        let (lo, hi) = valueRange, (e0, e1) = epochRange
        image.drawChartAxes(left: left, top: top, width: plotW, height: plotH, low: formatMetric(lo, digits: 3),
                            high: formatMetric(hi, digits: 3), start: "EPOCH \(e0)", end: "\(e1)")
        guard !history.isEmpty else {
            image.drawText("NO EPOCHS YET", x: left + 10, y: top + plotH / 2)
            return image
        }
        func x(_ epoch: Int) -> Double { Double(left) + Double(epoch - e0) / Double(e1 - e0) * Double(plotW - 1) }
        func y(_ v: Double) -> Double { Double(top) + (1 - (v - lo) / (hi - lo)) * Double(plotH - 1) }
        for (color, key) in [(LossChart.trainColor, \EpochRecord.train), (LossChart.testColor, \EpochRecord.test)] {
            var previous: (Double, Double)?
            for r in history {
                guard let loss = r[keyPath: key]?.loss, loss.isFinite else { previous = nil; continue }
                let point = (x(r.epoch), y(loss))
                if let p = previous { image.drawLine(x0: p.0, y0: p.1, x1: point.0, y1: point.1, thickness: 2, color) }
                else { image.fillDisc(cx: point.0, cy: point.1, radius: 1, color) }
                previous = point
            }
        }
        return image
    }

    /// The curves' key in the header, right-aligned between `x0` and `x1`: a stretch of each curve
    /// shown and its name; where that does not fit, the names alone in their curves' colours.
    func drawKey(into image: inout Image, from x0: Int, to x1: Int) {
        let curves = [(LossChart.trainColor, "TRAIN", \EpochRecord.train), (LossChart.testColor, "TEST", \EpochRecord.test)]
            .filter { curve in history.isEmpty || history.contains { $0[keyPath: curve.2] != nil } }
        let key = Legend(curves.map { .line($0.0, thickness: 2, $0.1) }, width: Swift.max(1, x1 - x0))
        if key.height <= Legend.textHeight {
            key.draw(into: &image, x: x1 - key.usedWidth, y: 6)
            return
        }
        var x = x1
        for (color, name, _) in curves.reversed() {
            x -= Image.textWidth(name)
            image.drawText(name, x: Swift.max(x0, x), y: 6, color)
            x -= Legend.itemGap
        }
    }

    /// The chart in characters: `*` train, `o` test (`@` where both fall), axes with labels.
    /// In colour modes the curves are coloured.
    public func characters(width: Int, height: Int, colored: Bool) -> TextCanvas {
        let (lo, hi) = valueRange, (e0, e1) = epochRange
        let topLabel = formatMetric(hi, digits: 3), bottomLabel = formatMetric(lo, digits: 3)
        let gutter = Swift.max(topLabel.count, bottomLabel.count) + 1
        let plotW = Swift.max(4, width - gutter - 1), plotH = Swift.max(3, height - 3)
        var canvas = TextCanvas(width: gutter + 1 + plotW, height: plotH + 3)
        canvas.put("loss: * train  o test", x: gutter + 1, y: 0)
        canvas.put(topLabel, x: gutter - topLabel.count, y: 1)
        canvas.put(bottomLabel, x: gutter - bottomLabel.count, y: plotH)
        for r in 1...plotH { canvas.put("|", x: gutter, y: r) }
        canvas.put("+" + String(repeating: "-", count: plotW), x: gutter, y: plotH + 1)
        let endLabel = "\(e1)"
        canvas.put("epoch \(e0)", x: gutter + 1, y: plotH + 2)
        canvas.put(endLabel, x: gutter + 1 + plotW - endLabel.count, y: plotH + 2)
        guard !history.isEmpty else {
            canvas.put("no epochs yet", x: gutter + 3, y: plotH / 2 + 1)
            return canvas
        }
        var cells: [Int: Character] = [:]
        for r in history {
            let column = Int((Double(r.epoch - e0) / Double(e1 - e0) * Double(plotW - 1)).rounded())
            for (mark, value) in [("*" as Character, r.train?.loss), ("o", r.test?.loss)] {
                guard let v = value, v.isFinite else { continue }
                let row = 1 + Int(((1 - (v - lo) / (hi - lo)) * Double(plotH - 1)).rounded())
                let key = row * canvas.width + gutter + 1 + column
                cells[key] = cells[key].map { $0 == mark ? mark : "@" } ?? mark
            }
        }
        for (key, mark) in cells {
            // train in the terminal's own colour (dark ink would vanish on a dark background)
            let color: RGB? = colored ? (mark == "o" ? LossChart.testColor : (mark == "@" ? Palette.positive : nil)) : nil
            canvas[key % canvas.width, key / canvas.width] = TextCell(mark, foreground: color)
        }
        return canvas
    }
}

extension Image {
    /// A chart's axes: the value axis on the left and the count axis at the bottom of the plot area,
    /// the value range at the axis' ends and the count range under it (loss and series charts).
    mutating func drawChartAxes(left: Int, top: Int, width plotW: Int, height plotH: Int,
                                low: String, high: String, start: String, end: String) {
        fillRect(x: left, y: top, width: 1, height: plotH, Palette.ink)
        fillRect(x: left, y: top + plotH - 1, width: plotW, height: 1, Palette.ink)
        drawText(high, x: 2, y: top)
        drawText(low, x: 2, y: top + plotH - 7)
        drawText(start, x: left, y: top + plotH + 8)
        drawText(end, x: left + plotW - Image.textWidth(end), y: top + plotH + 8)
    }
}
