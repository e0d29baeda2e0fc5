import NNPlayEngine

/// `eval X Y`: the forward pass of one point, layer by layer.
public enum EvalCommand: Command {
    public static let help = CommandHelp(
        name: "eval", group: .inspecting, usage: ["eval X Y [json]"],
        summary: "push one point through the network: every layer's sums and activations, the class",
        details: ["Each neuron computes z = Σ w·a + b over the layer before, then its activation f(z).",
                  "The output gives the class: above the threshold (0.5 for sigmoid, 0 for tanh) for one",
                  "output, else the largest output. Regression data: the output is the prediction.",
                  "json: one line {\"point\":[x,y], \"layers\":[{\"layer\":\"in\",\"a\":[…]}, {\"layer\":\"1\",\"z\":[…],\"a\":[…]}, …],",
                  "\"class\":c} (null for a value that is not finite, and for no class); regression: \"prediction\":v."],
        examples: ["eval 1 -2.5", "eval 0 0", "eval 1 2 json"],
        positionals: [.none, .none, .words(["json"])])

    public static func run(_ args: Arguments, in session: Session) throws {
        try args.allowOptions([])
        let json = args.positionals.count == 3 && args.positionals[2].lowercased() == "json"
        try args.expectPositionals(2...(json ? 3 : 2), usage: "eval X Y [json]")
        let x = try Values.number(args.positionals[0], "X"), y = try Values.number(args.positionals[1], "Y")
        let net = session.playground.network
        let trace = net.trace(x: x, y: y)
        if json {
            let outputs = trace[trace.count - 1].activations
            let layers: [JSON] = trace.indices.map { k in
                k == 0 ? .object([("layer", .string("in")), ("a", .numbers(trace[0].activations))])
                       : .object([("layer", .string(net.layerName(k))), ("z", .numbers(trace[k].sums)), ("a", .numbers(trace[k].activations))])
            }
            if net.problem == .regression {
                session.say(JSON.object([("point", .numbers([x, y])), ("layers", .array(layers)),
                                         ("prediction", outputs.first.map(JSON.finite) ?? .null)]).serialized())
                return
            }
            let c: JSON = outputs.contains(where: \.isNaN) ? .null : .number(Double(net.classOf(outputs: outputs)))
            session.say(JSON.object([("point", .numbers([x, y])), ("layers", .array(layers)), ("class", c)]).serialized())
            return
        }
        func list(_ v: [Double]) -> String { v.map { formatMetric($0, digits: 5) }.joined(separator: " ") }
        session.say("point (\(formatNumber(x)), \(formatNumber(y)))")
        session.say("  in   " + zip(net.features, trace[0].activations).map { "\($0.rawValue)=\(formatMetric($1, digits: 5))" }.joined(separator: " "))
        for k in 1..<trace.count {
            let name = net.layerName(k).padding(toLength: 4, withPad: " ", startingAt: 0)
            session.say("  \(name) z = \(list(trace[k].sums))")
            session.say("       \(net.activationName(ofLayer: k))(z) = \(list(trace[k].activations))")
        }
        if trace.contains(where: { !($0.sums + $0.activations).allSatisfy(\.isFinite) }) {
            let frame = session.playground.dataset.frame
            let far = abs(x) > 10 * Swift.max(abs(frame.xMin), abs(frame.xMax)) || abs(y) > 10 * Swift.max(abs(frame.yMin), abs(frame.yMax))
            let largest = net.parameters.map(abs).max() ?? 0
            let why = far ? "the point lies far outside the data's frame"
                          : "the weights are too large for this point (the largest is \(formatMetric(largest, digits: 3)))"
            session.say("note: some values overflowed: inf is a sum too large for a number, undefined one where +inf met -inf; \(why)")
        }
        let outputs = trace[trace.count - 1].activations
        if net.problem == .regression {
            session.say(outputs[0].isNaN ? "no prediction: the output is undefined" : "prediction \(formatMetric(outputs[0], digits: 6))")
            return
        }
        if outputs.contains(where: \.isNaN) {
            session.say("no class: the output is undefined")
            return
        }
        let c = net.classOf(outputs: outputs)
        let d = session.playground.dataset
        let name = c < d.classCount ? d.className(c) : String(c)
        if outputs.count == 1 {
            session.say("class \(name) (output \(formatMetric(outputs[0], digits: 5)) \(c == 1 ? ">" : "≤") \(formatNumber(net.outputActivation.threshold)))")
        } else {
            session.say("class \(name) (the largest of \(outputs.count) outputs)")
        }
    }
}
