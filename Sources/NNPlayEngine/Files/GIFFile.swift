import CGif
import Foundation

/// The one 256-colour palette of a recorded GIF, shared by all its frames (the global colour map).
///
/// GIF pictures hold at most 256 colours, and a palette chosen per frame would make the colour scales
/// flicker. The pictures `export` draws use few colour families, so the palette is built from them:
/// black, white, ink and the light grey; every class colour and its dark shade (the data points);
/// the colour scale of the view sampled finely (Playground's orange–grey–blue scale 64 steps on each side
/// for the maps, or the landscape's viridis-like stops 24 steps between each pair); the mixes of classes
/// 3…6 with the grey (the output of more than two classes, 24 steps each for 3 or 4 classes); for regression,
/// 32 steps from white to each end (the targets' scale). The entries left are the most
/// frequent colours of the first frame that are not already near one (text, lines, blends). Every pixel
/// is mapped to its nearest entry (squared RGB distance), with a cache; no dithering: neighbouring
/// entries of a scale differ by at most about 4 per channel.
public struct GIFPalette: Sendable {
    public private(set) var colors: [RGB]
    private var cache: [UInt32: UInt8] = [:]

    /// Which colour scale to sample finely.
    public enum Scale: Sendable { case maps, landscape }

    public init(scale: Scale, classes: Int, firstFrame: Image?) {
        var fixed: [RGB] = [.white, .black, Palette.ink, Palette.neutral, LandscapePictures.pathColor]
        for c in Palette.classes { fixed.append(c); fixed.append(Palette.dark(c)) }
        switch scale {
        case .maps:
            for k in 1...64 {
                fixed.append(Palette.neutral.mixed(with: Palette.negative, Double(k) / 64))
                fixed.append(Palette.neutral.mixed(with: Palette.positive, Double(k) / 64))
            }
        case .landscape:
            let stops = LandscapePictures.stops
            for i in 0..<(stops.count - 1) { for k in 0..<24 { fixed.append(stops[i].mixed(with: stops[i + 1], Double(k) / 24)) } }
            fixed.append(stops[stops.count - 1])
        }
        // regression (1 class): the targets' scale runs from white, not from the grey
        if classes == Problem.regressionClassCount && scale == .maps {
            for k in 1...32 {
                fixed.append(RGB.white.mixed(with: Palette.negative, Double(k) / 32))
                fixed.append(RGB.white.mixed(with: Palette.positive, Double(k) / 32))
            }
        }
        // the output of more than two classes: each class's colour from the neutral grey (classes 0 and 1
        // are the scale's two ends), finer the fewer classes there are
        let extra = Swift.max(0, Swift.min(6, classes) - 2)
        if extra > 0 {
            let steps = Swift.min(24, 90 / extra)
            for c in 2..<(2 + extra) {
                for k in 1...steps { fixed.append(Palette.neutral.mixed(with: Palette.classColor(c), Double(k) / Double(steps))) }
            }
        }
        var colors: [RGB] = []
        var seen = Set<RGB>()
        for c in fixed where colors.count < 256 && seen.insert(c).inserted { colors.append(c) }
        if let frame = firstFrame, colors.count < 256 {
            var counts: [RGB: Int] = [:]
            for i in stride(from: 0, to: frame.bytes.count - 2, by: 3) {
                counts[RGB(frame.bytes[i], frame.bytes[i + 1], frame.bytes[i + 2]), default: 0] += 1
            }
            let byFrequency = counts.sorted { $0.value != $1.value ? $0.value > $1.value : Self.key($0.key) < Self.key($1.key) }
            for (c, _) in byFrequency where colors.count < 256 {
                if colors.allSatisfy({ $0.distance(to: c) > 12 }) { colors.append(c) }
            }
        }
        while colors.count < 256 { colors.append(.black) }
        self.colors = colors
    }

    static func key(_ c: RGB) -> UInt32 { UInt32(c.r) << 16 | UInt32(c.g) << 8 | UInt32(c.b) }

    /// The index of the entry nearest to `c`.
    public mutating func index(of c: RGB) -> UInt8 {
        let k = Self.key(c)
        if let i = cache[k] { return i }
        var best = 0, bestDistance = Int.max
        for (i, p) in colors.enumerated() {
            let d = p.distance(to: c)
            if d < bestDistance { best = i; bestDistance = d; if d == 0 { break } }
        }
        if cache.count >= 1 << 16 { cache.removeAll(keepingCapacity: true) }
        cache[k] = UInt8(best)
        return UInt8(best)
    }

    /// The picture as the palette shows it (what a decoder of the GIF gets back).
    public mutating func mapped(_ image: Image) -> Image {
        var out = image
        for i in stride(from: 0, to: image.bytes.count - 2, by: 3) {
            let c = colors[Int(index(of: RGB(image.bytes[i], image.bytes[i + 1], image.bytes[i + 2])))]
            out.bytes[i] = c.r; out.bytes[i + 1] = c.g; out.bytes[i + 2] = c.b
        }
        return out
    }
}

/// An animated GIF written frame by frame (giflib), so that only one frame is in memory at a time.
/// The frames go to a temporary file beside the target, renamed over it by `finish()`; `discard()`
/// (or dropping the writer unfinished) removes it, so the target is whole or not written at all.
/// The GIF loops forever (NETSCAPE2.0 application extension), each frame shown `delay` hundredths of
/// a second; every frame has the first one's size.
public final class GIFWriter {
    public let path: String
    public let width: Int, height: Int
    public let delay: Int
    public private(set) var frames = 0
    public private(set) var palette: GIFPalette
    private var gif: UnsafeMutablePointer<GifFileType>?
    private let tempPath: String
    private let target: String
    private let mode: mode_t
    private var line: [GifByteType]

    /// Opens the temporary file and writes the header, the palette and the loop extension.
    public init(path: String, width: Int, height: Int, palette: GIFPalette, delay: Int = 10) throws {
        guard width >= 1, height >= 1, width <= 65535, height <= 65535 else {
            throw NNPlayError("cannot write \(path): a GIF is at most 65535×65535 pixels, not \(width)×\(height)")
        }
        self.path = path
        self.width = width
        self.height = height
        self.palette = palette
        self.delay = Swift.max(0, Swift.min(65535, delay))
        line = [GifByteType](repeating: 0, count: width)
        var info = stat()
        let exists = stat(path, &info) == 0
        if exists && (info.st_mode & S_IFMT) == S_IFDIR { throw NNPlayError("cannot write \(path): it is a directory") }
        if exists && (info.st_mode & S_IFMT) != S_IFREG { throw NNPlayError("cannot write \(path): not a regular file (a GIF is written to a file)") }
        mode = exists ? info.st_mode & 0o7777 : 0o666 & ~FileAccess.currentUmask()
        target = try FileAccess.resolvingLinks(path)
        let dir = FileAccess.directoryPart(of: target)
        var isDirectory: ObjCBool = false
        if !FileManager.default.fileExists(atPath: dir, isDirectory: &isDirectory) {
            throw NNPlayError("cannot write \(path): the directory \(dir) does not exist")
        }
        if !isDirectory.boolValue { throw NNPlayError("cannot write \(path): \(dir) is not a directory") }
        var template = Array((dir + "/.nnplay-tmp-XXXXXX").utf8CString)
        var fd = template.withUnsafeMutableBufferPointer { buffer -> Int32 in
            guard let base = buffer.baseAddress else { return -1 }
            return mkstemp(base)
        }
        if let fault = FileAccess.injectedFault, fault.path == path, fault.afterBytes == nil {
            if fd >= 0 { close(fd); template.withUnsafeBufferPointer { b in if let base = b.baseAddress { _ = unlink(base) } } }
            fd = -1
            errno = fault.errno
        }
        guard fd >= 0 else { throw NNPlayError("cannot write \(path): cannot create a file in \(dir): \(FileAccess.reason(errno))") }
        tempPath = String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        var error: Int32 = 0
        gif = EGifOpenFileHandle(fd, &error)
        guard gif != nil else {
            close(fd)
            unlink(tempPath)
            throw NNPlayError("cannot write \(path): \(Self.describe(error))")
        }
        do {
            try writeHeader()
        } catch {
            discard()
            throw error
        }
    }

    deinit { discard() }

    static func describe(_ code: Int32) -> String {
        if code == E_GIF_ERR_WRITE_FAILED || code == E_GIF_ERR_CLOSE_FAILED || code == E_GIF_ERR_OPEN_FAILED {
            return FileAccess.reason(errno)
        }
        return GifErrorString(code).map { String(cString: $0).lowercased() } ?? "giflib error \(code)"
    }

    private func check(_ result: Int32) throws {
        guard result == GIF_OK else { throw NNPlayError("cannot write \(path): \(Self.describe(gif?.pointee.Error ?? 0))") }
    }

    private func writeHeader() throws {
        guard let gif else { return }
        EGifSetGifVersion(gif, true)
        let entries = palette.colors.map { GifColorType(Red: $0.r, Green: $0.g, Blue: $0.b) }
        guard let map = GifMakeMapObject(256, entries) else { throw NNPlayError("cannot write \(path): out of memory") }
        defer { GifFreeMapObject(map) }
        try check(EGifPutScreenDesc(gif, Int32(width), Int32(height), 8, 0, map))
        // loop forever: NETSCAPE2.0, sub-block 1, loop count 0
        try check(EGifPutExtensionLeader(gif, APPLICATION_EXT_FUNC_CODE))
        try check(Array("NETSCAPE2.0".utf8).withUnsafeBytes { EGifPutExtensionBlock(gif, 11, $0.baseAddress) })
        try check([UInt8(1), 0, 0].withUnsafeBytes { EGifPutExtensionBlock(gif, 3, $0.baseAddress) })
        try check(EGifPutExtensionTrailer(gif))
    }

    /// Appends one frame (of the first frame's size), mapped to the palette.
    public func add(_ image: Image) throws {
        guard let gif else { throw NNPlayError("cannot write \(path): the GIF is closed") }
        // tests: a write that fails once the file has grown to afterBytes (FileAccess.injectedFault)
        if let fault = FileAccess.injectedFault, fault.path == path, let most = fault.afterBytes {
            var info = stat()
            if stat(tempPath, &info) == 0, Int(info.st_size) >= most {
                throw NNPlayError("cannot write \(path): \(FileAccess.reason(fault.errno))")
            }
        }
        guard image.width == width, image.height == height else {
            throw NNPlayError("cannot write \(path): a frame of \(image.width)×\(image.height) in a GIF of \(width)×\(height)")
        }
        var control = GraphicsControlBlock(DisposalMode: DISPOSE_DO_NOT, UserInputFlag: false, DelayTime: Int32(delay),
                                           TransparentColor: NO_TRANSPARENT_COLOR)
        var extensionBytes = [GifByteType](repeating: 0, count: 4)
        _ = EGifGCBToExtension(&control, &extensionBytes)
        try check(EGifPutExtension(gif, GRAPHICS_EXT_FUNC_CODE, 4, extensionBytes))
        try check(EGifPutImageDesc(gif, 0, 0, Int32(width), Int32(height), false, nil))
        for y in 0..<height {
            let row = y * width * 3
            for x in 0..<width {
                let i = row + 3 * x
                line[x] = palette.index(of: RGB(image.bytes[i], image.bytes[i + 1], image.bytes[i + 2]))
            }
            try check(EGifPutLine(gif, &line, Int32(width)))
        }
        frames += 1
    }

    /// Closes the GIF and renames it over the target.
    public func finish() throws {
        guard let file = gif else { throw NNPlayError("cannot write \(path): the GIF is closed") }
        gif = nil
        var error: Int32 = 0
        guard EGifCloseFile(file, &error) == GIF_OK else {
            unlink(tempPath)
            throw NNPlayError("cannot write \(path): \(Self.describe(error))")
        }
        let fd = open(tempPath, O_RDONLY)
        if fd >= 0 {
            let synced = fsync(fd) == 0
            let code = errno
            fchmod(fd, mode)
            close(fd)
            guard synced else {
                unlink(tempPath)
                throw NNPlayError("cannot write \(path): \(FileAccess.reason(code))")
            }
        }
        guard rename(tempPath, target) == 0 else {
            let code = errno
            unlink(tempPath)
            throw NNPlayError("cannot write \(path): \(FileAccess.reason(code))")
        }
    }

    /// Closes and removes the temporary file; the target is left as it was.
    public func discard() {
        guard let file = gif else { return }
        gif = nil
        var error: Int32 = 0
        _ = EGifCloseFile(file, &error)
        unlink(tempPath)
    }
}
