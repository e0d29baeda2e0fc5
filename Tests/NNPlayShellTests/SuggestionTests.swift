import Foundation
import NNPlayEngine
import Testing
@testable import NNPlayShell

/// Messages that suggest a command write it in backticks (`data split test=0.5`), and every such
/// command must itself run: checked in the sources (every suggestion written out in full), and in
/// the messages of situations that build their suggestions (`set batch 6356` fits), run where they
/// were given. A hint that does not work is worse than none.
@Suite struct SuggestionTests {
    static let sources = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Sources")

    /// The backticked fragments of a text.
    static func suggestions(in text: String) -> [String] {
        var found: [String] = []
        var rest = text[...]
        while let open = rest.firstIndex(of: "`") {
            let after = rest.index(after: open)
            guard let close = rest[after...].firstIndex(of: "`") else { break }
            found.append(String(rest[after..<close]))
            rest = rest[rest.index(after: close)...]
        }
        return found
    }

    /// Every Swift source line outside comments, with its place.
    static func sourceLines() throws -> [(place: String, text: String)] {
        var lines: [(String, String)] = []
        let files = FileManager.default.enumerator(atPath: sources.path)?.compactMap { $0 as? String }.filter { $0.hasSuffix(".swift") } ?? []
        #expect(files.count > 50, "the sources were not found at \(sources.path)")
        for file in files.sorted() where !file.hasPrefix("nnplay-bench") {
            let text = try String(contentsOf: sources.appendingPathComponent(file), encoding: .utf8)
            for (n, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                let trimmed = line.trimmingCharacters(in: .whitespaces)
                if trimmed.hasPrefix("//") { continue }
                lines.append(("\(file):\(n + 1)", String(line)))
            }
        }
        return lines
    }

    /// Runs a suggested command in a copy of `session` and returns its error, if any. A file name
    /// it names relative to the working directory goes to a scratch directory instead.
    static func tryOut(_ command: String, in session: Session, directory: String) -> String? {
        let copy = Session(output: CapturedOutput(), options: SessionOptions(quiet: true))
        copy.playground = session.playground
        copy.replayLog = session.replayLog
        // next, back and lesson end are suggested inside a lesson: they are tried in one, a step in
        if ["next", "back", "lesson end"].contains(command) { _ = copy.error("lesson 2; next") }
        let words = (try? Tokenizer.commands(in: command).first?.words) ?? nil
        let moved = (words ?? []).map { word -> String in
            let isFile = [".ppm", ".png", ".gif", ".json", ".csv", ".nn"].contains { word.hasSuffix($0) }
            return isFile && !word.hasPrefix("/") ? directory + "/" + word : word
        }
        return copy.error(words == nil ? command : moved.map(Tokenizer.quoted).joined(separator: " "))
    }

    @Test func everySuggestionWrittenOutInTheSourcesRuns() throws {
        let dir = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let (fresh, _) = makeSession(quiet: true)
        var checked = 0
        for (place, line) in try Self.sourceLines() {
            for suggestion in Self.suggestions(in: line) {
                // built from values (checked below, where they are made) or a program's command line
                if suggestion.contains("\\(") || suggestion.hasPrefix("nnplay") { continue }
                guard let name = suggestion.split(separator: " ").first, CommandTable.command(named: String(name)) != nil else {
                    Issue.record("\(place): `\(suggestion)` in backticks is not a command")
                    continue
                }
                checked += 1
                if let error = Self.tryOut(suggestion, in: fresh, directory: dir) {
                    Issue.record("\(place): the suggested `\(suggestion)` fails: \(error)")
                }
            }
        }
        #expect(checked >= 15, "only \(checked) suggestions found in the sources")
    }

    @Test func suggestionsAreWrittenInBackticks() throws {
        // "use data split", "e.g. plot layer 1", "with: add 4" without backticks would escape the
        // checks above: every phrase that offers a command must put it in backticks
        let names = CommandTable.allNames.joined(separator: "|")
        let offer = try Regex("(?:\\buse|\\btry|e\\.g\\.|with:|\\bthen|\\binstead:) (?:\(names))(?: [a-z0-9.=]+)*(?=[^`a-z0-9.=]|$)")
        for (place, line) in try Self.sourceLines() where !line.contains("details:") && !line.contains("examples:") {
            for quoted in line.split(separator: "\"", omittingEmptySubsequences: false).enumerated().filter({ $0.offset % 2 == 1 }).map(\.element) {
                if let match = quoted.firstMatch(of: offer) {
                    Issue.record("\(place): \"\(quoted[match.range])\" offers a command without backticks")
                }
            }
        }
    }

    /// Situations whose messages build a suggestion from the state: the set-up lines, then the line
    /// that gives the message.
    static let situations: [(setup: [String], line: String)] = [
        (["data circle test=1"], "train 1"),
        (["data circle test=0"], "expect test-accuracy > 0"),
        (["add 64", "add 64", "set batch 100000", "data circle n=20000 test=0.1"], "train 1 steps"),
        (["add 200"], "plot layer 3 size=300"),
        (["add 200"], "plot neuron 3.1 size=900x900"),
        ([], "plot net size=600"),
        (["add 100"], "export neuron 3.1 DIR/n.ppm size=2000"),
        (["add 20"], "export DIR/pics size=1500"),
        ([], "set lr 1e6; train 3"),
        (["set optimizer adam", "set lr 1e6"], "train 3"),
        (["remove 2", "remove 1"], "act relu"),
        (["remove 2", "remove 1"], "resize 1 3"),
        ([], "plot space 1 2"),
        ([], "set lr 0.1 lr=0.2"),
        ([], "trian 5"),
        ([], "plot layer 9"),
        ([], "plot loss"),
        (["data spiral classes=3"], "set loss bce"),
        (["act out tanh"], "set loss ce"),
        ([], "expect test-accuracy"),
        ([], "plot neuron"),
        ([], "plot layer"),
        ([], "plot space"),
    ]

    @Test(arguments: situations.indices)
    func aSuggestionInAMessageRunsWhereItWasGiven(index: Int) throws {
        let (setup, line) = Self.situations[index]
        let dir = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        // a small budget reaches the memory refusals with small sizes (and keeps the suggested sizes small)
        try MemoryBudget.$scopedLimit.withValue(48 << 20) {
            let (s, out) = makeSession(quiet: true)
            for command in setup { try s.run(command) }
            out.clear()
            let error = s.error(line.replacingOccurrences(of: "DIR", with: dir))
            let said = [error ?? "", out.errors, out.standard].joined(separator: "\n")
            let suggested = Self.suggestions(in: said).filter { !$0.hasPrefix("nnplay") }
            #expect(!suggested.isEmpty, "\(line) (after \(setup)) suggested nothing: \(said)")
            for suggestion in suggested {
                if let failure = Self.tryOut(suggestion, in: s, directory: dir) {
                    Issue.record("after \(setup) and \(line): the suggested `\(suggestion)` fails: \(failure)\n(the message: \(said))")
                }
            }
        }
    }
}
