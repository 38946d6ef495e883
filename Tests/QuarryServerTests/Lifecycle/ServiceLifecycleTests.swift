import Logging
import QuarryAPI
import ServiceLifecycle
import QuarryTestSupport
import Testing
@testable import QuarryServer

@Suite("Service lifecycle", .serialized)
struct ServiceLifecycleTests {
    @Test func serviceGroupRunsAndShutsDownGracefully() async throws {
        let directory = try ShortTempDirectory()
        defer { directory.remove() }
        let configuration = testConfiguration(directory)
        let (listening, announce) = AsyncStream.makeStream(of: String.self)
        let service = QuarryServerService(
            configuration: configuration,
            backendFactory: FakeBackend.factory(FakeRecorder()),
            logger: quietLogger,
            onListening: { server in announce.yield(server.socketPath) }
        )
        let group = ServiceGroup(configuration: ServiceGroupConfiguration(services: [service], logger: quietLogger))

        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            defer { tasks.cancelAll() }  // whatever happens below, the server does not outlive the test

            var iterator = listening.makeAsyncIterator()
            let path = await iterator.next()
            #expect(path == configuration.socketPath)
            let response = try await blocking {
                try UnixSocketClient(path: configuration.socketPath).roundTrip(.request("GET", "/search?q=gaza"))
            }
            #expect(response.status == 200)

            await group.triggerGracefulShutdown()
            try await tasks.next()  // group.run() returns normally
        }
        #expect(!pathExists(configuration.socketPath))
    }

    @Test func startupFailureEndsTheGroupWithTheReason() async throws {
        let directory = try ShortTempDirectory()
        defer { directory.remove() }
        let configuration = testConfiguration(directory)
        try "not a socket".write(toFile: configuration.socketPath, atomically: false, encoding: .utf8)
        let service = QuarryServerService(
            configuration: configuration, backendFactory: FakeBackend.factory(FakeRecorder()), logger: quietLogger)
        let group = ServiceGroup(configuration: ServiceGroupConfiguration(services: [service], logger: quietLogger))
        await #expect(throws: ServerStartupError.notASocket(path: configuration.socketPath)) {
            try await group.run()
        }
        #expect(pathExists(configuration.socketPath))
    }

    @Test func cancellationClosesEverythingAtOnce() async throws {
        let directory = try ShortTempDirectory()
        defer { directory.remove() }
        let configuration = testConfiguration(directory)
        let (listening, announce) = AsyncStream.makeStream(of: String.self)
        let service = QuarryServerService(
            configuration: configuration, backendFactory: FakeBackend.factory(FakeRecorder()), logger: quietLogger,
            onListening: { server in announce.yield(server.socketPath) })
        let run = Task { try await service.run() }
        var iterator = listening.makeAsyncIterator()
        _ = await iterator.next()
        let client = try UnixSocketClient(path: configuration.socketPath)
        #expect(try await blocking { try client.roundTrip(.request("GET", "/health")).status } == 200)
        run.cancel()
        try await run.value
        #expect(try await blocking { try client.isClosedByServer() })
        #expect(!pathExists(configuration.socketPath))
    }
}
