import NNPlayEngine

/// `set weight L.J I VALUE` and `set bias L.J VALUE`: one parameter edited by hand.
enum ParameterEditing {
    static let weightUsage = "set weight L.J I VALUE, e.g. `set weight 1.1 2 0.5`"
    static let biasUsage = "set bias L.J VALUE, e.g. `set bias out.1 -1`"

    static func run(_ args: Arguments, in session: Session) throws {
        try args.allowOptions([], for: "set weight/bias")
        let words = args.positionals
        let isWeight = words[0].lowercased() == "weight"
        let usage = isWeight ? weightUsage : biasUsage
        guard words.count == (isWeight ? 4 : 3) else {
            if words.count > (isWeight ? 4 : 3) { throw ShellError("unexpected '\(ShellError.excerpt(words[isWeight ? 4 : 3]))': usage: \(usage)") }
            throw ShellError("usage: \(usage)")
        }
        let p = session.playground, net = p.network
        let (k, j) = try References.neuron(words[1], in: net)
        guard k > 0 else { throw ShellError("\(words[1]) is an input feature, which has no weights or bias: give a neuron of layer 1…\(net.hiddenCount) or out") }
        let shape = net.layers[k - 1]
        let index: Int, what: String
        if isWeight {
            let i = try Values.integer(words[2], "I", in: 1...shape.inputs) - 1
            index = shape.weightIndex(neuron: j, input: i)
            what = "weight \(net.neuronName(layer: k, neuron: j)):\(i + 1) (from \(net.neuronName(layer: k - 1, neuron: i)))"
        } else {
            index = shape.biasOffset + j
            what = "bias \(net.neuronName(layer: k, neuron: j))"
        }
        let value = try Values.number(words.last ?? "", "VALUE", in: -Playground.maxHandSetParameter...Playground.maxHandSetParameter,
                                      rangeText: "a finite number from -1e6 to 1e6")
        let old = net.parameters[index]
        try session.update { try $0.setParameter(index, to: value) }
        session.say("\(what): \(formatMetric(old, digits: 6)) → \(formatMetric(value, digits: 6))")
    }
}
