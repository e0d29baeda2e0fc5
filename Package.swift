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
        .executableTarget(name: "nnplay", dependencies: ["NNPlayEngine"]),
        .testTarget(name: "NNPlayEngineTests", dependencies: ["NNPlayEngine"]),
    ],
    swiftLanguageModes: [.v6]
)
