/// The Quarry API as calls. `QuarryClient` answers them over quarryd's socket and `InProcessQuarry` from an
/// index opened in-process; both go through `APIResponder` in the end, so they answer alike. Errors are
/// `APIError` (the API's answer) or, for a remote service, the transport's own error.
public protocol QuarryService: Sendable {
    func search(_ parameters: SearchParameters) async throws -> SearchResponse
    func document(id: String) async throws -> StoredArticle
    func similar(id: String, limit: Int?) async throws -> SearchResponse
    func stats() async throws -> StatsResponse
    func health() async throws -> HealthResponse
}
