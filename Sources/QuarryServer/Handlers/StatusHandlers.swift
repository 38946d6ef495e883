import QuarryCore

/// `GET /stats` and `GET /health`.
enum StatusHandlers {
    static func stats(_ context: ServerContext) -> WorkerHandler {
        { _, worker throws(APIError) in
            let index = try engineCall { () throws(SearchFailure) in try worker.backend.stats() }
            return StatsResponse(
                index: index,
                uptimeSeconds: context.statistics.uptimeSeconds,
                queriesServed: context.statistics.queriesServed
            )
        }
    }

    /// 200 `{"status":"ok"}` when the engine answers; 503 otherwise, whatever the engine said.
    static func health(_ request: ServerRequest, _ worker: WorkerContext) throws(APIError) -> HealthResponse {
        do {
            try worker.backend.checkHealth()
        } catch {
            throw .indexUnavailable(error)
        }
        return HealthResponse(status: "ok")
    }
}

struct HealthResponse: Encodable, Equatable {
    var status: String
}

/// The engine's `IndexStats` fields, flattened, plus the server's own figures.
struct StatsResponse: Encodable {
    var index: IndexStats
    var uptimeSeconds: Int
    var queriesServed: Int

    private enum Keys: String, CodingKey {
        case uptimeSeconds, queriesServed
    }

    func encode(to encoder: any Encoder) throws {
        try index.encode(to: encoder)
        var container = encoder.container(keyedBy: Keys.self)
        try container.encode(uptimeSeconds, forKey: .uptimeSeconds)
        try container.encode(queriesServed, forKey: .queriesServed)
    }
}
