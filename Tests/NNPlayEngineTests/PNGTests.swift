import CPNG
import Foundation
import NNPlayEngine
import Testing

/// PNG files through libpng: decoded back (by libpng's own reader here, by Pillow in the shell and
/// end-to-end tests) they give exactly the picture's pixels, at awkward and large sizes.
@Suite struct PNGTests {
    /// A picture of the given size with pixels from a seeded stream (`noisy`) or a few flat bands.
    static func picture(width: Int, height: Int, noisy: Bool, seed: UInt64 = 7) -> Image {
        var image = Image(width: width, height: height)
        var state = seed
        for i in 0..<image.bytes.count {
            if noisy {
                state = state &* 6364136223846793005 &+ 1442695040888963407
                image.bytes[i] = UInt8(truncatingIfNeeded: state >> 56)
            } else {
                let pixel = i / 3, x = pixel % width, y = pixel / width
                image.bytes[i] = UInt8(truncatingIfNeeded: (x / 7) * 40 + (y / 5) * 90 + (i % 3) * 85)
            }
        }
        return image
    }

    /// Reads a PNG with libpng's simplified reader as 8-bit RGB: width, height, pixels.
    static func decode(_ bytes: [UInt8]) throws -> (width: Int, height: Int, pixels: [UInt8]) {
        var png = png_image()
        png.version = png_uint_32(PNG_IMAGE_VERSION)
        let begun = bytes.withUnsafeBytes { raw in png_image_begin_read_from_memory(&png, raw.baseAddress, raw.count) }
        guard begun != 0 else { throw NNPlayError("libpng cannot read it: \(message(png))") }
        png.format = png_uint_32(PNG_FORMAT_RGB)
        let width = Int(png.width), height = Int(png.height)
        var pixels = [UInt8](repeating: 0, count: 3 * width * height)
        let finished = bytes.withUnsafeBytes { _ in
            pixels.withUnsafeMutableBytes { out in png_image_finish_read(&png, nil, out.baseAddress, png_int_32(3 * width), nil) }
        }
        png_image_free(&png)
        guard finished != 0 else { throw NNPlayError("libpng cannot read it: \(message(png))") }
        return (width, height, pixels)
    }

    static func message(_ png: png_image) -> String {
        withUnsafeBytes(of: png.message) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
    }

    /// The header fields of the IHDR chunk: width, height, bit depth, colour type, interlace.
    static func header(_ bytes: [UInt8]) -> [Int] {
        let be = { (i: Int) in bytes[i..<(i + 4)].reduce(0) { $0 << 8 | Int($1) } }
        return [be(16), be(20), Int(bytes[24]), Int(bytes[25]), Int(bytes[28])]
    }

    @Test(arguments: [(1, 1), (3, 5), (257, 3), (2, 1), (1, 300), (1000, 1000)])
    func aPNGDecodedByLibpngGivesExactlyThePixels(width: Int, height: Int) throws {
        for noisy in [false, true] {
            let image = Self.picture(width: width, height: height, noisy: noisy)
            let png = try PNG.encode(image)
            #expect(png.prefix(8) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
            // 8-bit truecolour (colour type 2), not interlaced
            #expect(Self.header(png) == [width, height, 8, 2, 0])
            let decoded = try Self.decode(png)
            #expect(decoded.width == width && decoded.height == height)
            #expect(decoded.pixels == image.bytes, "\(width)×\(height) noisy=\(noisy)")
            // flat colours compress; noise does not, and still fits (libpng asks for more room)
            if !noisy && width * height >= 10_000 { #expect(png.count < image.bytes.count / 10) }
            if noisy && width * height >= 10_000 { #expect(png.count > image.bytes.count) }
        }
    }

    @Test func aRenderedPictureHasTheSamePixelsInBothFormats() throws {
        let net = try Network(features: [.x, .y], hidden: [(4, .tanh), (3, .relu)], classes: 3)
        var settings = TrainingSettings()
        settings.loss = .ce
        let p = try Playground(dataset: try Dataset.generate(.spiral, count: 100, classes: 3), network: net, settings: settings)
        let image = PosterPictures.output(p, size: 97, points: .all, discrete: false)
        let decoded = try Self.decode(try PictureFormat.png.encode(image))
        let ppm = try PictureFormat.ppm.encode(image)
        #expect(ppm == PPM.encode(image))
        #expect(Array(ppm.suffix(3 * 97 * 97)) == decoded.pixels && decoded.pixels == image.bytes)
    }

    @Test func aPictureWithoutPixelsIsAnErrorNotACrash() {
        #expect(throws: NNPlayError.self) { try PNG.encode(Image(width: 0, height: 0)) }
        #expect(throws: NNPlayError.self) { try PNG.encode(Image(width: 5, height: 0)) }
    }

    @Test func theExtensionPicksTheFormat() throws {
        #expect(try PictureFormat(path: "a.png") == .png)
        #expect(try PictureFormat(path: "/tmp/x.y/A.PNG") == .png)
        #expect(try PictureFormat(path: "dir/a.ppm") == .ppm)
        #expect(try PictureFormat(path: "a.b.Ppm") == .ppm)
        #expect(PictureFormat.png.fileExtension == ".png" && PictureFormat.ppm.fileExtension == ".ppm")
        for (path, stem) in [("a.jpg", "a"), ("/tmp/x.png.d/pic", "/tmp/x.png.d/pic"), ("noext", "noext"),
                             ("a.png.gif", "a.png"), ("picture.", "picture"), ("a.pngx", "a")] {
            #expect(throws: NNPlayError("\(path) is not named .png or .ppm: a picture file's extension picks its format (e.g. \(stem).png or \(stem).ppm)")) {
                try PictureFormat(path: path)
            }
        }
    }
}
