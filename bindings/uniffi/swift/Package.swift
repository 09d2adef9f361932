// swift-tools-version:5.9
// The Swift Package of the uniffi bindings, usable as a dependency (no unsafeFlags).
// Sources/LpConfig/LpConfig.swift is generated (`../generate.sh`, or
// `bash scripts/dist.sh`, which writes the whole package to dist/swift/LpConfig);
// LpConfigFFI.xcframework (the Rust library per Apple platform, with the C header and
// module map) is built on macOS by `build-xcframework.sh`. See docs/packaging/swift.md.
import PackageDescription

let package = Package(
    name: "LpConfig",
    platforms: [.macOS(.v12), .iOS(.v15)],
    products: [
        .library(name: "LpConfig", targets: ["LpConfig"]),
    ],
    targets: [
        // liblpconfig_ffi.a for each platform plus LpConfigFFI.h and its module map.
        // A release can point at a zipped copy instead:
        // .binaryTarget(name: "LpConfigFFI", url: "https://.../LpConfigFFI.xcframework.zip", checksum: "...")
        .binaryTarget(name: "LpConfigFFI", path: "LpConfigFFI.xcframework"),
        // The generated Swift API: Client, Users, AgentGroups, LpError, ...
        .target(
            name: "LpConfig",
            dependencies: ["LpConfigFFI"],
            path: "Sources/LpConfig"
        ),
        .executableTarget(name: "Example", dependencies: ["LpConfig"], path: "Sources/Example"),
        .testTarget(name: "LpConfigTests", dependencies: ["LpConfig"], path: "Tests/LpConfigTests"),
    ]
)
