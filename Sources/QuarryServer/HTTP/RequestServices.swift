import Logging
import NIOCore
import QuarryAPI

/// What every connection's `HTTPServerHandler` shares: the routing table, where engine calls run,
/// the limits it enforces itself, metrics and the logger.
final class RequestServices: Sendable {
    let router: Router
    let executor: any RequestExecutor
    let maxBodyBytes: Int
    let metrics: ServerMetrics
    let logger: Logger

    init(router: Router, executor: any RequestExecutor, maxBodyBytes: Int, metrics: ServerMetrics, logger: Logger) {
        self.router = router
        self.executor = executor
        self.maxBodyBytes = maxBodyBytes
        self.metrics = metrics
        self.logger = logger
    }

    /// The services for the Quarry API with the given configuration.
    convenience init(configuration: ServerConfiguration, executor: any RequestExecutor, metrics: ServerMetrics, logger: Logger) {
        let context = ServerContext(limits: SearchLimits(configuration), metrics: metrics)
        self.init(router: QuarryRoutes.router(context), executor: executor,
                  maxBodyBytes: configuration.maxBodyBytes, metrics: metrics, logger: logger)
    }
}
