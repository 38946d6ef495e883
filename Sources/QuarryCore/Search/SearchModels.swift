/// The shapes that cross the wire between quarryd and its clients, and between the search engine
/// and whoever drives it (the daemon's workers, `quarry search --db`). Plain Codable values.

public enum SortOrder: String, Sendable, Codable, CaseIterable {
    case relevance
    case date = "date"          // oldest first
    case dateDescending = "-date"  // newest first
}

public enum Facet: String, Sendable, Codable, CaseIterable {
    case category
    case month
}

/// One search, as `GET /search?...` or the JSON body of `POST /search` expresses it.
public struct SearchRequest: Sendable, Equatable, Codable {
    public var q: String
    public var limit: Int
    public var offset: Int
    public var categories: [String]
    public var from: ArticleDate?
    public var to: ArticleDate?
    public var sort: SortOrder
    public var facets: [Facet]
    public var snippets: Bool
    public var collapse: Bool
    /// Half-life in days for blending recency into the BM25 score; nil = off.
    public var recency: Double?

    public init(q: String, limit: Int = 10, offset: Int = 0, categories: [String] = [],
                from: ArticleDate? = nil, to: ArticleDate? = nil, sort: SortOrder = .relevance,
                facets: [Facet] = [], snippets: Bool = true, collapse: Bool = false, recency: Double? = nil) {
        self.q = q; self.limit = limit; self.offset = offset; self.categories = categories
        self.from = from; self.to = to; self.sort = sort; self.facets = facets
        self.snippets = snippets; self.collapse = collapse; self.recency = recency
    }
}

public struct MatchCount: Sendable, Equatable, Codable {
    public var estimated: Int
    public var lower: Int
    public var upper: Int
    public init(estimated: Int, lower: Int, upper: Int) {
        self.estimated = estimated; self.lower = lower; self.upper = upper
    }
}

public struct SearchHit: Sendable, Equatable, Codable {
    public var rank: Int
    public var id: String
    public var score: Double
    public var percent: Int
    public var title: String
    public var date: ArticleDate?
    public var category: String?
    public var url: String?
    /// Xapian's MSet::snippet, matched terms wrapped in <b>…</b>.
    public var snippet: String?
    /// How many near-identical stories were folded into this one (collapse=true).
    public var collapsed: Int?
    public init(rank: Int, id: String, score: Double, percent: Int, title: String, date: ArticleDate?,
                category: String?, url: String?, snippet: String?, collapsed: Int? = nil) {
        self.rank = rank; self.id = id; self.score = score; self.percent = percent; self.title = title
        self.date = date; self.category = category; self.url = url; self.snippet = snippet
        self.collapsed = collapsed
    }
}

public struct FacetCount: Sendable, Equatable, Codable {
    public var value: String
    public var count: Int
    public init(value: String, count: Int) { self.value = value; self.count = count }
}

public struct SearchResponse: Sendable, Equatable, Codable {
    public var query: String
    public var total: MatchCount
    public var hits: [SearchHit]
    public var facets: [String: [FacetCount]]?
    /// "Did you mean": the query with likely misspellings corrected, when there are any.
    public var suggestion: String?
    public var tookMicroseconds: Int

    public init(query: String, total: MatchCount, hits: [SearchHit], facets: [String: [FacetCount]]? = nil,
                suggestion: String? = nil, tookMicroseconds: Int) {
        self.query = query; self.total = total; self.hits = hits; self.facets = facets
        self.suggestion = suggestion; self.tookMicroseconds = tookMicroseconds
    }
}

/// A stored article as `GET /documents/{id}` returns it.
public struct StoredArticle: Sendable, Equatable, Codable {
    public var id: String
    public var title: String
    public var date: ArticleDate?
    public var category: String?
    public var url: String?
    public var author: String?
    public var text: String
    public init(id: String, title: String, date: ArticleDate?, category: String?, url: String?,
                author: String?, text: String) {
        self.id = id; self.title = title; self.date = date; self.category = category; self.url = url
        self.author = author; self.text = text
    }
}

public struct IndexStats: Sendable, Equatable, Codable {
    public var documents: Int
    public var terms: Int
    public var averageLength: Double
    public var revision: UInt64
    public var lastModified: String?
    public var language: String
    public var path: String
    public init(documents: Int, terms: Int, averageLength: Double, revision: UInt64, lastModified: String?,
                language: String, path: String) {
        self.documents = documents; self.terms = terms; self.averageLength = averageLength
        self.revision = revision; self.lastModified = lastModified; self.language = language; self.path = path
    }
}

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
