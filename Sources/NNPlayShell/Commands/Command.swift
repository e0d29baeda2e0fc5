/// One command of the language: its name, its help, how to complete its words, and what it does.
/// Each command is one type in its own file, named `<Name>Command`.
public protocol Command: Sendable {
    /// Name, syntax, options, examples: the text of `help NAME`, and the source of completion.
    static var help: CommandHelp { get }
    /// Runs the command. Throw a `ShellError` for bad input; the session then restores its state.
    static func run(_ args: Arguments, in session: Session) throws
    /// What the positional word at `index` can be, given the words before it.
    static func completion(forPositional index: Int, after previous: [String]) -> CompletionKind
    /// The option keys that apply, given the positional words so far.
    static func optionKeys(after previous: [String]) -> [String]
    /// Whether a successful run changes the state (and so belongs in a saved session).
    static func changesState(_ args: Arguments) -> Bool
}

extension Command {
    public static func completion(forPositional index: Int, after previous: [String]) -> CompletionKind {
        index < help.positionals.count ? help.positionals[index] : .none
    }

    public static func optionKeys(after previous: [String]) -> [String] { help.options.map(\.key) }

    public static func changesState(_ args: Arguments) -> Bool { false }
}

/// The groups `help` lists commands in.
public enum CommandGroup: String, CaseIterable, Sendable {
    case data, network, training, inspecting, pictures, session
}

/// The help of a command.
public struct CommandHelp: Sendable {
    public var name: String
    public var aliases: [String] = []
    public var group: CommandGroup
    /// The forms of the command, e.g. `data NAME [n=500] [noise=0]`.
    public var usage: [String]
    /// One line for the list of commands.
    public var summary: String
    /// More lines for `help NAME`.
    public var details: [String] = []
    public var options: [OptionHelp] = []
    public var examples: [String]
    /// Completion of positional words by position (commands with sub-commands override
    /// `completion(forPositional:after:)` instead).
    public var positionals: [CompletionKind] = []
}

/// One `key=value` option of a command.
public struct OptionHelp: Sendable {
    public var key: String
    public var value: String
    public var defaultValue: String
    public var summary: String
    public var completion: CompletionKind = .none

    public init(_ key: String, _ value: String, default defaultValue: String, _ summary: String, completion: CompletionKind = .none) {
        self.key = key
        self.value = value
        self.defaultValue = defaultValue
        self.summary = summary
        self.completion = completion
    }
}

/// What a word can be, for Tab completion.
public enum CompletionKind: Sendable, Equatable {
    case none
    case words([String])
    case datasets
    case hiddenActivations
    case outputActivations
    case features
    case hiddenLayers
    /// Hidden layers and `all`.
    case hiddenLayersOrAll
    /// Hidden layers, `all` and `out`.
    case layerTargets
    /// `0`/`in`, hidden layers and `out`.
    case anyLayer
    case neurons
    /// Neurons of the hidden and output layers (those with weights into them).
    case computingNeurons
    /// Input numbers 1…width of the layer below the neuron named by the given word (`set weight L.J I`).
    case inputNumbers(ofNeuron: String)
    /// Neuron numbers 1…width of the layer named by the given word (`plot space K I J`).
    case neuronNumbers(ofLayer: String)
    case path
    /// The current data's class names, else its class numbers 0…K−1 (`data add X Y LABEL`).
    case classLabels
    case commands
    case settingKeys
    case metrics
}
