import NNPlayEngine

/// `backprop X Y [class=C] [json]`: the chain rule for one point, layer by layer from the output down.
public enum BackpropCommand: Command {
    public static let help = CommandHelp(
        name: "backprop", group: .inspecting, usage: ["backprop X Y [class=C|target=T] [json]"],
        summary: "one point forward and back: its loss, then every layer's ∂C/∂a, f′(z), δ, ∂C/∂w, ∂C/∂b",
        details: ["Backpropagation is the chain rule, one layer at a time from the output down:",
                  "  z = Σ w·a_prev + b,  a = f(z)",
                  "  ∂C/∂a   output: from the loss C of the point; hidden: Σⱼ wⱼ·δⱼ of the layer above",
                  "  δ = ∂C/∂z = ∂C/∂a · f′(z)   (sigmoid+bce and softmax+ce: δ = a − y exactly)",
                  "  ∂C/∂w = a_prev · δ   ∂C/∂b = δ",
                  "A weight matters more when the neuron feeding it is more active (a_prev), when its neuron",
                  "is not saturated (f′(z) large) and when the output is further from the target.",
                  "The nudges are −lr·∂C/∂w: the step this one point asks for; training averages them",
                  "over a batch. C excludes regularization. class: the class to measure the loss against",
                  "(a number or a class name; default: the class of the nearest training point). Regression data:",
                  "target=T, the real target (default: the nearest training point's).",
                  "json: one line {\"loss\":…, \"layers\":[{\"layer\":\"out\", \"z\", \"a\", \"dC_da\", \"dC_dz\",",
                  "\"dC_dw\" (row j = neuron j), \"dC_db\"}, …]}, output layer first; null for a value that is not finite."],
        options: [OptionHelp("class", "C", default: "nearest point's", "the class of the point"),
                  OptionHelp("target", "T", default: "nearest point's", "regression: the target of the point")],
        examples: ["backprop 1 2", "backprop 0 0 class=1", "backprop 2.5 -1 json"],
        positionals: [.none, .none, .words(["json"])])

    /// Most neurons of a layer and inputs of a neuron shown in full; wider ones are summarised.
    static let shownNeurons = 8
    static let shownInputs = 5
    static let shownNudges = 5

    public static func run(_ args: Arguments, in session: Session) throws {
        try args.allowOptions(["class", "target"], for: "backprop X Y [class=C] [json]")
        var words = args.positionals
        let json = words.count == 3 && words[2].lowercased() == "json"
        if json { words.removeLast() }
        guard words.count == 2 else {
            if words.count > 2 { throw ShellError("unexpected '\(ShellError.excerpt(words[2]))': usage: backprop X Y [class=C|target=T] [json]") }
            throw ShellError("usage: backprop X Y [class=C|target=T] [json], e.g. `backprop 1 2`")
        }
        let x = try Values.number(words[0], "X"), y = try Values.number(words[1], "Y")
        let p = session.playground, data = p.dataset
        let trace: BackpropTrace, chosen: String
        if data.problem == .regression {
            if let word = args.option("class") {
                throw ShellError("class=\(ShellError.excerpt(word)) is for classes, and this is regression data: give target=T (a real number)")
            }
            let value: Double
            if let word = args.option("target") {
                value = try Values.number(word, "target", in: -Dataset.maxTarget...Dataset.maxTarget,
                                          rangeText: "a finite number from -1e12 to 1e12")
                chosen = "target \(formatMetric(value))"
            } else if let nearest = nearestPoint(x, y, data) {
                value = data.values[nearest]
                chosen = "target \(formatMetric(value))" + nearestNote(nearest, data, "target", option: "target=T")
            } else {
                throw ShellError("there are no data points to take the target from: give target=T")
            }
            trace = p.network.backpropTrace(x: x, y: y, value: value, loss: p.settings.loss)
        } else {
            if args.option("target") != nil {
                throw ShellError("target= is for regression data, and this data has classes: give class=C (\(classList(data)))")
            }
            let label: Int
            if let word = args.option("class") {
                label = try classNumber(word, data)
                chosen = "class \(data.className(label))"
            } else if let nearest = nearestPoint(x, y, data) {
                label = data.labels[nearest]
                chosen = "class \(data.className(label))" + nearestNote(nearest, data, "class", option: "class=C")
            } else {
                throw ShellError("there are no data points to take the class from: give class=C (\(classList(data)))")
            }
            trace = p.network.backpropTrace(x: x, y: y, label: label, loss: p.settings.loss)
        }
        if json {
            session.say(jsonObject(trace, x: x, y: y, p).serialized())
        } else {
            for line in text(trace, x: x, y: y, chosen: chosen, p) { session.say(line) }
        }
    }

    /// Where a class or target taken from the data came from.
    static func nearestNote(_ nearest: Int, _ data: Dataset, _ what: String, option: String) -> String {
        "\n  (the \(what) of the nearest \(data.trainIndices.isEmpty ? "" : "training ")point, (\(formatMetric(data.xs[nearest], digits: 3)), "
            + "\(formatMetric(data.ys[nearest], digits: 3))); \(option) picks another)"
    }

    static func classList(_ data: Dataset) -> String {
        let numbers = "0…\(data.classCount - 1)"
        guard let names = data.classNames else { return numbers }
        return "\(numbers) or \(names.joined(separator: ", "))"
    }

    /// A class by its number or its name.
    static func classNumber(_ word: String, _ data: Dataset) throws -> Int {
        if let names = data.classNames, let c = names.firstIndex(of: word) { return c }
        guard let c = Int(word), (0..<data.classCount).contains(c) else {
            throw ShellError("class=\(ShellError.excerpt(word)) is not a class of this data: classes are \(classList(data))")
        }
        return c
    }

    /// The training point nearest to (x, y) (any point when none are for training); nil without points.
    static func nearestPoint(_ x: Double, _ y: Double, _ data: Dataset) -> Int? {
        let candidates = data.trainIndices.isEmpty ? Array(data.xs.indices) : data.trainIndices
        var best: Int?, bestDistance = Double.infinity
        for i in candidates {
            let dx = data.xs[i] - x, dy = data.ys[i] - y
            let d = dx * dx + dy * dy
            if d < bestDistance || best == nil { best = i; bestDistance = d }
        }
        return best
    }

    // MARK: JSON

    static func jsonObject(_ t: BackpropTrace, x: Double, y: Double, _ p: Playground) -> JSON {
        let net = p.network
        let layers: [JSON] = t.layers.reversed().map { l in
            .object([("layer", .string(net.layerName(l.index))),
                     ("activation", .string(net.activationName(ofLayer: l.index))),
                     ("z", .numbers(l.z)), ("a", .numbers(l.a)), ("dC_da", .numbers(l.dCda)),
                     ("f_prime", l.slope.map(JSON.numbers) ?? .null),
                     ("dC_dz", .numbers(l.delta)),
                     ("dC_dw", .array(l.weightGradient.map(JSON.numbers))), ("dC_db", .numbers(l.biasGradient))])
        }
        // regression has no class: its target is the point's value
        let cls: JSON = net.problem == .regression ? .null : .number(Double(t.label))
        return .object([("point", .numbers([x, y])), ("class", cls),
                        ("target", .numbers(t.targets)), ("loss", .finite(t.loss)),
                        ("loss_function", .string(p.settings.loss.rawValue)), ("layers", .array(layers))])
    }

    // MARK: Text

    /// A number in a column of 10.
    static func cell(_ v: Double) -> String {
        let s = formatMetric(v, digits: 4)
        return String(repeating: " ", count: Swift.max(1, 10 - s.count)) + s
    }

    static func text(_ t: BackpropTrace, x: Double, y: Double, chosen: String, _ p: Playground) -> [String] {
        let net = p.network, s = p.settings
        var lines = "point (\(formatNumber(x)), \(formatNumber(y))), \(chosen)".split(separator: "\n").map(String.init)
        lines.append("  in    " + zip(net.features, t.inputs).map { "\($0.rawValue)=\(formatMetric($1, digits: 4))" }.joined(separator: " "))
        let targets = t.targets.map { formatMetric($0) }.joined(separator: " ")
        lines.append("loss C = \(formatMetric(t.loss, digits: 5)) (\(s.loss.rawValue), target y = \(targets))")
        lines.append("backward from the output: δ = ∂C/∂z = ∂C/∂a·f′(z), ∂C/∂b = δ, ∂C/∂w = a_prev·δ")
        for l in t.layers.reversed() { lines += layerText(l, t, net) }
        lines += nudgeText(t, net, learningRate: s.learningRate)
        return lines
    }

    static func layerText(_ l: BackpropTrace.Layer, _ t: BackpropTrace, _ net: Network) -> [String] {
        let k = l.index, f = net.activationName(ofLayer: k)
        var lines = ["layer \(net.layerName(k)) (\(l.z.count) \(f))"]
        lines.append("  neuron          z         a     ∂C/∂a     f′(z)   δ=∂C/∂z")
        let order = shownOrder(l.delta)
        for j in order {
            let name = net.neuronName(layer: k, neuron: j).padding(toLength: 8, withPad: " ", startingAt: 0)
            let slope = l.slope.map { cell($0[j]) } ?? "  softmax"
            lines.append("  \(name)\(cell(l.z[j]))\(cell(l.a[j]))\(cell(l.dCda[j]))\(slope)\(cell(l.delta[j]))")
        }
        if order.count < l.z.count {
            lines.append("  … \(l.z.count - order.count) more neurons (the largest |δ| are shown; the json form has all)")
        }
        if l.slope == nil { lines.append("  (softmax: each output depends on every sum, so δ comes from its whole Jacobian)") }
        // ∂C/∂w: a table when the layer below is narrow, else each neuron's largest entries
        let below = l.weightGradient.first?.count ?? 0
        if below <= shownInputs {
            let header = (0..<below).map { i -> String in
                let n = net.neuronName(layer: k - 1, neuron: i)
                return String(repeating: " ", count: Swift.max(1, 10 - n.count)) + n
            }.joined()
            lines.append("  ∂C/∂w   " + header + (k == 1 ? "  (from the inputs)" : "  (from layer \(net.layerName(k - 1)))"))
            for j in order {
                let name = net.neuronName(layer: k, neuron: j).padding(toLength: 8, withPad: " ", startingAt: 0)
                lines.append("  \(name)" + l.weightGradient[j].map(cell).joined())
            }
        } else {
            lines.append("  ∂C/∂w, the largest of each neuron's \(below):")
            for j in order {
                let row = l.weightGradient[j]
                let top = row.indices.sorted { abs(row[$0]) > abs(row[$1]) }.prefix(3)
                let items = top.map { "from \(net.neuronName(layer: k - 1, neuron: $0)) \(formatMetric(row[$0], digits: 3))" }
                lines.append("  \(net.neuronName(layer: k, neuron: j).padding(toLength: 8, withPad: " ", startingAt: 0))  " + items.joined(separator: ", "))
            }
        }
        return lines
    }

    /// The neurons shown: all of a narrow layer, else those with the largest |δ|, in order.
    static func shownOrder(_ delta: [Double]) -> [Int] {
        guard delta.count > shownNeurons else { return Array(delta.indices) }
        return delta.indices.sorted { magnitude(delta[$0]) > magnitude(delta[$1]) }.prefix(shownNeurons).sorted()
    }

    /// |v| with NaN first (a value that is not a number is the first thing to show).
    static func magnitude(_ v: Double) -> Double { v.isNaN ? .infinity : abs(v) }

    static func nudgeText(_ t: BackpropTrace, _ net: Network, learningRate lr: Double) -> [String] {
        struct Nudge { var name: String; var current: Double; var step: Double }
        var all: [Nudge] = []
        for l in t.layers {
            let shape = net.layers[l.index - 1]
            for j in l.weightGradient.indices {
                let to = net.neuronName(layer: l.index, neuron: j)
                for i in l.weightGradient[j].indices {
                    all.append(Nudge(name: "weight \(to):\(i + 1) (from \(net.neuronName(layer: l.index - 1, neuron: i)))",
                                     current: net.parameters[shape.weightIndex(neuron: j, input: i)], step: -lr * l.weightGradient[j][i]))
                }
                all.append(Nudge(name: "bias \(to)", current: net.parameters[shape.biasOffset + j], step: -lr * l.biasGradient[j]))
            }
        }
        let top = all.sorted { magnitude($0.step) > magnitude($1.step) }.prefix(shownNudges)
        guard let largest = top.first, largest.step != 0 else {
            return ["this point asks for no change: its gradient is 0 (it is \(net.problem == .regression ? "predicted exactly" : "classified with full confidence"), or its neurons are dead)"]
        }
        var lines = ["the largest nudges this point asks for (−lr·∂C/∂w, lr=\(formatNumber(lr))):"]
        for n in top {
            let step = (n.step > 0 ? "+" : "") + formatMetric(n.step, digits: 3)
            let label = n.name.padding(toLength: Swift.max(n.name.count, 26), withPad: " ", startingAt: 0)
            lines.append("  \(label) \(step.padding(toLength: Swift.max(step.count, 10), withPad: " ", startingAt: 0)) (\(formatMetric(n.current, digits: 4)) → \(formatMetric(n.current + n.step, digits: 4)))")
        }
        return lines
    }
}
