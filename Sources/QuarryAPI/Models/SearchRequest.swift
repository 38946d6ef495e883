/// One search, validated: what the engine runs. Clients spell a search as `SearchParameters`;
/// `SearchRequestValidator` turns those into this (or a 400 naming the parameter).

public enum SortOrder: String, Sendable, Codable, CaseIterable {
    case relevance
    case date = "date"          // oldest first
    case dateDescending = "-date"  // newest first
}

/// How the query text is read (`mode`).
public enum QueryMode: String, Sendable, Codable, CaseIterable {
    /// Decided per query: syntax when the text uses it on purpose, words otherwise (see the README).
    case auto
    /// Plain words, whatever they look like: AND, quotes, hyphens, `+`, `-`, `*` and `field:` are not operators.
    case words
    /// Xapian's query syntax: AND/OR/NOT/NEAR, "phrases", hyphenated phrases, +/-, wildcards, fields.
    case syntax
}

public enum Facet: String, Sendable, Codable, CaseIterable {
    case category
    case month
}

/// A search the validator accepted.
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
    public var mode: QueryMode
    /// Pseudo-relevance feedback on or off; nil: the server's default.
    public var feedback: Bool?

    public init(q: String, limit: Int = 10, offset: Int = 0, categories: [String] = [],
                from: ArticleDate? = nil, to: ArticleDate? = nil, sort: SortOrder = .relevance,
                facets: [Facet] = [], snippets: Bool = true, collapse: Bool = false, recency: Double? = nil,
                mode: QueryMode = .auto, feedback: Bool? = nil) {
        self.q = q; self.limit = limit; self.offset = offset; self.categories = categories
        self.from = from; self.to = to; self.sort = sort; self.facets = facets
        self.snippets = snippets; self.collapse = collapse; self.recency = recency; self.mode = mode
        self.feedback = feedback
    }
}

