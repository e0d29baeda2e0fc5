import NNPlayEngine

/// `gradcheck`: backpropagation against finite differences.
public enum GradcheckCommand: Command {
    public static let help = CommandHelp(
        name: "gradcheck", group: .inspecting, usage: ["gradcheck [points=\(GradientCheck.defaultPoints)]"],
        summary: "compare backpropagation's gradient with finite differences; print the largest relative error",
        details: ["For every parameter θ, the numeric slope (−J(θ+2h) + 8J(θ+h) − 8J(θ−h) + J(θ−2h)) / 12h of the",
                  "training objective J (mean loss over a few training points + regularization), h = 1e-4, is",
                  "compared with backpropagation: error = |backprop − numeric| / max(|backprop|, |numeric|, 1e-4).",
                  "Below 1e-6 the two agree to rounding. relu-like kinks can give large errors at points near 0.",
                  "Large networks are checked on a seeded sample of parameters (at least 50) so the check takes",
                  "seconds; Ctrl-C stops it and reports the parameters checked so far."],
        options: [OptionHelp("points", "N", default: "\(GradientCheck.defaultPoints)", "training points in J (1…256); the default is not a multiple of 8 on purpose, to cover the kernels' partial vectors")],
        examples: ["gradcheck", "gradcheck points=32"])

    public static func run(_ args: Arguments, in session: Session) throws {
        try args.allowOptions(["points"])
        try args.expectPositionals(0...0, usage: help.usage[0])
        let points = try args.option("points").map { try Values.integer($0, "points", in: 1...256) } ?? GradientCheck.defaultPoints
        let interrupt = session.interrupt
        let r = session.playground.gradientCheck(points: points, shouldStop: { interrupt.isRaised })
        if r.interrupted { _ = interrupt.consume() }
        guard r.parametersChecked > 0 else {
            session.say("gradcheck interrupted before any parameter was checked")
            return
        }
        guard r.backprop.isFinite && r.numeric.isFinite else {
            // an overflowing loss has no slope to compare (a model of enormous weights, say)
            session.say("gradcheck: nothing to compare at \(r.worst): backprop gives \(formatMetric(r.backprop, digits: 8)), "
                        + "finite differences \(formatMetric(r.numeric, digits: 8)); the loss is not finite at these weights "
                        + "(the network's sums overflow): `reset` draws new weights")
            return
        }
        let verdict = r.maxRelativeError < 1e-6 ? "backpropagation agrees" : "larger than 1e-6: check for kinks (relu) or a bug"
        let checked = r.parametersChecked == r.parameterCount
            ? "\(r.parametersChecked) parameters"
            : "\(r.parametersChecked) of \(r.parameterCount) parameters (a seeded sample)"
        session.say("gradcheck: largest relative error \(formatMetric(r.maxRelativeError, digits: 3)) at \(r.worst) "
                    + "(backprop \(formatMetric(r.backprop, digits: 8)), numeric \(formatMetric(r.numeric, digits: 8))); "
                    + "\(checked), \(r.points) points: \(verdict)"
                    + (r.interrupted ? " (interrupted: only these were checked)" : ""))
    }
}
