/// Turns client-spelled parameters into a `SearchRequest`, or a 400 naming the offending parameter.
public struct SearchRequestValidator: Sendable {
    public let limits: SearchLimits

    public init(limits: SearchLimits = SearchLimits()) {
        self.limits = limits
    }

    public func validate(_ parameters: SearchParameters) throws(APIError) -> SearchRequest {
        let from = try parameters.from.map { text throws(APIError) in try date(text, name: "from") }
        let to = try parameters.to.map { text throws(APIError) in try date(text, name: "to") }
        if let from, let to, (from.year, from.month, from.day) > (to.year, to.month, to.day) {
            throw .badParameter("from", "must not be after to (\(from.iso) > \(to.iso))")
        }
        let categories = ParameterParsing.list(parameters.categories)
        let hasFilters = !categories.isEmpty || from != nil || to != nil
        let q = try query(parameters.q, hasFilters: hasFilters)

        let limit = parameters.limit ?? limits.defaultLimit
        guard limits.limitRange.contains(limit) else { throw ParameterParsing.outOfRange("limit", limits.limitRange) }
        let offset = parameters.offset ?? 0
        guard limits.offsetRange.contains(offset) else { throw ParameterParsing.outOfRange("offset", limits.offsetRange) }

        var sort = SortOrder.relevance
        if let text = parameters.sort {
            guard let order = SortOrder(rawValue: text) else {
                throw .badParameter("sort", "must be one of \(SortOrder.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            sort = order
        }

        var mode = QueryMode.auto
        if let text = parameters.mode {
            guard let chosen = QueryMode(rawValue: text) else {
                throw .badParameter("mode", "must be one of \(QueryMode.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            mode = chosen
        }

        var facets: [Facet] = []
        for name in ParameterParsing.list(parameters.facets) {
            guard let facet = Facet(rawValue: name) else {
                throw .badParameter("facets", "unknown facet '\(name)'; use \(Facet.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            if !facets.contains(facet) { facets.append(facet) }
        }

        if let recency = parameters.recency, !(recency.isFinite && recency > 0) {
            throw .badParameter("recency", "must be a number of days greater than 0")
        }

        return SearchRequest(
            q: q, limit: limit, offset: offset, categories: categories, from: from, to: to,
            sort: sort, facets: facets, snippets: parameters.snippets ?? true,
            collapse: parameters.collapse ?? false, recency: parameters.recency, mode: mode,
            feedback: parameters.feedback
        )
    }

    /// `q` is required. Blank `q` means "match everything", which is only allowed when a filter narrows it.
    private func query(_ q: String?, hasFilters: Bool) throws(APIError) -> String {
        guard let q else { throw .badParameter("q", "is required") }
        guard q.utf8.count <= limits.queryMaxBytes else {
            throw .badParameter("q", "is longer than \(limits.queryMaxBytes) bytes")
        }
        // Each wildcard expands to up to max_wildcard_expansion terms, and Xapian's cost grows faster than the
        // total: hundreds of wildcards would hold a worker for minutes, beyond query_time_limit_seconds' reach.
        if QuerySyntax.wildcardCount(q) > limits.queryMaxWildcards {
            throw .badParameter("q", "has more than \(limits.queryMaxWildcards) wildcards")
        }
        if q.allSatisfy(\.isWhitespace) {
            guard hasFilters else {
                throw .badParameter("q", "must not be empty unless a category, from or to filter is given")
            }
            return ""
        }
        return q
    }

    private func date(_ text: String, name: String) throws(APIError) -> ArticleDate {
        guard let date = ArticleDate(yyyymmdd: text) else {
            throw .badParameter(name, "must be a date, YYYY-MM-DD or YYYYMMDD (got '\(text)')")
        }
        return date
    }
}
