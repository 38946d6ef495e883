import QuarryCore

/// A search as the client spelled it, before validation. Both `GET /search` (query string) and
/// `POST /search` (JSON body) produce one; `SearchRequestValidator` turns it into a `SearchRequest`.
struct SearchParameters: Sendable, Equatable {
    var q: String?
    var limit: Int?
    var offset: Int?
    var categories: [String] = []
    var from: String?
    var to: String?
    var sort: String?
    var facets: [String] = []
    var snippets: Bool?
    var collapse: Bool?
    var recency: Double?
}

/// The bounds a request is validated against.
struct SearchLimits: Sendable, Equatable {
    var defaultLimit = 10
    var maxLimit: Int
    var maxOffset = 100_000
    var queryMaxBytes: Int
    var queryMaxWildcards: Int

    init(maxLimit: Int = ServerConfiguration.defaultMaxLimit,
         queryMaxBytes: Int = ServerConfiguration.defaultQueryMaxBytes,
         queryMaxWildcards: Int = ServerConfiguration.defaultQueryMaxWildcards) {
        self.maxLimit = maxLimit
        self.queryMaxBytes = queryMaxBytes
        self.queryMaxWildcards = queryMaxWildcards
        // A max_limit below the usual default lowers the default too, or every plain search would be a 400.
        self.defaultLimit = min(defaultLimit, maxLimit)
    }

    init(_ configuration: ServerConfiguration) {
        self.init(maxLimit: configuration.maxLimit, queryMaxBytes: configuration.queryMaxBytes,
                  queryMaxWildcards: configuration.queryMaxWildcards)
    }

    var limitRange: ClosedRange<Int> { 0...maxLimit }
    var offsetRange: ClosedRange<Int> { 0...maxOffset }
}
