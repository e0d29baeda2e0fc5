/// "Did you mean …?" for misspelt names.
public enum Suggestions {
    /// The candidate closest to `word` (case-insensitive), if it is close enough to be a likely typo:
    /// an edit distance of at most 1 for short words and 2 for longer ones, or a unique prefix.
    public static func closest(to word: String, in candidates: [String]) -> String? {
        let w = word.lowercased()
        guard !w.isEmpty else { return nil }
        let prefixed = candidates.filter { $0.lowercased().hasPrefix(w) }
        if prefixed.count == 1 { return prefixed[0] }
        var best: (String, Int)?
        let allowedDistance = w.count <= 4 ? 1 : 2
        for c in candidates {
            // a length difference beyond the allowed distance cannot be a typo (and a 1 MB word
            // must not cost a 1 MB × name table per candidate)
            guard abs(c.count - w.count) <= allowedDistance else { continue }
            let d = distance(w, c.lowercased())
            if let b = best, b.1 <= d { continue }
            best = (c, d)
        }
        guard let (name, d) = best else { return nil }
        return d <= allowedDistance ? name : nil
    }

    /// " (did you mean 'x'?)" or "".
    public static func hint(for word: String, in candidates: [String]) -> String {
        closest(to: word, in: candidates).map { "; did you mean '\($0)'?" } ?? ""
    }

    /// Optimal string alignment distance (Levenshtein with transpositions).
    static func distance(_ a: String, _ b: String) -> Int {
        let x = Array(a), y = Array(b)
        if x.isEmpty { return y.count }
        if y.isEmpty { return x.count }
        var d = [[Int]](repeating: [Int](repeating: 0, count: y.count + 1), count: x.count + 1)
        for i in 0...x.count { d[i][0] = i }
        for j in 0...y.count { d[0][j] = j }
        for i in 1...x.count {
            for j in 1...y.count {
                let cost = x[i - 1] == y[j - 1] ? 0 : 1
                d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
                if i > 1, j > 1, x[i - 1] == y[j - 2], x[i - 2] == y[j - 1] {
                    d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1)
                }
            }
        }
        return d[x.count][y.count]
    }
}
