// swift-tools-version: 6.0
// nio-handoff: quarryd's design (NIOHTTP1 pipeline, one hop to a worker thread and one back) with nothing of
// quarryd in it: busy work stands in for the search. Built by scripts/bench (own package, so the product's
// Package.swift names only the product). See Sources/nio-handoff/main.swift.
import PackageDescription

let package = Package(
    name: "nio-handoff",
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
    ],
    targets: [
        .executableTarget(
            name: "nio-handoff",
            dependencies: [
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
    ]
)
