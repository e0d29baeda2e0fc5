import Foundation

/// The xterm 256-colour palette (the 6×6×6 cube and 24 greys), chosen from so that a picture keeps
/// its hues. Seen in a real xterm: the nearest colour by RGB distance turned Playground's pale blues
/// teal and lavender and its pale oranges salmon — bands of the wrong hue across every map. So
/// colours are compared in OKLab (a perceptual space) and only palette colours of nearly the same
/// hue are candidates (greys for greys and, with them, for pale colours). Dithering was tried and
/// left out: at one pixel per half cell a 4×4 ordered dither showed as a checkerboard, and between
/// close colours only it did not bring the maps measurably nearer the true scale.
public enum TerminalPalette {
    /// Channel levels of the colour cube (indices 16…231).
    static let cubeLevels = [0, 95, 135, 175, 215, 255]
    /// Colours with less OKLab chroma than this count as grey (their hue means nothing).
    static let greyChroma = 0.02
    /// Candidates differ from a colour's hue by at most this (radians, 12°).
    static let hueTolerance = 12 * Double.pi / 180

    /// A colour in OKLab (Björn Ottosson, 2020): lightness and two opponent axes.
    struct Lab { var l, a, b: Double
        var chroma: Double { (a * a + b * b).squareRoot() }
        var hue: Double { atan2(b, a) }
        func distance(_ o: Lab) -> Double { (l - o.l) * (l - o.l) + (a - o.a) * (a - o.a) + (b - o.b) * (b - o.b) }
    }

    static func lab(_ c: RGB) -> Lab {
        let r = RGB.linear(c.r), g = RGB.linear(c.g), b = RGB.linear(c.b)
        let l = cbrt(0.4122214708 * r + 0.5363325363 * g + 0.0514459929 * b)
        let m = cbrt(0.2119034982 * r + 0.6806995451 * g + 0.1073969566 * b)
        let s = cbrt(0.0883024619 * r + 0.2817188376 * g + 0.6299787005 * b)
        return Lab(l: 0.2104542553 * l + 0.7936177850 * m - 0.0040720468 * s,
                   a: 1.9779984951 * l - 2.4285922050 * m + 0.4505937099 * s,
                   b: 0.0259040371 * l + 0.7827717662 * m - 0.8086757660 * s)
    }

    /// The palette's colours 16…255 in OKLab, with their chroma and hue, at offset index − 16.
    static let palette: [(lab: Lab, chroma: Double, hue: Double)] = (16..<256).map {
        let l = lab(color(ofIndex: $0))
        return (l, l.chroma, l.hue)
    }

    /// Whether a palette colour may stand for `target`: one of nearly its hue, or a grey for a
    /// grey or pale colour.
    static func isCandidate(_ p: (lab: Lab, chroma: Double, hue: Double), for target: Lab) -> Bool {
        let c = target.chroma
        if p.chroma < greyChroma { return c < 3 * greyChroma }
        guard c >= greyChroma else { return false }
        var d = abs(p.hue - target.hue)
        if d > Double.pi { d = 2 * Double.pi - d }
        return d <= hueTolerance
    }

    /// The nearest palette colour (OKLab distance) among those of the same hue. Remembered: a
    /// search costs about 240 OKLab distances, and a picture (a live frame, a point's halo) asks
    /// for the same colours again and again.
    public static func nearest(_ color: RGB) -> Int {
        let key = UInt32(color.r) << 16 | UInt32(color.g) << 8 | UInt32(color.b)
        if let known = remembered.value(for: key) { return Int(known) }
        let index = search(color)
        remembered.store(UInt8(index), for: key)
        return index
    }

    /// Choices made so far (at most `NearestCache.limit` colours; forgotten all at once beyond).
    static let remembered = NearestCache()

    static func search(_ color: RGB) -> Int {
        let t = lab(color)
        var best: Int?, bestDistance = Double.infinity, fallback = 16, fallbackDistance = Double.infinity
        for (k, p) in palette.enumerated() {
            let d = p.lab.distance(t)
            if d < fallbackDistance { fallback = k + 16; fallbackDistance = d }
            if d < bestDistance && isCandidate(p, for: t) { best = k + 16; bestDistance = d }
        }
        return best ?? fallback
    }

    /// The colour a palette index stands for (16…255; the 16 system colours vary by terminal and are
    /// never chosen).
    public static func color(ofIndex i: Int) -> RGB {
        if i >= 232 {
            let v = UInt8(8 + 10 * (i - 232))
            return RGB(v, v, v)
        }
        let c = Swift.max(0, i - 16)
        return RGB(UInt8(cubeLevels[c / 36]), UInt8(cubeLevels[(c / 6) % 6]), UInt8(cubeLevels[c % 6]))
    }
}

/// A lock-guarded memo of `TerminalPalette.nearest` (pictures are drawn on several threads).
final class NearestCache: @unchecked Sendable {
    static let limit = 1 << 16
    private let lock = NSLock()
    private var choices: [UInt32: UInt8] = [:]

    func value(for key: UInt32) -> UInt8? {
        lock.lock(); defer { lock.unlock() }
        return choices[key]
    }

    func store(_ index: UInt8, for key: UInt32) {
        lock.lock(); defer { lock.unlock() }
        if choices.count >= Self.limit { choices.removeAll(keepingCapacity: true) }
        choices[key] = index
    }
}
