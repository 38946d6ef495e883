/// What can go wrong in a search, each with the HTTP status the daemon answers with.
public enum SearchFailure: Error, Sendable, Equatable {
    /// Xapian's QueryParser rejected the query (its message).
    case queryRejected(String)
    case badParameter(name: String, message: String)
    case notFound(String)
    /// The index cannot be opened (missing, being replaced, corrupt).
    case indexUnavailable(String)
    case timeout(String)
    case `internal`(String)

    public var status: Int {
        switch self {
        case .queryRejected, .badParameter: 400
        case .notFound: 404
        case .indexUnavailable: 503
        case .timeout: 504
        case .internal: 500
        }
    }

    public var code: String {
        switch self {
        case .queryRejected: "query_rejected"
        case .badParameter: "bad_parameter"
        case .notFound: "not_found"
        case .indexUnavailable: "index_unavailable"
        case .timeout: "timeout"
        case .internal: "internal"
        }
    }

    public var message: String {
        switch self {
        case .queryRejected(let m), .notFound(let m), .indexUnavailable(let m), .timeout(let m), .internal(let m): m
        case .badParameter(let name, let m): "\(name): \(m)"
        }
    }
}

