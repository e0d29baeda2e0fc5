import Foundation

/// One run of a sweep: a copy of the playground changed one way, then trained.
public struct SweepRun {
    /// The value this run tried, as typed (e.g. `0.1`, `relu`).
    public var label: String
    /// The playground after training.
    public var playground: Playground
    public var outcome: TrainingOutcome
    /// Wall-clock seconds of its training.
    public var seconds: Double
}

/// A variant of a sweep: its label and the change it makes to a copy of the playground.
public struct SweepVariant {
    public var label: String
    public var apply: (inout Playground) throws -> Void

    public init(label: String, apply: @escaping (inout Playground) throws -> Void) {
        self.label = label
        self.apply = apply
    }
}

extension Playground {
    /// Trains a copy of this playground for each variant, `epochs` epochs each, every copy starting
    /// from these weights, data, optimiser state and epoch order; this playground does not change.
    /// Every variant is applied before any training, so a bad one fails before the work starts.
    /// `shouldStop` (Ctrl-C) ends the current run and skips the rest.
    public func sweep(_ variants: [SweepVariant], epochs: Int, shouldStop: @escaping () -> Bool = { false }) throws -> [SweepRun] {
        var starts: [Playground] = []
        for v in variants {
            var copy = self
            try v.apply(&copy)
            starts.append(copy)
        }
        var runs: [SweepRun] = []
        for (v, start) in zip(variants, starts) {
            if shouldStop() { break }
            var p = start
            let began = DispatchTime.now().uptimeNanoseconds
            let outcome = try p.train(.epochs(epochs), control: TrainingControl(shouldStop: shouldStop))
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - began) / 1e9
            runs.append(SweepRun(label: v.label, playground: p, outcome: outcome, seconds: seconds))
            if outcome.interrupted { break }
        }
        return runs
    }
}
