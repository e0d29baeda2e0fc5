import Foundation
import NNPlayEngine

/// `save model|session|data PATH`.
public enum SaveCommand: Command {
    public static let help = CommandHelp(
        name: "save", group: .session,
        usage: ["save model PATH", "save session PATH", "save data PATH"],
        summary: "save the model (JSON), the session (a replayable script) or the data (CSV)",
        details: ["model: the architecture, weights and settings as SPEC.md's JSON; load model reads it back exactly.",
                  "It holds no training progress: not the epoch, the place in the current epoch's shuffled order,",
                  "the optimizer's momentum or the shuffle's random state. Training after load model starts a",
                  "fresh epoch from the saved weights, so it goes on differently from training on in memory",
                  "(most visibly when saved mid-epoch or with momentum/adam); a session replays exactly.",
                  "session: a script that rebuilds this session's data, network and settings and, replayed",
                  "with nnplay PATH, gives the same trained weights (same seed, same commands). Files it loads",
                  "are named by absolute path with their checksum: if one has changed since, the replay stops",
                  "there with an error naming it, rather than build another state.",
                  "data: the points as CSV (x,y,label). Files are written whole or not at all."],
        examples: ["save model /tmp/circle.json", "save session lesson1.nn", "save data points.csv"],
        positionals: [.words(["model", "session", "data"]), .path])

    public static func run(_ args: Arguments, in session: Session) throws {
        try args.allowOptions([])
        try args.expectPositionals(2...2, usage: "save model|session|data PATH")
        let what = args.positionals[0].lowercased(), path = Values.path(args.positionals[1])
        let p = session.playground
        switch what {
        case "model":
            let file = ModelFile(network: p.network, settings: p.settings, classNames: p.dataset.classNames,
                                 targetRange: p.dataset.valueRange.map { $0.min...$0.max })
            try FileAccess.writeAtomically(file.encoded(), to: path)
            session.say("saved the model (\(p.network.architecture), \(p.network.parameterCount) parameters) to \(path)")
        case "session":
            try FileAccess.writeAtomically(sessionScript(session, path: path), to: path)
            session.say("saved the session (\(session.replayLog.count) commands) to \(path); replay with: nnplay \(path)")
        case "data":
            try DataCommand.save(to: path, session)
        default:
            throw ShellError("cannot save '\(args.positionals[0])'\(Suggestions.hint(for: what, in: ["model", "session", "data"])): usage: save model|session|data PATH")
        }
    }

    /// The replay script of a session.
    static func sessionScript(_ session: Session, path: String) -> String {
        let here = Tokenizer.quoted(absolutePath(path))
        var text = "# nnplay session: replay with `nnplay \(here)` (or `source \(here)`) to rebuild the same state\n"
        text += "# \(session.playground.network.architecture); \(StatsCommand.line(session.playground))\n"
        for line in session.replayLog { text += line + "\n" }
        return text
    }
}
