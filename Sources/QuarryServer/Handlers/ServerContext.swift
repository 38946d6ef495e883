/// What the route handlers share: request decoders (with the configured limits), statistics and metrics.
final class ServerContext: Sendable {
    let limits: SearchLimits
    let queryDecoder: SearchQueryDecoder
    let bodyDecoder: SearchBodyDecoder
    let statistics: ServerStatistics
    let metrics: ServerMetrics

    init(limits: SearchLimits, metrics: ServerMetrics, statistics: ServerStatistics = ServerStatistics()) {
        self.limits = limits
        self.queryDecoder = SearchQueryDecoder(limits: limits)
        self.bodyDecoder = SearchBodyDecoder(limits: limits)
        self.statistics = statistics
        self.metrics = metrics
    }
}
