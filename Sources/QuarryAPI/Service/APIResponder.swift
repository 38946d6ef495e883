#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The one request path. quarryd's handlers and the in-process path (`InProcessQuarry`, `quarry … --db`) both
/// answer through it, so a request gets the same validation, the same engine call and the same errors
/// whichever way it comes in. Synchronous: call it where blocking is allowed (a worker thread, never an
/// event loop), with that thread's backend. The backend is opened only once the request is found valid, so a bad
/// request is a 400 whatever state the index is in.
public struct APIResponder: Sendable {
    /// The engine a request runs on, opened (or re-opened after a failure) on first use; an index that cannot
    /// be opened is `APIError.indexUnavailable`.
    public typealias OpenBackend = () throws(APIError) -> any SearchBackend

    public let limits: SearchLimits
    public let validator: SearchRequestValidator
    public let queryDecoder: SearchQueryDecoder
    public let bodyDecoder: SearchBodyDecoder

    public init(limits: SearchLimits = SearchLimits()) {
        self.limits = limits
        self.validator = SearchRequestValidator(limits: limits)
        self.queryDecoder = SearchQueryDecoder(limits: limits)
        self.bodyDecoder = SearchBodyDecoder(limits: limits)
    }

    public func search(_ parameters: SearchParameters, on backend: OpenBackend) throws(APIError) -> SearchResponse {
        let request = try validator.validate(parameters)
        let engine = try backend()
        return try engineCall { () throws(SearchFailure) in try engine.search(request) }
    }

    /// `GET /search?…`
    public func search(query: QueryParameters, on backend: OpenBackend) throws(APIError) -> SearchResponse {
        try search(queryDecoder.parameters(from: query), on: backend)
    }

    /// `POST /search` with a JSON body.
    public func search(body: Data?, decoder: JSONDecoder, on backend: OpenBackend) throws(APIError)
        -> SearchResponse
    {
        try search(bodyDecoder.parameters(from: body, using: decoder), on: backend)
    }

    public func document(id: String, on backend: OpenBackend) throws(APIError) -> StoredArticle {
        let id = try required(id)
        let engine = try backend()
        return try engineCall { () throws(SearchFailure) in try engine.document(id: id) }
    }

    /// `limit` defaults to the search default and is held to the same range.
    public func similar(id: String, limit: Int?, on backend: OpenBackend) throws(APIError) -> SearchResponse {
        let id = try required(id)
        let limit = limit ?? limits.defaultLimit
        guard limits.limitRange.contains(limit) else { throw ParameterParsing.outOfRange("limit", limits.limitRange) }
        let engine = try backend()
        return try engineCall { () throws(SearchFailure) in try engine.similar(id: id, limit: limit) }
    }

    /// `GET /similar/{id}?limit=N`: the limit as the query string spells it.
    public func similar(id: String, query: QueryParameters, on backend: OpenBackend) throws(APIError)
        -> SearchResponse
    {
        let limit = try query.first("limit").map { text throws(APIError) in
            try ParameterParsing.integer(text, name: "limit", range: limits.limitRange)
        }
        return try similar(id: id, limit: limit, on: backend)
    }

    /// - Parameter server: the daemon's own figures; nil in-process.
    public func stats(on backend: OpenBackend, server: StatsResponse.ServerFigures? = nil) throws(APIError)
        -> StatsResponse
    {
        let engine = try backend()
        let index = try engineCall { () throws(SearchFailure) in try engine.stats() }
        return StatsResponse(index: index, server: server)
    }

    /// Healthy when the engine answers; otherwise 503, whatever the engine said.
    public func health(on backend: OpenBackend) throws(APIError) -> HealthResponse {
        let engine = try backend()
        do {
            try engine.checkHealth()
        } catch {
            throw .indexUnavailable(error)
        }
        return HealthResponse()
    }

    private func required(_ id: String) throws(APIError) -> String {
        guard !id.isEmpty else { throw .badParameter("id", "is required") }
        return id
    }

    private func engineCall<T>(_ body: () throws(SearchFailure) -> T) throws(APIError) -> T {
        do {
            return try body()
        } catch {
            throw APIError(error)
        }
    }
}
