/// Maps a neuron's values to colours: orange below the centre, blue above, light grey at it
/// (TensorFlow Playground's scale), reaching full colour at `center ± halfRange`.
public struct ColorScale: Equatable, Sendable {
    public var center: Double
    public var halfRange: Double
    /// The colour at the centre: Playground's light grey for neurons, white for regression targets.
    public var middle: RGB

    public init(center: Double, halfRange: Double, middle: RGB = Palette.neutral) {
        self.center = center
        self.halfRange = halfRange > 0 && halfRange.isFinite ? halfRange : 1
        self.middle = middle
    }

    /// −1…1: where a value lies between full orange and full blue.
    @inlinable
    public func position(_ v: Double) -> Double {
        guard v.isFinite else { return 0 }
        return Swift.max(-1, Swift.min(1, (v - center) / halfRange))
    }

    public func color(_ v: Double) -> RGB {
        let t = position(v)
        return t < 0 ? middle.mixed(with: Palette.negative, -t) : middle.mixed(with: Palette.positive, t)
    }

    /// The scale for a map: bounded activations use their range (sigmoid 0…1 around 0.5, tanh −1…1);
    /// unbounded ones (relu, linear, inputs, …) stretch to the largest distance from their centre in
    /// the map, so that every map shows its shape.
    public static func forMap<C: Collection<Double>>(_ values: C, center: Double, bounded halfRange: Double?) -> ColorScale {
        if let h = halfRange { return ColorScale(center: center, halfRange: h) }
        var largest = 0.0
        for v in values where v.isFinite { largest = Swift.max(largest, abs(v - center)) }
        return ColorScale(center: center, halfRange: largest > 1e-12 ? largest : 1)
    }
}

extension Network {
    /// The centre and, for bounded functions, the half-range of the colour scale of layer k (0…H+1).
    public func colorScaleBounds(layer k: Int) -> (center: Double, halfRange: Double?) {
        if k == 0 { return (0, nil) }
        // softmax outputs lie in 0…1, as sigmoid's do
        switch k == hiddenCount + 1 ? outputActivation.elementwise ?? .sigmoid : hiddenActivations[k - 1] {
        case .sigmoid: return (0.5, 0.5)
        case .tanh: return (0, 1)
        default: return (0, nil)
        }
    }
}
