import Foundation

/// The most memory one command may take for what a user can size — a picture's maps and canvas,
/// an export, the training workspace of a batch — so that a large request is refused up front
/// with the size that fits, instead of growing until the system kills nnplay.
///
/// The budget is a quarter of the machine's memory (or of the container's limit, when the control
/// group sets a smaller one), at least 256 MB and at most 8 GB: room for the playground, a picture
/// and the system alongside, on any machine nnplay runs on.
public enum MemoryBudget {
    /// The budget in force: the machine's, or a smaller one set for a scope (tests do, to reach
    /// the refusals with small sizes: `MemoryBudget.$scopedLimit.withValue(64 << 20) { … }`).
    public static var bytes: Int { scopedLimit ?? machineBytes }

    @TaskLocal public static var scopedLimit: Int?

    /// A quarter of the machine's memory (see above).
    public static let machineBytes: Int = {
        let physical = Int(clamping: ProcessInfo.processInfo.physicalMemory)
        let available = Swift.min(physical > 0 ? physical : Int.max, controlGroupLimit() ?? Int.max)
        return Swift.min(8 << 30, Swift.max(256 << 20, available == Int.max ? 1 << 30 : available / 4))
    }()

    /// The memory limit of this process's control group (cgroup v2, then v1), if one is set.
    static func controlGroupLimit() -> Int? {
        for path in ["/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes"] {
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { continue }
            if let limit = Int(text.trimmingCharacters(in: .whitespacesAndNewlines)), limit > 0 { return limit }
        }
        return nil
    }

    /// Throws when `needed` bytes are more than the budget: "plot layer 3 size=1000 would need
    /// 24.1 GB, more than nnplay's memory budget of 6 GB (a quarter of this machine's memory): <advice>".
    public static func check(_ needed: Int, for what: String, advice: @autoclosure () -> String) throws {
        guard needed > bytes else { return }
        let source = scopedLimit == nil ? "a quarter of this machine's memory" : "a limit set for this run"
        throw NNPlayError("\(what) would need \(describe(needed)) of memory, more than nnplay's budget of "
                          + "\(describe(bytes)) (\(source)): \(advice())")
    }

    /// The largest n in `range` whose `need(n)` fits the budget (need grows with n), or nil if none does.
    public static func largest(in range: ClosedRange<Int>, fitting need: (Int) -> Int) -> Int? {
        guard need(range.lowerBound) <= bytes else { return nil }
        var low = range.lowerBound, high = range.upperBound
        while low < high {
            let mid = low + (high - low + 1) / 2
            if need(mid) <= bytes { low = mid } else { high = mid - 1 }
        }
        return low
    }

    /// A byte count for people: `512 kB`, `3.2 MB`, `24.1 GB`.
    public static func describe(_ n: Int) -> String {
        let units: [(Double, String)] = [(1_073_741_824, "GB"), (1_048_576, "MB"), (1024, "kB")]
        for (size, name) in units where Double(n) >= size {
            return formatNumber((Double(n) / size * 10).rounded() / 10) + " " + name
        }
        return "\(n) bytes"
    }

    /// a·b·… without overflow (a saturating product: estimates of absurd requests stay comparable).
    public static func product(_ factors: Int...) -> Int {
        var total = 1
        for f in factors {
            let (p, overflow) = total.multipliedReportingOverflow(by: Swift.max(0, f))
            if overflow { return .max }
            total = p
        }
        return total
    }

    /// a + b + … saturating.
    public static func sum(_ terms: Int...) -> Int {
        var total = 0
        for t in terms {
            let (s, overflow) = total.addingReportingOverflow(Swift.max(0, t))
            if overflow { return .max }
            total = s
        }
        return total
    }
}
