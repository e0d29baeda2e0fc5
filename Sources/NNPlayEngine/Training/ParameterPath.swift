/// The optimiser's path through weight space since the last re-initialisation: the parameters at
/// the start of training and at the end of every epoch, in bounded memory (`plot landscape` draws it).
public struct ParameterPath: Equatable, Sendable {
    /// The parameters as they were after `epoch` epochs.
    public struct Snapshot: Equatable, Sendable {
        public var epoch: Int
        public var parameters: [Double]
    }

    /// Oldest first: the start, then epoch ends every `stride` epochs, and the latest.
    public private(set) var snapshots: [Snapshot] = []
    /// Spacing, in epochs, of the snapshots kept (it doubles as the path is thinned).
    public private(set) var stride = 1

    /// Most doubles and most snapshots the path holds (8 MB, a few thousand points of a curve).
    public static let maxDoubles = 1 << 20
    public static let maxSnapshots = 4096

    /// How many snapshots of `n` parameters fit; below 2 (over half a million parameters) no path is kept.
    public static func limit(parameterCount n: Int) -> Int {
        n <= 0 ? maxSnapshots : Swift.min(maxSnapshots, maxDoubles / n)
    }

    /// Appends the parameters after `epoch` epochs. Past the limit, the spacing doubles and the
    /// snapshots off it go (the first and the latest stay), so a long run keeps an evenly sampled path.
    mutating func record(epoch: Int, parameters p: UnsafePointer<Double>, count n: Int) {
        let limit = ParameterPath.limit(parameterCount: n)
        guard limit >= 2 else { return }
        // a latest snapshot off the spacing was kept only because it was the latest
        if snapshots.count >= 2, let last = snapshots.last, last.epoch % stride != 0 { snapshots.removeLast() }
        snapshots.append(Snapshot(epoch: epoch, parameters: Array(UnsafeBufferPointer(start: p, count: n))))
        while snapshots.count > limit {
            guard stride < 1 << 40 else {
                snapshots = [snapshots[0], snapshots[snapshots.count - 1]]
                break
            }
            stride *= 2
            let lastIndex = snapshots.count - 1, spacing = stride
            snapshots = snapshots.enumerated().filter { i, s in i == 0 || i == lastIndex || s.epoch % spacing == 0 }.map(\.element)
        }
    }

    /// Whether no snapshot has been taken yet.
    public var isEmpty: Bool { snapshots.isEmpty }
}
