import NNPlayEngine

/// Layers and neurons as the language names them: layers `0`/`in` (input features), `1`…`H` (hidden),
/// `out` (output); neurons `LAYER.INDEX`, 1-based, e.g. `2.3` or `out.1`.
public enum References {
    /// A layer by its index among all layers: 0 = inputs, 1…H hidden, H+1 output.
    public static func layer(_ text: String, in net: Network, allowInput: Bool = true, allowOutput: Bool = true) throws -> Int {
        let t = text.lowercased()
        let h = net.hiddenCount
        if t == "out" || t == "output" {
            guard allowOutput else { throw ShellError("this takes a hidden layer (1…\(h)), not the output layer") }
            return h + 1
        }
        if t == "in" || t == "input" || t == "0" {
            guard allowInput else { throw ShellError("this takes a hidden layer\(allowOutput ? " or out" : "") (1…\(h)), not the inputs") }
            return 0
        }
        guard let k = Int(t), k >= 1 else {
            throw ShellError("'\(text)' is not a layer: layers are \(describe(net, allowInput: allowInput, allowOutput: allowOutput))")
        }
        guard k <= h else {
            throw ShellError("layer \(k) does not exist: layers are \(describe(net, allowInput: allowInput, allowOutput: allowOutput)) (`net` shows them)")
        }
        return k
    }

    /// A hidden layer's number, 1…H.
    public static func hiddenLayer(_ text: String, in net: Network) throws -> Int {
        guard net.hiddenCount > 0 else { throw ShellError("the network has no hidden layers (add one with `add 4`)") }
        return try layer(text, in: net, allowInput: false, allowOutput: false)
    }

    /// A neuron: its layer (0…H+1) and its index in the layer (0-based).
    public static func neuron(_ text: String, in net: Network) throws -> (layer: Int, index: Int) {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, let j = Int(parts[1]) else {
            throw ShellError("'\(text)' is not a neuron: a neuron is LAYER.INDEX, e.g. 1.2 or out.1")
        }
        let k = try layer(String(parts[0]), in: net)
        let width = net.width(ofLayer: k)
        guard (1...width).contains(j) else {
            throw ShellError("neuron \(text) does not exist: layer \(net.layerName(k)) has neurons 1…\(width)")
        }
        return (k, j - 1)
    }

    static func describe(_ net: Network, allowInput: Bool, allowOutput: Bool) -> String {
        var parts: [String] = []
        if allowInput { parts.append("0 (inputs)") }
        let h = net.hiddenCount
        if h > 0 { parts.append(h == 1 ? "1" : "1…\(h)") }
        if allowOutput { parts.append("out") }
        return parts.joined(separator: ", ")
    }
}
