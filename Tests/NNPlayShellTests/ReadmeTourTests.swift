import Foundation
import NNPlayEngine
import Testing
@testable import NNPlayShell

/// The README's tour is a transcript a newcomer types along with: every line of it must still print
/// what the README shows (timings aside), or the README has gone stale.
@Suite struct ReadmeTourTests {
    static let readme = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("README.md")

    /// The tour's code block as (command line, expected output lines).
    static func tour() throws -> [(line: String, output: [String])] {
        let text = try String(contentsOf: readme, encoding: .utf8)
        let start = try #require(text.range(of: "## A 30-second tour"))
        let fenceOpen = try #require(text.range(of: "```\n", range: start.upperBound..<text.endIndex))
        let fenceClose = try #require(text.range(of: "```\n", range: fenceOpen.upperBound..<text.endIndex))
        var steps: [(line: String, output: [String])] = []
        for row in text[fenceOpen.upperBound..<fenceClose.lowerBound].split(separator: "\n", omittingEmptySubsequences: false) {
            if row.hasPrefix("nnplay> ") {
                steps.append((String(row.dropFirst("nnplay> ".count)), []))
            } else if !row.isEmpty, !steps.isEmpty {
                steps[steps.count - 1].output.append(String(row))
            }
        }
        return steps
    }

    /// A line without its timing (`(5000 steps, 0.015 s)` → `(5000 steps)`).
    static func withoutTiming(_ line: String) -> String {
        line.replacingOccurrences(of: #", [0-9.e-]+ [µm]?s\)$"#, with: ")", options: .regularExpression)
    }

    @Test func everyLineOfTheTourPrintsWhatTheReadmeShows() throws {
        let steps = try Self.tour()
        #expect(steps.count >= 8, "the tour was not found in README.md")
        let dir = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let (session, _) = makeSession()
        for (line, expected) in steps {
            // the session file goes to a scratch directory, not the working directory
            let output = try session.run(line.replacingOccurrences(of: "spiral.nn", with: dir + "/spiral.nn"))
                .replacingOccurrences(of: dir + "/spiral.nn", with: "spiral.nn")
            // away from a terminal, train also prints a line at each quarter: the tour shows a terminal
            let printed = output.split(separator: "\n").map(String.init)
                .filter { $0.range(of: #"^epoch \d+/\d+: "#, options: .regularExpression) == nil }
            #expect(printed.map(Self.withoutTiming) == expected.map(Self.withoutTiming), "README tour: \(line)")
        }
    }
}
