import Foundation
import Testing

// nnplay against an implementation that shares none of its code: Tests/numpy/crosscheck.py recomputes
// with numpy what the binary prints and saves (stats before and after full-batch steps, every weight
// after them) over a seeded sweep of awkward sizes, widths, depths, activations, outputs, losses,
// optimisers and regularisers.

@Suite("nnplay against numpy")
struct NumpyCrossCheckTests {
    @Test(.timeLimit(.minutes(3)))
    func statsAndTrainingStepsAgreeWithNumpyAtAwkwardSizes() {
        let env = URL(fileURLWithPath: "/usr/bin/env")
        let probe = run(["python3", "-c", "import numpy"], timeout: 60, executable: env)
        guard probe.status == 0 else {
            Issue.record("the numpy cross-check needs python3 with numpy; run .ci/setup (or pip install numpy) — \(probe)")
            return
        }
        let script = packageRoot.appendingPathComponent("Tests/numpy/crosscheck.py").path
        for seed in ["9", "10"] {
            let r = run(["python3", script, nnplayBinary.path, "--configs", "150", "--seed", seed], timeout: 150, executable: env)
            #expect(!r.timedOut && r.status == 0, "crosscheck.py --seed \(seed): \(r)")
            #expect(r.stdout.contains("150 configurations, 0 failures"), "\(r.stdout)")
        }
    }
}
