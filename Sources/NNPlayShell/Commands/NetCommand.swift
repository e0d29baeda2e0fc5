import NNPlayEngine

/// `net`: the architecture, layer by layer.
public enum NetCommand: Command {
    public static let help = CommandHelp(
        name: "net", group: .network, usage: ["net"],
        summary: "show the architecture: features, hidden layers, output, parameter count",
        details: ["Layers are numbered 0 (inputs), 1…H (hidden), out (output); commands use these numbers.",
                  "A hidden layer with dropout shows its rate (`dropout`), as in \"1    8 tanh, dropout 0.5\".",
                  "With ReLU layers, the dead neurons are listed: those whose sum is never above 0 on the",
                  "training set output 0 everywhere and get no gradient, so training cannot revive them."],
        examples: ["net"])

    public static func run(_ args: Arguments, in session: Session) throws {
        try args.allowOptions([])
        try args.expectPositionals(0...0, usage: "net")
        let p = session.playground, net = p.network
        session.say("network: \(net.architecture)")
        session.say("  in   \(net.features.count) feature\(net.features.count == 1 ? "" : "s"): \(net.features.map(\.rawValue).joined(separator: " "))")
        let labels = net.layers.enumerated().map { k, shape in
            let rate = k < net.hiddenCount ? net.dropoutRates[k] : 0
            return "\(shape.size) \(net.activationName(ofLayer: k + 1))" + (rate > 0 ? ", dropout \(formatNumber(rate))" : "")
        }
        // labels are 14 wide, or as wide as the widest (a layer with dropout)
        let width = labels.map(\.count).max().map { Swift.max(14, $0) } ?? 14
        for (k, shape) in net.layers.enumerated() {
            let name = net.layerName(k + 1)
            session.say("  \(name.padding(toLength: 4, withPad: " ", startingAt: 0)) \(labels[k].padding(toLength: width, withPad: " ", startingAt: 0)) \(shape.parameterCount) parameters")
        }
        if net.hiddenActivations.contains(.relu), !p.dataset.trainIndices.isEmpty {
            let dead = p.deadNeurons.enumerated().flatMap { k, js in js.map { net.neuronName(layer: k + 1, neuron: $0) } }
            session.say("dead ReLU neurons (never active on the training set): \(dead.isEmpty ? "none" : dead.joined(separator: " "))")
        }
        let s = p.settings
        session.say("parameters: \(net.parameterCount) · loss \(s.loss.rawValue) · init \(s.initializer.rawValue) · epoch \(formatMetric(p.epochsTrained, digits: 6))")
    }
}
