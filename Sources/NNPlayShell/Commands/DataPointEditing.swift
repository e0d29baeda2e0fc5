import NNPlayEngine

/// `data add X Y LABEL [test]` and `data remove X Y [radius=R]`: the data edited point by point, as
/// clicking in ConvNetJS's 2-D demo does. The weights stay; the epoch in progress starts again over
/// the new set of points. Sessions replay the commands as typed (they change the state).
enum DataPointEditing {
    static let addUsage = "data add X Y LABEL [test]"
    static let removeUsage = "data remove X Y [radius=R]"

    static func add(_ args: Arguments, in session: Session) throws {
        try args.allowOptions([], for: "data add")
        try args.expectPositionals(4...5, usage: addUsage)
        let words = args.positionals
        let x = try coordinate(words[1], "X"), y = try coordinate(words[2], "Y")
        let data = session.playground.dataset
        var toTest = false
        if words.count == 5 {
            guard words[4].lowercased() == "test" else {
                throw ShellError("unexpected '\(ShellError.excerpt(words[4]))': usage: \(addUsage) (test puts the point in the test set)\(Suggestions.hint(for: words[4], in: ["test"]))")
            }
            toTest = true
        }
        let restarted = epochNote(session)
        if data.problem == .regression {
            // regression data: the third word is the point's real target
            let value = try Values.number(words[3], "VALUE", in: -Dataset.maxTarget...Dataset.maxTarget,
                                          rangeText: "a finite number from -1e12 to 1e12 (this is regression data: VALUE is the point's target)")
            try session.update { try $0.addPoint(x: x, y: y, value: value, toTest: toTest) }
            session.say("added (\(formatMetric(x)), \(formatMetric(y))), target \(formatMetric(value)), to the \(toTest ? "test" : "training") set: \(counts(session))")
        } else {
            let label = try classIndex(words[3], in: data)
            try session.update { try $0.addPoint(x: x, y: y, label: label, toTest: toTest) }
            session.say("added (\(formatMetric(x)), \(formatMetric(y))), class \(data.className(label)), to the \(toTest ? "test" : "training") set: \(counts(session))")
        }
        if let restarted { session.say(restarted) }
    }

    static func remove(_ args: Arguments, in session: Session) throws {
        try args.allowOptions(["radius"], for: "data remove")
        try args.expectPositionals(3...3, usage: removeUsage)
        let words = args.positionals
        let x = try coordinate(words[1], "X"), y = try coordinate(words[2], "Y")
        let radius = try args.option("radius").map {
            try Values.number($0, "radius", in: 0...Double.greatestFiniteMagnitude, rangeText: "a number ≥ 0")
        }
        let restarted = epochNote(session)
        let data = session.playground.dataset
        var removed: Dataset.PointRemoval?
        try session.update { removed = try $0.removePoints(nearX: x, y: y, radius: radius) }
        guard let removal = removed else { return }
        let at = "(\(formatMetric(x)), \(formatMetric(y)))"
        let sets = "\(removal.train) from train, \(removal.test) from test"
        if radius == nil, let p = removal.points.first {
            let what = data.problem == .regression ? "" : ", class \(data.className(p.label))"
            session.say("removed 1 point, the nearest to \(at): (\(formatMetric(p.x)), \(formatMetric(p.y)))\(what); \(sets); \(counts(session)) left")
        } else {
            let n = removal.points.count
            session.say("removed \(n) point\(n == 1 ? "" : "s") within radius=\(formatNumber(radius ?? 0)) of \(at): \(sets); \(counts(session)) left")
        }
        if let restarted { session.say(restarted) }
    }

    /// A coordinate as data files allow it: a finite number within ±1e12.
    static func coordinate(_ text: String, _ what: String) throws -> Double {
        try Values.number(text, what, in: -CSVFormat.maxCoordinate...CSVFormat.maxCoordinate,
                          rangeText: "a finite number from -1e12 to 1e12 (as data files allow)")
    }

    /// The class LABEL names: a class number 0…K−1 or one of the data's class names. A label that
    /// would be a new class is refused: the network has one output per class, so more classes need
    /// new data.
    static func classIndex(_ text: String, in data: Dataset) throws -> Int {
        if let c = data.classIndex(forLabel: text) { return c }
        let shown = ShellError.excerpt(text)
        if let v = Values.parseNumber(text), v == v.rounded(), v >= 0, v < Double(data.classCount) { return Int(v) }
        if let v = Values.parseNumber(text), v == v.rounded(), v >= Double(data.classCount), v < 1e9 {
            let more = data.classCount < Dataset.maxClasses
                ? "; for more classes make new data (data gauss classes=\(data.classCount + 1)) or load a CSV that has them"
                : " (\(Dataset.maxClasses) is the most)"
            throw ShellError("label \(shown) would be a new class: the data has \(data.classCount) classes, labels \(data.labelsAccepted), and data add keeps them (the network has one output per class)\(more)")
        }
        let names = data.classNames ?? []
        throw ShellError("unknown label '\(shown)': LABEL is a class of the data, \(data.labelsAccepted)\(Suggestions.hint(for: text, in: names))")
    }

    /// "250 train / 250 test points" now.
    static func counts(_ session: Session) -> String {
        let d = session.playground.dataset
        return "\(d.trainIndices.count) train / \(d.testIndices.count) test points"
    }

    /// The note to print when an epoch was under way: it starts again over the edited points.
    static func epochNote(_ session: Session) -> String? {
        let p = session.playground
        guard p.progress.position > 0 else { return nil }
        return "epoch \(p.progress.epoch + 1) starts again over the edited points (it was \(p.progress.position) points in); the weights stay"
    }
}
