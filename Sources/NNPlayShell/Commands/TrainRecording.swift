import NNPlayEngine

/// `train N record=FILE.gif [every=K] [view=out|net|layer K|landscape]`: an animated GIF of the run.
///
/// A frame is the picture `export` draws of the view (the output at 256 pixels, the poster at tiles of
/// 64, a layer's tiles at 128, or the landscape of random directions at 33×33 cells), under a caption
/// of the epoch and the train and test loss. The first frame shows the weights before the run, then
/// one every K epochs (K steps with `steps`), and the last the weights reached. Frames are drawn from a
/// copy of the playground with the weights of the moment and streamed to the file (`GIFWriter`); the
/// training itself is not touched, so its weights are the same bit for bit as without `record=`.
final class TrainRecording {
    enum View: Equatable {
        case out, net, layer(Int), landscape
        var name: String {
            switch self {
            case .out: return "out"
            case .net: return "net"
            case .layer: return "layer"
            case .landscape: return "landscape"
            }
        }
    }

    static let optionKeys = ["record", "every", "view"]
    static let views = ["out", "net", "layer", "landscape"]
    /// Without every=, the frames are spread so that a run draws at most about this many.
    static let mostFrames = 100
    /// Each frame shows for this many hundredths of a second.
    static let delay = 10
    /// The landscape's grid in each frame (cells per side, odd) and its span.
    static let landscapeSide = 33
    static let captionHeight = 14
    static let accepted = "record=FILE.gif [every=K] [view=out|net|layer K|landscape]"

    static let usage = "train N [epochs|steps] record=FILE.gif [every=K] [view=out|net|layer K|landscape]"
    static let details = [
        "record=FILE.gif: an animated GIF of the run (it loops, \(delay * 10) ms a frame). The first frame shows the",
        "weights before the run, then one every K epochs (K steps with steps; default: spread to at most",
        "\(mostFrames) frames) and the last the weights reached; each is captioned with the epoch and the train and",
        "test loss. view=: out (the output map with the data, 256 pixels, and its legend, as export out",
        "draws it), net (the poster, as export net), layer K (its tiles, as export layer K) or landscape (as",
        "export landscape random, at",
        "\(landscapeSide)x\(landscapeSide) cells). One 256-colour palette for the whole GIF holds the colour scales sampled",
        "finely; each pixel gets its nearest colour. Frames are written as they are drawn; the file appears",
        "whole at the end, and an error or Ctrl-C leaves no file (an old one stays as it was). The weights",
        "are the same as without record=.",
    ]

    let file: String
    let view: View
    private(set) var every = 1
    /// The playground as the run started: frames are drawn from copies of it with the weights of the moment.
    let base: Playground
    private var writer: GIFWriter?
    /// The first error while writing; training is asked to stop when there is one.
    private(set) var failure: Error?
    private var lastUnits = -1
    private(set) var frames = 0
    private(set) var width = 0, height = 0
    private(set) var frameSeconds = 0.0

    /// The recording a train command asks for (nil without `record=`), and its arguments without the
    /// recording's: the K of `view=layer K` and the options record=, every=, view=.
    static func separate(_ args: Arguments, playground p: Playground) throws -> (TrainRecording?, Arguments) {
        guard args.option("record") != nil else { return (nil, args) }
        var positionals = args.positionals
        let recording = try parse(args, positionals: &positionals, playground: p)
        let rest = try Arguments(command: args.command, words: positionals
            + args.options.filter { !optionKeys.contains($0.key) }.map { "\($0.key)=\($0.value)" })
        return (recording, rest)
    }

    /// Reads the options and words of a recorded run (nil without `record=`); `positionals` loses
    /// the K of `view=layer K` (the last word).
    static func parse(_ args: Arguments, positionals: inout [String], playground p: Playground) throws -> TrainRecording? {
        guard let fileText = args.option("record") else { return nil }
        let file = Values.path(fileText)
        guard file.lowercased().hasSuffix(".gif"), file.count > 4 else {
            throw ShellError("record=\(ShellError.excerpt(fileText)): a recording is an animated GIF, a file name ending in .gif: \(accepted)")
        }
        var view = View.out
        if let v = args.option("view") {
            switch v.lowercased() {
            case "out": view = .out
            case "net": view = .net
            case "landscape": view = .landscape
            case let w where w.hasPrefix("layer:") || (w.hasPrefix("layer") && w.count > 5):
                view = .layer(try References.layer(String(v.dropFirst(w.hasPrefix("layer:") ? 6 : 5)), in: p.network))
            case "layer":
                // the K of `view=layer K` is the last word, after N
                guard positionals.count >= 2, let k = positionals.last else {
                    throw ShellError("view=layer needs N and a layer after it (train N record=FILE.gif view=layer K, or view=layer:K): layers \(References.describe(p.network, allowInput: true, allowOutput: true))")
                }
                positionals.removeLast()
                view = .layer(try References.layer(k, in: p.network))
            default:
                throw ShellError("view=\(ShellError.excerpt(v)) is not a view: view= takes out, net, layer K or landscape\(Suggestions.hint(for: v, in: views))")
            }
        }
        if view == .landscape && p.dataset.trainIndices.isEmpty {
            throw ShellError("view=landscape measures the training loss, and there are no training points: use view=out, net or layer K")
        }
        return TrainRecording(file: file, view: view, base: p)
    }

    init(file: String, view: View, base: Playground) {
        self.file = file
        self.view = view
        self.base = base
    }

    /// every=K, or frames spread over a run of `units` epochs (or steps) to at most `mostFrames`.
    func setEvery(_ args: Arguments, units n: Int) throws {
        every = Swift.max(1, (n + Self.mostFrames - 1) / Self.mostFrames)
        if let k = args.option("every") { every = try Values.integer(k, "every", in: 1...Swift.max(1, n)) }
        guard view == .landscape else { return }
        // each landscape frame measures the loss at 33×33 weights: refused beyond about 10 s of frames
        let perFrame = Self.landscapeWork(base)
        let frames = Double(n / every + 2)
        guard frames * perFrame <= Self.maxLandscapeWork else {
            let most = Swift.max(1, Int(Self.maxLandscapeWork / perFrame) - 2)
            throw ShellError("view=landscape would be slow: \(Int(frames)) frames, each the loss at \(Self.landscapeSide)×\(Self.landscapeSide) weights "
                             + "over \(base.dataset.trainIndices.count) training points; at most \(most) frames fit: every=\((n + most - 1) / most) or more, or view=out")
        }
    }

    /// Work of one landscape frame (3 per parameter per training point per cell, as `train`'s check counts),
    /// and the most a recording may spend on them: measured here, 1.06e10 of it took 0.74 s a frame (both
    /// cores), so the limit is about 10 s of frames.
    static func landscapeWork(_ p: Playground) -> Double {
        Double(landscapeSide * landscapeSide) * Double(p.dataset.trainIndices.count) * 3 * Double(p.network.parameterCount)
    }
    static let maxLandscapeWork = 1.5e11

    /// The picture of the view for a playground (a copy of the first, with the weights reached at `epoch`).
    func picture(_ p: Playground, epoch: Double) throws -> Image {
        switch view {
        case .out: return LegendedPictures.output(p, size: 256, points: .all, discrete: false, epoch: epoch)
        case .net: return try LegendedPictures.poster(p, tile: 64)
        case .layer(let k): return LegendedPictures.layer(p, layer: k, size: 128)
        case .landscape:
            let l = try p.landscape(.random(seed: p.settings.seed), span: LandscapePlot.randomSpan,
                                    columns: Self.landscapeSide, rows: Self.landscapeSide)
            return LandscapePictures.image(l)
        }
    }

    /// The caption: epoch and losses.
    static func caption(epoch: Double, train: Double?, test: Double?) -> String {
        func loss(_ v: Double?) -> String { v.map { formatMetric($0, digits: 4) } ?? "-" }
        return "EPOCH \(Metric.text(epoch))  LOSS TRAIN \(loss(train)) TEST \(loss(test))"
    }

    /// One frame: the caption above the picture.
    func frame(_ p: Playground, epoch: Double, train: Double?, test: Double?) throws -> Image {
        let picture = try self.picture(p, epoch: epoch)
        let text = Self.caption(epoch: epoch, train: train, test: test)
        // every frame has the first one's width: wide enough for the picture and a caption of 48 characters
        let w = width > 0 ? width : Swift.max(picture.width, 6 + 48 * 6)
        var image = Image(width: w, height: picture.height + Self.captionHeight)
        image.drawText(String(text.prefix((w - 4) / 6)), x: 3, y: 4)
        image.draw(picture, x: (w - picture.width) / 2, y: Self.captionHeight)
        return image
    }

    /// Draws and writes the frame of `p` (the playground with the weights of the moment).
    func add(_ p: Playground, epoch: Double, train: Double?, test: Double?) {
        guard failure == nil else { return }
        do {
            let start = ContinuousClock.now
            let image = try frame(p, epoch: epoch, train: train, test: test)
            if writer == nil {
                let palette = GIFPalette(scale: view == .landscape ? .landscape : .maps, classes: p.dataset.classCount, firstFrame: image)
                writer = try GIFWriter(path: file, width: image.width, height: image.height, palette: palette, delay: Self.delay)
                width = image.width
                height = image.height
            }
            try writer?.add(image)
            frames += 1
            let d = ContinuousClock.now - start
            frameSeconds += Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
        } catch {
            failure = error
            writer?.discard()
        }
    }

    /// The playground as it started, with other weights.
    func copy(with network: Network) -> Playground? {
        var p = base
        do { try p.setParameters(network.parameters) } catch { return nil }
        return p
    }

    /// The first frame: the weights before the run.
    func start() {
        lastUnits = 0
        add(base, epoch: base.epochsTrained, train: base.progress.history.last?.train?.loss ?? base.trainMetrics?.loss,
            test: base.progress.history.last?.test?.loss ?? base.testMetrics?.loss)
    }

    /// After a step: a frame when `units` (epochs ended or steps done in this run) reached a multiple of every.
    func progress(units: Int, _ report: TrainingReport, network: () -> Network) {
        guard failure == nil, units > lastUnits, units % every == 0 else { return }
        lastUnits = units
        guard let p = copy(with: network()) else { return }
        // the epoch reached: whole at an epoch's end, else steps into the epoch in progress
        let epoch = report.endedEpoch ? Double(report.epoch)
            : Double(report.epoch) + Double(report.totalSteps % Swift.max(1, base.stepsPerEpoch)) / Double(Swift.max(1, base.stepsPerEpoch))
        let latest = report.latest
        add(p, epoch: epoch, train: latest?.train?.loss ?? p.trainMetrics?.loss, test: latest?.test?.loss ?? p.testMetrics?.loss)
    }

    /// After the run: the last frame (unless the last mark drew it), and the file renamed into place.
    func finish(_ p: Playground, units: Int, force: Bool = false) throws {
        if let failure { throw failure }
        if units != lastUnits || force {
            add(p, epoch: p.epochsTrained, train: p.progress.history.last?.train?.loss ?? p.trainMetrics?.loss,
                test: p.progress.history.last?.test?.loss ?? p.testMetrics?.loss)
        }
        if let failure { throw failure }
        guard let writer else { throw ShellError("cannot write \(file): no frame was drawn") }
        self.writer = nil
        try writer.finish()
    }

    /// Removes the temporary file (Ctrl-C, an error): the target is left as it was.
    func discard() {
        writer?.discard()
        writer = nil
    }

    /// What the run wrote, for the message after it.
    var summary: String {
        let each = frames > 0 ? frameSeconds / Double(frames) : 0
        return "wrote \(file) (\(frames) frame\(frames == 1 ? "" : "s") of \(width)×\(height), view \(view.name), every \(every), "
            + "\(formatMetric(each * 1000, digits: 3)) ms a frame)"
    }
}
