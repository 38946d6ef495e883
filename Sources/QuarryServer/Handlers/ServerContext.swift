import QuarryAPI

/// What the route handlers share: the API's request path (with the configured limits), statistics and metrics.
final class ServerContext: Sendable {
    let responder: APIResponder
    let statistics: ServerStatistics
    let metrics: ServerMetrics

    init(limits: SearchLimits, metrics: ServerMetrics, statistics: ServerStatistics = ServerStatistics()) {
        self.responder = APIResponder(limits: limits)
        self.statistics = statistics
        self.metrics = metrics
    }
}
