import CPNG

/// PNG pictures (8-bit RGB, no interlacing), encoded in memory by libpng's simplified API: it reports
/// a failure in its return value and `png_image.message`, never by a longjmp through Swift.
public enum PNG {
    /// The PNG file of `image`: the same pixels as its PPM.
    public static func encode(_ image: Image) throws -> [UInt8] {
        guard image.width > 0, image.height > 0, image.bytes.count == 3 * image.width * image.height else {
            throw NNPlayError("cannot encode a \(image.width)×\(image.height) picture as PNG: it has no pixels")
        }
        guard image.width <= Int(Int32.max) / 3, image.height <= Int(Int32.max) else {
            throw NNPlayError("cannot encode a \(image.width)×\(image.height) picture as PNG: it is too large")
        }
        // a first guess of the size (pictures of flat colours compress well); when it is too small,
        // libpng says how much is needed and the picture is encoded once more into that
        var capacity = image.bytes.count / 4 + 4096
        for _ in 0..<2 {
            var png = png_image()
            png.version = png_uint_32(PNG_IMAGE_VERSION)
            png.width = png_uint_32(image.width)
            png.height = png_uint_32(image.height)
            png.format = png_uint_32(PNG_FORMAT_RGB)
            var size = png_alloc_size_t(capacity)
            var out = [UInt8](repeating: 0, count: capacity)
            let ok = out.withUnsafeMutableBytes { memory in
                image.bytes.withUnsafeBytes { pixels in
                    png_image_write_to_memory(&png, memory.baseAddress, &size, 0, pixels.baseAddress,
                                              png_int_32(3 * image.width), nil)
                }
            }
            png_image_free(&png)
            if ok != 0 && Int(size) <= capacity { return Array(out.prefix(Int(size))) }
            // too small a buffer: `size` is what it takes; anything else is an error of libpng's
            guard ok == 0, Int(size) > capacity else {
                let reason = withUnsafeBytes(of: png.message) { raw in
                    String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
                }
                throw NNPlayError("cannot encode the picture as PNG: libpng says \(reason.isEmpty ? "it failed" : reason)")
            }
            capacity = Int(size)
        }
        throw NNPlayError("cannot encode the picture as PNG: libpng asked for ever more memory")
    }
}

/// The formats of picture files; a file's extension picks one.
public enum PictureFormat: String, CaseIterable, Sendable {
    case ppm, png

    /// The extension of its files, e.g. `.png`.
    public var fileExtension: String { "." + rawValue }

    /// The format a file's name asks for; an error that says which names are accepted otherwise.
    public init(path: String) throws {
        let name = path.split(separator: "/").last.map(String.init) ?? path
        let dot = name.lastIndex(of: ".")
        if let dot, let format = PictureFormat(rawValue: name[name.index(after: dot)...].lowercased()) {
            self = format
            return
        }
        // the name without its extension, if it has one
        let stem = dot == nil ? path : String(path[..<(path.lastIndex(of: ".") ?? path.endIndex)])
        throw NNPlayError("\(path) is not named .png or .ppm: a picture file's extension picks its format "
                          + "(e.g. \(stem).png or \(stem).ppm)")
    }

    /// The file's bytes.
    public func encode(_ image: Image) throws -> [UInt8] {
        switch self {
        case .ppm: return PPM.encode(image)
        case .png: return try PNG.encode(image)
        }
    }
}
