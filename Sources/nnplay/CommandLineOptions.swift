import NNPlayEngine
import NNPlayShell

/// What the command line asked for (SPEC.md: `nnplay [options] [FILE…]`, `-i`, `-c`, `--seed`, …).
struct CommandLineOptions {
    var scripts: [String] = []
    var commands: [String] = []
    var stayInteractive = false
    var seed: UInt64 = 1
    var noColor = false
    /// `--lesson N|PATH`, `--lang`, `--pictures DIR`: a lesson without a prompt.
    var lesson: String?
    var lessonLanguage: String?
    var lessonPictures: String?
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
          nnplay --lesson N      run lesson N (or a lesson file) without a prompt: its text, commands
                                 and checks; plots as PNG files in --pictures DIR (default
                                 nnplay-lesson-N); --lang zh for Chinese; exit 1 when a check fails
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
            case "--lesson", "--lang", "--pictures":
                guard let text = rest.popFirst() else {
                    throw UsageError(arg == "--lesson" ? "--lesson needs a lesson: a number 1…\(BuiltInLessons.count) or a lesson file"
                                     : arg == "--lang" ? "--lang needs a language: en or zh" : "--pictures needs a directory")
                }
                if arg == "--lesson" { lesson = text } else if arg == "--lang" { lessonLanguage = text } else { lessonPictures = text }
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

    /// Checks what goes together; throws a usage message.
    func validate() throws {
        if lesson == nil && (lessonLanguage != nil || lessonPictures != nil) {
            throw UsageError("--lang and --pictures go with --lesson N")
        }
        if let lang = lessonLanguage, Lesson.Language(rawValue: lang.lowercased()) == nil {
            throw UsageError("--lang \(lang): not a language of the lessons: use \(Lesson.Language.allCases.map(\.rawValue).joined(separator: " or "))")
        }
        if lesson != nil && (!scripts.isEmpty || !commands.isEmpty) {
            throw UsageError("--lesson runs a lesson alone: give no script or -c with it")
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
