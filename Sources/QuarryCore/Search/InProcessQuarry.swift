import Synchronization

/// The Quarry API answered in-process from an index folder: what `quarry … --db DIR` uses. It takes the same
/// request path as quarryd (`APIResponder`, default limits) with a `Searcher` opened on first use, and again
/// after a failure, as each daemon worker does: a missing index is a 503 `index_unavailable` per call.
///
/// Calls block the calling thread while the engine works (one at a time: a `Searcher` is single-threaded).
public final class InProcessQuarry: QuarryService {
    public let path: String
    private let settings: SearchSettings
    private let responder: APIResponder
    private let searcher = Mutex<Searcher?>(nil)

    public init(path: String, settings: SearchSettings = SearchSettings(), limits: SearchLimits = SearchLimits()) {
        self.path = path
        self.settings = settings
        self.responder = APIResponder(limits: limits)
    }

    public func search(_ parameters: SearchParameters) async throws -> SearchResponse {
        try withSearcher { open throws(APIError) in try responder.search(parameters, on: open) }
    }

    public func document(id: String) async throws -> StoredArticle {
        try withSearcher { open throws(APIError) in try responder.document(id: id, on: open) }
    }

    public func similar(id: String, limit: Int?) async throws -> SearchResponse {
        try withSearcher { open throws(APIError) in try responder.similar(id: id, limit: limit, on: open) }
    }

    public func stats() async throws -> StatsResponse {
        try withSearcher { open throws(APIError) in try responder.stats(on: open) }
    }

    public func health() async throws -> HealthResponse {
        try withSearcher { open throws(APIError) in try responder.health(on: open) }
    }

    /// Runs `body` holding the lock, with a function that opens the searcher if it is not open yet.
    private func withSearcher<T: Sendable>(_ body: (APIResponder.OpenBackend) throws(APIError) -> T) throws(APIError) -> T {
        try searcher.withLock { searcher throws(APIError) -> T in
            try body { () throws(APIError) -> any SearchBackend in
                if let open = searcher { return open }
                do throws(SearchFailure) {
                    let opened = try Searcher(path: path, settings: settings)
                    searcher = opened
                    return opened
                } catch {
                    throw .indexUnavailable(error)
                }
            }
        }
    }
}
