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
    /// How event loops wait for their requests' answers from the workers.
    let answerPolling: AnswerPolling

    init(router: Router, executor: any RequestExecutor, maxBodyBytes: Int, metrics: ServerMetrics, logger: Logger,
         answerPolling: AnswerPolling = AnswerPolling(duration: .zero, cores: System.coreCount)) {
        self.router = router
        self.executor = executor
        self.maxBodyBytes = maxBodyBytes
        self.metrics = metrics
        self.logger = logger
        self.answerPolling = answerPolling
    }

    /// The services for the Quarry API with the given configuration.
    convenience init(configuration: ServerConfiguration, executor: any RequestExecutor, metrics: ServerMetrics, logger: Logger) {
        let context = ServerContext(limits: SearchLimits(configuration), metrics: metrics)
        self.init(router: QuarryRoutes.router(context), executor: executor,
                  maxBodyBytes: configuration.maxBodyBytes, metrics: metrics, logger: logger,
                  answerPolling: AnswerPolling(duration: .microseconds(Int64(configuration.answerPollMicroseconds)),
                                               cores: System.coreCount))
    }
}
