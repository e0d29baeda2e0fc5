import Foundation

/// Pictures of a loss landscape: a heat map (dark blue for low loss to bright yellow for high, on a
/// log scale stretched from the lowest value), contour lines at a few loss levels, and the optimiser's
/// path (S its start, X the current weights at the centre), for the terminal or a PPM file.
public enum LandscapePictures {
    /// Contour levels drawn: the boundaries of this many equal steps of the colour scale.
    static let bands = 8
    /// ascii: one character per step of the scale, low to high.
    static let shades: [Character] = [" ", ".", ":", "-", "=", "+", "*", "#"]
    /// The colour stops from low to high loss (after viridis: dark blue, teal, green, yellow).
    static let stops: [RGB] = [0x23135A, 0x2E4B8E, 0x21818C, 0x2CB07F, 0x8FD14A, 0xFDE725].map { RGB(hex: $0) }
    static let contour = RGB(hex: 0xFFFFFF)
    static let unknown = RGB(hex: 0x9A9A9A)
    static let pathColor = RGB(hex: 0xFF4040)

    /// Where a loss lies on the scale, 0 (lowest) … 1 (highest); nil when it is not finite.
    struct Scale {
        let low: Double, high: Double, offset: Double

        init(_ landscape: Landscape) {
            let finite = landscape.loss.filter(\.isFinite)
            low = finite.min() ?? 0
            high = finite.max() ?? 0
            // log(x − low + offset): detail near the minimum, where the optimiser ends up
            offset = Swift.max((high - low) / 100, Swift.max(abs(high), 1) * 1e-12)
        }

        func position(_ x: Double) -> Double? {
            guard x.isFinite else { return nil }
            guard high > low else { return 0 }
            let t = log((x - low + offset) / offset) / log((high - low + offset) / offset)
            return t.isFinite ? Swift.max(0, Swift.min(1, t)) : 0
        }

        /// The loss at scale position t.
        func value(at t: Double) -> Double { low - offset + offset * exp(t * log((high - low + offset) / offset)) }

        /// The step of the scale a position falls in, 0…bands−1.
        func band(_ t: Double) -> Int { Swift.min(bands - 1, Int(t * Double(bands))) }

        func color(_ t: Double?) -> RGB {
            guard let t else { return unknown }
            let x = t * Double(stops.count - 1), i = Swift.min(stops.count - 2, Int(x))
            return stops[i].mixed(with: stops[i + 1], x - Double(i))
        }

        /// The losses at the contour lines (the band boundaries).
        var levels: [Double] { (1..<bands).map { value(at: Double($0) / Double(bands)) } }
    }

    // MARK: Terminal

    /// `plot landscape`: the map with axis labels, a title, the colour legend and the path's key.
    /// `maxWidth` cuts the title and legend (the map itself is the size asked for).
    public static func canvas(_ l: Landscape, _ mode: ColorMode, maxWidth: Int) -> TextCanvas {
        let scale = Scale(l)
        let plain = mode == .plain
        let w = l.columns, h = plain ? l.rows : (l.rows + 1) / 2
        var map = TextCanvas(width: w, height: h)
        // picture row y (0 at the top, v = +span) → the landscape's row
        func t(_ c: Int, _ y: Int) -> Double? { scale.position(l.value(c, l.rows - 1 - y)) }
        func onContour(_ c: Int, _ y: Int) -> Bool {
            guard let here = t(c, y) else { return false }
            let b = scale.band(here)
            for (dc, dy) in [(1, 0), (0, 1), (-1, 0), (0, -1)] {
                let c2 = c + dc, y2 = y + dy
                guard c2 >= 0, y2 >= 0, c2 < w, y2 < l.rows, let there = t(c2, y2) else { continue }
                // the line goes on the lower side of each boundary
                if scale.band(there) > b { return true }
            }
            return false
        }
        if plain {
            for y in 0..<h {
                for c in 0..<w {
                    map[c, y] = TextCell(t(c, y).map { shades[scale.band($0)] } ?? "?")
                }
            }
        } else {
            var image = Image(width: w, height: l.rows)
            for y in 0..<l.rows {
                for c in 0..<w {
                    let base = scale.color(t(c, y))
                    image[c, y] = onContour(c, y) ? base.mixed(with: contour, 0.6) : base
                }
            }
            map = TextCanvas.halfBlocks(image)
        }
        drawPath(&map, l, rowsPerCell: plain ? 1 : 2, mode)
        let top = "+" + formatMetric(l.span, digits: 3), bottom = "-" + formatMetric(l.span, digits: 3)
        let gutter = Swift.max(top.count, bottom.count) + 1
        let title = "loss landscape: across \(l.axes[0]), up \(l.axes[1])"
        let range = "loss \(formatMetric(scale.low)) … \(formatMetric(scale.high))"
        let levels = distinctLabels(scale.levels).joined(separator: " ")
        let key = plain ? ["\"\(String(shades))\" low…high (log scale); a step of the shades at each contour level:", "  " + levels]
                        : ["contours (light lines) at " + levels]
        let marks = plain ? "S start  o path  X now (centre)" : "S start  • path  X now (centre)"
        let textWidth = Swift.max(gutter + w, Swift.min(maxWidth, 80))
        let lines = ([range] + key + [marks + (l.loss.contains { !$0.isFinite } ? "  ? loss not finite" : "")]).map { TerminalPictures.fit($0, textWidth) }
        var canvas = TextCanvas(width: Swift.max(gutter + w, lines.map(\.count).max() ?? 0, Swift.min(title.count, textWidth)),
                                height: h + 2 + lines.count)
        canvas.put(TerminalPictures.fit(title, textWidth), x: 0, y: 0)
        canvas.put(top, x: gutter - 1 - top.count, y: 1)
        canvas.put(bottom, x: gutter - 1 - bottom.count, y: h)
        canvas.draw(map, x: gutter, y: 1)
        canvas.put(bottom, x: gutter, y: h + 1)
        canvas.put("0", x: gutter + w / 2, y: h + 1)
        canvas.put(top, x: gutter + w - top.count, y: h + 1)
        for (i, line) in lines.enumerated() { canvas.put(line, x: 0, y: h + 2 + i) }
        if !plain {
            // the range line's "…" becomes a colour bar
            var bar = TextCanvas(width: 12, height: 1)
            for x in 0..<12 { bar[x, 0] = TextCell(" ", background: scale.color(Double(x) / 11)) }
            let low = "loss \(formatMetric(scale.low)) "
            canvas.put(String(repeating: " ", count: canvas.width), x: 0, y: h + 2)
            canvas.put(low, x: 0, y: h + 2)
            canvas.draw(bar, x: low.count, y: h + 2)
            canvas.put(" \(formatMetric(scale.high))  (log scale)", x: low.count + 12, y: h + 2)
        }
        return canvas
    }

    /// The levels with as few significant digits (3…6) as keep neighbours apart: levels of a flat
    /// landscape would otherwise all read alike.
    static func distinctLabels(_ levels: [Double]) -> [String] {
        for digits in 3...6 {
            let labels = levels.map { formatMetric($0, digits: digits) }
            if zip(labels, labels.dropFirst()).allSatisfy({ $0 != $1 }) { return labels }
        }
        return levels.map { formatMetric($0, digits: 6) }
    }

    /// The path's points as (column, picture row) positions, or nil where not finite.
    static func position(_ p: LandscapePoint, _ l: Landscape, columns: Double, rows: Double) -> (Double, Double)? {
        let x = (p.u + l.span) / (2 * l.span) * (columns - 1), y = (l.span - p.v) / (2 * l.span) * (rows - 1)
        guard x.isFinite, y.isFinite, abs(x) < 1e7, abs(y) < 1e7 else { return nil }
        return (x, y)
    }

    /// The path as dots along its segments, S at its start and X at the centre.
    static func drawPath(_ map: inout TextCanvas, _ l: Landscape, rowsPerCell: Int, _ mode: ColorMode) {
        let plain = mode == .plain
        func put(_ ch: Character, _ x: Double, _ y: Double) {
            let c = Int(x.rounded()), r = Int(y.rounded()) / rowsPerCell
            guard c >= 0, r >= 0, c < map.width, r < map.height else { return }
            map[c, r] = plain ? TextCell(ch) : TextCell(ch, foreground: pathColor, background: map[c, r].foreground ?? Palette.ink)
        }
        let points = l.path.map { position($0, l, columns: Double(l.columns), rows: Double(l.rows)) }
        for (a, b) in zip(points, points.dropFirst()) {
            guard let a, let b else { continue }
            let steps = Swift.min(4 * (l.columns + l.rows), Int(Swift.max(abs(b.0 - a.0), abs(b.1 - a.1) / Double(rowsPerCell)).rounded(.up)))
            for s in 0...Swift.max(1, steps) {
                let f = Double(s) / Double(Swift.max(1, steps))
                put(plain ? "o" : "•", a.0 + (b.0 - a.0) * f, a.1 + (b.1 - a.1) * f)
            }
        }
        if let first = points.first, let start = first { put("S", start.0, start.1) }
        put("X", Double(l.columns / 2), Double(l.rows / 2))
    }

    // MARK: PPM

    /// Pixels per cell of an exported landscape: at least 512 pixels across.
    public static func pixelsPerCell(columns: Int, rows: Int) -> Int { Swift.max(1, 512 / Swift.max(columns, rows)) }

    /// Margins of the exported picture around the map.
    static let left = 56, top = 24, bottom = 64, right = 24

    /// The size of the exported picture of a `columns × rows` landscape.
    public static func imageSize(columns: Int, rows: Int) -> (width: Int, height: Int) {
        let s = pixelsPerCell(columns: columns, rows: rows)
        return (Swift.max(left + columns * s + right, 360), top + rows * s + bottom)
    }

    /// `export landscape`: the map drawn smooth (bilinear between cells), contour lines, the path,
    /// the axis names and ranges, and the colour bar with its values.
    public static func image(_ l: Landscape) -> Image {
        let scale = Scale(l)
        let s = pixelsPerCell(columns: l.columns, rows: l.rows)
        let size = imageSize(columns: l.columns, rows: l.rows)
        var image = Image(width: size.width, height: size.height)
        let mw = l.columns * s, mh = l.rows * s
        // scale positions of the cells, picture row 0 at v = +span
        let ts = (0..<l.rows).map { y in (0..<l.columns).map { c in scale.position(l.value(c, l.rows - 1 - y)) } }
        func sample(_ px: Int, _ py: Int) -> Double? {
            let gx = Swift.max(0, Swift.min(Double(l.columns - 1), (Double(px) + 0.5) / Double(s) - 0.5))
            let gy = Swift.max(0, Swift.min(Double(l.rows - 1), (Double(py) + 0.5) / Double(s) - 0.5))
            let c0 = Int(gx), r0 = Int(gy), c1 = Swift.min(l.columns - 1, c0 + 1), r1 = Swift.min(l.rows - 1, r0 + 1)
            guard let a = ts[r0][c0], let b = ts[r0][c1], let c = ts[r1][c0], let d = ts[r1][c1] else { return nil }
            let fx = gx - Double(c0), fy = gy - Double(r0)
            return (a * (1 - fx) + b * fx) * (1 - fy) + (c * (1 - fx) + d * fx) * fy
        }
        var bands = [Int](repeating: -1, count: mw * mh)
        for py in 0..<mh {
            for px in 0..<mw {
                let t = sample(px, py)
                if let t { bands[py * mw + px] = scale.band(t) }
                image[left + px, top + py] = scale.color(t)
            }
        }
        for py in 0..<mh {
            for px in 0..<mw {
                let b = bands[py * mw + px]
                guard b >= 0 else { continue }
                let right = px + 1 < mw ? bands[py * mw + px + 1] : -1, below = py + 1 < mh ? bands[(py + 1) * mw + px] : -1
                if right > b || below > b || (right >= 0 && right < b) || (below >= 0 && below < b) {
                    image[left + px, top + py] = image[left + px, top + py].mixed(with: contour, 0.7)
                }
            }
        }
        // the path, in map pixels
        let points = l.path.map { position($0, l, columns: Double(l.columns), rows: Double(l.rows)) }
        func pixel(_ p: (Double, Double)) -> (Double, Double) { (Double(left) + (p.0 + 0.5) * Double(s), Double(top) + (p.1 + 0.5) * Double(s)) }
        for (a, b) in zip(points, points.dropFirst()) {
            guard let a, let b else { continue }
            let pa = pixel(a), pb = pixel(b)
            image.drawLine(x0: pa.0, y0: pa.1, x1: pb.0, y1: pb.1, thickness: 2, pathColor)
        }
        if let first = points.first, let start = first {
            let p = pixel(start)
            image.fillDisc(cx: p.0, cy: p.1, radius: 5, .white)
            image.fillDisc(cx: p.0, cy: p.1, radius: 3.5, pathColor)
        }
        let centre = pixel((Double(l.columns / 2), Double(l.rows / 2)))
        image.fillDisc(cx: centre.0, cy: centre.1, radius: 5, .black)
        image.fillDisc(cx: centre.0, cy: centre.1, radius: 3, .white)
        image.strokeRect(x: left - 1, y: top - 1, width: mw + 2, height: mh + 2, Palette.ink)
        // labels
        let plus = "+" + formatMetric(l.span, digits: 3), minus = "-" + formatMetric(l.span, digits: 3)
        image.drawText("LOSS LANDSCAPE: ACROSS \(l.axes[0]), UP \(l.axes[1])", x: 4, y: 8)
        image.drawText(plus, x: left - 4 - Image.textWidth(plus), y: top)
        image.drawText(minus, x: left - 4 - Image.textWidth(minus), y: top + mh - 7)
        image.drawText(minus, x: left, y: top + mh + 5)
        image.drawText(plus, x: left + mw - Image.textWidth(plus), y: top + mh + 5)
        let low = formatMetric(scale.low), high = formatMetric(scale.high)
        let barY = top + mh + 22, barX = left + Image.textWidth(low) + 6
        image.drawText(low, x: left, y: barY)
        for x in 0..<120 { image.fillRect(x: barX + x, y: barY - 1, width: 1, height: 9, scale.color(Double(x) / 119)) }
        image.drawText(high + " (LOG)", x: barX + 126, y: barY)
        image.drawText("S START, LINE PATH, O NOW", x: left, y: barY + 16)
        return image
    }
}
