/// The engine seen from the daemon and the in-process client. One instance per thread: implementations
/// hold a Xapian Database, which is not thread-safe. Calls block; never make them on an event loop.
public protocol SearchBackend {
    func search(_ request: SearchRequest) throws(SearchFailure) -> SearchResponse
    func document(id: String) throws(SearchFailure) -> StoredArticle
    func similar(id: String, limit: Int) throws(SearchFailure) -> SearchResponse
    func stats() throws(SearchFailure) -> IndexStats
    /// Throws when the index cannot answer. Cheap: health checks may come often.
    func checkHealth() throws(SearchFailure)
}

extension SearchBackend {
    public func checkHealth() throws(SearchFailure) {
        _ = try stats()
    }
}
