import NNPlayEngine

/// How colour pictures reach the terminal (`--graphics`, `set graphics`): an inline-image protocol
/// (the same pixels as the picture files), coloured character blocks, or plain characters.
public enum GraphicsMode: String, CaseIterable, Sendable {
    /// an inline-image protocol where the terminal has one, else coloured blocks (plain characters
    /// when colour is off or the output is not a terminal)
    case auto
    case kitty, iterm, sixel
    /// coloured half blocks and point glyphs (24-bit or 256 colours)
    case blocks
    /// plain characters, no colour
    case ascii

    public static var namesList: String { allCases.map(\.rawValue).joined(separator: "|") }

    /// The protocol this mode names (nil for auto, blocks, ascii).
    public var inlineProtocol: InlineImageProtocol? { InlineImageProtocol(rawValue: rawValue) }
}

/// What the environment and the terminal's answers say about its pictures. Pure functions: the
/// executable asks the terminal (`nnplay/TerminalQuery.swift`) and hands the answer here.
public enum GraphicsDetection {
    /// The protocol a terminal announces in its environment, nil when it does not say. Inside tmux
    /// or screen nothing is assumed: they do not pass images through unless configured to.
    public static func fromEnvironment(_ env: [String: String]) -> InlineImageProtocol? {
        let term = (env["TERM"] ?? "").lowercased(), program = (env["TERM_PROGRAM"] ?? "").lowercased()
        if insideMultiplexer(env) { return nil }
        if env["KITTY_WINDOW_ID"] != nil || term == "xterm-kitty" || term == "xterm-ghostty" || program == "ghostty" { return .kitty }
        if program == "iterm.app" || program == "wezterm" || env["LC_TERMINAL"] == "iTerm2" { return .iterm }
        if term.hasPrefix("foot") || term.hasPrefix("mlterm") || term == "yaft-256color" { return .sixel }
        return nil
    }

    /// Whether the terminal may be asked (ESC [ c) at all: a real terminal that says what it is,
    /// and has not announced its protocol already.
    public static func mayQuery(_ env: [String: String]) -> Bool {
        let term = env["TERM"] ?? ""
        return !term.isEmpty && term != "dumb" && !insideMultiplexer(env) && fromEnvironment(env) == nil
    }

    /// tmux or screen: they answer for themselves and pass no pictures through unless configured to.
    static func insideMultiplexer(_ env: [String: String]) -> Bool {
        let term = (env["TERM"] ?? "").lowercased()
        return term.hasPrefix("screen") || term.hasPrefix("tmux") || env["TMUX"] != nil
    }

    /// The query for the terminal's primary device attributes.
    public static let deviceAttributesQuery = "\u{1B}[c"

    /// Whether an answer to `ESC [ c` (`ESC [ ? 63 ; 1 ; 4 ; … c`) lists attribute 4, sixel graphics.
    public static func sixelInAttributes(_ answer: String) -> Bool {
        guard let start = answer.range(of: "\u{1B}[?"), let end = answer[start.upperBound...].firstIndex(of: "c") else { return false }
        return answer[start.upperBound..<end].split(separator: ";").contains("4")
    }
}

extension Session {
    /// The inline-image protocol pictures use now, nil for character pictures.
    func inlineImageProtocol() -> InlineImageProtocol? {
        if let named = options.graphics.inlineProtocol { return named }
        guard options.graphics == .auto else { return nil }
        if detectedInlineImages == nil { detectedInlineImages = .some(options.detectInlineImages?() ?? nil) }
        return detectedInlineImages ?? nil
    }

    /// A character cell in pixels: the terminal's, else a common 10×20.
    var cellPixels: (width: Int, height: Int) { output.cellPixels ?? (10, 20) }

    /// Changes the graphics mode; `auto` asks the terminal again.
    func setGraphics(_ mode: GraphicsMode) {
        options.graphics = mode
        if mode == .auto { detectedInlineImages = nil }
    }

    /// What `set` shows: the mode, and for auto what it chose.
    var graphicsDescription: String {
        guard options.graphics == .auto else { return options.graphics.rawValue }
        let chosen = inlineImageProtocol()?.rawValue ?? (options.colorMode == .plain ? "ascii" : "blocks")
        return "auto (\(chosen))"
    }
}
