import Foundation
import NIOCore
import QuarryAPI
import QuarryTestSupport
import Testing
@testable import QuarryServer

#if canImport(Glibc)
import Glibc
#endif

/// The real thing: NIO on a Unix socket, worker threads, per-thread fake backends, raw POSIX clients.
@Suite("Unix socket server", .serialized)
struct UnixSocketServerTests {
    @Test func servesKeepAliveRequestsOnAnOwnerOnlySocket() async throws {
        let directory = try ShortTempDirectory()
        defer { directory.remove() }
        let configuration = testConfiguration(directory)
        try await withServer(configuration) { server in
            let mode = try #require(fileMode(server.socketPath))
            #expect(mode.isSocket)
            #expect(mode.permissions == 0o600)
            try await blocking {
                let client = try UnixSocketClient(path: configuration.socketPath)
                let first = try client.roundTrip(.request("GET", "/search?q=gaza"))
                #expect(first.status == 200)
                #expect(try first.decode(SearchResponse.self).hits.count == 2)
                let second = try client.roundTrip(.request("POST", "/search", body: #"{"q":"again","limit":1}"#))
                #expect(second.status == 200)
                #expect(try second.decode(SearchResponse.self).hits.count == 1)
                let third = try client.roundTrip(.request("GET", "/health"))
                #expect(third.status == 200)
            }
        }
    }

    @Test func configuredModeAndGroupAreApplied() async throws {
        let directory = try ShortTempDirectory()
        defer { directory.remove() }
        var configuration = testConfiguration(directory)
        configuration.socketMode = try #require(ServerConfiguration.parseSocketMode("0660"))
        configuration.socketGroup = .id(UInt32(getgid()))
        try await withServer(configuration) { server in
            let mode = try #require(fileMode(server.socketPath))
            #expect(mode.permissions == 0o660)
            #expect(mode.gid == UInt32(getgid()))
        }
    }

    @Test func unknownGroupRefusesToStartAndLeavesNothing() async throws {
        let directory = try ShortTempDirectory()
        defer { directory.remove() }
        var configuration = testConfiguration(directory)
        configuration.socketGroup = .name("no-such-group-quarry")
        await #expect(throws: ServerStartupError.unknownGroup("no-such-group-quarry")) {
            try await withServer(configuration) { _ in }
        }
        #expect(!pathExists(configuration.socketPath))
    }

    @Test func concurrentClientsEachGetTheirAnswer() async throws {
        let directory = try ShortTempDirectory()
        defer { directory.remove() }
        let configuration = testConfiguration(directory, workers: 3)
        let recorder = FakeRecorder()
        try await withServer(configuration, recorder: recorder) { _ in
            try await withThrowingTaskGroup(of: Void.self) { group in
                for client in 0..<8 {
                    group.addTask {
                        try await blocking {
                            let connection = try UnixSocketClient(path: configuration.socketPath)
                            for request in 0..<5 {
                                let response = try connection.roundTrip(.request("GET", "/search?q=c\(client)r\(request)"))
                                #expect(response.status == 200)
                                #expect(try response.decode(SearchResponse.self).query == "c\(client)r\(request)")
                            }
                        }
                    }
                }
                try await group.waitForAll()
            }
        }
        #expect(recorder.searches.count == 40)
        #expect(recorder.wrongThreadCalls == 0, "a backend was used from a thread other than its own")
        #expect((1...3).contains(recorder.backendsCreated), "at most one backend per worker thread")
    }

    @Test func searchesRunInParallelOnWorkers() async throws {
        let directory = try ShortTempDirectory()
        defer { directory.remove() }
        let configuration = testConfiguration(directory, workers: 2)
        let gate = SearchGate()
        try await withServer(configuration, gate: gate) { _ in
            let first = try UnixSocketClient(path: configuration.socketPath)
            let second = try UnixSocketClient(path: configuration.socketPath)
            try first.send(.request("GET", "/search?q=wait"))
            try second.send(.request("GET", "/search?q=wait"))
            // Both searches are inside the engine at once: two workers, neither on the event loop.
            #expect(gate.entered.wait(timeout: .now() + 10) == .success)
            #expect(gate.entered.wait(timeout: .now() + 10) == .success)
            // Meanwhile the event loop still answers requests that need no worker.
            let metrics = try UnixSocketClient(path: configuration.socketPath)
            let scrape = try await blocking { try metrics.roundTrip(.request("GET", "/metrics")) }
            #expect(scrape.status == 200)
            gate.released.signal()
            gate.released.signal()
            let answers = try await blocking { [first, second] in
                try [first.readResponse()?.status, second.readResponse()?.status]
            }
            #expect(answers == [200, 200])
        }
    }

    @Test func backendCreationFailureIs503UntilTheIndexAppears() async throws {
        let directory = try ShortTempDirectory()
        defer { directory.remove() }
        let configuration = testConfiguration(directory, workers: 1)
        try await withServer(configuration, recorder: FakeRecorder(creationFailures: 1)) { _ in
            try await blocking {
                let client = try UnixSocketClient(path: configuration.socketPath)
                let down = try client.roundTrip(.request("GET", "/health"))
                #expect(down.status == 503)
                #expect(down.errorCode == "index_unavailable")
                #expect(try client.roundTrip(.request("GET", "/health")).status == 200)
            }
        }
    }

    @Test func staleSocketIsReplaced() async throws {
        let directory = try ShortTempDirectory()
        defer { directory.remove() }
        let configuration = testConfiguration(directory)
        try makeStaleSocket(at: configuration.socketPath)
        #expect(UnixSocketBinding.probe(configuration.socketPath) == .refused)
        try await withServer(configuration) { _ in
            let response = try await blocking {
                try UnixSocketClient(path: configuration.socketPath).roundTrip(.request("GET", "/health"))
            }
            #expect(response.status == 200)
        }
    }

    @Test func liveSocketMakesASecondServerRefuse() async throws {
        let directory = try ShortTempDirectory()
        defer { directory.remove() }
        let configuration = testConfiguration(directory)
        try await withServer(configuration) { first in
            await #expect(throws: ServerStartupError.alreadyRunning(path: configuration.socketPath)) {
                try await withServer(configuration) { _ in }
            }
            #expect(ServerStartupError.alreadyRunning(path: "/x").description
                .contains("another quarryd is already listening on /x"))
            // The first server is untouched.
            #expect(pathExists(first.socketPath))
            let response = try await blocking {
                try UnixSocketClient(path: configuration.socketPath).roundTrip(.request("GET", "/health"))
            }
            #expect(response.status == 200)
        }
    }

    @Test func nonSocketFileIsRefusedAndKept() async throws {
        let directory = try ShortTempDirectory()
        defer { directory.remove() }
        let configuration = testConfiguration(directory)
        try "precious".write(toFile: configuration.socketPath, atomically: false, encoding: .utf8)
        await #expect(throws: ServerStartupError.notASocket(path: configuration.socketPath)) {
            try await withServer(configuration) { _ in }
        }
        #expect(try String(contentsOfFile: configuration.socketPath, encoding: .utf8) == "precious")
    }

    @Test func socketIsRemovedOnShutdown() async throws {
        let directory = try ShortTempDirectory()
        defer { directory.remove() }
        let configuration = testConfiguration(directory)
        let server = try await QuarryServer.start(
            configuration: configuration, backendFactory: FakeBackend.factory(FakeRecorder()), logger: quietLogger)
        #expect(pathExists(configuration.socketPath))
        await server.shutdown()
        #expect(!pathExists(configuration.socketPath))
        await server.shutdown()  // idempotent
    }

    @Test func missingParentDirectoryIsCreatedOwnerOnly() async throws {
        let directory = try ShortTempDirectory()
        defer { directory.remove() }
        var configuration = testConfiguration(directory)
        configuration.socketPath = directory.file("run/quarry/q.sock")
        try await withServer(configuration) { _ in
            let parent = try #require(fileMode(directory.file("run/quarry")))
            #expect(parent.permissions == 0o700)
        }
    }

    @Test func overlongSocketPathIsRefused() async throws {
        let path = "/tmp/" + String(repeating: "x", count: 120) + ".sock"
        await #expect(throws: ServerStartupError.socketPathTooLong(path: path, limit: 107)) {
            try await withServer(ServerConfiguration(socketPath: path)) { _ in }
        }
    }

    @Test func gracefulShutdownFinishesInFlightAndClosesIdleConnections() async throws {
        let directory = try ShortTempDirectory()
        defer { directory.remove() }
        let configuration = testConfiguration(directory)
        let gate = SearchGate()
        let server = try await QuarryServer.start(
            configuration: configuration, backendFactory: FakeBackend.factory(FakeRecorder(), gate: gate),
            logger: quietLogger)
        let idle = try UnixSocketClient(path: configuration.socketPath)
        let busy = try UnixSocketClient(path: configuration.socketPath)
        do {
            #expect(try await blocking { try idle.roundTrip(.request("GET", "/health")).status } == 200)
            try busy.send(.request("GET", "/search?q=wait"))
            #expect(gate.entered.wait(timeout: .now() + 10) == .success)
        } catch {
            gate.released.signal()
            await server.shutdown(gracePeriod: .zero)
            throw error
        }

        let shutdown = Task { await server.shutdown() }
        // Shutdown has begun once the socket file is gone; the busy request is still inside the engine.
        while pathExists(configuration.socketPath) { try await Task.sleep(for: .milliseconds(5)) }
        #expect(try await blocking { try idle.isClosedByServer() }, "idle keep-alive connection closed at once")
        #expect(throws: (any Error).self) { try UnixSocketClient(path: configuration.socketPath) }

        gate.released.signal()
        let response = try await blocking { try busy.readResponse() }
        #expect(response?.status == 200, "the in-flight request completes")
        #expect(response?.header("connection") == "close")
        #expect(try await blocking { try busy.isClosedByServer() })
        await shutdown.value
        #expect(server.connectionCount == 0)
    }

    @Test func connectionsBeyondTheLimitAreClosed() async throws {
        let directory = try ShortTempDirectory()
        defer { directory.remove() }
        var configuration = testConfiguration(directory)
        configuration.maxConnections = 1
        try await withServer(configuration) { _ in
            try await blocking { [configuration] in
                let admitted = try UnixSocketClient(path: configuration.socketPath)
                #expect(try admitted.roundTrip(.request("GET", "/health")).status == 200)
                let refused = try UnixSocketClient(path: configuration.socketPath)
                try? refused.send(.request("GET", "/health"))
                #expect(try refused.isClosedByServer())
                // The admitted connection is unharmed by the refusal.
                #expect(try admitted.roundTrip(.request("GET", "/health")).status == 200)
            }
        }
    }

    @Test func idleTimeoutClosesQuietConnections() async throws {
        let directory = try ShortTempDirectory()
        defer { directory.remove() }
        var configuration = testConfiguration(directory)
        configuration.idleTimeoutSeconds = 1
        try await withServer(configuration) { _ in
            try await blocking { [configuration] in
                let client = try UnixSocketClient(path: configuration.socketPath)
                #expect(try client.roundTrip(.request("GET", "/health")).status == 200)
                #expect(try client.isClosedByServer())  // no deadline asserted: only that it happens
            }
        }
    }

    @Test func badRequestsDoNotDisturbOtherConnections() async throws {
        let directory = try ShortTempDirectory()
        defer { directory.remove() }
        let configuration = testConfiguration(directory)
        try await withServer(configuration) { _ in
            try await blocking {
                let good = try UnixSocketClient(path: configuration.socketPath)
                let bad = try UnixSocketClient(path: configuration.socketPath)
                #expect(try good.roundTrip(.request("GET", "/search?q=x")).status == 200)
                let garbage = try bad.roundTrip("\u{00}\u{01}\u{02} nonsense\r\n\r\n")
                #expect(garbage.status == 400)
                #expect(try bad.isClosedByServer())
                let huge = try UnixSocketClient(path: configuration.socketPath)
                let tooLarge = try huge.roundTrip(.request("POST", "/search", body: String(repeating: "x", count: 2_000_000)))
                #expect(tooLarge.status == 413)
                #expect(try good.roundTrip(.request("GET", "/search?q=y")).status == 200)
            }
        }
    }
}
