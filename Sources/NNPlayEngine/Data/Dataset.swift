/// Labelled 2-D points, split into a training and a test set.
///
/// Points are stored as parallel arrays in the order they were made or read, so that saving and
/// reloading a dataset keeps every point and its label exactly. The split is a seeded, stratified
/// choice of indices: each class gives the same fraction of its points to the test set. Regression
/// data (`problem == .regression`) has a real target per point in `values` and one class, so the
/// same choice is a seeded random split.
public struct Dataset: Equatable, Sendable {
    public private(set) var xs: [Double]
    public private(set) var ys: [Double]
    /// Class of each point, in `0..<classCount` (0 for every point of regression data).
    public private(set) var labels: [Int]
    /// Classes; 1 for regression data.
    public private(set) var classCount: Int
    /// Classification or regression.
    public let problem: Problem
    /// The real target of each point (regression); empty for classification.
    public private(set) var values: [Double] = []
    /// Names of the classes when they came from a file with named labels; `nil` for numbered classes.
    public private(set) var classNames: [String]?
    /// Indices of the training points, ascending.
    public private(set) var trainIndices: [Int]
    /// Indices of the test points, ascending.
    public private(set) var testIndices: [Int]
    /// Indices of the validation points, ascending: training points held out of training (for
    /// early stopping); `trainIndices` are the rest.
    public private(set) var validationIndices: [Int] = []
    /// The fraction of points held out for testing.
    public private(set) var testFraction: Double
    /// The region pictures show.
    public private(set) var frame: Frame
    /// Where the points came from, e.g. `circle n=500 noise=0` or `file iris.csv`, before any edit.
    public let source: String
    /// Points added and removed one by one since (`data add`, `data remove`; see PointEditing.swift).
    public private(set) var pointsAdded = 0
    public private(set) var pointsRemoved = 0

    /// Where the data came from, with its edits: `circle n=500 noise=0 +2 added -1 removed`.
    public var origin: String {
        var text = source
        if pointsAdded > 0 { text += " +\(pointsAdded) added" }
        if pointsRemoved > 0 { text += " -\(pointsRemoved) removed" }
        return text
    }

    /// The most classes a dataset may have (pictures need a distinct hue per class).
    public static let maxClasses = 16
    /// The most points a dataset may have (memory and time of training and pictures).
    public static let maxPoints = 1_000_000

    /// Makes a dataset and splits it. Errors when the points and labels do not make a valid dataset.
    public init(xs: [Double], ys: [Double], labels: [Int], classCount: Int, classNames: [String]? = nil,
                testFraction: Double, seed: UInt64, frame: Frame? = nil, origin: String) throws {
        guard xs.count == ys.count, xs.count == labels.count else {
            throw NNPlayError("x, y and label counts differ (\(xs.count), \(ys.count), \(labels.count))")
        }
        guard !xs.isEmpty else { throw NNPlayError("a dataset needs at least one point") }
        guard xs.count <= Dataset.maxPoints else {
            throw NNPlayError("\(xs.count) points is more than the limit of \(Dataset.maxPoints)")
        }
        guard (2...Dataset.maxClasses).contains(classCount) else {
            throw NNPlayError("\(classCount) classes: a dataset needs 2 to \(Dataset.maxClasses) classes")
        }
        guard testFraction.isFinite, (0...1).contains(testFraction) else {
            throw NNPlayError("test=\(formatNumber(testFraction)) is out of range: test is a fraction in [0, 1]")
        }
        for i in xs.indices {
            guard xs[i].isFinite, ys[i].isFinite else { throw NNPlayError("point \(i + 1) is not finite") }
            guard (0..<classCount).contains(labels[i]) else {
                throw NNPlayError("point \(i + 1) has label \(labels[i]), not in 0..<\(classCount)")
            }
        }
        if let names = classNames, names.count != classCount {
            throw NNPlayError("\(names.count) class names for \(classCount) classes")
        }
        self.init(checkedXs: xs, ys: ys, labels: labels, classCount: classCount, classNames: classNames, problem: .classification,
                  values: [], testFraction: testFraction, seed: seed, frame: frame, origin: origin)
    }

    /// Makes a regression dataset (a real target per point) and splits it at random, seeded.
    public init(xs: [Double], ys: [Double], values: [Double], testFraction: Double, seed: UInt64, frame: Frame? = nil,
                origin: String) throws {
        guard xs.count == ys.count, xs.count == values.count else {
            throw NNPlayError("x, y and target counts differ (\(xs.count), \(ys.count), \(values.count))")
        }
        try Dataset.checkPoints(xs: xs, ys: ys, testFraction: testFraction)
        for i in values.indices where !(values[i].isFinite && abs(values[i]) <= Dataset.maxTarget) {
            throw NNPlayError("point \(i + 1) has target \(formatNumber(values[i])): targets are finite numbers within ±1e12")
        }
        self.init(checkedXs: xs, ys: ys, labels: [Int](repeating: 0, count: xs.count), classCount: Problem.regressionClassCount,
                  classNames: nil, problem: .regression, values: values, testFraction: testFraction, seed: seed,
                  frame: frame, origin: origin)
    }

    /// Largest size of a regression target (beyond it squared errors overflow).
    public static let maxTarget = 1e12

    private static func checkPoints(xs: [Double], ys: [Double], testFraction: Double) throws {
        guard !xs.isEmpty else { throw NNPlayError("a dataset needs at least one point") }
        guard xs.count <= Dataset.maxPoints else {
            throw NNPlayError("\(xs.count) points is more than the limit of \(Dataset.maxPoints)")
        }
        guard testFraction.isFinite, (0...1).contains(testFraction) else {
            throw NNPlayError("test=\(formatNumber(testFraction)) is out of range: test is a fraction in [0, 1]")
        }
        for i in xs.indices {
            guard xs[i].isFinite, ys[i].isFinite else { throw NNPlayError("point \(i + 1) is not finite") }
        }
    }

    private init(checkedXs xs: [Double], ys: [Double], labels: [Int], classCount: Int, classNames: [String]?, problem: Problem,
                 values: [Double], testFraction: Double, seed: UInt64, frame: Frame?, origin: String) {
        self.xs = xs
        self.ys = ys
        self.labels = labels
        self.classCount = classCount
        self.problem = problem
        self.values = values
        self.classNames = classNames
        self.frame = frame ?? Frame.enclosing(xs: xs, ys: ys)
        self.source = origin
        self.testFraction = testFraction
        self.trainIndices = []
        self.testIndices = []
        resplit(testFraction: testFraction, seed: seed)
    }

    /// The smallest and largest target (regression data); nil for classification.
    public var valueRange: (min: Double, max: Double)? {
        guard problem == .regression, let lo = values.min(), let hi = values.max() else { return nil }
        return (lo, hi)
    }

    public var count: Int { xs.count }

    /// Points of each class.
    public var classCounts: [Int] {
        var counts = [Int](repeating: 0, count: classCount)
        for label in labels { counts[label] += 1 }
        return counts
    }

    /// A class's display name: its name from the file, or its number.
    public func className(_ c: Int) -> String {
        classNames?[c] ?? String(c)
    }

    /// The same points with their classes numbered as `names` lists them (a file numbers its named
    /// classes in the order they first appear, so the same classes in another file, or a model's,
    /// may be numbered otherwise). The split stays. Every class of this data must be among `names`;
    /// classes of `names` that no point has are kept, so a model can be measured on some of its classes.
    public func numbered(as names: [String]) throws -> Dataset {
        guard let own = classNames else { return self }
        guard own != names else { return self }
        var index: [String: Int] = [:]
        for (i, name) in names.enumerated() where index[name] == nil { index[name] = i }
        let mapping = try own.map { name -> Int in
            guard let i = index[name] else {
                throw NNPlayError("class \"\(NNPlayError.excerpt(name))\" is not one of \(names.map { "\"\($0)\"" }.joined(separator: ", "))")
            }
            return i
        }
        var copy = self
        copy.labels = labels.map { mapping[$0] }
        copy.classCount = names.count
        copy.classNames = names
        return copy
    }

    /// Draws a new stratified train/test split (no validation points: see `holdOutValidation`).
    public mutating func resplit(testFraction: Double, seed: UInt64) {
        var rng = SeededGenerator(seed: seed, stream: .split)
        let (test, train) = Dataset.stratifiedChoice(Array(labels.indices), labels: labels, classCount: classCount,
                                                     fraction: testFraction, rng: &rng)
        trainIndices = train
        testIndices = test
        validationIndices = []
        self.testFraction = testFraction
    }

    /// Holds `fraction` of the training points (validation points included) out as validation
    /// points, stratified by class and seeded; at least one training point stays. The test set stays.
    public mutating func holdOutValidation(fraction: Double, seed: UInt64) {
        let pool = (trainIndices + validationIndices).sorted()
        var rng = SeededGenerator(seed: seed, stream: .validation)
        let (held, rest) = Dataset.stratifiedChoice(pool, labels: labels, classCount: classCount, fraction: fraction,
                                                    rng: &rng, keepOne: true)
        trainIndices = rest
        validationIndices = held
    }

    /// Chooses round(n · fraction) of `indices`, shared among the classes by largest remainder, each
    /// class's members shuffled; returns the chosen and the rest, both ascending. With `keepOne`, at
    /// least one index stays unchosen.
    static func stratifiedChoice(_ indices: [Int], labels: [Int], classCount: Int, fraction: Double,
                                 rng: inout SeededGenerator, keepOne: Bool = false) -> (chosen: [Int], rest: [Int]) {
        var byClass = [[Int]](repeating: [], count: classCount)
        for i in indices { byClass[labels[i]].append(i) }
        let shares = byClass.map { Double($0.count) * fraction }
        var counts = shares.map { Int($0.rounded(.down)) }
        var total = Int((Double(indices.count) * fraction).rounded())
        // the floors sum to at most n·fraction < n, so lowering the total to n − 1 never undercuts them
        if keepOne { total = Swift.min(total, indices.count - 1) }
        let byRemainder = shares.indices.sorted { (shares[$0] - shares[$0].rounded(.down)) > (shares[$1] - shares[$1].rounded(.down)) }
        for c in byRemainder.prefix(max(0, total - counts.reduce(0, +))) { counts[c] += 1 }
        var chosen: [Int] = [], rest: [Int] = []
        for (c, var members) in byClass.enumerated() {
            rng.shuffle(&members)
            chosen += members.prefix(counts[c])
            rest += members.dropFirst(counts[c])
        }
        return (chosen.sorted(), rest.sorted())
    }

    /// The input features of the given points, point after point (`count × features.count`, row-major).
    public func featureRows(_ indices: [Int], features: [Feature]) -> [Double] {
        var rows = [Double]()
        rows.reserveCapacity(indices.count * features.count)
        for i in indices {
            for f in features { rows.append(f.value(x: xs[i], y: ys[i])) }
        }
        return rows
    }

    /// The labels of the given points.
    public func labels(_ indices: [Int]) -> [Int] { indices.map { labels[$0] } }

    // MARK: Point by point (the checks and the search are in PointEditing.swift)

    /// Appends a point (checked by the caller) to the training or the test set. The frame grows to
    /// enclose it when it lies outside.
    mutating func appendPoint(x: Double, y: Double, label: Int, value: Double? = nil, toTest: Bool) {
        xs.append(x)
        ys.append(y)
        labels.append(label)
        if problem == .regression { values.append(value ?? 0) }
        if toTest { testIndices.append(xs.count - 1) } else { trainIndices.append(xs.count - 1) }
        pointsAdded += 1
        if !frame.contains(x: x, y: y) { frame = Frame.enclosing(xs: xs, ys: ys) }
    }

    /// Removes the points at the given indices (checked by the caller); the others keep their order,
    /// their set and the frame.
    mutating func removePoints(_ removed: Set<Int>) {
        var newIndex = [Int](repeating: -1, count: xs.count)
        var keptXs: [Double] = [], keptYs: [Double] = [], keptLabels: [Int] = [], keptValues: [Double] = []
        for i in xs.indices where !removed.contains(i) {
            newIndex[i] = keptXs.count
            keptXs.append(xs[i])
            keptYs.append(ys[i])
            keptLabels.append(labels[i])
            if problem == .regression { keptValues.append(values[i]) }
        }
        trainIndices = trainIndices.compactMap { newIndex[$0] >= 0 ? newIndex[$0] : nil }
        testIndices = testIndices.compactMap { newIndex[$0] >= 0 ? newIndex[$0] : nil }
        validationIndices = validationIndices.compactMap { newIndex[$0] >= 0 ? newIndex[$0] : nil }
        pointsRemoved += xs.count - keptXs.count
        xs = keptXs
        ys = keptYs
        labels = keptLabels
        values = keptValues
    }
}

extension Dataset {
    /// A dataset from CSV bytes (see `CSVFormat`), split with the given test fraction and seed.
    /// `problem` forces how the third column is read (nil: real numbers that are not all whole, or
    /// a header naming it `target` or `value`, make regression data).
    public static func fromCSV(_ bytes: [UInt8], testFraction: Double = 0.5, seed: UInt64 = 1, problem: Problem? = nil,
                               origin: String, shouldStop: () -> Bool = { false }) throws -> Dataset {
        let c = try CSVFormat.parse(bytes, problem: problem, shouldStop: shouldStop)
        if c.problem == .regression {
            return try Dataset(xs: c.xs, ys: c.ys, values: c.values, testFraction: testFraction, seed: seed, origin: origin)
        }
        return try Dataset(xs: c.xs, ys: c.ys, labels: c.labels, classCount: c.classCount, classNames: c.classNames,
                           testFraction: testFraction, seed: seed, origin: origin)
    }
}
