/// What a search answers: `GET`/`POST /search` and `GET /similar/{id}`.

/// How many articles match. `exact` is true when `lower == upper`: Quarry counts exactly whenever that is
/// cheap, which is always up to 1,000 matches (and with facets, which see every match); above that
/// `estimated` is Xapian's estimate, always within [`lower`, `upper`].
public struct MatchCount: Sendable, Equatable, Codable {
    public var estimated: Int
    public var lower: Int
    public var upper: Int
    public var exact: Bool { lower == upper }

    public init(estimated: Int, lower: Int, upper: Int) {
        self.estimated = estimated; self.lower = lower; self.upper = upper
    }

    private enum CodingKeys: String, CodingKey { case estimated, lower, upper, exact }

    public init(from decoder: any Decoder) throws {
        let fields = try decoder.container(keyedBy: CodingKeys.self)
        self.init(estimated: try fields.decode(Int.self, forKey: .estimated),
                  lower: try fields.decode(Int.self, forKey: .lower), upper: try fields.decode(Int.self, forKey: .upper))
    }

    public func encode(to encoder: any Encoder) throws {
        var fields = encoder.container(keyedBy: CodingKeys.self)
        try fields.encode(estimated, forKey: .estimated)
        try fields.encode(lower, forKey: .lower)
        try fields.encode(upper, forKey: .upper)
        try fields.encode(exact, forKey: .exact)
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
    /// What the client should know about how the request was answered, e.g. that a date parameter had no
    /// effect because no article in the index has a date.
    public var notes: [String]?
    public var tookMicroseconds: Int

    public init(query: String, total: MatchCount, hits: [SearchHit], facets: [String: [FacetCount]]? = nil,
                suggestion: String? = nil, notes: [String]? = nil, tookMicroseconds: Int) {
        self.query = query; self.total = total; self.hits = hits; self.facets = facets
        self.suggestion = suggestion; self.notes = notes; self.tookMicroseconds = tookMicroseconds
    }
}

