#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import NIOHTTP1
import QuarryAPI

/// What the worker thread hands a handler: its own backend (opened on first use) and JSON decoder.
/// Never shared between threads (the backend holds a non-thread-safe Xapian database).
struct WorkerContext {
    let openBackend: APIResponder.OpenBackend
    let jsonDecoder: JSONDecoder
}

/// How a route is answered.
enum RouteAction: Sendable {
    /// Cheap and non-blocking: runs on the connection's event loop (e.g. /metrics).
    case onEventLoop(@Sendable (ServerRequest) -> ServerResponse)
    /// Calls the engine: runs on a worker thread; the returned value is JSON-encoded there too.
    case onWorker(@Sendable (ServerRequest, WorkerContext) throws(APIError) -> any Encodable)
}

/// One row of the routing table.
struct Route: Sendable {
    let method: HTTPMethod
    let pattern: PathPattern
    /// Label for metrics and logs ("search", "documents", ...): bounded, unlike raw paths.
    let endpoint: String
    let action: RouteAction

    init(_ method: HTTPMethod, _ pattern: String, endpoint: String, _ action: RouteAction) {
        self.method = method
        self.pattern = PathPattern(pattern)
        self.endpoint = endpoint
        self.action = action
    }

    /// One of the API's routes.
    init(_ route: APIRoute, _ action: RouteAction) {
        self.init(HTTPMethod(rawValue: route.method), route.pattern, endpoint: route.endpoint, action)
    }
}
