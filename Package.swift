// swift-tools-version: 6.2
import PackageDescription

let package = Package(
    name: "Quarry",
    // Linux only: see README "Platform".
    products: [
        .executable(name: "quarry-index", targets: ["quarry-index"]),
        .executable(name: "quarryd", targets: ["quarryd"]),
        .executable(name: "quarry", targets: ["quarry"]),
        .library(name: "Xapian", targets: ["Xapian"]),
        .library(name: "QuarryAPI", targets: ["QuarryAPI"]),
        .library(name: "QuarryCore", targets: ["QuarryCore"]),
        .library(name: "QuarryClient", targets: ["QuarryClient"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-configuration", from: "1.4.0", traits: ["YAML"]),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
    ],
    targets: [
        // Layer 1: C++ over Xapian, exposed as plain C. No exception crosses this line.
        .target(
            name: "CXapian",
            path: "CXapian",
            linkerSettings: [.linkedLibrary("xapian"), .linkedLibrary("stdc++")]
        ),
        // Layer 2: a safe Swift wrapper. Knows Xapian, nothing about articles or sockets.
        .target(name: "Xapian", dependencies: ["CXapian"]),
        // The API's one home: request and response types, decoding, validation and limits, the error envelope,
        // the routes, and the request path every way in shares. Plain Swift: clients need neither Xapian nor NIO.
        .target(name: "QuarryAPI"),
        // Layer 3: the engine. Articles, schema, indexing, searching; answers the API in-process.
        .target(
            name: "QuarryCore",
            dependencies: [
                "Xapian", "QuarryAPI",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // Layer 3b: the daemon's HTTP-over-Unix-socket server, as a library so it is testable.
        .target(
            name: "QuarryServer",
            dependencies: [
                "QuarryAPI",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        // The typed client of quarryd's socket: used by `quarry` and by the integration tests.
        .target(
            name: "QuarryClient",
            dependencies: [
                "QuarryAPI",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
        // Layer 4: executables.
        .executableTarget(
            name: "quarry-index",
            dependencies: [
                "QuarryCore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "quarryd",
            dependencies: [
                "QuarryCore", "QuarryServer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Configuration", package: "swift-configuration"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .executableTarget(
            name: "quarry",
            dependencies: [
                "QuarryCore", "QuarryClient", "QuarryAPI",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // Paths, temporary corpora and process helpers the test targets share.
        .target(name: "QuarryTestSupport", path: "Tests/QuarryTestSupport"),
        .testTarget(name: "XapianTests", dependencies: ["Xapian"]),
        .testTarget(name: "QuarryAPITests", dependencies: ["QuarryAPI"]),
        .testTarget(
            name: "QuarryClientTests",
            dependencies: [
                "QuarryClient", "QuarryServer", "QuarryAPI", "QuarryTestSupport",
                .product(name: "Logging", package: "swift-log"),
            ]),
        .testTarget(
            name: "QuarryCoreTests", dependencies: ["QuarryCore", "Xapian", "QuarryTestSupport"], exclude: ["Fixtures"]),
        .testTarget(
            name: "QuarryServerTests",
            dependencies: [
                "QuarryServer", "QuarryAPI", "QuarryTestSupport",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .testTarget(
            name: "QuarryIndexTests", dependencies: ["QuarryCore", "Xapian", "QuarryTestSupport"],
            path: "Tests/quarry-indexTests"),
        .testTarget(
            name: "QuarrydTests",
            dependencies: [
                "QuarryAPI", "QuarryCore", "QuarryClient", "QuarryTestSupport", "Xapian",
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            path: "Tests/quarrydTests"),
    ],
    swiftLanguageModes: [.v6],
    cxxLanguageStandard: .cxx17
)
