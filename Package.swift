// swift-tools-version: 6.0
import PackageDescription
import Foundation

// The kernels' widest register blocks (sixteen SIMD8<Double> accumulators) fit only AVX-512's 32
// vector registers; on AVX2 they would spill. The build is for the CPU that builds it (-target-cpu
// native, below), so the build machine decides. The results are the same bit for bit either way.
let wideRegisters = ((try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? "").contains(" avx512f")
let kernelDefines: [SwiftSetting] = wideRegisters ? [.define("NNPLAY_32_VECTOR_REGISTERS")] : []

let package = Package(
    name: "nnplay",
    products: [
        .library(name: "NNPlayEngine", targets: ["NNPlayEngine"]),
        .executable(name: "nnplay", targets: ["nnplay"]),
        .executable(name: "nnplay-bench", targets: ["nnplay-bench"]),
    ],
    targets: [
        // The engine: data, network, training, model files, pictures. No terminal, no libedit.
        // Its SIMD kernels are optimised in debug builds too: unoptimised they run ~10× slower,
        // which would make the test suite crawl (optimisation does not change the results).
        // Both builds are tuned for the CPU that builds them (-target-cpu native: FMA and vector
        // width; without it every SIMD fused multiply-add is a call into libm, ~20× slower);
        // a build is meant to run where it was built, as `swift run` does.
        .target(name: "NNPlayEngine", dependencies: ["CPNG", "CGif", "CChafa", "CPrefetch", "CVectorMath"], swiftSettings: [
            .unsafeFlags(["-O", "-target-cpu", "native"], .when(configuration: .debug)),
            .unsafeFlags(["-target-cpu", "native"], .when(configuration: .release)),
        ] + kernelDefines),
        // One C line: a prefetch hint, so that training on a large dataset asks for the next batch's
        // points while it computes this one's (a header, no library).
        .systemLibrary(name: "CPrefetch"),
        // One C line: a vector square root (the optimisers' √v), which Swift's SIMD type compiled
        // lane by lane (a header, no library).
        .systemLibrary(name: "CVectorMath"),
        // libpng, through its simplified API: PNG picture files (Files/PNG.swift).
        .systemLibrary(name: "CPNG", pkgConfig: "libpng", providers: [.apt(["libpng-dev"])]),
        // libchafa (with glib): sixel pictures in the terminal (Rendering/InlineImages.swift).
        .systemLibrary(name: "CChafa", pkgConfig: "chafa", providers: [.apt(["libchafa-dev", "libglib2.0-dev"])]),
        // The command language and sessions: scripts, REPL lines, help, completion. No libedit.
        // The lessons' files are compiled in (PackageResources), so the program needs no files beside it.
        .target(name: "NNPlayShell", dependencies: ["NNPlayEngine"], resources: [.embedInCode("Lessons/Texts")]),
        // libedit (BSD editline), through its readline-compatible API.
        .systemLibrary(name: "CEditLine", pkgConfig: "libedit", providers: [.apt(["libedit-dev"])]),
        // giflib, for `train N record=FILE.gif` (no pkg-config file: the module map links -lgif).
        .systemLibrary(name: "CGif", providers: [.apt(["libgif-dev"])]),
        .executableTarget(name: "nnplay", dependencies: ["NNPlayShell", "CEditLine"]),
        // The speed benchmark: the four reference workloads, and --compare with the Python references.
        .executableTarget(name: "nnplay-bench", dependencies: ["NNPlayEngine"],
                          swiftSettings: [.unsafeFlags(["-target-cpu", "native"], .when(configuration: .release))]),
        .testTarget(name: "NNPlayEngineTests", dependencies: ["NNPlayEngine", "CPNG"]),
        .testTarget(name: "NNPlayShellTests", dependencies: ["NNPlayShell", "NNPlayEngine", "CGif"], exclude: ["Golden"]),
        // Runs the built nnplay binary: scripts, -c, pipes, exit codes, and (through Python's pexpect)
        // the interactive prompt in a pseudo-terminal.
        .testTarget(name: "NNPlayEndToEndTests", dependencies: ["nnplay", "nnplay-bench"]),
    ],
    swiftLanguageModes: [.v6]
)
