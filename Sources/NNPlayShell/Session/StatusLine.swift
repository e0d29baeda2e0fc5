import NNPlayEngine

/// A one-line status made of fields, fitted to a width by leaving out the least important fields
/// (a wrapped line would break redrawing in place, which moves the cursor by whole lines).
struct StatusLine {
    struct Field {
        var text: String
        /// Lower is more important; the most important field is always kept (cut if it must be).
        var rank: Int
    }
    var fields: [Field] = []
    var separator = "  "

    mutating func add(_ text: String, rank: Int) { fields.append(Field(text: text, rank: rank)) }

    /// At most 80 columns, and one less than the window so the cursor never wraps at the last column.
    static func limit(columns: Int) -> Int { Swift.max(1, Swift.min(80, columns - 1)) }

    /// The fields in their order, dropping the least important until the line is at most `width` long.
    func fitted(width: Int) -> String {
        var kept = fields
        func joined() -> String { kept.map(\.text).joined(separator: separator) }
        while kept.count > 1, joined().count > width,
              let worst = kept.indices.max(by: { kept[$0].rank < kept[$1].rank }) {
            kept.remove(at: worst)
        }
        return String(joined().prefix(width))
    }
}

/// The training loss over one `train … live` run, in bounded memory: past `limit` values, neighbours
/// are averaged in pairs and each kept value stands for twice as many epochs.
struct LossTrace {
    private(set) var values: [Double] = []
    /// Epochs per kept value, and the values waiting to make up the next one.
    private(set) var stride = 1
    private var pending: [Double] = []
    private(set) var firstEpoch: Int?
    private(set) var lastEpoch = 0
    static let limit = 2048

    mutating func append(_ loss: Double, epoch: Int) {
        guard loss.isFinite else { return }
        if firstEpoch == nil { firstEpoch = epoch }
        lastEpoch = epoch
        pending.append(loss)
        guard pending.count == stride else { return }
        values.append(pending.reduce(0, +) / Double(pending.count))
        pending.removeAll(keepingCapacity: true)
        if values.count >= Self.limit {
            values = Swift.stride(from: 0, to: values.count - 1, by: 2).map { (values[$0] + values[$0 + 1]) / 2 }
            stride *= 2
        }
    }

    /// Every value, the partly filled last one included.
    var all: [Double] { pending.isEmpty ? values : values + [pending.reduce(0, +) / Double(pending.count)] }
}

/// The loss chart under a live frame: the whole run so far, two rows of bars on a fixed scale from
/// 0 to the run's largest loss (usually its first), with both ends and the epoch range labelled.
/// Anchored at 0, not at the smallest value: a 4 % creep is 4 % of the height, not a full ramp.
enum LiveLossChart {
    static let rows = 2
    private static let eighths: [Character] = [" ", "▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]

    /// The columns' values: one per epoch while they fit, else the means of equal shares.
    static func columns(_ values: [Double], width: Int) -> [Double] {
        guard values.count > width, width > 0 else { return values }
        return (0..<width).map { c in
            let lo = c * values.count / width, hi = Swift.max(lo + 1, (c + 1) * values.count / width)
            return values[lo..<hi].reduce(0, +) / Double(hi - lo)
        }
    }

    /// Bar heights in eighths of a row (0…8·rows) on the scale 0…top.
    static func levels(_ values: [Double], top: Double) -> [Int] {
        let most = 8 * rows
        return values.map { v in
            guard top > 0, v.isFinite else { return 0 }
            return Swift.min(most, Swift.max(v > 0 ? 1 : 0, Int((v / top * Double(most)).rounded())))
        }
    }

    /// The chart's lines, each at most `width` characters; empty before the first epoch ends.
    static func lines(_ trace: LossTrace, width: Int) -> [String] {
        let values = trace.all
        guard let first = trace.firstEpoch, let top = values.max(), let last = values.last else { return [] }
        let topLabel = formatMetric(top, digits: 3), labelWidth = Swift.max(topLabel.count, 1)
        func pad(_ s: String) -> String { String(repeating: " ", count: Swift.max(0, labelWidth - s.count)) + s }
        let barWidth = Swift.max(1, width - labelWidth - 2)
        let heights = levels(columns(values, width: barWidth), top: top)
        var lines: [String] = []
        for row in (0..<rows).reversed() {
            let bars = String(heights.map { eighths[Swift.min(8, Swift.max(0, $0 - 8 * row))] })
            lines.append(pad(row == rows - 1 ? topLabel : "0") + " ┤" + bars)
        }
        let range = first == trace.lastEpoch ? "epoch \(first)" : "epochs \(first)–\(trace.lastEpoch)"
        // the epoch range first: the latest loss is in the status line too
        let caption = pad("") + "  \(range) · train loss \(formatMetric(last))"
        lines.append(caption.count <= width ? caption : pad("") + "  " + range)
        return lines.map { String($0.prefix(width)) }
    }
}
