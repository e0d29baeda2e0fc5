import NNPlayEngine

/// `weights [K]`: weight matrices and biases.
public enum WeightsCommand: Command {
    public static let help = CommandHelp(
        name: "weights", group: .inspecting, usage: ["weights [K]"],
        summary: "show the weights and biases of layer K (1…H or out), or of every layer",
        details: ["Row j lists the weights into neuron j from each neuron of the layer before, then its bias."],
        examples: ["weights", "weights 1", "weights out"],
        positionals: [.layerTargets])

    public static func run(_ args: Arguments, in session: Session) throws {
        try args.allowOptions([])
        try args.expectPositionals(0...1, usage: "weights [K]")
        let net = session.playground.network
        let layers: [Int]
        if let text = args.positional(0), text.lowercased() != "all" {
            layers = [try References.layer(text, in: net, allowInput: false)]
        } else {
            layers = Array(1...(net.hiddenCount + 1))
        }
        for k in layers {
            let index = k - 1
            let inputs = (0..<net.width(ofLayer: k - 1)).map { net.neuronName(layer: k - 1, neuron: $0) }
            session.say("layer \(net.layerName(k)) (\(net.width(ofLayer: k)) \(net.activationName(ofLayer: k))), weights from \(inputs.joined(separator: " ")), then bias:")
            let matrix = net.weightMatrix(layerIndex: index), biases = net.biases(layerIndex: index)
            for (j, row) in matrix.enumerated() {
                let cells = row.map { cell($0) }.joined(separator: " ")
                session.say("  \(net.neuronName(layer: k, neuron: j))  \(cells)  | \(cell(biases[j]))")
            }
        }
    }

    static func cell(_ v: Double) -> String {
        let text = formatMetric(v, digits: 4)
        return String(repeating: " ", count: max(0, 10 - text.count)) + text
    }
}
