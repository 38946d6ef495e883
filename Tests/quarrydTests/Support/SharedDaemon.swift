import Foundation
import QuarryTestSupport
import Testing

/// One quarryd on the shared sample index for a whole suite: `@Suite(.sharedDaemon)` starts it before the suite's
/// first test and, whatever the tests did (a failed expectation, a thrown error, a cancellation), stops it after the
/// last with SIGTERM, then checks it exited 0 and removed its socket (`supervise`). Before stopping it, it checks the
/// daemon still answers /health and a search: every case left it working. Should the test process die first,
/// `LiveChildren` kills it at exit. Only for tests that leave the daemon as they found it.
struct SharedDaemonTrait: SuiteTrait, TestScoping {
    var isRecursive: Bool { false }

    func scopeProvider(for test: Test, testCase: Test.Case?) -> Self? {
        test.isSuite ? self : nil
    }

    func provideScope(for test: Test, testCase: Test.Case?,
                      performing function: @Sendable () async throws -> Void) async throws {
        let directory = try ShortTempDirectory()
        defer { directory.remove() }
        let database = try await SharedIndex.prepare()
        let launched = ContinuousClock.now
        let daemon = try Daemon.launch(db: database, socket: directory.file("q.sock"))
        try await supervise(daemon) { daemon in
            try await SharedDaemon.$current.withValue(SharedDaemon(daemon: daemon, launched: launched)) {
                try await function()
            }
            try await withClient(daemon.socketPath) { client in
                let health = try await client.get("/health")
                #expect(health.status == 200, "healthy after every case of \(test.name)")
                #expect(!(try await client.ids("q=valmora")).isEmpty, "still searching after every case of \(test.name)")
            }
        }
    }
}

extension Trait where Self == SharedDaemonTrait {
    /// The suite's tests share one quarryd on the sample index (see `SharedDaemonTrait`).
    static var sharedDaemon: Self { SharedDaemonTrait() }
}

/// The daemon of the suite being run (set by `SharedDaemonTrait`).
struct SharedDaemon: Sendable {
    let daemon: Daemon
    /// When it was started: its uptime can be no longer than the time since.
    let launched: ContinuousClock.Instant

    @TaskLocal static var current: SharedDaemon?

    static func get(sourceLocation: SourceLocation = #_sourceLocation) throws -> SharedDaemon {
        try #require(current, "not in a suite with the .sharedDaemon trait", sourceLocation: sourceLocation)
    }
}

/// A new keep-alive connection to the suite's daemon, closed afterwards.
func withSharedClient<T>(sourceLocation: SourceLocation = #_sourceLocation,
                         _ body: (Client) async throws -> T) async throws -> T {
    try await withClient(try SharedDaemon.get(sourceLocation: sourceLocation).daemon.socketPath, body)
}

/// One named check against the shared daemon: a parameterised test's argument, shown by its name.
struct DaemonCheck: CustomTestStringConvertible, Sendable {
    let name: String
    /// Whether the connection stays usable after the check (false when the server closes it on purpose).
    let keepsConnection: Bool
    let run: @Sendable (Client) async throws -> Void

    init(_ name: String, keepsConnection: Bool = true, _ run: @escaping @Sendable (Client) async throws -> Void) {
        self.name = name
        self.keepsConnection = keepsConnection
        self.run = run
    }

    var testDescription: String { name }

    /// Runs the check on a connection of its own, then checks that connection still answers (an error
    /// response must not break keep-alive).
    func perform() async throws {
        try await withSharedClient { client in
            try await run(client)
            guard keepsConnection else { return }
            let health = try await client.get("/health")
            #expect(health.status == 200, "\(name): the same connection answers /health afterwards")
        }
    }
}
