import Foundation

/// A colour with 8 bits per channel.
public struct RGB: Equatable, Hashable, Sendable {
    public var r: UInt8, g: UInt8, b: UInt8

    public init(_ r: UInt8, _ g: UInt8, _ b: UInt8) { self.r = r; self.g = g; self.b = b }

    /// From `0xRRGGBB`.
    public init(hex: UInt32) {
        self.init(UInt8((hex >> 16) & 0xFF), UInt8((hex >> 8) & 0xFF), UInt8(hex & 0xFF))
    }

    public static let white = RGB(255, 255, 255)
    public static let black = RGB(0, 0, 0)

    /// The colour a fraction `t` (0…1) of the way from `self` to `other`.
    public func mixed(with other: RGB, _ t: Double) -> RGB {
        let u = Swift.min(1, Swift.max(0, t.isFinite ? t : 0))
        func lerp(_ a: UInt8, _ b: UInt8) -> UInt8 { UInt8((Double(a) + (Double(b) - Double(a)) * u).rounded()) }
        return RGB(lerp(r, other.r), lerp(g, other.g), lerp(b, other.b))
    }

    /// The nearest colour of the xterm 256-colour palette of the same hue (`TerminalPalette`).
    public var xterm256: Int { TerminalPalette.nearest(self) }

    func distance(to o: RGB) -> Int {
        let dr = Int(r) - Int(o.r), dg = Int(g) - Int(o.g), db = Int(b) - Int(o.b)
        return dr * dr + dg * dg + db * db
    }
}

/// The colours of pictures, after TensorFlow Playground: orange for negative values and class 0,
/// blue for positive values and class 1, a light grey in between; more classes get distinct hues.
public enum Palette {
    public static let negative = RGB(hex: 0xF59322)
    public static let positive = RGB(hex: 0x0877BD)
    public static let neutral = RGB(hex: 0xE8EAEB)
    public static let background = RGB.white
    public static let ink = RGB(hex: 0x333333)

    /// One colour per class: orange and blue first (Playground's two classes), then distinct hues.
    public static let classes: [RGB] = [
        0xF59322, 0x0877BD, 0x2CA02C, 0xD62728, 0x9467BD, 0x8C564B, 0xE377C2, 0xBCBD22,
        0x17BECF, 0x7F7F7F, 0x1F3B73, 0x0D7377, 0x800000, 0x6AA84F, 0xD4A017, 0xC2185B,
    ].map { RGB(hex: $0) }

    public static func classColor(_ c: Int) -> RGB { classes[c % classes.count] }

    /// A darker shade of a colour, for data points on top of their region.
    public static func dark(_ color: RGB) -> RGB { color.mixed(with: .black, 0.35) }
}

extension RGB {
    /// A channel in linear light (the sRGB transfer function undone), 0…1.
    static func linear(_ v: UInt8) -> Double {
        let c = Double(v) / 255
        return c <= 0.04045 ? c / 12.92 : pow((c + 0.055) / 1.055, 2.4)
    }

    /// Relative luminance (WCAG 2: linearised sRGB, 0 black … 1 white).
    public var luminance: Double {
        0.2126 * RGB.linear(r) + 0.7152 * RGB.linear(g) + 0.0722 * RGB.linear(b)
    }

    /// WCAG contrast ratio with another colour: 1 (the same) … 21 (black on white).
    public func contrast(with other: RGB) -> Double {
        let a = luminance, b = other.luminance
        return (Swift.max(a, b) + 0.05) / (Swift.min(a, b) + 0.05)
    }
}
