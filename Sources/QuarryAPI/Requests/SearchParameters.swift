/// A search as a client spells it, before validation: every field optional, dates and names as text.
/// `GET /search` (query string) and `POST /search` (JSON body) both decode to one; clients build one from
/// their own input (the `quarry` CLI from its flags). `SearchRequestValidator` turns it into a `SearchRequest`.
public struct SearchParameters: Sendable, Equatable, Encodable {
    public var q: String?
    public var limit: Int?
    public var offset: Int?
    public var categories: [String]
    public var from: String?
    public var to: String?
    /// `relevance`, `date` (oldest first) or `-date` (newest first).
    public var sort: String?
    public var facets: [String]
    public var snippets: Bool?
    public var collapse: Bool?
    /// Half-life in days for blending recency into the score.
    public var recency: Double?
    /// `auto`, `words` or `syntax`: how the query text is read.
    public var mode: String?
    /// Pseudo-relevance feedback on or off (absent: the server's default).
    public var feedback: Bool?

    public init(q: String? = nil, limit: Int? = nil, offset: Int? = nil, categories: [String] = [],
                from: String? = nil, to: String? = nil, sort: String? = nil, facets: [String] = [],
                snippets: Bool? = nil, collapse: Bool? = nil, recency: Double? = nil, mode: String? = nil,
                feedback: Bool? = nil) {
        self.q = q; self.limit = limit; self.offset = offset; self.categories = categories
        self.from = from; self.to = to; self.sort = sort; self.facets = facets
        self.snippets = snippets; self.collapse = collapse; self.recency = recency; self.mode = mode
        self.feedback = feedback
    }

    /// The JSON body of `POST /search`: the field names `SearchBodyDecoder` reads, absent fields left out.
    private enum CodingKeys: String, CodingKey {
        case q, limit, offset, categories = "category", from, to, sort, facets, snippets, collapse, recency, mode, feedback
    }

    public func encode(to encoder: any Encoder) throws {
        var fields = encoder.container(keyedBy: CodingKeys.self)
        try fields.encodeIfPresent(q, forKey: .q)
        try fields.encodeIfPresent(limit, forKey: .limit)
        try fields.encodeIfPresent(offset, forKey: .offset)
        if !categories.isEmpty { try fields.encode(categories, forKey: .categories) }
        try fields.encodeIfPresent(from, forKey: .from)
        try fields.encodeIfPresent(to, forKey: .to)
        try fields.encodeIfPresent(sort, forKey: .sort)
        if !facets.isEmpty { try fields.encode(facets, forKey: .facets) }
        try fields.encodeIfPresent(snippets, forKey: .snippets)
        try fields.encodeIfPresent(collapse, forKey: .collapse)
        try fields.encodeIfPresent(recency, forKey: .recency)
        try fields.encodeIfPresent(mode, forKey: .mode)
        try fields.encodeIfPresent(feedback, forKey: .feedback)
    }

    /// The query string of `GET /search` (without the "?"), percent-encoded; `SearchQueryDecoder` reads it back.
    public var queryString: String {
        var pairs: [(String, String)] = []
        if let q { pairs.append(("q", q)) }
        if let limit { pairs.append(("limit", String(limit))) }
        if let offset { pairs.append(("offset", String(offset))) }
        pairs += categories.map { ("category", $0) }
        if let from { pairs.append(("from", from)) }
        if let to { pairs.append(("to", to)) }
        if let sort { pairs.append(("sort", sort)) }
        pairs += facets.map { ("facets", $0) }
        if let snippets { pairs.append(("snippets", String(snippets))) }
        if let collapse { pairs.append(("collapse", String(collapse))) }
        if let recency { pairs.append(("recency", String(recency))) }
        if let mode { pairs.append(("mode", mode)) }
        if let feedback { pairs.append(("feedback", String(feedback))) }
        return pairs.map { PercentEncoding.queryComponent($0) + "=" + PercentEncoding.queryComponent($1) }
            .joined(separator: "&")
    }
}
