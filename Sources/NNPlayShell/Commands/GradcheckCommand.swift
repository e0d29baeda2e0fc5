import NNPlayEngine

/// `gradcheck`: backpropagation against finite differences.
public enum GradcheckCommand: Command {
    public static let help = CommandHelp(
        name: "gradcheck", group: .inspecting, usage: ["gradcheck [points=8]"],
        summary: "compare backpropagation's gradient with finite differences; print the largest relative error",
        details: ["For every parameter θ, the numeric slope (−J(θ+2h) + 8J(θ+h) − 8J(θ−h) + J(θ−2h)) / 12h of the",
                  "training objective J (mean loss over a few training points + regularization), h = 1e-4, is",
                  "compared with backpropagation: error = |backprop − numeric| / max(|backprop|, |numeric|, 1e-4).",
                  "Below 1e-6 the two agree to rounding. relu-like kinks can give large errors at points near 0."],
        options: [OptionHelp("points", "N", default: "8", "training points in J (1…256)")],
        examples: ["gradcheck", "gradcheck points=32"])

    public static func run(_ args: Arguments, in session: Session) throws {
        try args.allowOptions(["points"])
        try args.expectPositionals(0...0, usage: help.usage[0])
        let points = try args.option("points").map { try Values.integer($0, "points", in: 1...256) } ?? 8
        let r = session.playground.gradientCheck(points: points)
        let verdict = r.maxRelativeError < 1e-6 ? "backpropagation agrees" : "larger than 1e-6: check for kinks (relu) or a bug"
        session.say("gradcheck: largest relative error \(formatMetric(r.maxRelativeError, digits: 3)) at \(r.worst) "
                    + "(backprop \(formatMetric(r.backprop, digits: 8)), numeric \(formatMetric(r.numeric, digits: 8))); "
                    + "\(r.parametersChecked) parameters, \(r.points) points: \(verdict)")
    }
}
