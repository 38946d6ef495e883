import Foundation
import Logging
import NIOCore
import QuarryAPI
import QuarryServer
import QuarryTestSupport

let quietLogger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })

/// A configuration for a socket in a fresh temporary directory.
func testConfiguration(_ directory: ShortTempDirectory, workers: Int = 2) -> ServerConfiguration {
    ServerConfiguration(socketPath: directory.file("q.sock"), workers: workers)
}

/// Starts a real server, runs `body`, and always shuts it down (gracefully on success, at once on error).
func withServer<T>(
    _ configuration: ServerConfiguration,
    recorder: FakeRecorder = FakeRecorder(),
    gate: SearchGate? = nil,
    _ body: (QuarryServer) async throws -> T
) async throws -> T {
    let server = try await QuarryServer.start(
        configuration: configuration,
        backendFactory: FakeBackend.factory(recorder, gate: gate),
        logger: quietLogger
    )
    do {
        let result = try await body(server)
        await server.shutdown()
        return result
    } catch {
        await server.shutdown(gracePeriod: .zero)
        throw error
    }
}

/// Runs blocking socket I/O off the cooperative pool, so blocked test clients never starve the server's tasks.
func blocking<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread.detachNewThread {
            continuation.resume(with: Result { try work() })
        }
    }
}
