import Foundation
import NNPlayEngine
import NNPlayShell

// nnplay's entry point: reads the command line, then runs scripts, `-c` commands, piped standard
// input or the interactive prompt, all through one Session.

let version = "nnplay 0.1.0"

func fail(_ message: String, code: Int32) -> Never {
    FileHandle.standardError.write(Data((message + "\n").utf8))
    exit(code)
}

let options: CommandLineOptions
do {
    options = try CommandLineOptions(Array(CommandLine.arguments.dropFirst()))
    try options.validate()
} catch let e as UsageError {
    fail("nnplay: \(e.message)", code: 2)
}
if options.showHelp { print(CommandLineOptions.usage); exit(0) }
if options.showVersion { print(version); exit(0) }

installSignalHandlers()
let output = StandardOutput()
let environment = ProcessInfo.processInfo.environment
// colour needs a terminal that says what it is: no TERM or TERM=dumb means plain characters
let term = environment["TERM"] ?? ""
let colorAllowed = !options.noColor && environment["NO_COLOR"].map(\.isEmpty) != false && !term.isEmpty && term != "dumb"
let stdinIsTerminal = isatty(STDIN_FILENO) == 1
let interactive = options.stayInteractive || (options.scripts.isEmpty && options.commands.isEmpty && stdinIsTerminal)
var sessionOptions = SessionOptions(seed: options.seed, quiet: options.quiet,
                                    color: colorAllowed && output.isTerminal, interactive: false)
// 24-bit colour where the terminal says it has it, else the 256-colour palette every modern terminal
// has: what `blocks` draws with, and `auto` too when colour is on
let colorterm = (environment["COLORTERM"] ?? "").lowercased()
sessionOptions.terminalColors = colorterm.contains("truecolor") || colorterm.contains("24bit") ? .trueColor : .palette256
if sessionOptions.color { sessionOptions.colorMode = sessionOptions.terminalColors }
sessionOptions.cursorControl = !term.isEmpty && term != "dumb"
if let graphics = options.graphics { sessionOptions.graphics = graphics }
// auto: the terminal's inline pictures when colour is on (asked at the first picture)
if sessionOptions.color {
    let announced = GraphicsDetection.fromEnvironment(environment)
    let mayQuery = GraphicsDetection.mayQuery(environment)
    sessionOptions.detectInlineImages = { announced ?? (mayQuery ? TerminalQuery.inlineImages() : nil) }
}
let session = Session(output: output, options: sessionOptions, interrupt: processInterrupt)
let runner = Runner(session: session)

var status: Int32 = 0
if let lesson = options.lesson {
    do {
        try LessonCommand.runWithoutPrompt(lesson, language: options.lessonLanguage, pictures: options.lessonPictures, in: session)
    } catch let e as LocatedError {
        fail("\(e)", code: 1)
    } catch let e as NNPlayError {
        fail("nnplay: \(e.message)", code: 1)
    } catch {
        fail("nnplay: \(error)", code: 1)
    }
    exit(session.wasInterrupted ? 130 : 0)
}
// `quit` ends the whole run: no later script, -c text, standard input or prompt
for path in options.scripts {
    status = runner.runFile(path)
    if status != 0 || session.quitRequested { break }
}
if processTerminate.isRaised { exit(terminationStatus) }
if status == 0 && !session.quitRequested {
    for (i, text) in options.commands.enumerated() {
        status = runner.runText(text, name: options.commands.count == 1 ? "-c" : "-c#\(i + 1)")
        if status != 0 || session.quitRequested { break }
    }
}
if session.quitRequested || (!interactive && (!options.scripts.isEmpty || !options.commands.isEmpty)) {
    exit(status)
}
// standard input read as one of the scripts (`nnplay a.nn - b.nn`): nothing is left for a prompt
if options.scripts.contains("-") { exit(status) }
if !interactive || !stdinIsTerminal {
    // `… | nnplay`: commands from standard input, with a script's error rules
    exit(status != 0 && !options.stayInteractive ? status : runner.runStandardInput())
}
// libedit reads multibyte characters only in a UTF-8 character type: the environment's, or C.UTF-8
// when it names none (numbers keep the C locale: only LC_CTYPE is set)
if setlocale(LC_CTYPE, "") == nil || String(cString: nl_langinfo(nl_item(CODESET))) != "UTF-8" {
    _ = setlocale(LC_CTYPE, "C.UTF-8")
}
exit(runner.runInteractive(banner: version))
