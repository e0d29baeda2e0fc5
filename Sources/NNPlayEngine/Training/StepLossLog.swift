/// The mini-batch loss of the training steps, for `plot loss steps`: the noise of small batches
/// next to the smooth curve of full ones.
///
/// Memory stays bounded however long training runs: every step is kept until `limit` are held,
/// then every other one goes and only every 2nd (4th, 8th…) step is measured from then on — an
/// even sample of the whole run that keeps the noise visible. Steps off the spacing are not even
/// measured, so the log costs nothing on a long run.
public struct StepLossLog: Equatable, Sendable {
    /// The steps kept (0-based among all steps since the weights were drawn) and their losses.
    public private(set) var steps: [Int] = []
    public private(set) var losses: [Double] = []
    /// Spacing of the kept steps.
    public private(set) var stride = 1

    public static let limit = 2048

    public init() {}

    /// Whether step `t` (0-based) is measured.
    @inline(__always) public func wants(_ t: Int) -> Bool { t % stride == 0 }

    /// Keeps the loss of step `t` (a step `wants`).
    mutating func record(step t: Int, loss: Double) {
        if let last = steps.last, last >= t {
            // a step taken again (after a divergence rolled the weights back): the newer loss counts
            while let last = steps.last, last >= t { steps.removeLast(); losses.removeLast() }
        }
        steps.append(t)
        losses.append(loss)
        guard steps.count > StepLossLog.limit else { return }
        stride *= 2
        var keptSteps: [Int] = [], keptLosses: [Double] = []
        keptSteps.reserveCapacity(StepLossLog.limit / 2 + 1)
        keptLosses.reserveCapacity(StepLossLog.limit / 2 + 1)
        for (s, l) in zip(steps, losses) where s % stride == 0 {
            keptSteps.append(s)
            keptLosses.append(l)
        }
        steps = keptSteps
        losses = keptLosses
    }

    public var isEmpty: Bool { steps.isEmpty }
}
