/// Which data points a picture shows.
public enum PointSelection: String, CaseIterable, Sendable {
    case train, test, all, none

    public func includes(test isTest: Bool) -> Bool {
        switch self {
        case .all: return true
        case .none: return false
        case .train: return !isTest
        case .test: return isTest
        }
    }
}

/// Turns grid maps into pixels (for PPM files and half-block terminal pictures) or characters
/// (for plain terminals), and draws the data points on top.
public enum MapPainter {
    // MARK: Pixels

    /// One neuron's map as an image of the grid's size, on its layer's colour scale.
    public static func neuronImage(_ maps: GridMaps, layer k: Int, neuron j: Int, network: Network) -> Image {
        let (values, scale) = scaledMap(maps, layer: k, neuron: j, network: network)
        var image = Image(width: maps.grid.columns, height: maps.grid.rows)
        for (i, v) in values.enumerated() {
            image[i % maps.grid.columns, i / maps.grid.columns] = scale.color(v)
        }
        return image
    }

    /// One neuron's map and the colour scale it is drawn on (its layer's bounds).
    static func scaledMap(_ maps: GridMaps, layer k: Int, neuron j: Int, network: Network) -> (NeuronMap, ColorScale) {
        let bounds = network.colorScaleBounds(layer: k)
        let values = maps.map(layer: k, neuron: j)
        return (values, ColorScale.forMap(values, center: bounds.center, bounded: bounds.halfRange))
    }

    /// The output as class regions: each cell in its class's colour, paler where the network is
    /// unsure; `discrete` paints hard regions at one strength. Regression (`coloring`): each cell's
    /// prediction on the targets' scale.
    public static func outputImage(_ maps: GridMaps, discrete: Bool, coloring: PointColoring = .classes) -> Image {
        var image = Image(width: maps.grid.columns, height: maps.grid.rows)
        for i in 0..<maps.grid.count {
            image[i % maps.grid.columns, i / maps.grid.columns] = coloring.cellColor(maps, i, discrete: discrete)
        }
        return image
    }

    /// A class region's colour: the class's own where the network is sure, paler where it is not;
    /// without a confidence (discrete), one strength everywhere.
    public static func regionColor(_ c: Int, confidence: Double?) -> RGB {
        Palette.neutral.mixed(with: Palette.classColor(c), confidence.map { 0.15 + 0.85 * $0 } ?? 0.55)
    }

    /// Data points as discs: the class's dark shade, ringed white for training points and black
    /// for test points (as Playground marks test data).
    public static func drawPoints(_ image: inout Image, data: Dataset, frame: Frame, _ selection: PointSelection, radius: Double) {
        guard selection != .none else { return }
        let sx = Double(image.width) / frame.width, sy = Double(image.height) / frame.height
        let coloring = PointColoring(data)
        for (indices, isTest) in [(data.trainIndices, false), (data.testIndices, true)] where selection.includes(test: isTest) {
            for i in indices where frame.contains(x: data.xs[i], y: data.ys[i]) {
                drawPoint(&image, cx: (data.xs[i] - frame.xMin) * sx, cy: (frame.yMax - data.ys[i]) * sy,
                          radius: radius, color: coloring.pointColor(data, i), isTest: isTest)
            }
        }
    }

    /// One data point as a disc in its class's dark shade, ringed white (training) or black (test).
    public static func drawPoint(_ image: inout Image, cx: Double, cy: Double, radius: Double, label: Int, isTest: Bool) {
        drawPoint(&image, cx: cx, cy: cy, radius: radius, color: Palette.dark(Palette.classColor(label)), isTest: isTest)
    }

    /// One data point as a disc of `color`, ringed white (training) or black (test).
    public static func drawPoint(_ image: inout Image, cx: Double, cy: Double, radius: Double, color: RGB, isTest: Bool) {
        image.fillDisc(cx: cx, cy: cy, radius: radius + 1, isTest ? .black : .white)
        image.fillDisc(cx: cx, cy: cy, radius: radius, color)
    }

    /// Least contrast (WCAG ratio) between a point's glyph and its cell: the dark shade of a class on
    /// that class's own full colour is only about 2:1, so points vanished into confident regions.
    public static let pointContrast = 3.0

    /// One data point as a coloured glyph, `●` (training) or `○` (test), in its class's dark shade on
    /// the colour `under` it — lightened (a halo, like Playground's white ring) until the glyph stands
    /// out by `pointContrast`, and the glyph darkened if even white is not enough.
    public static func pointCell(label: Int, isTest: Bool, under: RGB) -> TextCell {
        pointCell(color: Palette.dark(Palette.classColor(label)), isTest: isTest, under: under)
    }

    /// `pointCell` with the glyph's own colour (a regression point's target colour).
    public static func pointCell(color: RGB, isTest: Bool, under: RGB) -> TextCell {
        var glyph = color, background = under
        // in 24-bit colour and as the nearest colours of the 256-colour palette
        func standsOut() -> Bool {
            glyph.contrast(with: background) >= pointContrast
                && TerminalPalette.color(ofIndex: glyph.xterm256).contrast(with: TerminalPalette.color(ofIndex: background.xterm256)) >= pointContrast
        }
        var step = 0
        while !standsOut() && step < 10 {
            step += 1
            background = under.mixed(with: .white, Double(step) / 10)
        }
        step = 0
        while !standsOut() && step < 10 {
            step += 1
            glyph = color.mixed(with: .black, Double(step) / 10)
        }
        return TextCell(isTest ? "○" : "●", foreground: glyph, background: background)
    }

    // MARK: Characters

    /// Plain characters for a neuron's value: strongly negative `=`, negative `-`, near the centre
    /// `.`, positive `+`, strongly positive `#`.
    public static let valueRamp: [Character] = ["=", "-", ".", "+", "#"]

    /// Region characters of the classes in plain mode.
    public static let classFill: [Character] = ["-", "+", ":", "~", "^", "'", "\"", ",", ";", "`", "_", "!", "/", "\\", "|", "="]
    /// The character of a cell on a boundary between classes.
    public static let boundary: Character = "#"
    /// Markers of training points by class; test points use the upper-case letter.
    public static let markers: [Character] = ["o", "x", "v", "s", "z", "w", "n", "u", "c", "k", "m", "e", "r", "y", "q", "g"]

    public static func marker(forClass c: Int, test: Bool) -> Character {
        let m = markers[c % markers.count]
        return test ? Character(m.uppercased()) : m
    }

    static func rampCharacter(_ t: Double) -> Character {
        if t <= -0.5 { return valueRamp[0] }
        if t <= -0.15 { return valueRamp[1] }
        if t < 0.15 { return valueRamp[2] }
        if t < 0.5 { return valueRamp[3] }
        return valueRamp[4]
    }

    /// One neuron's map in plain characters, one character per grid cell.
    public static func neuronCharacters(_ maps: GridMaps, layer k: Int, neuron j: Int, network: Network) -> TextCanvas {
        let (values, scale) = scaledMap(maps, layer: k, neuron: j, network: network)
        var canvas = TextCanvas(width: maps.grid.columns, height: maps.grid.rows)
        for (i, v) in values.enumerated() {
            canvas[i % maps.grid.columns, i / maps.grid.columns] = TextCell(rampCharacter(scale.position(v)))
        }
        return canvas
    }

    /// The output in plain characters: each class's region in its own character, `#` where the
    /// class changes to the right or below.
    /// Regression (`coloring`): each cell's prediction in the value ramp's characters.
    public static func outputCharacters(_ maps: GridMaps, coloring: PointColoring = .classes) -> TextCanvas {
        let w = maps.grid.columns, h = maps.grid.rows
        var canvas = TextCanvas(width: w, height: h)
        if case .values(let scale) = coloring {
            for i in 0..<maps.grid.count { canvas[i % w, i / w] = TextCell(rampCharacter(scale.position(maps.values[i]))) }
            return canvas
        }
        for r in 0..<h {
            for c in 0..<w {
                let cls = maps.classes[r * w + c]
                let right = c + 1 < w ? maps.classes[r * w + c + 1] : cls
                let below = r + 1 < h ? maps.classes[(r + 1) * w + c] : cls
                canvas[c, r] = TextCell(right != cls || below != cls ? boundary : classFill[cls % classFill.count])
            }
        }
        return canvas
    }

    /// Data points on a character canvas covering `frame`: plain markers, or in colour modes `●`
    /// (training) and `○` (test) in the class's dark shade on the cell's colour.
    public static func drawPoints(_ canvas: inout TextCanvas, data: Dataset, frame: Frame, _ selection: PointSelection, colored: Bool) {
        guard selection != .none else { return }
        let grid = Grid(frame: frame, columns: canvas.width, rows: canvas.height)
        let coloring = PointColoring(data)
        // the map under the points: a cell's second point stands out against the map, not against the first
        let ground = canvas
        for (indices, isTest) in [(data.trainIndices, false), (data.testIndices, true)] where selection.includes(test: isTest) {
            for i in indices {
                guard let (c, r) = grid.cell(x: data.xs[i], y: data.ys[i]) else { continue }
                let label = data.labels[i]
                if colored {
                    canvas[c, r] = pointCell(color: coloring.pointColor(data, i), isTest: isTest, under: ground[c, r].foreground ?? Palette.neutral)
                } else {
                    canvas[c, r] = TextCell(marker(forClass: label, test: isTest))
                }
            }
        }
    }
}
