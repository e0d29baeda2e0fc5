import NNPlayEngine
import NNPlayShell

/// What the command line asked for (SPEC.md: `nnplay [options] [FILE…]`, `-i`, `-c`, `--seed`, …).
struct CommandLineOptions {
    var scripts: [String] = []
    var commands: [String] = []
    var stayInteractive = false
    var seed: UInt64 = 1
    var noColor = false
    /// `--graphics MODE`; nil: auto.
    var graphics: GraphicsMode?
    var quiet = false
    var showHelp = false
    var showVersion = false

    static let usage = """
        usage: nnplay [options] [FILE...]
          nnplay                 interactive playground (line editing, history, Tab completion)
          nnplay FILE...         run script files, then exit (- is standard input)
          nnplay -i FILE...      run the scripts, then stay at the prompt
          nnplay -c 'CMD; CMD'   run commands, then exit
          ... | nnplay           read commands from standard input
        options:
          --seed N        seed of the default playground (default 1)
          --no-color      no colour (also: NO_COLOR set, or output not a terminal)
          --graphics MODE how pictures reach the terminal: auto (default: the terminal's inline
                          pictures if it has them, else coloured blocks), kitty, iterm, sixel,
                          blocks or ascii (a named mode is used even when output is not a terminal)
          -q, --quiet     no progress output
          --help, --version
        Exit status: 0 success (quit ends the whole run), 1 a command failed or output could not be
        written, 2 bad command-line usage, 129 the terminal closed (SIGHUP), 130 Ctrl-C stopped a
        script, 141 the output pipe closed, 143 SIGTERM.
        Inside nnplay, help lists the commands.
        """

    /// Parses the arguments; throws a message for exit status 2.
    init(_ arguments: [String]) throws {
        var rest = arguments[...]
        var onlyFiles = false
        while let arg = rest.popFirst() {
            if onlyFiles || !arg.hasPrefix("-") || arg == "-" {
                scripts.append(arg)
                continue
            }
            switch arg {
            case "--": onlyFiles = true
            case "-c", "--command":
                guard let text = rest.popFirst() else { throw UsageError("-c needs commands, e.g. -c 'train 10; stats'") }
                commands.append(text)
            case "-i", "--interactive": stayInteractive = true
            case "-q", "--quiet": quiet = true
            case "--no-color", "--no-colour": noColor = true
            case "--help", "-h": showHelp = true
            case "--version", "-V": showVersion = true
            case "--graphics":
                guard let text = rest.popFirst() else { throw UsageError("--graphics needs a mode: \(GraphicsMode.allCases.map(\.rawValue).joined(separator: ", "))") }
                graphics = try parseGraphics(text)
            case "--seed":
                guard let text = rest.popFirst() else { throw UsageError("--seed needs a whole number 0…\(ModelFile.maxSeed)") }
                seed = try parseSeed(text)
            default:
                if arg.hasPrefix("--graphics=") {
                    graphics = try parseGraphics(String(arg.dropFirst(11)))
                } else if arg.hasPrefix("--seed=") {
                    seed = try parseSeed(String(arg.dropFirst(7)))
                } else if arg.hasPrefix("-c") && arg.count > 2 {
                    commands.append(String(arg.dropFirst(2)))
                } else {
                    throw UsageError("unknown option '\(arg)' (nnplay --help lists the options)")
                }
            }
        }
    }

    private func parseGraphics(_ text: String) throws -> GraphicsMode {
        guard let mode = GraphicsMode(rawValue: text.lowercased()) else {
            throw UsageError("--graphics \(text): not a graphics mode: use \(GraphicsMode.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return mode
    }

    private func parseSeed(_ text: String) throws -> UInt64 {
        do { return try Values.seed(text) } catch { throw UsageError("--seed \(text): a seed is a whole number 0…\(ModelFile.maxSeed)") }
    }
}

struct UsageError: Error { let message: String; init(_ m: String) { message = m } }
