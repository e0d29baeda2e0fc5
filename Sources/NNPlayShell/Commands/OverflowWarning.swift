import NNPlayEngine

/// A network whose sums overflow (weights of 1e300 from a hand-edited model file, or data far
/// outside what it was trained on) gives losses of ∞ or NaN: said out loud, never shown silently.
enum OverflowWarning {
    /// Warns when the train or test loss of the playground (measured as `train` and `test`) is not a
    /// finite number.
    static func check(_ session: Session, train: Metrics?, test: Metrics?) {
        let p = session.playground
        let losses = [("train", train?.loss), ("test", test?.loss)]
        guard let (set, value) = losses.first(where: { !($0.1?.isFinite ?? true) }), let loss = value else { return }
        let largest = p.network.parameters.map(abs).max() ?? 0
        // weights that were never trained here (loaded, or set by hand) are not the learning rate's fault
        let advice = p.progress.steps == 0 ? "`reset` draws new weights" : "`reset`, or retrain with a smaller learning rate"
        session.warn("the \(set) loss is \(formatMetric(loss)): the network's sums overflow on some points "
                     + "(its largest weight is \(formatMetric(largest, digits: 3))); \(advice)")
    }
}
