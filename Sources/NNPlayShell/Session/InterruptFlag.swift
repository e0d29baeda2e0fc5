import Synchronization

/// A flag raised by Ctrl-C (the program's SIGINT handler) and polled by long work (training,
/// rendering) between steps, so that work stops at a clean boundary with a consistent state.
public final class InterruptFlag: Sendable {
    private let raised = Atomic<Bool>(false)

    public init() {}

    /// Raises the flag (safe to call from a signal handler).
    public func raise() { raised.store(true, ordering: .relaxed) }

    /// Whether the flag is up, lowering it.
    public func consume() -> Bool { raised.exchange(false, ordering: .relaxed) }

    /// Whether the flag is up, leaving it.
    public var isRaised: Bool { raised.load(ordering: .relaxed) }

    /// Lowers the flag.
    public func clear() { raised.store(false, ordering: .relaxed) }
}
