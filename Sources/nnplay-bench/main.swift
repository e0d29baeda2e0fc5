import Foundation
import NNPlayEngine

// nnplay-bench: the four workloads of ../shared/reference (README there), timed in this process,
// and with --compare side by side with the numpy, scikit-learn and PyTorch references run
// interleaved in the same run, so that the ratios come from one run on one machine.
//
//   swift run -c release nnplay-bench              # a b c d e f, median of 5
//   swift run -c release nnplay-bench --compare    # and the Python references, interleaved
//   swift run -c release nnplay-bench --quick      # a short run that proves it works (CI)

struct Workload {
    let id: String
    let points: Int
    let epochs: Int
    let batch: Int
    let hidden: [Int]
    let activation: Activation
    let grid: Int
    /// The flags of the reference scripts for the same work ("": nnplay's own workload, no reference).
    let referenceFlags: String
    /// e: one frame of `train N live` (the output map and its drawing); f: a whole user's training
    /// with its per-epoch metrics.
    var kind: Kind = .training

    enum Kind { case training, grid, liveFrame, userTraining }

    var isGrid: Bool { grid > 0 }
    var layerSizes: [Int] { [2] + hidden + [1] }
    /// Multiply-adds of one forward pass of one point.
    var macs: Int { zip(layerSizes, layerSizes.dropFirst()).map { $0 * $1 }.reduce(0, +) }
    /// FLOPs of one training sample, forward and backward, as the references count them.
    var trainFlops: Int { 2 * (3 * macs - layerSizes[0] * layerSizes[1]) }
}

let workloads = [
    Workload(id: "a", points: 1000, epochs: 100, batch: 10, hidden: [8, 8], activation: .tanh, grid: 0,
             referenceFlags: "-N 1000 -E 100 -B 10 --layers 2,8,8,1 --act tanh"),
    Workload(id: "b", points: 1000, epochs: 100, batch: 100, hidden: [8, 8], activation: .tanh, grid: 0,
             referenceFlags: "-N 1000 -E 100 -B 100 --layers 2,8,8,1 --act tanh"),
    Workload(id: "c", points: 10000, epochs: 20, batch: 32, hidden: [32, 32, 32], activation: .relu, grid: 0,
             referenceFlags: "-N 10000 -E 20 -B 32 --layers 2,32,32,32,1 --act relu"),
    Workload(id: "d", points: 1000, epochs: 0, batch: 10, hidden: [8, 8, 8], activation: .tanh, grid: 256,
             referenceFlags: "-E 0 --layers 2,8,8,8,1 --act tanh -G 256 --grid-reps 30", kind: .grid),
    // the default playground (2-4-2-1 tanh, circle, batch 10): a live frame at 80×24 in 256 colours
    Workload(id: "e", points: 500, epochs: 0, batch: 10, hidden: [4, 2], activation: .tanh, grid: 0,
             referenceFlags: "", kind: .liveFrame),
    Workload(id: "f", points: 1_000_000, epochs: 10, batch: 10, hidden: [4, 2], activation: .tanh, grid: 0,
             referenceFlags: "", kind: .userTraining),
]

/// The goals of issue "Speed, round 2", for the verdict lines: a ratio to a reference, or a share of the peak.
struct Goal {
    var reference: String
    var ratio: Double
    var peakShare: Double?
}
let goals: [String: [Goal]] = [
    "a": [Goal(reference: "numpy f64", ratio: 60)],
    "b": [Goal(reference: "numpy f64", ratio: 15)],
    "c": [Goal(reference: "numpy f32", ratio: 7.5, peakShare: 0.8)],
    "d": [Goal(reference: "numpy f32", ratio: 6)],
]

// MARK: Options

struct Options: Sendable {
    var compare = false, quick = false, reps = 5, rounds = 3
    var only = Set(["a", "b", "c", "d", "e", "f"])
    /// Epochs instead of each workload's own (for profiling), and whether to measure the FMA peak.
    var epochs: Int?
    var peak = true
    /// Whether to measure the per-epoch metrics' share (off: a profile of the training alone).
    var metricsShare = true
}

func parseOptions() -> Options {
    var o = Options()
    var arguments = CommandLine.arguments.dropFirst()
    while let arg = arguments.popFirst() {
        switch arg {
        case "--compare": o.compare = true
        case "--quick": o.quick = true
        case "--reps": o.reps = Swift.max(1, arguments.popFirst().flatMap(Int.init) ?? o.reps)
        case "--rounds": o.rounds = Swift.max(1, arguments.popFirst().flatMap(Int.init) ?? o.rounds)
        case "--only": o.only = Set((arguments.popFirst() ?? "").split(separator: ",").map(String.init))
        case "--epochs": o.epochs = arguments.popFirst().flatMap(Int.init)
        case "--no-peak": o.peak = false
        case "--no-metrics": o.metricsShare = false
        case "--help", "-h":
            print("""
                usage: nnplay-bench [--compare] [--quick] [--reps N] [--rounds N] [--only a,b,c,d,e,f] [--epochs N] [--no-peak] [--no-metrics]
                  --compare   also run ../shared/reference's numpy, scikit-learn and torch scripts, interleaved
                  --quick     tiny sizes, one repetition: proves the benchmark runs (CI), times nothing
                """)
            exit(0)
        default:
            FileHandle.standardError.write(Data("nnplay-bench: unknown option \(arg) (--help)\n".utf8))
            exit(2)
        }
    }
    return o
}

let options = parseOptions()
let quick = options.quick, compare = options.compare, reps = options.reps, rounds = options.rounds, only = options.only

extension Workload {
    /// What this run measures: quick mode shrinks it, --epochs overrides the epochs.
    var runPoints: Int { quick ? Swift.min(points, kind == .userTraining ? 20_000 : 500) : points }
    var runEpochs: Int { options.epochs ?? (quick ? 2 : epochs) }
    var runGrid: Int { quick ? 32 : grid }
}

// MARK: Measuring nnplay

struct Result {
    var times: [Double] = []
    var accuracy: Double?
    var median: Double { times.sorted()[times.count / 2] }
}

func seconds(_ body: () throws -> Void) rethrows -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    try body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}

func playground(_ w: Workload, points: Int) throws -> Playground {
    if w.kind == .liveFrame || w.kind == .userTraining {
        // the default playground, with the workload's number of points
        let p = Playground.makeDefault(seed: 1)
        let data = try Dataset.generate(.circle, count: points, noise: 0, classes: 2, testFraction: 0.5, seed: 1)
        return try Playground(dataset: data, network: p.network, settings: p.settings)
    }
    let data = try Dataset.generate(.spiral, count: points, noise: 0.1, classes: 2, testFraction: 0, seed: 1)
    let net = try Network(features: [.x, .y], hidden: w.hidden.map { (size: $0, activation: w.activation) }, classes: 2)
    var s = TrainingSettings()
    s.learningRate = 0.03
    s.batchSize = w.batch
    s.regularization = .l2
    s.regularizationRate = 1e-4
    s.loss = .bce
    s.optimizer = .sgd
    s.initializer = .xavier
    return try Playground(dataset: data, network: net, settings: s)
}

/// Training: a fresh network per repetition after one untimed warm-up epoch, as the references do.
/// Grid: all neuron maps of the network on a G×G grid over [-6, 6]², `gridReps` frames.
/// `metrics`: with each epoch's train and test metrics recorded, as `train` does at the prompt
/// (the references measure nothing per epoch; f always has them).
func measure(_ w: Workload, reps: Int, metrics: Bool = false) throws -> Result {
    var result = Result()
    let epochs = w.runEpochs, points = w.runPoints
    let control = TrainingControl(recordHistory: metrics || w.kind == .userTraining)
    if w.kind == .liveFrame {
        // what train N live draws each frame at 80×24: the output map with the data, rendered
        let p = try playground(w, points: points)
        let frame = { _ = TerminalPictures.outputMap(network: p.network, data: p.dataset, columns: 36, rows: 17, .palette256,
                                                      points: .all, discrete: false).render(.palette256) }
        frame()
        for _ in 0..<(quick ? 2 : 30 * reps / 5) { result.times.append(seconds(frame)) }
        return result
    }
    if w.isGrid {
        let p = try playground(w, points: points)
        let grid = Grid(frame: .standard, columns: w.runGrid, rows: w.runGrid)
        _ = p.network.gridMaps(grid)
        for _ in 0..<(quick ? 2 : 30 * reps / 5) {
            result.times.append(seconds { _ = p.network.gridMaps(grid) })
        }
        return result
    }
    var warm = try playground(w, points: points)
    try warm.train(.epochs(1), control: control)
    var last: Playground?
    for _ in 0..<reps {
        var p = try playground(w, points: points)
        result.times.append(try seconds { try p.train(.epochs(epochs), control: control) })
        last = p
    }
    result.accuracy = last?.trainMetrics?.accuracy
    return result
}

/// This core's f64 FMA peak: 12 independent SIMD8 accumulators.
func measurePeak() -> Double {
    var acc = (0..<12).map { SIMD8<Double>(repeating: Double($0)) }
    let a = SIMD8<Double>(repeating: 1.0000001), b = SIMD8<Double>(repeating: 0.9999999)
    let iterations = quick ? 200_000 : 4_000_000
    let t = seconds {
        acc.withUnsafeMutableBufferPointer { p in
            for _ in 0..<iterations {
                for k in 0..<12 { p[k] = p[k].addingProduct(a, b) }
            }
        }
    }
    let sink = acc.reduce(SIMD8<Double>(), +).sum()
    if sink == 42 { print("") }   // keeps the loop
    return 2 * 8 * 12 * Double(iterations) / t / 1e9
}

// MARK: The references

struct Reference {
    let name: String
    let script: String
    let flags: String
    let environment: [String: String]
}

let referenceDirectory: URL? = {
    let fm = FileManager.default
    var candidates: [URL] = []
    if let env = ProcessInfo.processInfo.environment["NNPLAY_REFERENCE"] { candidates.append(URL(fileURLWithPath: env)) }
    candidates.append(URL(fileURLWithPath: fm.currentDirectoryPath).appendingPathComponent("../shared/reference"))
    let exe = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
    candidates.append(exe.deletingLastPathComponent().appendingPathComponent("../../../shared/reference"))
    return candidates.first { fm.fileExists(atPath: $0.appendingPathComponent("ref_numpy.py").path) }?.standardizedFileURL
}()

let python: String = {
    let venv = (ProcessInfo.processInfo.environment["NNPLAY_REF_VENV"] ?? "/tmp/nnplay-ref-venv") + "/bin/python"
    if FileManager.default.isExecutableFile(atPath: venv) { return venv }
    // else the python3 first on PATH (where .ci/setup put numpy; /usr/bin/python3 may lack it)
    let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
    return path.split(separator: ":").map { "\($0)/python3" }.first { FileManager.default.isExecutableFile(atPath: $0) } ?? "/usr/bin/python3"
}()

func available(_ module: String) -> Bool {
    run(python, ["-c", "import \(module)"], environment: [:]).status == 0
}

func run(_ executable: String, _ args: [String], environment: [String: String]) -> (status: Int32, output: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = args
    process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = FileHandle.nullDevice
    do { try process.run() } catch { return (127, "") }
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: data, as: UTF8.self))
}

/// Runs one reference on a workload; its median seconds and final accuracy.
func runReference(_ r: Reference, _ w: Workload, directory: URL) -> (seconds: Double, accuracy: Double?)? {
    let args = [directory.appendingPathComponent(r.script).path] + w.referenceFlags.split(separator: " ").map(String.init)
        + r.flags.split(separator: " ").map(String.init) + ["--reps", "3", "--json"]
    let (status, output) = run(python, args, environment: r.environment)
    guard status == 0, let line = output.split(separator: "\n").first(where: { $0.hasPrefix("JSON ") }),
          let json = try? JSONSerialization.jsonObject(with: Data(line.dropFirst(5).utf8)) as? [String: Any] else { return nil }
    let key = w.isGrid ? "grid_s_median" : "train_s_median"
    guard let median = json[key] as? Double else { return nil }
    return (median, json["final_train_acc"] as? Double)
}

// MARK: Running

// the best of five: on a shared machine a neighbour's burst can only slow a measurement down
let peak = options.peak ? (0..<(quick ? 1 : 5)).map { _ in measurePeak() }.max() ?? .nan : .nan
print("nnplay-bench: \(ProcessInfo.processInfo.activeProcessorCount) cores; this core's measured f64 FMA peak \(fixed(peak, decimals: 1)) GFLOP/s\(quick ? " (quick mode: tiny sizes, the times mean nothing)" : "")")

var references: [Reference] = []
if compare {
    if let dir = referenceDirectory {
        references.append(Reference(name: "numpy f64", script: "ref_numpy.py", flags: "--dtype float64", environment: [:]))
        references.append(Reference(name: "numpy f32", script: "ref_numpy.py", flags: "--dtype float32", environment: [:]))
        if available("sklearn") { references.append(Reference(name: "sklearn", script: "ref_sklearn.py", flags: "--dtype float64", environment: [:])) }
        if available("torch") { references.append(Reference(name: "torch f32 1t", script: "ref_torch.py", flags: "--dtype float32 --threads 1", environment: [:])) }
        print("references: \(references.map(\.name).joined(separator: ", ")) from \(dir.path) with \(python)")
    } else {
        print("--compare: ../shared/reference not found (set NNPLAY_REFERENCE); comparing nothing")
    }
}

var ours: [String: Result] = [:]
var withMetrics: [String: Double] = [:]
var theirs: [String: [String: [Double]]] = [:]
var theirAccuracy: [String: [String: Double]] = [:]
let selected = workloads.filter { only.contains($0.id) }
for round in 0..<(compare ? rounds : 1) {
    for w in selected {
        let r = try measure(w, reps: quick ? 1 : reps)
        ours[w.id, default: Result()].times += r.times
        ours[w.id]?.accuracy = r.accuracy
        if round == 0 && w.kind == .training && options.metricsShare { withMetrics[w.id] = try measure(w, reps: quick ? 1 : reps, metrics: true).median }
        if compare, let dir = referenceDirectory, !w.referenceFlags.isEmpty {
            for ref in references {
                if let (t, acc) = runReference(ref, w, directory: dir) {
                    theirs[w.id, default: [:]][ref.name, default: []].append(t)
                    if let acc { theirAccuracy[w.id, default: [:]][ref.name] = acc }
                }
            }
            print("round \(round + 1)/\(rounds): \(w.id) done")
        }
    }
}

func ms(_ s: Double) -> String { fixed(s * 1000, decimals: s < 0.01 ? 2 : 1) }

print("")
print("wl  nnplay median      min   samples/s  GFLOP/s  %peak  accuracy  what")
for w in selected {
    guard let r = ours[w.id] else { continue }
    let median = r.median, best = r.times.min() ?? median
    let samples = Double(w.isGrid ? w.runGrid * w.runGrid : w.kind == .liveFrame ? 36 * 34 : w.runPoints * w.runEpochs)
    let flops = w.isGrid || w.kind == .liveFrame ? Double(2 * w.macs) * samples : Double(w.trainFlops) * samples
    let gflops = flops / median / 1e9
    let net = "2-\(w.hidden.map(String.init).joined(separator: "-"))-1 \(w.activation.rawValue)"
    let what: String
    switch w.kind {
    case .grid: what = "all maps of \(net), \(w.grid)² grid, per frame"
    case .liveFrame: what = "a frame of train N live at 80×24 (the default net's output map, 36×17 cells, drawn in 256 colours)"
    case .userTraining: what = "the default net, \(w.points) points, batch \(w.batch), \(w.epochs) epochs, with each epoch's metrics"
    case .training: what = "\(net), \(w.points) points, batch \(w.batch), \(w.epochs) epochs"
    }
    print("\(w.id)   \(ms(median).leftPad(9)) ms \(ms(best).leftPad(8)) \(formatMetric(samples / median, digits: 3).leftPad(11)) \(fixed(gflops, decimals: 2).leftPad(8)) \((peak.isNaN ? "-" : fixed(100 * gflops / peak, decimals: 0) + "%").leftPad(6))  \(r.accuracy.map { fixed($0, decimals: 3) } ?? "   -")     \(what)")
}
let shares = selected.compactMap { w -> String? in
    guard let with = withMetrics[w.id], let r = ours[w.id] else { return nil }
    return "\(w.id) +\(ms(with - r.median)) ms (\(fixed(100 * (with - r.median) / with, decimals: 0)) % of \(ms(with)) ms)"
}
if !shares.isEmpty {
    print("")
    print("per-epoch metrics (train and test loss and accuracy after each epoch, as train records them; not in the times above, nor in the references): " + shares.joined(separator: ", "))
}
if compare && !theirs.isEmpty {
    let names = references.map(\.name)
    func median(_ v: [Double]) -> Double { v.sorted()[v.count / 2] }
    print("")
    print("ratios in this run: reference median / nnplay median (higher = nnplay faster)")
    print("wl  " + "nnplay".padding(toLength: 12, withPad: " ", startingAt: 0) + names.map { $0.padding(toLength: 18, withPad: " ", startingAt: 0) }.joined())
    for w in selected where !w.referenceFlags.isEmpty {
        guard let r = ours[w.id] else { continue }
        var line = "\(w.id)   " + "\(ms(r.median)) ms".padding(toLength: 12, withPad: " ", startingAt: 0)
        for name in names {
            let cell = theirs[w.id]?[name].flatMap { $0.isEmpty ? nil : median($0) }
                .map { "\(fixed($0 / r.median, decimals: 1))× \(ms($0)) ms" } ?? "-"
            line += cell.padding(toLength: 18, withPad: " ", startingAt: 0)
        }
        print(line)
    }
    print("")
    print("final training accuracy (same workload and schedule; each draws its own random data and weights)")
    print("wl  " + "nnplay".padding(toLength: 12, withPad: " ", startingAt: 0) + names.map { $0.padding(toLength: 18, withPad: " ", startingAt: 0) }.joined())
    for w in selected where !w.isGrid && !w.referenceFlags.isEmpty {
        var line = "\(w.id)   " + (ours[w.id]?.accuracy.map { fixed($0, decimals: 3) } ?? "-").padding(toLength: 12, withPad: " ", startingAt: 0)
        for name in names {
            line += (theirAccuracy[w.id]?[name].map { fixed($0, decimals: 3) } ?? "-").padding(toLength: 18, withPad: " ", startingAt: 0)
        }
        print(line)
    }
}

// The verdicts: each goal of issue "Speed, round 2", met or not in this run.
print("")
print(quick ? "verdicts: none in quick mode" : "verdicts (issue \"Speed, round 2\"; ratios from this run):")
for w in selected where !quick {
    guard let r = ours[w.id], let wanted = goals[w.id] else { continue }
    for goal in wanted {
        var parts: [String] = []
        if let times = theirs[w.id]?[goal.reference], !times.isEmpty {
            let ratio = times.sorted()[times.count / 2] / r.median
            parts.append("\(fixed(ratio, decimals: 1))× \(goal.reference) (goal ≥ \(fixed(goal.ratio, decimals: 1))×): \(ratio >= goal.ratio ? "met" : "not met")")
        } else {
            parts.append("vs \(goal.reference): run with --compare")
        }
        if let share = goal.peakShare {
            let samples = Double(w.runPoints * w.runEpochs)
            let used = Double(w.trainFlops) * samples / r.median / 1e9 / peak
            parts.append(peak.isNaN ? "% of peak: run without --no-peak"
                                    : "\(fixed(100 * used, decimals: 0)) % of peak (goal ≥ \(fixed(100 * share, decimals: 0)) %): \(used >= share ? "met" : "not met")")
        }
        print("\(w.id)  " + parts.joined(separator: "; "))
    }
}

extension String {
    func leftPad(_ n: Int) -> String { String(repeating: " ", count: Swift.max(0, n - count)) + self }
}
