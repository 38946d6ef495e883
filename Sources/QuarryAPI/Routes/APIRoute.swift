/// The daemon's API, as a table: the server routes by it, clients build their requests from it.
///
/// | method | path                | answer                                          |
/// |--------|---------------------|-------------------------------------------------|
/// | GET    | /search             | `SearchResponse`; parameters in the query string |
/// | POST   | /search             | `SearchResponse`; parameters as a JSON object    |
/// | GET    | /documents/{id...}  | `StoredArticle` (ids may hold "/")              |
/// | GET    | /similar/{id...}    | `SearchResponse`, `?limit=N`                     |
/// | GET    | /stats              | `StatsResponse`                                  |
/// | GET    | /health             | `HealthResponse`, or 503                         |
/// | GET    | /metrics            | Prometheus text exposition                       |
public enum APIRoute: String, Sendable, CaseIterable {
    case searchByQuery
    case searchByBody
    case document
    case similar
    case stats
    case health
    case metrics

    public var method: String {
        self == .searchByBody ? "POST" : "GET"
    }

    /// The path pattern: `{name...}` captures the rest of the path, slashes included.
    public var pattern: String {
        switch self {
        case .searchByQuery, .searchByBody: "/search"
        case .document: "/documents/{id...}"
        case .similar: "/similar/{id...}"
        case .stats: "/stats"
        case .health: "/health"
        case .metrics: "/metrics"
        }
    }

    /// The label for metrics and logs: bounded, unlike raw paths.
    public var endpoint: String {
        switch self {
        case .searchByQuery, .searchByBody: "search"
        case .document: "documents"
        case .similar: "similar"
        case .stats: "stats"
        case .health: "health"
        case .metrics: "metrics"
        }
    }

    /// The request target (path and query) a client sends.
    public static func searchTarget(_ parameters: SearchParameters) -> String {
        "/search?" + parameters.queryString
    }

    public static func documentTarget(id: String) -> String {
        "/documents/" + PercentEncoding.path(id)
    }

    public static func similarTarget(id: String, limit: Int?) -> String {
        "/similar/" + PercentEncoding.path(id) + (limit.map { "?limit=\($0)" } ?? "")
    }
}
