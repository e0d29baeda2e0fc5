import Foundation
import NNPlayEngine

/// `data`: make, load, save, re-split, edit point by point (DataPointEditing.swift) or describe the dataset.
public enum DataCommand: Command {
    public static let help = CommandHelp(
        name: "data", group: .data,
        usage: ["data NAME [n=500] [noise=0] [test=0.5] [classes=2] [seed=S]",
                "data load PATH [test=0.5] [seed=S] [problem=classification|regression]",
                "data save PATH",
                "data split [test=0.5] [seed=S]",
                "data add X Y LABEL [test]",
                "data remove X Y [radius=R]",
                "data"],
        summary: "make, load, save, edit or describe the dataset",
        details: [
            "NAME is one of: \(DatasetKind.namesList) (classes), or \(RegressionKind.namesList) (regression:",
            "a real target per point, Playground's reg-plane and reg-gauss). Every point lies in [-6, 6]².",
            "noise (0…1): circle, xor: labels read at points moved by up to ±5·noise; gauss: blob variance",
            "0.5 + 3.5·noise; spiral: points move by up to ±noise; moons: normal moves of sd 3.3·noise;",
            "plane ((x + y)/10) and multigauss (six signed bumps): targets read at points moved by up to ±6·noise.",
            "classes=K: circle (rings), gauss (blobs) and spiral (arms) take 2…\(Dataset.maxClasses); xor and moons 2.",
            "test is the fraction held out for testing (1 = all test data, to measure a trained model).",
            "The network keeps its weights when the class count stays; otherwise its output layer is rebuilt.",
            "CSV files: one point per line x,y,label, an optional header; labels 0…K−1, -1/1, or names.",
            "Real numbers that are not all whole (or a header x,y,target or x,y,value) make regression data;",
            "problem=regression reads the third column as targets anyway, problem=classification as classes.",
            "Named classes are matched by name with the current data's (rows may come in any order).",
            "data load PATH checksum=HEX (as saved sessions write it) refuses a file that has changed since.",
            "data split draws a new train/test split of the same points; data alone describes the data.",
            "data add puts a point of class LABEL (0…K−1 or a class name) at (X, Y), in the training set, or",
            "the test set with test; it adds no class (make new data for more). data remove takes the one",
            "point nearest (X, Y), or with radius=R every point within R of it, from both sets; the last",
            "training point and a class's last point stay. Weights stay; the epoch in progress starts again.",
            "Regression data: data add X Y VALUE adds a point whose target is the number VALUE.",
        ],
        options: [
            OptionHelp("n", "N", default: "500", "number of points (K…\(Dataset.maxPoints))"),
            OptionHelp("noise", "F", default: "0", "noise, 0…1 (see above)"),
            OptionHelp("test", "F", default: "0.5", "fraction of points held out for testing, 0…1"),
            OptionHelp("classes", "K", default: "2", "number of classes"),
            OptionHelp("seed", "S", default: "the seed setting", "seed of the points and the split"),
            OptionHelp("problem", "P", default: "from the file", "data load: classification or regression",
                       completion: .words(Problem.allCases.map(\.rawValue))),
            OptionHelp("radius", "R", default: "the nearest point only", "data remove: every point within R of (X, Y)"),
        ],
        examples: ["data spiral n=400 noise=0.1", "data gauss classes=4 test=0.3", "data plane noise=0.2",
                   "data multigauss n=1000", "data load Datasets/iris-petals.csv", "data load Datasets/plane-train.csv test=0",
                   "data save /tmp/points.csv", "data add 1.5 -2 1", "data add 0 0 0 test", "data remove 1.5 -2",
                   "data remove 0 0 radius=1"])

    /// The sub-commands, as Tab offers them after `data`.
    static let subCommands = ["load", "save", "split", "add", "remove"]

    public static func completion(forPositional index: Int, after previous: [String]) -> CompletionKind {
        if index == 0 { return .words(DatasetKind.allCases.map(\.rawValue) + RegressionKind.allCases.map(\.rawValue) + subCommands) }
        let sub = previous.first?.lowercased()
        if index == 1, sub == "load" || sub == "save" { return .path }
        if sub == "add" && index == 3 { return .classLabels }
        if sub == "add" && index == 4 { return .words(["test"]) }
        return .none
    }

    public static func optionKeys(after previous: [String]) -> [String] {
        switch previous.first?.lowercased() {
        case "load": return ["test", "seed", "problem"]
        case "split": return ["test", "seed"]
        case "save", "add": return []
        case "remove": return ["radius"]
        case let name? where RegressionKind(name: name) != nil: return ["n", "noise", "test", "seed"]
        default: return generatorOptions
        }
    }

    public static func changesState(_ args: Arguments) -> Bool {
        !(args.positionals.isEmpty || args.positional(0)?.lowercased() == "save")
    }

    public static func run(_ args: Arguments, in session: Session) throws {
        guard let first = args.positional(0) else {
            try args.allowOptions([])
            describe(session)
            return
        }
        switch first.lowercased() {
        case "load":
            try args.allowOptions(["test", "seed", "checksum", "problem"], for: "data load")
            try args.expectPositionals(2...2, usage: "data load PATH [test=0.5] [seed=S] [problem=classification|regression]")
            try load(path: Values.path(args.positionals[1]), args, session)
        case "save":
            try args.allowOptions([], for: "data save")
            try args.expectPositionals(2...2, usage: "data save PATH")
            try save(to: Values.path(args.positionals[1]), session)
        case "split":
            try args.allowOptions(["test", "seed"], for: "data split")
            try args.expectPositionals(1...1, usage: "data split [test=0.5] [seed=S]")
            let (test, seed) = try splitOptions(args, session)
            try session.update { try $0.resplit(testFraction: test, seed: seed) }
            summarize(session, notes: [])
        case "add":
            try DataPointEditing.add(args, in: session)
        case "remove":
            try DataPointEditing.remove(args, in: session)
        default:
            try generate(args, session)
        }
    }

    /// The options of `data NAME`.
    static let generatorOptions = ["n", "noise", "test", "classes", "seed"]

    static func generate(_ args: Arguments, _ session: Session) throws {
        if let kind = RegressionKind(name: args.positionals[0]) { return try generate(kind, args, session) }
        let kind = try Values.name(args.positionals[0], "dataset", DatasetKind.init(name:),
                                   accepted: DatasetKind.allCases.map(\.rawValue) + RegressionKind.allCases.map(\.rawValue) + subCommands)
        try args.allowOptions(generatorOptions, for: "data \(kind.rawValue)")
        try args.expectPositionals(1...1, usage: help.usage[0])
        if kind.maxClasses == 2, let text = args.option("classes"), Values.parseNumber(text) != 2 {
            let many = DatasetKind.allCases.filter { $0.maxClasses > 2 }.map(\.rawValue).joined(separator: ", ")
            throw ShellError("\(kind.rawValue) has 2 classes: classes=\(ShellError.excerpt(text)) applies to \(many)")
        }
        let classes = try args.option("classes").map { try Values.integer($0, "classes", in: 2...kind.maxClasses) } ?? 2
        let n = try args.option("n").map { try Values.integer($0, "n", in: classes...Dataset.maxPoints) } ?? 500
        let noise = try args.option("noise").map { try Values.number($0, "noise", in: 0...1) } ?? 0
        let (test, seed) = try splitOptions(args, session)
        let data = try Dataset.generate(kind, count: n, noise: noise, classes: classes, testFraction: test, seed: seed)
        var notes: [String] = []
        try session.update { notes = try $0.replaceDataset(data) }
        summarize(session, notes: notes)
    }

    /// `data plane` and `data multigauss`: regression data (no classes=).
    static func generate(_ kind: RegressionKind, _ args: Arguments, _ session: Session) throws {
        if let text = args.option("classes") {
            throw ShellError("\(kind.rawValue) is regression data (a real target per point): classes=\(ShellError.excerpt(text)) applies to circle, gauss and spiral")
        }
        try args.allowOptions(["n", "noise", "test", "seed"], for: "data \(kind.rawValue)")
        try args.expectPositionals(1...1, usage: "data \(kind.rawValue) [n=500] [noise=0] [test=0.5] [seed=S]")
        let n = try args.option("n").map { try Values.integer($0, "n", in: 1...Dataset.maxPoints) } ?? 500
        let noise = try args.option("noise").map { try Values.number($0, "noise", in: 0...1) } ?? 0
        let (test, seed) = try splitOptions(args, session)
        let data = try Dataset.generate(kind, count: n, noise: noise, testFraction: test, seed: seed)
        var notes: [String] = []
        try session.update { notes = try $0.replaceDataset(data) }
        summarize(session, notes: notes)
    }

    static func load(path: String, _ args: Arguments, _ session: Session) throws {
        let (test, seed) = try splitOptions(args, session)
        let problem = try args.option("problem").map { try Values.name($0, "problem", Problem.init(name:), accepted: Problem.allCases.map(\.rawValue)) }
        // Ctrl-C stops a long load; the flag stays raised, so a script ends there (status 130)
        let stop = { session.interrupt.isRaised }
        let bytes = try FileAccess.read(path, limit: CSVFormat.maxBytes, shouldStop: stop)
        let checksum = try LoadCommand.verify(bytes, of: path, args)
        let data: Dataset
        do {
            data = try Dataset.fromCSV(bytes, testFraction: test, seed: seed, problem: problem, origin: "file \(path)", shouldStop: stop)
        } catch let e as NNPlayError {
            throw ShellError("\(path): \(e.message)")
        }
        if stop() { throw ShellError("\(path): interrupted; nothing was loaded") }
        var notes: [String] = []
        try session.update { notes = try $0.replaceDataset(data) }
        let forced = problem.map { " problem=\($0.rawValue)" } ?? ""
        session.record("data load \(Tokenizer.quoted(absolutePath(path))) test=\(formatNumber(test)) seed=\(seed)\(forced) checksum=\(checksum)")
        summarize(session, notes: notes)
    }

    /// `test=` (default 0.5) and `seed=` (default: the session's seed) of a split.
    static func splitOptions(_ args: Arguments, _ session: Session) throws -> (test: Double, seed: UInt64) {
        (try args.option("test").map { try Values.number($0, "test", in: 0...1) } ?? 0.5,
         try args.option("seed").map(Values.seed) ?? session.playground.settings.seed)
    }

    /// `data save PATH` and `save data PATH`: the points as CSV.
    static func save(to path: String, _ session: Session) throws {
        try FileAccess.writeAtomically(CSVFormat.serialize(session.playground.dataset), to: path)
        session.say("saved \(session.playground.dataset.count) points to \(path)")
    }

    static func summarize(_ session: Session, notes: [String]) {
        let d = session.playground.dataset
        let classes = d.problem == .regression ? ", regression (targets \(targetRange(d)))"
            : d.origin.contains("classes=") ? "" : ", \(d.classCount) classes"
        let validation = d.validationIndices.isEmpty ? "" : " / \(d.validationIndices.count) validation"
        session.say("data: \(d.origin)\(classes): \(d.trainIndices.count) train\(validation) / \(d.testIndices.count) test points")
        for note in notes { session.say(note) }
    }

    static func describe(_ session: Session) {
        let d = session.playground.dataset
        session.say("data: \(d.origin)")
        let validation = d.validationIndices.isEmpty ? "" : ", validation \(d.validationIndices.count)"
        session.say("points: \(d.count) (train \(d.trainIndices.count)\(validation), test \(d.testIndices.count); test=\(formatNumber(d.testFraction)))")
        let counts = d.classCounts
        let testCounts = (0..<d.classCount).map { c in d.testIndices.filter { d.labels[$0] == c }.count }
        if d.problem == .regression {
            let mean = d.values.reduce(0, +) / Double(Swift.max(1, d.count))
            session.say("regression: targets \(targetRange(d)), mean \(formatMetric(mean))")
        }
        for c in 0..<d.classCount where d.problem == .classification {
            session.say("  class \(d.className(c)): \(counts[c]) point\(counts[c] == 1 ? "" : "s") (train \(counts[c] - testCounts[c]), test \(testCounts[c]))")
        }
        func range(_ v: [Double]) -> String { "\(formatMetric(v.min() ?? 0)) … \(formatMetric(v.max() ?? 0))" }
        session.say("x: \(range(d.xs))   y: \(range(d.ys))")
        let f = d.frame
        session.say("frame: [\(formatMetric(f.xMin)), \(formatMetric(f.xMax))] × [\(formatMetric(f.yMin)), \(formatMetric(f.yMax))]")
    }
}

/// A regression dataset's target range as text: `-1.2 … 1.19`.
func targetRange(_ d: Dataset) -> String {
    guard let r = d.valueRange else { return "none" }
    return "\(formatMetric(r.min)) … \(formatMetric(r.max))"
}

/// An absolute path for a path given relative to the working directory (sessions replay anywhere).
func absolutePath(_ path: String) -> String {
    if path.hasPrefix("/") { return path }
    let cwd = FileManager.default.currentDirectoryPath
    return cwd.hasSuffix("/") ? cwd + path : cwd + "/" + path
}
