/// Editing the data point by point, as clicking in ConvNetJS's 2-D demo does (`data add X Y LABEL
/// [test]`, `data remove X Y [radius=R]`). Each edit keeps the other points, their order and their
/// train/test sets, so that a saved session replays to the same data bit for bit; the data's
/// `origin` counts the edits (`circle n=500 noise=0 +2 added -1 removed`).
///
/// What an edit may not do: add a class (the network has one output per class: make new data for
/// more classes), add a point beyond ±`CSVFormat.maxCoordinate` (so the data still saves and loads as
/// CSV), take the last training point (nothing would be left to train on) or a class's last point
/// (the network still has its output, and a saved CSV must use every class).
extension Dataset {
    /// The class a LABEL word names: a class name (exactly, else ignoring case when that picks one
    /// class), or a class number `0…K−1`. Nil when it names none.
    public func classIndex(forLabel text: String) -> Int? {
        if let names = classNames, let i = names.firstIndex(of: text) { return i }
        if let i = Int(text), (0..<classCount).contains(i) { return i }
        if let names = classNames {
            let matches = names.indices.filter { names[$0].lowercased() == text.lowercased() }
            if matches.count == 1 { return matches[0] }
        }
        return nil
    }

    /// The labels a point may have, for messages: `0…1`, or `"cat", "dog" (or 0…1)` for named classes.
    public var labelsAccepted: String {
        let numbers = "0…\(classCount - 1)"
        guard let names = classNames else { return numbers }
        return names.map { "\"\(NNPlayError.excerpt($0, max: 40))\"" }.joined(separator: ", ") + " (or \(numbers))"
    }

    /// Adds a point with class `label` to the training set, or to the test set with `toTest`.
    /// Throws, changing nothing, when a coordinate is not finite or beyond ±`CSVFormat.maxCoordinate`,
    /// the label is not a class of the data, or the data already has `maxPoints` points.
    public mutating func addPoint(x: Double, y: Double, label: Int, toTest: Bool) throws {
        for (name, v) in [("x", x), ("y", y)] {
            guard v.isFinite, abs(v) <= CSVFormat.maxCoordinate else {
                throw NNPlayError("\(name)=\(formatNumber(v)) is out of range: a coordinate is a finite number from -1e12 to 1e12")
            }
        }
        guard problem == .classification else {
            throw NNPlayError("this is regression data: a point has a target value, not a class")
        }
        guard (0..<classCount).contains(label) else {
            throw NNPlayError("label \(label) is not a class of the data: labels are \(labelsAccepted)")
        }
        guard count < Dataset.maxPoints else {
            throw NNPlayError("the data has \(count) points, the limit: remove some first")
        }
        appendPoint(x: x, y: y, label: label, toTest: toTest)
    }

    /// Adds a point with the real target `value` to regression data (checked as `addPoint(label:)`).
    public mutating func addPoint(x: Double, y: Double, value: Double, toTest: Bool) throws {
        guard problem == .regression else {
            throw NNPlayError("this is classification data: a point has a class, not a target value (labels are \(labelsAccepted))")
        }
        for (name, v) in [("x", x), ("y", y)] {
            guard v.isFinite, abs(v) <= CSVFormat.maxCoordinate else {
                throw NNPlayError("\(name)=\(formatNumber(v)) is out of range: a coordinate is a finite number from -1e12 to 1e12")
            }
        }
        guard value.isFinite, abs(value) <= Dataset.maxTarget else {
            throw NNPlayError("target \(formatNumber(value)) is out of range: a target is a finite number from -1e12 to 1e12")
        }
        guard count < Dataset.maxPoints else {
            throw NNPlayError("the data has \(count) points, the limit: remove some first")
        }
        appendPoint(x: x, y: y, label: 0, value: value, toTest: toTest)
    }

    /// What `removePoints` took away: the points (as they were), and how many from each set.
    public struct PointRemoval: Equatable, Sendable {
        public struct Point: Equatable, Sendable {
            public var x: Double, y: Double, label: Int, wasTest: Bool
        }
        public var points: [Point]
        public var train: Int { points.filter { !$0.wasTest }.count }
        public var test: Int { points.filter(\.wasTest).count }
    }

    /// The points within `radius` of (x, y), the circle's edge included, in order; with no radius,
    /// the one nearest point (the first of equally near ones). Empty only for empty data or when no
    /// point lies within the radius.
    public func indicesNear(x: Double, y: Double, radius: Double?) -> [Int] {
        func distanceSquared(_ i: Int) -> Double {
            let dx = xs[i] - x, dy = ys[i] - y
            return dx * dx + dy * dy
        }
        guard let radius else {
            var best: Int?
            for i in xs.indices where best.map({ distanceSquared(i) < distanceSquared($0) }) ?? true { best = i }
            return best.map { [$0] } ?? []
        }
        let limit = radius * radius
        return xs.indices.filter { distanceSquared($0) <= limit }
    }

    /// Removes the points `indicesNear(x:y:radius:)` picks, from both sets. Throws, changing nothing,
    /// when it picks none (the message names the nearest point and its distance), or when it would
    /// take every training point or the last point of a class.
    @discardableResult
    public mutating func removePoints(nearX x: Double, y: Double, radius: Double?) throws -> PointRemoval {
        for (name, v) in [("x", x), ("y", y)] where !v.isFinite {
            throw NNPlayError("\(name)=\(formatNumber(v)) is not a finite number")
        }
        if let radius, !(radius.isFinite && radius >= 0) {
            throw NNPlayError("radius=\(formatNumber(radius)) is out of range: radius is a finite number ≥ 0")
        }
        let chosen = indicesNear(x: x, y: y, radius: radius)
        let at = "(\(formatMetric(x)), \(formatMetric(y)))"
        guard !chosen.isEmpty else {
            let nearest = indicesNear(x: x, y: y, radius: nil).first
            let hint = nearest.map { i -> String in
                let d = ((xs[i] - x) * (xs[i] - x) + (ys[i] - y) * (ys[i] - y)).squareRoot()
                return "; the nearest, (\(formatMetric(xs[i])), \(formatMetric(ys[i]))), is \(formatMetric(d)) away"
            } ?? ""
            throw NNPlayError("no point lies within radius=\(formatNumber(radius ?? 0)) of \(at)\(hint): nothing was removed")
        }
        let removed = Set(chosen)
        // validation points are training points held out: they count as training points here
        let training = trainIndices + validationIndices
        let trainLeft = training.filter { !removed.contains($0) }.count
        if trainLeft == 0 && !training.isEmpty {
            throw NNPlayError("that would remove all \(training.count) training point\(training.count == 1 ? "" : "s") (\(chosen.count) point\(chosen.count == 1 ? "" : "s") near \(at)): at least one must stay to train on; nothing was removed (use a smaller radius, or make new data)")
        }
        var left = classCounts
        for i in chosen { left[labels[i]] -= 1 }
        if let c = left.firstIndex(of: 0) {
            throw NNPlayError("that would remove the last point of class \(className(c)): every class keeps at least one point (the network has an output for it); nothing was removed (use a smaller radius, or make new data)")
        }
        let test = Set(testIndices)
        let points = chosen.map { PointRemoval.Point(x: xs[$0], y: ys[$0], label: labels[$0], wasTest: test.contains($0)) }
        removePoints(removed)
        return PointRemoval(points: points)
    }
}
