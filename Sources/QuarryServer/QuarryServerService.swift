import Logging
import NIOCore
import NIOPosix
import ServiceLifecycle

/// The server as a swift-service-lifecycle `Service`.
///
/// `run()` binds, serves until graceful shutdown (SIGTERM/SIGINT in quarryd's `ServiceGroup`), then shuts down
/// gracefully within `shutdown_timeout_seconds`. On task cancellation it closes everything at once.
/// Startup failures (`ServerStartupError`) are thrown from `run()`.
public struct QuarryServerService: Service, CustomStringConvertible {
    private let configuration: ServerConfiguration
    private let backendFactory: BackendFactory
    private let logger: Logger
    private let metrics: ServerMetrics
    private let eventLoopGroup: any EventLoopGroup
    private let onListening: @Sendable (QuarryServer) -> Void

    /// - Parameter onListening: called once the socket is bound and serving (tests use it to know when to connect).
    public init(
        configuration: ServerConfiguration,
        backendFactory: @escaping BackendFactory,
        logger: Logger,
        metrics: ServerMetrics = ServerMetrics(),
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        onListening: @escaping @Sendable (QuarryServer) -> Void = { _ in }
    ) {
        self.configuration = configuration
        self.backendFactory = backendFactory
        self.logger = logger
        self.metrics = metrics
        self.eventLoopGroup = eventLoopGroup
        self.onListening = onListening
    }

    public var description: String { "QuarryServerService(socket: \(configuration.socketPath))" }

    public func run() async throws {
        let server = try await QuarryServer.start(
            configuration: configuration, backendFactory: backendFactory, logger: logger,
            metrics: metrics, eventLoopGroup: eventLoopGroup
        )
        onListening(server)
        do {
            try await gracefulShutdown()
            await server.shutdown()
        } catch {
            // Cancelled: no grace period.
            await server.shutdown(gracePeriod: .zero)
        }
    }
}
