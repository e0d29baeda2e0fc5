/// The rectangle of the plane that pictures show and grids cover.
public struct Frame: Equatable, Sendable {
    public var xMin: Double, xMax: Double, yMin: Double, yMax: Double

    public init(xMin: Double, xMax: Double, yMin: Double, yMax: Double) {
        self.xMin = xMin; self.xMax = xMax; self.yMin = yMin; self.yMax = yMax
    }

    /// The frame of every built-in dataset: TensorFlow Playground draws its data in [-5, 5] inside [-6, 6].
    public static let standard = Frame(xMin: -6, xMax: 6, yMin: -6, yMax: 6)

    public var width: Double { xMax - xMin }
    public var height: Double { yMax - yMin }

    public func contains(x: Double, y: Double) -> Bool {
        x >= xMin && x <= xMax && y >= yMin && y <= yMax
    }

    /// A frame around points: the standard frame when they fit in it (so pictures of different
    /// datasets line up), else their bounding box with a 10 % margin.
    public static func enclosing(xs: [Double], ys: [Double]) -> Frame {
        guard let x0 = xs.min(), let x1 = xs.max(), let y0 = ys.min(), let y1 = ys.max() else { return .standard }
        if standard.contains(x: x0, y: y0) && standard.contains(x: x1, y: y1) { return .standard }
        let mx = Swift.max((x1 - x0) * 0.1, 0.5), my = Swift.max((y1 - y0) * 0.1, 0.5)
        return Frame(xMin: x0 - mx, xMax: x1 + mx, yMin: y0 - my, yMax: y1 + my)
    }
}
