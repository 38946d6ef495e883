// swift-tools-version: 6.2
// Quarry's measurement tools, apart from the product (as swift-nio and GRDB keep theirs): built only by the
// scripts in this folder (bench, check, profile-query, eval, soak), never by the product's build or tests.
//   quarry-bench-queries  Quarry's engine (QuarryCore) timing queries in-process, no socket: the wrapper's cost
//                         against the raw C++ reference (reference/ref-query.cpp).
//   nio-handoff           quarryd's design (NIOHTTP1 pipeline, one hop to a worker thread and one back) with
//                         nothing of quarryd in it: swift-nio's own floor for bench --only query.
import PackageDescription

let package = Package(
    name: "QuarryBenchmarks",
    products: [
        .executable(name: "quarry-bench-queries", targets: ["quarry-bench-queries"]),
        .executable(name: "nio-handoff", targets: ["nio-handoff"]),
    ],
    dependencies: [
        .package(name: "Quarry", path: ".."),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
    ],
    targets: [
        .executableTarget(
            name: "quarry-bench-queries",
            dependencies: [
                .product(name: "QuarryCore", package: "Quarry"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(
            name: "nio-handoff",
            dependencies: [
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
