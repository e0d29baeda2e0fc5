import Foundation
import Testing

/// The benchmark runs (in its short mode: this proves it works, it times nothing).
@Suite struct BenchmarkTests {
    @Test func theShortBenchmarkRunsEveryWorkloadAndPrintsItsTable() throws {
        let bench = nnplayBinary.deletingLastPathComponent().appendingPathComponent("nnplay-bench")
        let r = run(["--quick"], timeout: 300, executable: bench)
        #expect(r.status == 0, "\(r)")
        let lines = r.stdoutLines
        #expect(lines.first?.hasPrefix("nnplay-bench: ") == true)
        for id in ["a", "b", "c", "d", "e", "f"] {
            #expect(lines.contains { $0.hasPrefix("\(id)   ") }, "no row for workload \(id): \(r)")
        }
        // the training workloads report the accuracy they reached
        let a = try #require(lines.first { $0.hasPrefix("a   ") })
        #expect(a.contains("2-8-8-1 tanh"))
        #expect(lines.contains { $0.hasPrefix("per-epoch metrics ") && $0.contains("a +") }, "the metrics' share: \(r)")
        #expect(lines.last == "verdicts: none in quick mode")
        #expect(run(["--bogus"], executable: bench).status == 2)
    }
}
