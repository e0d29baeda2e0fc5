/// The xterm 256-colour palette with ordered dithering: a smooth scale drawn with only the 6×6×6
/// cube and the 24 greys shows bands (the cube has six levels per channel, 0 and 95 the first two),
/// so half-block pixels pick between the two palette levels around each channel by a 4×4 Bayer
/// threshold at their position. Over a few cells the palette colours then average to the true one.
public enum PaletteDithering {
    /// The Bayer matrix: thresholds 0…15, each used once in every 4×4 block.
    static let bayer: [[Int]] = [[0, 8, 2, 10], [12, 4, 14, 6], [3, 11, 1, 9], [15, 7, 13, 5]]

    /// Channel levels of the colour cube (indices 16…231).
    static let cubeLevels = [0, 95, 135, 175, 215, 255]
    /// The grey ramp's levels (indices 232…255), with the cube's black and white at its ends.
    static let greyLevels = [0] + (0..<24).map { 8 + 10 * $0 } + [255]

    /// Colours whose channels lie this close together are drawn from the grey ramp, which has
    /// four times the cube's levels.
    static let greySpread = 12

    /// The threshold (0…1, exclusive) of pixel (x, y).
    static func threshold(_ x: Int, _ y: Int) -> Double {
        (Double(bayer[y & 3][x & 3]) + 0.5) / 16
    }

    /// The palette index for `color` at pixel (x, y).
    public static func index(_ color: RGB, x: Int, y: Int) -> Int {
        let t = threshold(x, y)
        let r = Int(color.r), g = Int(color.g), b = Int(color.b)
        if Swift.max(r, g, b) - Swift.min(r, g, b) <= greySpread {
            let level = pick((r + g + b + 1) / 3, greyLevels, t)
            if level == 0 { return 16 }
            if level == greyLevels.count - 1 { return 231 }
            return 232 + level - 1
        }
        return 16 + 36 * pick(r, cubeLevels, t) + 6 * pick(g, cubeLevels, t) + pick(b, cubeLevels, t)
    }

    /// The level index for value `v`: the lower or upper neighbour level, the upper one when the
    /// fraction of the way to it exceeds the threshold.
    static func pick(_ v: Int, _ levels: [Int], _ t: Double) -> Int {
        var i = 0
        while i + 1 < levels.count && levels[i + 1] <= v { i += 1 }
        guard i + 1 < levels.count, v > levels[i] else { return i }
        let fraction = Double(v - levels[i]) / Double(levels[i + 1] - levels[i])
        return fraction > t ? i + 1 : i
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
