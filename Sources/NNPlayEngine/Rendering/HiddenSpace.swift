/// ConvNetJS's view of a hidden layer: the input plane's grid lines and the data, pushed through the
/// network to layer K and drawn in the plane of two of its neurons. A layer that makes the classes
/// separable shows them pulled apart, with the mesh folded and stretched between them.
public struct HiddenSpace: Sendable {
    /// A point of the warped mesh: where it lands, and the class predicted at its origin.
    public struct MeshPoint: Equatable, Sendable {
        public var u: Double, v: Double
        public var predictedClass: Int
    }

    /// A data point where it lands.
    public struct DataPoint: Equatable, Sendable {
        public var u: Double, v: Double
        public var label: Int
        public var isTest: Bool
        /// Its colour in pictures: its class's, or its target's (regression).
        public var color: RGB
    }

    /// How the mesh and the points are coloured (by class, or by target for regression data).
    public let coloring: PointColoring

    /// The layer (0…H+1) and its two neurons (0-based) that give the plane.
    public let layer: Int
    public let neurons: (Int, Int)
    /// Vertical lines of the input grid first (x fixed), then horizontal ones (y fixed).
    public let lines: [[MeshPoint]]
    public let points: [DataPoint]
    /// The smallest rectangle holding the mesh and the points.
    public let bounds: Frame

    /// Computes the view. `lineCount` lines each way, each sampled at `samples` points.
    public init(network: Network, layer k: Int, neurons: (Int, Int), frame: Frame, data: Dataset?,
                selection: PointSelection = .all, lineCount: Int = 21, samples: Int = 64) {
        self.layer = k
        self.neurons = neurons
        var xs: [Double] = [], ys: [Double] = []
        let n = Swift.max(2, lineCount), m = Swift.max(2, samples)
        for vertical in [true, false] {
            for l in 0..<n {
                let fixed = Double(l) / Double(n - 1)
                for s in 0..<m {
                    let along = Double(s) / Double(m - 1)
                    let (fx, fy) = vertical ? (fixed, along) : (along, fixed)
                    xs.append(frame.xMin + fx * frame.width)
                    ys.append(frame.yMin + fy * frame.height)
                }
            }
        }
        var pointSource: [(Int, Bool)] = []
        if let data {
            for i in data.trainIndices where selection.includes(test: false) { pointSource.append((i, false)) }
            for i in data.testIndices where selection.includes(test: true) { pointSource.append((i, true)) }
            for (i, _) in pointSource { xs.append(data.xs[i]); ys.append(data.ys[i]) }
        }
        let (u, v, classes) = HiddenSpace.transform(network, layer: k, neurons: neurons, xs: xs, ys: ys)
        var lines: [[MeshPoint]] = []
        for l in 0..<(2 * n) {
            lines.append((0..<m).map { s in
                let i = l * m + s
                return MeshPoint(u: u[i], v: v[i], predictedClass: classes[i])
            })
        }
        let offset = 2 * n * m
        let coloring = data.map(PointColoring.init) ?? .classes
        self.coloring = coloring
        let points = pointSource.enumerated().map { (idx, source) in
            DataPoint(u: u[offset + idx], v: v[offset + idx], label: data?.labels[source.0] ?? 0, isTest: source.1,
                      color: data.map { coloring.pointColor($0, source.0) } ?? coloring.pointColor(label: 0, value: nil))
        }
        self.lines = lines
        self.points = points
        let us = u.filter(\.isFinite), vs = v.filter(\.isFinite)
        let uMin = us.min() ?? -1, uMax = us.max() ?? 1, vMin = vs.min() ?? -1, vMax = vs.max() ?? 1
        // a flat direction (a dead or constant neuron) still gets a unit of room
        let du = uMax - uMin > 1e-9 ? 0 : 0.5, dv = vMax - vMin > 1e-9 ? 0 : 0.5
        bounds = Frame(xMin: uMin - du, xMax: uMax + du, yMin: vMin - dv, yMax: vMax + dv)
    }

    /// Activations of two neurons of layer k, and the predicted class, at each point.
    static func transform(_ net: Network, layer k: Int, neurons: (Int, Int), xs: [Double], ys: [Double])
        -> ([Double], [Double], [Int]) {
        var u = [Double](repeating: 0, count: xs.count), v = u
        var classes = [Int](repeating: 0, count: xs.count)
        net.parameters.withUnsafeBufferPointer { buffer in
            guard let p = buffer.baseAddress else { return }
            net.forEachChunk(xs.count, x: { xs[$0] }, y: { ys[$0] }, parameters: p) { ws, start, count in
                let a = ws.activations[k]
                for s in 0..<count {
                    u[start + s] = a[neurons.0 * ws.stride + s]
                    v[start + s] = a[neurons.1 * ws.stride + s]
                    classes[start + s] = net.predictedClass(ws, point: s)
                }
            }
        }
        return (u, v, classes)
    }

    /// The view drawn into an image: mesh lines in the pale colour of the class predicted at their
    /// origin, data points as in the output picture (none when `pointRadius` is nil). A 4 % margin
    /// keeps points off the edges.
    public func image(width: Int, height: Int, pointRadius: Double?) -> Image {
        var image = Image(width: width, height: height)
        let (toX, toY) = mapping(width: Double(width), height: Double(height))
        for line in lines {
            for s in 1..<line.count {
                let a = line[s - 1], b = line[s]
                // regression has no classes to tint the mesh: it stays a neutral grey
                let color = coloring == .classes ? Palette.neutral.mixed(with: Palette.classColor(a.predictedClass), 0.7)
                                                 : Palette.neutral.mixed(with: Palette.ink, 0.4)
                image.drawLine(x0: toX(a.u), y0: toY(a.v), x1: toX(b.u), y1: toY(b.v), color)
            }
        }
        for p in points {
            guard let pointRadius else { break }
            MapPainter.drawPoint(&image, cx: toX(p.u), cy: toY(p.v), radius: pointRadius, color: p.color, isTest: p.isTest)
        }
        return image
    }

    /// Grid lines each way a picture of `columns × rows` cells can show apart: about one line every
    /// 3 columns and 2 rows (in half-block pixels, every 5 pixels: lines one pixel apart filled the
    /// picture in a real terminal), 3…21.
    public static func lineCount(columns: Int, rows: Int, halfBlocks: Bool) -> Int {
        let fit = halfBlocks ? Swift.min(columns, 2 * rows) / 5 : Swift.min(columns / 3, rows / 2)
        return Swift.max(3, Swift.min(21, fit + 1))
    }

    /// The view in plain characters: the mesh drawn with `-`, `|`, `/` and `\` by the direction of
    /// each piece (`+` where two lines cross), class markers for the points.
    public func characters(width: Int, height: Int) -> TextCanvas {
        var canvas = TextCanvas(width: width, height: height)
        // which line drew each cell last, so that crossings show as +
        var owner = [Int](repeating: -1, count: width * height)
        let (toX, toY) = mapping(width: Double(width), height: Double(height))
        for (l, line) in lines.enumerated() {
            for s in 1..<line.count {
                let a = line[s - 1], b = line[s]
                // only the part inside the canvas is stepped along (ends may lie at ±1e308)
                guard let (x0, y0, x1, y1) = clipSegment(toX(a.u), toY(a.v), toX(b.u), toY(b.v), xMin: 0, xMax: Double(width),
                                                         yMin: 0, yMax: Double(height)) else { continue }
                let mark = HiddenSpace.stroke(dx: x1 - x0, dy: y1 - y0)
                let steps = Swift.max(1, Int((abs(x1 - x0) + abs(y1 - y0)).rounded(.up)) * 2)
                for t in 0...steps {
                    let f = Double(t) / Double(steps)
                    let x = x0 + (x1 - x0) * f, y = y0 + (y1 - y0) * f
                    guard x < Double(width) && y < Double(height) else { continue }
                    let i = Int(y) * width + Int(x)
                    let crossing = canvas.cells[i].char == "+" || (owner[i] >= 0 && owner[i] != l && canvas.cells[i].char != mark)
                    canvas[Int(x), Int(y)] = TextCell(crossing ? "+" : mark)
                    owner[i] = l
                }
            }
        }
        for p in points {
            let x = toX(p.u), y = toY(p.v)
            guard x >= 0, y >= 0, x < Double(width), y < Double(height) else { continue }   // false for NaN too
            canvas[Int(x), Int(y)] = TextCell(MapPainter.marker(forClass: p.label, test: p.isTest))
        }
        return canvas
    }

    /// The character of a piece of line going (dx, dy) cells, y down; a cell is about twice as tall
    /// as it is wide.
    static func stroke(dx: Double, dy: Double) -> Character {
        let across = abs(dx), down = 2 * abs(dy)
        if down < 0.5 * across { return "-" }
        if across < 0.5 * down { return "|" }
        return (dx > 0) == (dy > 0) ? "\\" : "/"
    }

    /// Functions from (u, v) to picture coordinates, with a margin.
    func mapping(width: Double, height: Double) -> ((Double) -> Double, (Double) -> Double) {
        let margin = 0.04
        let b = bounds
        // fractions of the bounds computed in halves, so that values near ±1e308 do not overflow
        let halfWidth = b.xMax / 2 - b.xMin / 2, halfHeight = b.yMax / 2 - b.yMin / 2
        let toX = { (u: Double) in width * margin + (u / 2 - b.xMin / 2) / halfWidth * (width * (1 - 2 * margin)) }
        let toY = { (v: Double) in height * margin + (b.yMax / 2 - v / 2) / halfHeight * (height * (1 - 2 * margin)) }
        return (toX, toY)
    }
}
