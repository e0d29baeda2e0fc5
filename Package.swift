// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "nnplay",
    products: [
        .library(name: "NNPlayEngine", targets: ["NNPlayEngine"]),
        .executable(name: "nnplay", targets: ["nnplay"]),
    ],
    targets: [
        // The engine: data, network, training, model files. No terminal, no libedit.
        .target(name: "NNPlayEngine"),
        // The command language and sessions: scripts, REPL lines, help, completion. No libedit.
        .target(name: "NNPlayShell", dependencies: ["NNPlayEngine"]),
        // libedit (BSD editline), through its readline-compatible API.
        .systemLibrary(name: "CEditLine", pkgConfig: "libedit", providers: [.apt(["libedit-dev"])]),
        .executableTarget(name: "nnplay", dependencies: ["NNPlayShell", "CEditLine"]),
        .testTarget(name: "NNPlayEngineTests", dependencies: ["NNPlayEngine"]),
        .testTarget(name: "NNPlayShellTests", dependencies: ["NNPlayShell", "NNPlayEngine"], exclude: ["Golden"]),
        // Runs the built nnplay binary: scripts, -c, pipes, exit codes, and (through Python's pexpect)
        // the interactive prompt in a pseudo-terminal.
        .testTarget(name: "NNPlayEndToEndTests", dependencies: ["nnplay"]),
    ],
    swiftLanguageModes: [.v6]
)
