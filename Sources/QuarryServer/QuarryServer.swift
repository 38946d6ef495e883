import Logging
import NIOCore
import NIOPosix
import QuarryAPI
import Synchronization

/// A running Quarry HTTP server on a Unix domain socket.
///
/// ```swift
/// let server = try await QuarryServer.start(configuration: config, backendFactory: { try Searcher(path: db) },
///                                           logger: logger)
/// // ... serve ...
/// await server.shutdown()   // stop accepting, finish in-flight requests, remove the socket
/// ```
/// In quarryd this is wrapped by `QuarryServerService` and driven by a swift-service-lifecycle `ServiceGroup`.
public final class QuarryServer: Sendable {
    public let socketPath: String
    public let configuration: ServerConfiguration

    private let serverChannel: any Channel
    private let connections: ConnectionRegistry
    private let executor: any RequestExecutor
    private let socketIdentity: UnixSocketBinding.FileIdentity?
    private let logger: Logger
    private let shutdownStarted = Atomic<Bool>(false)
    private let stopped = CompletionSignal()

    private init(configuration: ServerConfiguration, serverChannel: any Channel, connections: ConnectionRegistry,
                 executor: any RequestExecutor, socketIdentity: UnixSocketBinding.FileIdentity?, logger: Logger) {
        self.socketPath = configuration.socketPath
        self.configuration = configuration
        self.serverChannel = serverChannel
        self.connections = connections
        self.executor = executor
        self.socketIdentity = socketIdentity
        self.logger = logger
    }

    /// Binds the socket and starts serving.
    ///
    /// Throws `ServerStartupError` when the configuration is invalid, another server is listening on the path,
    /// something other than a socket is there, or bind/chmod/chown fails. A stale socket is replaced.
    public static func start(
        configuration: ServerConfiguration,
        backendFactory: @escaping BackendFactory,
        logger: Logger,
        metrics: ServerMetrics = ServerMetrics(),
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) async throws(ServerStartupError) -> QuarryServer {
        try configuration.validate()
        let path = configuration.socketPath
        try UnixSocketBinding.prepare(path: path, logger: logger)

        let executor = SearchWorkerPool(threads: configuration.resolvedWorkerCount,
                                        spin: .microseconds(configuration.workerSpinMicroseconds),
                                        makeBackend: backendFactory)
        let services = RequestServices(configuration: configuration, executor: executor, metrics: metrics, logger: logger)
        let connections = ConnectionRegistry(limit: configuration.maxConnections)
        let limits = ConnectionLimits(configuration)

        let channel: any Channel
        do {
            channel = try await ServerBootstrap(group: eventLoopGroup)
                .serverChannelOption(.backlog, value: 256)
                .childChannelInitializer { channel in
                    guard connections.admit(channel) else {
                        logger.warning("connection refused: max_connections reached or shutting down",
                                       metadata: ["max_connections": "\(connections.limit)"])
                        return channel.eventLoop.makeFailedFuture(ConnectionRefused())
                    }
                    return channel.eventLoop.makeCompletedFuture {
                        try ChannelSetup.configure(channel, services: services, limits: limits)
                    }
                }
                .bind(unixDomainSocketPath: path, cleanupExistingSocketFile: false)
                .get()
        } catch {
            await executor.shutdown()
            throw .cannotBind(path: path, reason: "\(error)")
        }

        do {
            try UnixSocketBinding.applyPermissions(path: path, mode: configuration.socketMode, group: configuration.socketGroup)
        } catch {
            try? await channel.close()
            await executor.shutdown()
            throw error
        }

        // The path in the message itself: it is what clients need (`quarry --socket`, `curl --unix-socket`).
        logger.info("listening on \(path)", metadata: [
            "mode": "\(String(configuration.socketMode, radix: 8))",
            "workers": "\(configuration.resolvedWorkerCount)",
        ])
        return QuarryServer(configuration: configuration, serverChannel: channel, connections: connections,
                            executor: executor, socketIdentity: UnixSocketBinding.identity(of: path), logger: logger)
    }

    /// Open client connections right now.
    public var connectionCount: Int { connections.count }

    /// Graceful shutdown bounded by `configuration.shutdownTimeoutSeconds`.
    public func shutdown() async {
        await shutdown(gracePeriod: .seconds(Int64(configuration.shutdownTimeoutSeconds)))
    }

    /// Stops accepting, removes the socket file, lets in-flight requests finish (idle keep-alive connections are
    /// closed at once), force-closes whatever is left after `gracePeriod`, then stops the workers.
    /// Safe to call more than once and concurrently: later callers wait for the first to finish.
    public func shutdown(gracePeriod: TimeAmount) async {
        guard !shutdownStarted.exchange(true, ordering: .acquiringAndReleasing) else {
            await stopped.wait()
            return
        }
        let open = connections.stopAccepting()
        logger.info("shutting down", metadata: ["socket": "\(socketPath)", "connections": "\(open.count)"])
        // Unlink first (only if it is still our socket) so new clients fail fast with ENOENT; NIO's own
        // cleanup on close then finds nothing to do.
        if UnixSocketBinding.remove(path: socketPath, ifStill: socketIdentity) == .replacedByAnother {
            logger.warning("socket path now holds another file; left in place", metadata: ["socket": "\(socketPath)"])
        }
        try? await serverChannel.close()

        // Quiesce: HTTPServerPipelineHandler closes idle connections now and busy ones after their response.
        for channel in open {
            channel.pipeline.fireUserInboundEventTriggered(ChannelShouldQuiesceEvent())
        }
        let eventLoop = serverChannel.eventLoop
        let connections = self.connections
        let forceClose = eventLoop.scheduleTask(in: gracePeriod) {
            connections.closeAll()
        }
        try? await connections.whenDrained(on: eventLoop).get()
        forceClose.cancel()

        await executor.shutdown()
        logger.info("stopped", metadata: ["socket": "\(socketPath)"])
        stopped.fire()
    }
}
