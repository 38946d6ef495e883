/// The daemon's API, as a table. Handlers are small functions in `Handlers/`.
///
/// | method | path                | handler                               |
/// |--------|---------------------|---------------------------------------|
/// | GET    | /search             | search from query parameters          |
/// | POST   | /search             | search from a JSON body               |
/// | GET    | /documents/{id...}  | one stored article (ids may hold "/") |
/// | GET    | /similar/{id...}    | articles like that one, `?limit=N`    |
/// | GET    | /stats              | index stats + uptime + queries served |
/// | GET    | /health             | 200 when the index answers, else 503  |
/// | GET    | /metrics            | Prometheus text exposition            |
enum QuarryRoutes {
    static func router(_ context: ServerContext) -> Router {
        Router([
            Route(.GET, "/search", endpoint: "search", .onWorker(SearchHandlers.searchByQuery(context))),
            Route(.POST, "/search", endpoint: "search", .onWorker(SearchHandlers.searchByBody(context))),
            Route(.GET, "/documents/{id...}", endpoint: "documents", .onWorker(DocumentHandlers.document)),
            Route(.GET, "/similar/{id...}", endpoint: "similar", .onWorker(DocumentHandlers.similar(context))),
            Route(.GET, "/stats", endpoint: "stats", .onWorker(StatusHandlers.stats(context))),
            Route(.GET, "/health", endpoint: "health", .onWorker(StatusHandlers.health)),
            Route(.GET, "/metrics", endpoint: "metrics", .onEventLoop(MetricsHandler.metrics(context))),
        ])
    }
}
