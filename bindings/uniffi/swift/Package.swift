// swift-tools-version:5.9
// The Swift Package of the uniffi bindings. `../generate.sh` fills
// Sources/LpConfig (LpConfig.swift) and Sources/LpConfigFFI (header and
// module map); build the Rust library first (`cargo build -p lpconfig-ffi
// --release`, or an XCFramework for iOS) and point the linker at it.
import PackageDescription

let rustLibDir = "../../../target/release"

let package = Package(
    name: "LpConfig",
    platforms: [.macOS(.v12), .iOS(.v15)],
    products: [
        .library(name: "LpConfig", targets: ["LpConfig"]),
    ],
    targets: [
        // The C declarations of the FFI (LpConfigFFI.h + module.modulemap).
        .systemLibrary(name: "LpConfigFFI", path: "Sources/LpConfigFFI"),
        // The generated Swift API: Client, Users, AgentGroups, LpError, ...
        .target(
            name: "LpConfig",
            dependencies: ["LpConfigFFI"],
            path: "Sources/LpConfig",
            linkerSettings: [
                .linkedLibrary("lpconfig_ffi"),
                .unsafeFlags(["-L", rustLibDir]),
            ]
        ),
        .executableTarget(name: "Example", dependencies: ["LpConfig"], path: "Sources/Example"),
        .testTarget(name: "LpConfigTests", dependencies: ["LpConfig"], path: "Tests/LpConfigTests"),
    ]
)
