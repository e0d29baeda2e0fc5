/// The part of the segment (x0, y0)–(x1, y1) inside the rectangle [xMin, xMax] × [yMin, yMax]
/// (Liang–Barsky), or nil when none of it is, or when an end is not a finite number. Drawing clips
/// first, so that a segment reaching far outside a picture (a layer whose values are ±1e308) costs
/// steps for its visible part only and never turns a huge coordinate into an integer.
func clipSegment(_ x0: Double, _ y0: Double, _ x1: Double, _ y1: Double,
                 xMin: Double, xMax: Double, yMin: Double, yMax: Double) -> (x0: Double, y0: Double, x1: Double, y1: Double)? {
    guard x0.isFinite, y0.isFinite, x1.isFinite, y1.isFinite else { return nil }
    // halves throughout: differences of finite doubles then cannot overflow, and the ratios
    // t = q / p do not change
    let dx = x1 / 2 - x0 / 2, dy = y1 / 2 - y0 / 2
    var t0 = 0.0, t1 = 1.0
    for (p, q) in [(-dx, x0 / 2 - xMin / 2), (dx, xMax / 2 - x0 / 2), (-dy, y0 / 2 - yMin / 2), (dy, yMax / 2 - y0 / 2)] {
        if p == 0 {
            if q < 0 { return nil }
        } else {
            let t = q / p
            if p < 0 { t0 = Swift.max(t0, t) } else { t1 = Swift.min(t1, t) }
            if t0 > t1 { return nil }
        }
    }
    // points on the segment as weighted means of its ends: no difference that could overflow
    func at(_ t: Double) -> (Double, Double) { ((1 - t) * x0 + t * x1, (1 - t) * y0 + t * y1) }
    let (a, b) = (at(t0), at(t1))
    return (a.0, a.1, b.0, b.1)
}
