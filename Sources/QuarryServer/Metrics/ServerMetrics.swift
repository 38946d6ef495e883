import Metrics
import NIOConcurrencyHelpers
import NIOHTTP1
import Prometheus

/// Request metrics, recorded through swift-metrics into a swift-prometheus registry and exposed by
/// `GET /metrics`:
/// - `quarry_requests_total{endpoint, status}`: counter;
/// - `quarry_request_duration_seconds{endpoint}`: histogram.
///
/// Each server takes its registry explicitly (tests run several servers in one process). quarryd also calls
/// `bootstrapMetricsSystem()`, so metrics any other library emits through swift-metrics land in the same place.
public final class ServerMetrics: Sendable {
    public static let requestsLabel = "quarry_requests_total"
    public static let durationLabel = "quarry_request_duration_seconds"

    public let registry: PrometheusCollectorRegistry
    public let factory: PrometheusMetricsFactory

    private struct CounterKey: Hashable {
        var endpoint: String
        var status: UInt
    }

    // swift-metrics handles are cheap to keep; caching them avoids a registry lookup per request.
    // A pthread mutex, which ThreadSanitizer sees (why not Synchronization.Mutex: see SearchWorkerPool).
    private let counters = NIOLockedValueBox<[CounterKey: CoreMetrics.Counter]>([:])
    private let timers = NIOLockedValueBox<[String: CoreMetrics.Timer]>([:])

    public init(registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry()) {
        self.registry = registry
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.durationHistogramBuckets[Self.durationLabel] = [
            .microseconds(500), .milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10),
            .milliseconds(25), .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500),
            .seconds(1), .milliseconds(2500), .seconds(5), .seconds(10),
        ]
        self.factory = factory
    }

    /// Makes this registry the process-wide swift-metrics backend. Call once, from the executable.
    public func bootstrapMetricsSystem() {
        MetricsSystem.bootstrap(factory)
    }

    func record(endpoint: String, status: HTTPResponseStatus, nanoseconds: Int64) {
        let key = CounterKey(endpoint: endpoint, status: status.code)
        let counter = counters.withLockedValue { counters in
            if let counter = counters[key] { return counter }
            let counter = CoreMetrics.Counter(
                label: Self.requestsLabel,
                dimensions: [("endpoint", endpoint), ("status", String(status.code))],
                factory: factory
            )
            counters[key] = counter
            return counter
        }
        counter.increment()

        let timer = timers.withLockedValue { timers in
            if let timer = timers[endpoint] { return timer }
            let timer = CoreMetrics.Timer(label: Self.durationLabel, dimensions: [("endpoint", endpoint)], factory: factory)
            timers[endpoint] = timer
            return timer
        }
        timer.recordNanoseconds(nanoseconds)
    }

    /// The Prometheus text exposition of everything in the registry.
    func exposition() -> [UInt8] {
        registry.emitToBuffer()
    }
}
