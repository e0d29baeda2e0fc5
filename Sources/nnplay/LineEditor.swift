import CEditLine
import Foundation
import NNPlayShell

/// The one wrapper around libedit: reads a line with Emacs-style editing, keeps a bounded history
/// file, and asks a completion function for Tab. Only used when stdin and stdout are terminals.
final class LineEditor: PromptLines {

    /// Most lines kept in the history file.
    static let historyLimit = 1000

    private let historyPath: String
    private let interrupted: () -> Bool
    private var lastLine: String?

    /// `complete` gets the text before the cursor and returns the word being typed (as typed, an
    /// opening quote included) and the texts that may replace it.
    init(historyPath: String, interrupted: @escaping () -> Bool, complete: @escaping (String) -> (String, [String])) {
        self.historyPath = historyPath
        self.interrupted = interrupted
        LineEditor.completer = complete
        nnplay_set_name("nnplay")
        nnplay_use_word_breaks()
        nnplay_set_completer(completeWord)
        using_history()
        stifle_history(Int32(LineEditor.historyLimit))
        _ = read_history(historyPath)
    }

    func readLine(prompt: String) -> PromptInput {
        guard let raw = readline(prompt) else {
            return interrupted() ? .interrupted : .end
        }
        defer { free(raw) }
        if interrupted() { return .interrupted }
        let line = String(cString: raw)
        return .line(line)
    }

    /// Adds a line to the history (not blank lines, not a repeat of the last one) and saves the file.
    func remember(_ line: String) {
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty, trimmed != lastLine else { return }
        lastLine = trimmed
        add_history(trimmed)
        _ = write_history(historyPath)
    }

    // MARK: Completion (C callbacks cannot capture, so they reach the completer through statics)

    nonisolated(unsafe) static var completer: ((String) -> (String, [String]))?
    nonisolated(unsafe) static var matches: [String] = []
}

/// libedit's attempted-completion hook: completes from the command table, never from file names
/// unless the completer offers them.
private func completeWord(_ cText: UnsafePointer<CChar>, _ start: Int32, _ end: Int32) -> UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? {
    nnplay_set_completion_over(1)
    var before = ""
    if let buffer = nnplay_line_buffer() {
        let bytes = UnsafeBufferPointer(start: UnsafeRawPointer(buffer).assumingMemoryBound(to: UInt8.self), count: Int(max(0, end)))
        before = String(decoding: bytes, as: UTF8.self)
    }
    let (typed, full) = LineEditor.completer?(before) ?? ("", [])
    // libedit replaces only the text after the last space; the completer's word may start earlier
    // (an open quote: `"my di`), so each candidate drops what is already on the line before `text`
    let text = String(cString: cText)
    let already = typed.count > text.count && typed.hasSuffix(text) ? String(typed.dropLast(text.count)) : ""
    let candidates = full.map { already.isEmpty || !$0.hasPrefix(already) ? $0 : String($0.dropFirst(already.count)) }
    LineEditor.matches = candidates
    // after `key=` or a directory, keep typing on the same word
    let open = !candidates.isEmpty && candidates.allSatisfy { $0.hasSuffix("=") || $0.hasSuffix("/") }
    nnplay_set_append_character(open ? 0 : 32)
    guard !candidates.isEmpty else { return nil }
    return nnplay_completion_matches(cText, nextMatch)
}

private func nextMatch(_ text: UnsafePointer<CChar>, _ state: Int32) -> UnsafeMutablePointer<CChar>? {
    let i = Int(state)
    guard i < LineEditor.matches.count else { return nil }
    return strdup(LineEditor.matches[i])
}
