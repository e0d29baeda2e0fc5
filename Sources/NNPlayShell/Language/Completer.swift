import Foundation
import NNPlayEngine

/// Tab completion from the command table: command names, sub-commands, option keys, dataset,
/// activation, optimiser and other names, layer and neuron numbers of the current network, and file
/// paths where a path is expected. Words are separated by spaces (an option `key=value` is one word).
public struct Completer {
    let session: Session

    public init(session: Session) { self.session = session }

    /// The word being completed, as typed (from its start, an opening quote included, to the
    /// cursor), and the texts that can replace it, sorted. A path that needs quotes (a space, a
    /// quote, `;` or `#` in it) comes quoted, as the command language reads it; a directory's quote
    /// stays open, so that typing goes on inside it.
    public func complete(_ textBeforeCursor: String) -> (word: String, candidates: [String]) {
        let (words, current, typed) = Completer.split(textBeforeCursor)
        var candidates = words.isEmpty ? names(CommandTable.allNames, prefix: current) : argumentCandidates(words, current)
        if !words.isEmpty, let command = CommandTable.command(named: words[0]),
           command.completion(forPositional: words.dropFirst().filter { !$0.contains("=") }.count,
                              after: words.dropFirst().filter { !$0.contains("=") }) == .path {
            candidates = candidates.map { candidate in
                let needsQuotes = typed.hasPrefix("\"") || typed.hasPrefix("'") || Tokenizer.quoted(candidate) != candidate
                guard needsQuotes, !candidate.hasSuffix("=") else { return candidate }
                let quoted = Tokenizer.quoted(candidate)
                return candidate.hasSuffix("/") ? String(quoted.dropLast()) : quoted
            }
        }
        return (typed, Array(Set(candidates)).sorted())
    }

    /// The words of the command being typed (after the last `;` outside quotes), without their
    /// quotes, the word under the cursor without its quotes, and that word as typed.
    static func split(_ text: String) -> (words: [String], current: String, typed: String) {
        var words: [String] = [], word = "", typed = "", inWord = false
        var quote: Character?
        for ch in text {
            if let q = quote {
                if ch == q { quote = nil } else { word.append(ch) }
                typed.append(ch)
                continue
            }
            switch ch {
            case " ", "\t":
                if inWord { words.append(word) }
                word = ""; typed = ""; inWord = false
            case ";":
                words = []; word = ""; typed = ""; inWord = false
            case "\"", "'":
                quote = ch; inWord = true; typed.append(ch)
            default:
                word.append(ch); typed.append(ch); inWord = true
            }
        }
        return (words, word, typed)
    }

    private func argumentCandidates(_ words: [String], _ current: String) -> [String] {
        guard let command = CommandTable.command(named: words[0]) else { return [] }
        let earlier = Array(words.dropFirst())
        let positionals = earlier.filter { !$0.contains("=") }
        let givenKeys = Set(earlier.compactMap { $0.split(separator: "=", maxSplits: 1).first.map { $0.lowercased() } })
        if let eq = current.firstIndex(of: "=") {
            let key = current[..<eq].lowercased(), valuePrefix = String(current[current.index(after: eq)...])
            let kind = command.help.options.first { $0.key == key }?.completion
                ?? (command == SetCommand.self ? SetCommand.completion(forPositional: 1, after: [key]) : .none)
            return values(kind, prefix: valuePrefix).map { "\(key)=\($0)" }
        }
        let kind = command.completion(forPositional: positionals.count, after: positionals)
        let keys = command.optionKeys(after: positionals).filter { !givenKeys.contains($0) }.map { $0 + "=" }
        return values(kind, prefix: current) + (kind == .path && !current.isEmpty ? [] : names(keys, prefix: current))
    }

    private func names(_ all: [String], prefix: String) -> [String] {
        let p = prefix.lowercased()
        return all.filter { $0.lowercased().hasPrefix(p) }
    }

    /// The values a kind of word can take that start with `prefix`.
    func values(_ kind: CompletionKind, prefix: String) -> [String] {
        let net = session.playground.network
        let hidden = net.hiddenCount > 0 ? (1...net.hiddenCount).map(String.init) : []
        switch kind {
        case .none: return []
        case .words(let list): return names(list, prefix: prefix)
        case .datasets: return names(DatasetKind.allCases.map(\.rawValue) + RegressionKind.allCases.map(\.rawValue), prefix: prefix)
        case .hiddenActivations: return names(Activation.allCases.map(\.rawValue), prefix: prefix)
        case .outputActivations: return names(OutputActivation.allCases.map(\.rawValue), prefix: prefix)
        case .features: return names(Feature.allCases.map(\.rawValue), prefix: prefix)
        case .hiddenLayers: return names(hidden, prefix: prefix)
        case .hiddenLayersOrAll: return names(hidden + ["all"], prefix: prefix)
        case .layerTargets: return names(hidden + ["all", "out"], prefix: prefix)
        case .anyLayer: return names(["in"] + hidden + ["out"], prefix: prefix)
        case .neurons, .computingNeurons:
            var all: [String] = []
            for k in (kind == .neurons ? 0 : 1)...(net.hiddenCount + 1) where all.count < 512 {
                let name = net.layerName(k)
                all += (1...net.width(ofLayer: k)).map { "\(name).\($0)" }
            }
            return names(all, prefix: prefix)
        case .inputNumbers(let neuronWord):
            guard let (k, _) = try? References.neuron(neuronWord, in: net), k > 0 else { return [] }
            return names((1...net.width(ofLayer: k - 1)).map(String.init), prefix: prefix)
        case .neuronNumbers(let layerWord):
            guard let k = try? References.layer(layerWord, in: net) else { return [] }
            return names((1...net.width(ofLayer: k)).map(String.init), prefix: prefix)
        case .classLabels:
            let data = session.playground.dataset
            // a regression point's target is any number: nothing to offer
            guard data.problem == .classification else { return [] }
            return names(data.classNames ?? (0..<data.classCount).map(String.init), prefix: prefix).map(Tokenizer.quoted)
        case .commands: return names(CommandTable.allNames, prefix: prefix)
        case .settingKeys: return names(SetCommand.keys + [SettingsRegistry.scheduleKey, "weight", "bias", SetCommand.graphicsKey], prefix: prefix)
        case .metrics:
            let norms = (1...(net.hiddenCount + 1)).map { "grad-norm-\(net.layerName($0))" }
            // the metrics of the data's problem only (accuracy for classes, rmse and r2 for regression)
            let problem = session.playground.dataset.problem
            let metrics = Metric.allCases.filter { $0.problem.map { $0 == problem } ?? true }.map(\.rawValue)
            return names(metrics + norms, prefix: prefix)
        case .path: return paths(prefix)
        }
    }

    /// Entries of the directory named by the prefix that start with its last part; directories end in `/`.
    func paths(_ prefix: String) -> [String] {
        let expanded = prefix.hasPrefix("~") ? (NSHomeDirectory() + prefix.dropFirst()) : prefix
        let slash = expanded.lastIndex(of: "/")
        let dirPart = slash.map { String(expanded[...$0]) } ?? ""
        let base = slash.map { String(expanded[expanded.index(after: $0)...]) } ?? expanded
        let directory = dirPart.isEmpty ? "." : dirPart
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return [] }
        let shownDir = prefix.lastIndex(of: "/").map { String(prefix[...$0]) } ?? ""
        return entries.filter { $0.hasPrefix(base) && (base.hasPrefix(".") || !$0.hasPrefix(".")) }.prefix(1000).map { entry in
            var isDirectory: ObjCBool = false
            _ = FileManager.default.fileExists(atPath: dirPart + entry, isDirectory: &isDirectory)
            return shownDir + entry + (isDirectory.boolValue ? "/" : "")
        }
    }
}
