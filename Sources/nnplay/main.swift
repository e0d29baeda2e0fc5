import Foundation
import NNPlayEngine

func fail(_ message: String, code: Int32) -> Never {
    FileHandle.standardError.write(Data((message + "\n").utf8))
    exit(code)
}

// Interim command line (the REPL comes with the command-language work): trains the default
// playground for N epochs and prints its stats.
var seed: UInt64 = 1
var epochs = 100
var args = CommandLine.arguments.dropFirst()
while let arg = args.popFirst() {
    switch arg {
    case "--seed":
        guard let v = args.popFirst().flatMap({ UInt64($0) }) else { fail("nnplay: --seed needs a whole number", code: 2) }
        seed = v
    case "--epochs":
        guard let v = args.popFirst().flatMap({ Int($0) }), v >= 0 else { fail("nnplay: --epochs needs a whole number ≥ 0", code: 2) }
        epochs = v
    case "--help", "-h":
        print("usage: nnplay [--seed N] [--epochs N]   trains the default playground and prints its stats")
        exit(0)
    default:
        fail("nnplay: unknown option \(arg) (try --help)", code: 2)
    }
}
var playground = Playground.makeDefault(seed: seed)
do {
    try playground.train(.epochs(epochs))
} catch let e as NNPlayError {
    fail("error: \(e.message)", code: 1)
}
let train = playground.trainMetrics, test = playground.testMetrics
print("epoch=\(playground.progress.epoch) train-loss=\(formatMetric(train?.loss ?? .nan)) test-loss=\(formatMetric(test?.loss ?? .nan)) train-accuracy=\(formatMetric(train?.accuracy ?? .nan)) test-accuracy=\(formatMetric(test?.accuracy ?? .nan))")
