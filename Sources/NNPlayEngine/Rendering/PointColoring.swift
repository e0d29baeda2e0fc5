/// How pictures colour what the network predicts and the data points: by class (each class's
/// colour, paler where the network is unsure), or for regression by value on one diverging scale —
/// orange below 0, white at 0, blue above (as Playground draws its regression data) — reaching full
/// colour at the largest |target| of the data, so the map and the points it should match read alike.
/// This is the one place pictures ask which problem the data is.
public enum PointColoring: Equatable, Sendable {
    case classes
    case values(ColorScale)

    public init(_ data: Dataset) {
        if let r = data.valueRange { self = .values(PointColoring.targetScale(min: r.min, max: r.max)) } else { self = .classes }
    }

    /// The scale of targets from `min` to `max`: centred on 0 (white) and symmetric, so that the
    /// sign of a value is its hue.
    public static func targetScale(min: Double, max: Double) -> ColorScale {
        let half = Swift.max(abs(min), abs(max))
        return ColorScale(center: 0, halfRange: half > 1e-12 ? half : 1, middle: .white)
    }

    /// The colour of output cell i of a map (`discrete`: class regions at one strength).
    public func cellColor(_ maps: GridMaps, _ i: Int, discrete: Bool) -> RGB {
        switch self {
        case .classes: return MapPainter.regionColor(maps.classes[i], confidence: discrete ? nil : maps.confidence[i])
        case .values(let scale): return scale.color(maps.values[i])
        }
    }

    /// The colour of a data point's disc: its class's dark shade, or its target's colour.
    public func pointColor(label: Int, value: Double?) -> RGB {
        switch self {
        case .classes: return Palette.dark(Palette.classColor(label))
        case .values(let scale): return scale.color(value ?? 0)
        }
    }

    /// Dataset point i's colour.
    public func pointColor(_ data: Dataset, _ i: Int) -> RGB {
        pointColor(label: data.labels[i], value: data.problem == .regression ? data.values[i] : nil)
    }
}
