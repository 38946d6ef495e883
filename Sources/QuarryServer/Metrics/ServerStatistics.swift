import Synchronization

/// Figures `GET /stats` adds to the engine's own: uptime and queries served.
final class ServerStatistics: Sendable {
    private let startedAt = ContinuousClock.now
    private let searches = Atomic<Int>(0)

    /// Counts one successfully answered search.
    func recordSearch() {
        searches.wrappingAdd(1, ordering: .relaxed)
    }

    var queriesServed: Int { searches.load(ordering: .relaxed) }

    var uptimeSeconds: Int { Int((ContinuousClock.now - startedAt).components.seconds) }
}
